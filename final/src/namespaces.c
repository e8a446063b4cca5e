/* namespaces.c - clone3 into new namespaces, setns into existing ones;
 * see namespaces.h.
 *
 * clone3(2) used like fork(2) (no new stack): the child continues here on
 * a copy of our stack, which is safe because mvrc has one thread.  It also
 * hands back a pidfd, so that waiting for and signalling the container
 * cannot hit a recycled pid.
 */
#include "namespaces.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util.h"

#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#endif

static const unsigned long clone_flag[NS_COUNT] = {
	[NS_USER] = CLONE_NEWUSER, [NS_PID] = CLONE_NEWPID,
	[NS_UTS] = CLONE_NEWUTS, [NS_IPC] = CLONE_NEWIPC,
	[NS_MNT] = CLONE_NEWNS, [NS_CGROUP] = CLONE_NEWCGROUP,
	[NS_NET] = CLONE_NEWNET,
};

unsigned long namespaces_clone_flags(const struct container *c)
{
	unsigned long flags = 0;

	for (int i = 0; i < NS_COUNT; i++)
		if (c->namespaces[i].create && i != NS_CGROUP)
			flags |= clone_flag[i];
	if (c->net.mode == NETWORK_HOST)
		flags &= ~(unsigned long)CLONE_NEWNET;
	return flags;
}

/* The usual reasons an ordinary user cannot create a user namespace. */
static int clone_hint(struct err *e)
{
	char buf[16] = "";
	int fd;

	if (e->errnum == ENOSPC)
		return err_hint(e, "the user namespace limit is reached: raise "
				"user.max_user_namespaces (sysctl)");
	if (e->errnum != EPERM && e->errnum != EACCES)
		return -1;
	fd = open("/proc/sys/kernel/apparmor_restrict_unprivileged_userns", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);

		close(fd);
		if (n > 0 && buf[0] == '1')
			return err_hint(e, "AppArmor restricts unprivileged user namespaces: "
					"sysctl kernel.apparmor_restrict_unprivileged_userns=0, "
					"or give mvrc an AppArmor profile with 'userns,'");
	}
	return err_hint(e, "unprivileged user namespaces may be disabled: check "
			"sysctl kernel.unprivileged_userns_clone and user.max_user_namespaces");
}

pid_t namespaces_clone(const struct container *c, int *pidfd, struct err *e)
{
	struct clone_args args;
	long pid;

	memset(&args, 0, sizeof(args));
	args.flags = namespaces_clone_flags(c) | CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)pidfd;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0) {
		err_set(e, errno, "clone3(new user, pid, uts, ipc, mount%s namespaces)",
			args.flags & CLONE_NEWNET ? ", network" : "");
		return clone_hint(e);
	}
	return (pid_t)pid;
}

static const char *const ns_name[NS_COUNT] = {
	[NS_USER] = "user", [NS_PID] = "pid", [NS_UTS] = "uts", [NS_IPC] = "ipc",
	[NS_MNT] = "mount", [NS_CGROUP] = "cgroup", [NS_NET] = "network",
};

/* setns(2) checks privilege twice: CAP_SYS_ADMIN in our own user namespace
 * and in the one that owns the target.  Under rootless Podman mvrc is root
 * of Podman's user namespace, which owns the network namespace it passes,
 * so both hold.  A container with a user namespace of its own holds no
 * privilege over its parent's namespaces. */
int namespaces_join_paths(const struct container *c, struct err *e)
{
	for (int i = 0; i < NS_COUNT; i++) {
		_cleanup_close_ int fd = -1;
		const char *path = c->namespaces[i].path;

		if (!path)
			continue;
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			return err_set(e, errno, "open the %s namespace %s", ns_name[i], path);
		/* The type is checked too: a path to another kind is EINVAL. */
		if (setns(fd, (int)clone_flag[i]) < 0) {
			err_set(e, errno, "setns(%s, %s namespace)", path, ns_name[i]);
			if (errno == EPERM && c->namespaces[NS_USER].create)
				err_hint(e, "the container's new user namespace has no privilege "
					 "over a namespace its parent's owns");
			return -1;
		}
	}
	return 0;
}

/* ---- mvrc exec: into a running container ------------------------------ */

int namespaces_differing(pid_t pid, unsigned long *flags, struct err *e)
{
	static const char *const file[NS_COUNT] = {
		[NS_USER] = "user", [NS_PID] = "pid", [NS_UTS] = "uts", [NS_IPC] = "ipc",
		[NS_MNT] = "mnt", [NS_CGROUP] = "cgroup", [NS_NET] = "net",
	};
	char theirs[64], ours[64];
	struct stat a, b;

	*flags = 0;
	for (int i = 0; i < NS_COUNT; i++) {
		snprintf(theirs, sizeof(theirs), "/proc/%d/ns/%s", (int)pid, file[i]);
		snprintf(ours, sizeof(ours), "/proc/self/ns/%s", file[i]);
		if (stat(theirs, &a) < 0)
			return err_set(e, errno, "stat %s", theirs);
		if (stat(ours, &b) < 0)
			return err_set(e, errno, "stat %s", ours);
		if (a.st_dev != b.st_dev || a.st_ino != b.st_ino)
			*flags |= clone_flag[i];
	}
	return 0;
}

/* setns with a pidfd joins several namespaces in one call, the user
 * namespace first, so that the privilege the others need is checked in
 * it (setns(2), Linux 5.8).  Here the caller joins the user namespace
 * and, for its children to come only, the pid namespace; the others are
 * the child's to join. */
pid_t namespaces_fork_into(int target, unsigned long flags, int *pidfd, struct err *e)
{
	unsigned long here = flags & (CLONE_NEWUSER | CLONE_NEWPID);
	struct clone_args args;
	long pid;

#ifdef __SANITIZE_ADDRESS__
	/* LeakSanitizer checks at exit by ptracing us, which joining a user
	 * namespace forbids: the kernel makes the joiner non-dumpable, so that
	 * the container cannot ptrace its way back into mvrc.  Check now. */
	if (here & CLONE_NEWUSER)
		__lsan_do_leak_check();
#endif
	if (here && setns(target, (int)here) < 0)
		return err_set(e, errno, "setns into the container's%s%s namespace",
			       here & CLONE_NEWUSER ? " user" : "",
			       here & CLONE_NEWPID ? " pid" : "");
	memset(&args, 0, sizeof(args));
	args.flags = CLONE_PIDFD;
	args.pidfd = (uint64_t)(uintptr_t)pidfd;
	args.exit_signal = SIGCHLD;
	pid = syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0)
		return err_set(e, errno, "clone3 into the container's pid namespace");
	return (pid_t)pid;
}

int namespaces_join_running(int target, unsigned long flags, struct err *e)
{
	flags &= ~(unsigned long)(CLONE_NEWUSER | CLONE_NEWPID);
	if (flags && setns(target, (int)flags) < 0)
		return err_set(e, errno, "setns into the container's namespaces");
	return 0;
}

int namespaces_unshare_cgroup(const struct container *c, struct err *e)
{
	if (c->namespaces[NS_CGROUP].create && unshare(CLONE_NEWCGROUP) < 0)
		return err_set(e, errno, "unshare(CLONE_NEWCGROUP)");
	return 0;
}
