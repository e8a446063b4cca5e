/* mounts.c - the container's mount table; see mounts.h.
 *
 * Every target is opened inside the rootfs first (rootpath.h) and mounted
 * through /proc/self/fd/N, so a symlink in the rootfs can never send a
 * mount onto the host.  mount_setattr(2) (Linux 5.12) makes mounts
 * read-only, recursively, without having to repeat the flags the kernel
 * locked when our user namespace copied them.
 */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootpath.h"
#include "util.h"

int mounts_set_readonly(int fd, unsigned long long extra, int recursive,
			const char *what, struct err *e)
{
	struct mount_attr attr = { .attr_set = MOUNT_ATTR_RDONLY | extra };

	if (mount_setattr(fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
			  &attr, sizeof(attr)) < 0)
		return err_set(e, errno, "make %s read-only (mount_setattr)", what);
	return 0;
}

/* Reopen `path` in the rootfs once something is mounted on it: the fd
 * taken before the mount names the covered directory, not the new mount. */
static int set_readonly_at(int rootfd, const char *path, unsigned long long extra,
			   int recursive, struct err *e)
{
	_cleanup_close_ int fd = rootpath_open(rootfd, path, ROOTPATH_EXISTING, 0, e);

	if (fd < 0)
		return -1;
	return mounts_set_readonly(fd, extra, recursive, path, e);
}

int mounts_prepare(const struct container *c, struct err *e)
{
	int fd;

	/* Our copy of the host's mounts still shares propagation with it:
	 * without this, the mounts below would appear on the host. */
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return err_set(e, errno, "make / private (mount MS_REC|MS_PRIVATE)");
	if (mount(c->root.path, c->root.path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_set(e, errno, "bind-mount the rootfs %s onto itself", c->root.path);
	fd = open(c->root.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open the rootfs %s", c->root.path);
	return fd;
}

/* ---- /proc and /sys ---------------------------------------------------- */

static int mount_proc(int rootfd, struct err *e)
{
	_cleanup_close_ int fd = -1;
	char name[64];

	/* A rootfs whose /proc is a symlink could point the new proc (and
	 * its masks) elsewhere: refuse any symlink on the way. */
	fd = rootpath_open(rootfd, "/proc", ROOTPATH_DIR, 1, e);
	if (fd < 0)
		return err_wrap(e, "mount proc: ");
	if (mount("proc", rootpath_fd_name(fd, name, sizeof(name)), "proc",
		  MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0) {
		err_set(e, errno, "mount proc on /proc");
		if (errno == EPERM)
			err_hint(e, "the kernel allows a new /proc only where the host's /proc "
				 "is fully visible (not partly covered by other mounts)");
		return -1;
	}
	return 0;
}

/* sysfs belongs to a network namespace: a user namespace may mount it only
 * with a network namespace of its own.  With --network host, bind the
 * host's /sys instead, read-only all the way down. */
static int mount_sys(const struct container *c, int rootfd, struct err *e)
{
	const unsigned long flags = MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	_cleanup_close_ int fd = -1;
	char name[64];

	fd = rootpath_open(rootfd, "/sys", ROOTPATH_DIR, 1, e);
	if (fd < 0)
		return err_wrap(e, "mount sysfs: ");
	rootpath_fd_name(fd, name, sizeof(name));
	if (c->net.mode != NETWORK_HOST && mount("sysfs", name, "sysfs", flags, NULL) == 0)
		return 0;
	if (mount("/sys", name, NULL, MS_BIND | MS_REC, NULL) < 0)
		return err_set(e, errno, "bind-mount the host's /sys on /sys");
	return set_readonly_at(rootfd, "/sys", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			       MOUNT_ATTR_NOEXEC, 1, e);
}

int mounts_kernel_fs(const struct container *c, int rootfd, struct err *e)
{
	if (mount_proc(rootfd, e) < 0)
		return -1;
	return mount_sys(c, rootfd, e);
}

/* ---- volumes and other mounts ------------------------------------------ */

static int mount_bind(int rootfd, const struct mount_entry *m, struct err *e)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	char name[64];

	if (stat(m->source, &st) < 0)
		return err_set(e, errno, "volume %s", m->source);
	fd = rootpath_open(rootfd, m->destination,
			   S_ISDIR(st.st_mode) ? ROOTPATH_DIR : ROOTPATH_FILE, 0, e);
	if (fd < 0)
		return err_wrap(e, "volume %s: ", m->source);
	if (mount(m->source, rootpath_fd_name(fd, name, sizeof(name)), NULL,
		  MS_BIND | (m->flags & MS_REC), NULL) < 0)
		return err_set(e, errno, "bind-mount %s on %s", m->source, m->destination);
	if (m->flags & MS_RDONLY)
		return set_readonly_at(rootfd, m->destination, 0, m->flags & MS_REC, e);
	return 0;
}

static int mount_other(int rootfd, const struct mount_entry *m, struct err *e)
{
	_cleanup_close_ int fd = rootpath_open(rootfd, m->destination, ROOTPATH_DIR, 0, e);
	char name[64];

	if (fd < 0)
		return err_wrap(e, "mount %s: ", m->type);
	if (mount(m->source, rootpath_fd_name(fd, name, sizeof(name)), m->type,
		  m->flags, m->data) < 0)
		return err_set(e, errno, "mount %s on %s", m->type, m->destination);
	return 0;
}

int mounts_volumes(const struct container *c, int rootfd, struct err *e)
{
	for (size_t i = 0; i < c->n_mounts; i++) {
		const struct mount_entry *m = &c->mounts[i];
		int bind = (m->flags & MS_BIND) || (m->type && strcmp(m->type, "bind") == 0);

		if ((bind ? mount_bind(rootfd, m, e) : mount_other(rootfd, m, e)) < 0)
			return -1;
		if (m->propagation) {
			_cleanup_close_ int fd = rootpath_open(rootfd, m->destination,
							       ROOTPATH_EXISTING, 0, e);
			char name[64];

			if (fd < 0 || mount(NULL, rootpath_fd_name(fd, name, sizeof(name)),
					    NULL, m->propagation, NULL) < 0)
				return fd < 0 ? -1 : err_set(e, errno, "set propagation of %s",
							     m->destination);
		}
	}
	return 0;
}

/* ---- masked and read-only paths ---------------------------------------- */

/* Hide a file under /dev/null, a directory under an empty read-only
 * tmpfs.  A path the kernel does not have is already hidden. */
static int mask_path(int rootfd, const char *path, struct err *e)
{
	_cleanup_close_ int fd = -1;
	struct stat st;
	char name[64];

	fd = rootpath_open(rootfd, path, ROOTPATH_EXISTING, 0, e);
	if (fd < 0)
		return e->errnum == ENOENT ? 0 : -1;
	if (fstat(fd, &st) < 0)
		return err_set(e, errno, "stat %s", path);
	rootpath_fd_name(fd, name, sizeof(name));
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", name, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			  "size=0,mode=0555") < 0)
			return err_set(e, errno, "mask %s with an empty tmpfs", path);
	} else if (mount("/dev/null", name, NULL, MS_BIND, NULL) < 0) {
		return err_set(e, errno, "mask %s with /dev/null", path);
	}
	return 0;
}

static int readonly_path(int rootfd, const char *path, struct err *e)
{
	_cleanup_close_ int fd = -1;
	char name[64];

	fd = rootpath_open(rootfd, path, ROOTPATH_EXISTING, 0, e);
	if (fd < 0)
		return e->errnum == ENOENT ? 0 : -1;
	if (mount(rootpath_fd_name(fd, name, sizeof(name)), name, NULL,
		  MS_BIND | MS_REC, NULL) < 0)
		return err_set(e, errno, "bind-mount %s onto itself", path);
	return set_readonly_at(rootfd, path, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
			       MOUNT_ATTR_NOEXEC, 1, e);
}

int mounts_restrict(const struct container *c, int rootfd, struct err *e)
{
	for (size_t i = 0; c->masked_paths && c->masked_paths[i]; i++)
		if (mask_path(rootfd, c->masked_paths[i], e) < 0)
			return -1;
	for (size_t i = 0; c->readonly_paths && c->readonly_paths[i]; i++)
		if (readonly_path(rootfd, c->readonly_paths[i], e) < 0)
			return -1;
	return 0;
}

/* ---- pivot_root -------------------------------------------------------- */

/* pivot_root(".", ".") stacks the old root on top of the new one at "/";
 * unmounting "." then takes the old root away, and with it every host path
 * (pivot_root(2), NOTES).  Unlike chroot, nothing is left to escape to. */
int mounts_pivot(const struct container *c, int rootfd, struct err *e)
{
	if (fchdir(rootfd) < 0)
		return err_set(e, errno, "chdir to the rootfs %s", c->root.path);
	if (syscall(SYS_pivot_root, ".", ".") < 0)
		return err_set(e, errno, "pivot_root to %s", c->root.path);
	if (umount2(".", MNT_DETACH) < 0)
		return err_set(e, errno, "detach the old root (umount2 MNT_DETACH)");
	if (chdir("/") < 0)
		return err_set(e, errno, "chdir /");
	if (c->root.readonly) {
		_cleanup_close_ int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);

		if (fd < 0)
			return err_set(e, errno, "open /");
		return mounts_set_readonly(fd, 0, 0, "the root filesystem", e);
	}
	return 0;
}
