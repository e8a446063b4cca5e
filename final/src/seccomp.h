/* seccomp.h - a bundle's linux.seccomp, built and loaded with libseccomp.
 *
 * The description (struct syscall_filter in container.h) is plain data
 * the parser filled; this module turns it into a BPF program in the
 * container's init, as late as possible: after no_new_privs, just before
 * exec, so that the filter never has to allow mvrc's own setup.  Without
 * no_new_privs the kernel requires CAP_SYS_ADMIN to load a filter, so
 * then it is loaded before the capabilities are dropped (as runc does),
 * and the profile must allow what remains of the setup (Podman's does).
 */
#ifndef MVRC_SECCOMP_H
#define MVRC_SECCOMP_H

#include "container.h"
#include "err.h"

/* Build the filter f describes and load it into this process.  Syscall
 * names this architecture does not know are skipped, as runc and crun do.
 * A no-op when f->enabled is false. */
int seccomp_filter_load(const struct syscall_filter *f, struct err *e);

#endif
