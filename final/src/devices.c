/* devices.c - a minimal /dev; see devices.h.
 *
 * A tmpfs mounted by a user namespace is marked "nodev" by the kernel, so a
 * device node created in it would not open anyway.  Instead, each device is
 * an empty file with the host's node bind-mounted over it: the bind mount
 * keeps the host devtmpfs's permission to open devices (bubblewrap does the
 * same).
 */
#include "devices.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/mount.h>
#include <unistd.h>

#include "rootpath.h"
#include "util.h"

static const char *const host_devices[] = {
	"null", "zero", "full", "random", "urandom", "tty", NULL,
};

static const struct {
	const char *name, *target;
} dev_symlinks[] = {
	{ "ptmx", "pts/ptmx" },         /* devpts' own multiplexer */
	{ "fd", "/proc/self/fd" },
	{ "stdin", "/proc/self/fd/0" },
	{ "stdout", "/proc/self/fd/1" },
	{ "stderr", "/proc/self/fd/2" },
	{ "core", "/proc/kcore" },
};

/* Mount a filesystem on /dev/<dir>, creating it. */
static int mount_in_dev(int rootfd, const char *dir, const char *type,
			unsigned long flags, const char *data, struct err *e)
{
	_cleanup_close_ int fd = -1;
	char path[64], name[64];

	snprintf(path, sizeof(path), "/dev/%s", dir);
	fd = rootpath_open(rootfd, path, ROOTPATH_DIR, 1, e);
	if (fd < 0)
		return -1;
	if (mount(type, rootpath_fd_name(fd, name, sizeof(name)), type, flags, data) < 0)
		return err_set(e, errno, "mount %s on %s", type, path);
	return 0;
}

static int bind_device(int rootfd, const char *dev, struct err *e)
{
	_cleanup_close_ int fd = -1;
	char path[64], host[64], name[64];

	snprintf(path, sizeof(path), "/dev/%s", dev);
	snprintf(host, sizeof(host), "/dev/%s", dev);
	fd = rootpath_open(rootfd, path, ROOTPATH_FILE, 1, e);
	if (fd < 0)
		return -1;
	if (mount(host, rootpath_fd_name(fd, name, sizeof(name)), NULL, MS_BIND, NULL) < 0)
		return err_set(e, errno, "bind-mount the host's %s on %s", host, path);
	return 0;
}

/* Sharing our user namespace (under Podman, or `unshare -r`): is gid 5
 * mapped in it?  Its gid_map says, one "inside outside count" a line. */
static int tty_gid_mapped_here(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/gid_map", "re");
	unsigned long inside, outside, count;

	while (f && fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3)
		if (inside <= 5 && 5 - inside < count)
			return 1;
	return 0;
}

/* devpts wants its gid= option to be mapped; 5 is "tty" in most images. */
static int tty_gid_mapped(const struct container *c)
{
	for (size_t i = 0; i < c->ids.n_gid; i++)
		if (c->ids.gid[i].inside <= 5 && 5 - c->ids.gid[i].inside < c->ids.gid[i].count)
			return 1;
	return !c->namespaces[NS_USER].create && tty_gid_mapped_here();
}

int devices_mount(const struct container *c, int rootfd, struct err *e)
{
	_cleanup_close_ int dev = -1;
	char name[64];

	dev = rootpath_open(rootfd, "/dev", ROOTPATH_DIR, 1, e);
	if (dev < 0)
		return err_wrap(e, "mount /dev: ");
	if (mount("tmpfs", rootpath_fd_name(dev, name, sizeof(name)), "tmpfs",
		  MS_NOSUID | MS_STRICTATIME, "mode=0755,size=65536k") < 0)
		return err_set(e, errno, "mount tmpfs on /dev");
	for (size_t i = 0; host_devices[i]; i++)
		if (bind_device(rootfd, host_devices[i], e) < 0)
			return -1;
	/* newinstance: the container's ptys are its own, not the host's. */
	if (mount_in_dev(rootfd, "pts", "devpts", MS_NOSUID | MS_NOEXEC,
			 tty_gid_mapped(c) ? "newinstance,ptmxmode=0666,mode=0620,gid=5"
					   : "newinstance,ptmxmode=0666,mode=0620", e) < 0 ||
	    mount_in_dev(rootfd, "shm", "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 "mode=1777,size=65536k", e) < 0 ||
	    mount_in_dev(rootfd, "mqueue", "mqueue", MS_NOSUID | MS_NODEV | MS_NOEXEC,
			 NULL, e) < 0)
		return -1;
	/* The tmpfs is fresh and ours: no symlink can be in the way. */
	close(dev);
	dev = rootpath_open(rootfd, "/dev", ROOTPATH_EXISTING, 1, e);
	if (dev < 0)
		return -1;
	for (size_t i = 0; i < sizeof(dev_symlinks) / sizeof(dev_symlinks[0]); i++)
		if (symlinkat(dev_symlinks[i].target, dev, dev_symlinks[i].name) < 0)
			return err_set(e, errno, "symlink /dev/%s", dev_symlinks[i].name);
	return 0;
}

int devices_bind_console(int rootfd, const char *slave_path, struct err *e)
{
	_cleanup_close_ int fd = rootpath_open(rootfd, "/dev/console", ROOTPATH_FILE, 1, e);
	char name[64];

	if (fd < 0)
		return -1;
	if (mount(slave_path, rootpath_fd_name(fd, name, sizeof(name)), NULL, MS_BIND, NULL) < 0)
		return err_set(e, errno, "bind-mount the terminal on /dev/console");
	return 0;
}
