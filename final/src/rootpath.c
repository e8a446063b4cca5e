/* rootpath.c - openat2(RESOLVE_IN_ROOT) with directory creation; see
 * rootpath.h and openat2(2). */
#include "rootpath.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

static int resolve(int rootfd, const char *path, int no_symlinks)
{
	struct open_how how = {
		.flags = O_PATH | O_CLOEXEC,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS |
			   (no_symlinks ? RESOLVE_NO_SYMLINKS : 0),
	};

	return (int)syscall(SYS_openat2, rootfd, path, &how, sizeof(how));
}

/* Create the last component of path (its parent exists or is created). */
static int create_last(int rootfd, const char *path, enum rootpath_create create,
		       int no_symlinks, struct err *e)
{
	_cleanup_close_ int parent = -1;
	char dir[4096];
	const char *name = strrchr(path, '/');
	size_t dirlen;
	int fd;

	if (!name)
		name = path - 1;
	dirlen = (size_t)(name - path);
	name++;
	if (dirlen >= sizeof(dir) || !*name || strcmp(name, "..") == 0)
		return err_set(e, EINVAL, "create %s", path);
	memcpy(dir, path, dirlen);
	dir[dirlen] = '\0';
	parent = rootpath_open(rootfd, dirlen ? dir : "/", ROOTPATH_DIR, no_symlinks, e);
	if (parent < 0)
		return -1;
	if (create == ROOTPATH_DIR) {
		if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
			return err_set(e, errno, "mkdir %s", path);
		return 0;
	}
	fd = openat(parent, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_set(e, errno, "create %s", path);
	close(fd);
	return 0;
}

int rootpath_open(int rootfd, const char *path, enum rootpath_create create,
		  int no_symlinks, struct err *e)
{
	int fd = resolve(rootfd, path, no_symlinks);

	if (fd >= 0)
		return fd;
	if (errno == ELOOP && no_symlinks)
		return err_set(e, ELOOP, "refusing %s: it is a symlink or passes through one", path);
	if (errno != ENOENT || create == ROOTPATH_EXISTING)
		return err_set(e, errno, "open %s in the rootfs", path);
	if (create_last(rootfd, path, create, no_symlinks, e) < 0)
		return -1;
	fd = resolve(rootfd, path, no_symlinks);
	if (fd < 0)
		return err_set(e, errno, "open %s in the rootfs", path);
	return fd;
}

const char *rootpath_fd_name(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}
