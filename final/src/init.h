/* init.h - the container's side: from clone to execve. */
#ifndef MVRC_INIT_H
#define MVRC_INIT_H

#include "container.h"

/* The child after clone: wait for the parent's go, build the container
 * around itself and execute c->process.argv.  Does not return: on any
 * failure it sends its struct err over `sock` and exits with its status. */
__attribute__((noreturn)) void init_container(const struct container *c, int sock);

#endif
