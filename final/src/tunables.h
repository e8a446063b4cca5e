/* tunables.h - kernel settings an OCI bundle may ask for its container:
 * linux.sysctl, process.oomScoreAdj and linux.rootfsPropagation.  All run
 * in the container's init, in its new namespaces. */
#ifndef MVRC_TUNABLES_H
#define MVRC_TUNABLES_H

#include "container.h"
#include "err.h"

/* Child, before any mount: write c->sysctl under /proc/sys and
 * oom_score_adj.  The host's /proc is still mounted here, and a sysctl
 * file of a namespaced setting (net.*, kernel.shm*, ...) acts on the
 * namespaces of the process that writes it: the container's own. */
int tunables_apply(const struct container *c, struct err *e);

/* Child, after the rootfs is bound onto itself: give it the propagation
 * the bundle asks for (rslave, shared, ...); a no-op for the default. */
int tunables_rootfs_propagation(const struct container *c, struct err *e);

#endif
