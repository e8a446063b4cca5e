/* mounts.h - the container's filesystem, in the child's new mount
 * namespace, in this order:
 *
 *   mounts_prepare      stop propagation to the host, bind the rootfs onto
 *                       itself (pivot_root needs a mount point)
 *   mounts_kernel_fs    a new /proc, /sys read-only
 *   (devices_mount)     a tmpfs /dev; see devices.h
 *   mounts_volumes      -v and the description's other mounts
 *   mounts_restrict     masked paths and read-only paths
 *   mounts_pivot        pivot_root, detach the old root, --read-only
 */
#ifndef MVRC_MOUNTS_H
#define MVRC_MOUNTS_H

#include "container.h"
#include "err.h"

/* Returns an O_PATH fd for the rootfs's own mount, or -1. */
int mounts_prepare(const struct container *c, struct err *e);
int mounts_kernel_fs(const struct container *c, int rootfd, struct err *e);
int mounts_volumes(const struct container *c, int rootfd, struct err *e);
int mounts_restrict(const struct container *c, int rootfd, struct err *e);
/* After it the process's root and cwd are the container's "/". */
int mounts_pivot(const struct container *c, int rootfd, struct err *e);

/* Make the mount at fd (and, with recursive, those under it) read-only
 * with extra MOUNT_ATTR_* bits; see mount_setattr(2). */
int mounts_set_readonly(int fd, unsigned long long extra, int recursive,
			const char *what, struct err *e);

#endif
