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

static int open_depth(int rootfd, const char *path, enum rootpath_create create,
		      int no_symlinks, int depth, struct err *e);

/* `name` in `parent` is a dangling symlink: create what it points to,
 * resolved inside the rootfs like everything else. */
static int follow_dangling(int rootfd, int parent, const char *dir, const char *name,
			   enum rootpath_create create, int depth, struct err *e)
{
	char target[4096], path[8192];
	ssize_t n = readlinkat(parent, name, target, sizeof(target) - 1);

	if (n < 0)
		return err_set(e, errno, "readlink %s/%s", dir, name);
	target[n] = '\0';
	snprintf(path, sizeof(path), "%s%s%s", target[0] == '/' ? "" : dir,
		 target[0] == '/' ? "" : "/", target);
	return open_depth(rootfd, path, create, 0, depth + 1, e);
}

/* Create the last component of path (its parent exists or is created),
 * and return it opened. */
static int create_last(int rootfd, const char *path, enum rootpath_create create,
		       int no_symlinks, int depth, struct err *e)
{
	struct stat st;
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
	parent = open_depth(rootfd, dirlen ? dir : "/", ROOTPATH_DIR, no_symlinks, depth, e);
	if (parent < 0)
		return -1;
	if (!no_symlinks && fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return follow_dangling(rootfd, parent, dir, name, create, depth, e);
	if (create == ROOTPATH_DIR) {
		if (mkdirat(parent, name, 0755) < 0 && errno != EEXIST)
			return err_set(e, errno, "mkdir %s", path);
	} else {
		fd = openat(parent, name, O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0)
			return err_set(e, errno, "create %s", path);
		close(fd);
	}
	fd = resolve(rootfd, path, no_symlinks);
	if (fd < 0)
		return err_set(e, errno, "open %s in the rootfs", path);
	return fd;
}

static int open_depth(int rootfd, const char *path, enum rootpath_create create,
		      int no_symlinks, int depth, struct err *e)
{
	int fd = resolve(rootfd, path, no_symlinks);

	if (fd >= 0)
		return fd;
	if (errno == ELOOP && no_symlinks)
		return err_set(e, ELOOP, "refusing %s: it is a symlink or passes through one", path);
	if (errno != ENOENT || create == ROOTPATH_EXISTING)
		return err_set(e, errno, "open %s in the rootfs", path);
	if (depth > 40)      /* the kernel's own limit on nested symlinks */
		return err_set(e, ELOOP, "create %s", path);
	return create_last(rootfd, path, create, no_symlinks, depth, e);
}

int rootpath_open(int rootfd, const char *path, enum rootpath_create create,
		  int no_symlinks, struct err *e)
{
	return open_depth(rootfd, path, create, no_symlinks, 0, e);
}

const char *rootpath_fd_name(int fd, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/self/fd/%d", fd);
	return buf;
}
