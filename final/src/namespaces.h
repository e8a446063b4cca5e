/* namespaces.h - which namespaces the container gets, and the clone that
 * creates them; see namespaces(7). */
#ifndef MVRC_NAMESPACES_H
#define MVRC_NAMESPACES_H

#include <sys/types.h>

#include "container.h"
#include "err.h"

/* The CLONE_NEW* flags clone3 creates the container with: every namespace
 * c asks to create, except the cgroup namespace (see
 * namespaces_unshare_cgroup) and the network namespace with --network host. */
unsigned long namespaces_clone_flags(const struct container *c);

/* clone3 into the new namespaces, like fork: returns the child's pid in
 * the parent (and a pidfd for it in *pidfd), 0 in the child, -1 on error
 * with a hint for the known causes. */
pid_t namespaces_clone(const struct container *c, int *pidfd, struct err *e);

/* Child, first of all: join the namespaces c names by path
 * (linux.namespaces[].path), which clone3 did not create.  The user and
 * pid namespaces are not among them: see oci_linux.c. */
int namespaces_join_paths(const struct container *c, struct err *e);

/* mvrc exec, parent: the CLONE_NEW* flags of the namespaces in which
 * process `pid` differs from us: those to join. */
int namespaces_differing(pid_t pid, unsigned long *flags, struct err *e);

/* mvrc exec, parent: join the container's user namespace (when in flags)
 * and, for the children to come, its pid namespace (`target` is a pidfd of
 * its init); then fork like namespaces_clone, with no new namespace. */
pid_t namespaces_fork_into(int target, unsigned long flags, int *pidfd, struct err *e);

/* mvrc exec, child: join the rest of flags (mount, uts, ipc, network,
 * cgroup) of the process `target` (a pidfd). */
int namespaces_join_running(int target, unsigned long flags, struct err *e);

/* Child, after the parent has moved it into its cgroup: a new cgroup
 * namespace rooted at that cgroup, so /proc/self/cgroup reads "0::/". */
int namespaces_unshare_cgroup(const struct container *c, struct err *e);

#endif
