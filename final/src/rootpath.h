/* rootpath.h - resolve a path inside the rootfs without ever leaving it.
 *
 * A rootfs is untrusted: /proc in it may be a symlink to the host's /etc,
 * a volume's destination may contain "../../..".  Every path mvrc mounts
 * onto is opened with openat2(RESOLVE_IN_ROOT), which resolves ".." and
 * absolute symlinks as if the rootfs were "/", and the mount then targets
 * the opened file through /proc/self/fd/N (runc's answer to
 * CVE-2019-16884 and CVE-2021-30465, where a symlink swapped in between
 * check and mount redirected a mount onto the host).
 */
#ifndef MVRC_ROOTPATH_H
#define MVRC_ROOTPATH_H

#include "err.h"

enum rootpath_create {
	ROOTPATH_EXISTING,      /* fail with ENOENT when missing */
	ROOTPATH_DIR,           /* create missing directories (mode 0755) */
	ROOTPATH_FILE,          /* create parents and an empty file (0644) */
};

/* Open `path` inside the directory rootfd as an O_PATH fd.  With
 * no_symlinks, any symlink on the way is refused (ELOOP). */
int rootpath_open(int rootfd, const char *path, enum rootpath_create create,
		  int no_symlinks, struct err *e);

/* "/proc/self/fd/N" for fd, in buf: the name mount(2) is given. */
const char *rootpath_fd_name(int fd, char *buf, size_t len);

#endif
