/* init.h - the container's side: from clone to execve. */
#ifndef MVRC_INIT_H
#define MVRC_INIT_H

#include <stdbool.h>

#include "container.h"

/* The child after clone: wait for the parent's go, build the container
 * around itself and execute c->process.argv.  Does not return: on any
 * failure it sends its struct err over `sock` and exits with its status. */
__attribute__((noreturn)) void init_container(const struct container *c, int sock);

/* mvrc exec's child, born in the container's pid (and user) namespace:
 * wait for the parent's go (it has entered the cgroup), join the rest of
 * ns_flags of the init `target` (a pidfd), then follow the container's
 * process rules (rlimits, seccomp, user, capabilities, no_new_privs,
 * workdir) and execute c->process.argv.  Without `detached` it dies with
 * mvrc.  Does not return. */
__attribute__((noreturn)) void init_exec(const struct container *c, int target,
					 unsigned long ns_flags, bool detached, int sock);

#endif
