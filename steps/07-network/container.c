/*
 * Step 07 — a network namespace: CMD gets lo and tap0, a network of its own.
 *
 * The child is cloned into a new network namespace as well, and brings its lo
 * up. The parent starts slirp4netns, which gives the namespace tap0
 * (10.0.2.100/24, gateway 10.0.2.2) and carries its traffic through ordinary
 * sockets on the host, and releases the child once slirp4netns is ready; it
 * stops slirp4netns when the container ends.
 *
 * From step 06, the cgroup: CMD gets 64 MiB of memory, 32 tasks and half a CPU.
 *
 * The parent makes a cgroup for the child, container-PID, under its own
 * cgroup (the one delegated to the user), writes the limits into it and moves
 * the child in before releasing it; it removes the cgroup once the child has
 * ended. The child enters a new cgroup namespace, so it sees its cgroup as /.
 * This is cgroup v2; a short, separate fallback serves hosts that still mount
 * memory, pids and cpu as cgroup v1 hierarchies.
 *
 * Run:  make && ./container ../../rootfs/busybox /bin/sh -c 'ip addr; ip route'
 *
 * What main does:
 *   1. checks that there is a ROOTFS and a CMD, and that ROOTFS is a directory;
 *   2. makes the pipe that holds the child back until its maps are written;
 *   3. clones a child into new user, PID, UTS, mount and network namespaces,
 *      which waits;
 *   4. writes the child's uid_map, setgroups and gid_map;
 *   5. makes the child's cgroup, writes its limits and moves the child in;
 *   6. starts slirp4netns for the child's network namespace and waits until
 *      tap0 is configured;
 *   7. releases the child: it enters a new cgroup namespace, brings lo up,
 *      sets the hostname, makes its mounts private, chroots into ROOTFS,
 *      mounts /proc and replaces itself with CMD;
 *   8. waits for CMD, stops slirp4netns, removes the cgroup, and exits with
 *      CMD's status, or 128+N if signal N killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses, the same as docker's and final/'s. */
enum {
	EXIT_SETUP = 125,	/* the container itself failed */
	EXIT_CANNOT_EXEC = 126,	/* CMD exists but cannot be executed */
	EXIT_NOT_FOUND = 127,	/* CMD was not found */
};

/* The child's stack for clone(2): plenty for the few calls before execvp. */
#define STACK_SIZE (1024 * 1024)

/* The hostname CMD sees. */
#define HOSTNAME "container"

/* Where the cgroup file systems are mounted, and the container's limits. */
#define CGROUP_ROOT "/sys/fs/cgroup"
#define MEMORY_MAX "67108864"		/* 64 MiB, in bytes */
#define PIDS_MAX "32"			/* tasks: processes and threads */
#define CPU_MAX "50000 100000"		/* 50 ms of every 100 ms: half a CPU */

/* What tap0 moves in one frame: slirp4netns's largest, which is fastest. */
#define MTU "65520"

/* What the child needs: clone(2) hands it a single pointer. */
struct child_args {
	char **argv;		/* CMD [ARG...] */
	int sync[2];		/* the pipe the parent releases the child through */
	const char *rootfs;	/* the directory that becomes the child's / */
};

/*
 * What outlives this process unless we undo it. The kernel reclaims
 * namespaces, mounts and memory once nothing uses them, but a cgroup
 * directory stays until someone removes it. So the parent remembers what it
 * made, and every way out, die() included, removes it again.
 */
static char cgroup_dirs[3][PATH_MAX];	/* one per hierarchy; v2 has one */
static int cgroup_dirs_made;
static pid_t container_pid;		/* the child, once we make its cgroup */
static pid_t slirp_pid;			/* slirp4netns, once started */
static int slirp_exit_fd = -1;		/* closing it tells slirp4netns to exit */

/*
 * Removes the cgroup directories we made, the last made first. An empty
 * cgroup goes with rmdir(2), interface files and all.
 */
static void remove_cgroup(void)
{
	while (cgroup_dirs_made > 0) {
		const char *dir = cgroup_dirs[--cgroup_dirs_made];
		if (rmdir(dir) < 0 && errno != ENOENT)
			fprintf(stderr, "container: rmdir(%s): %s\n", dir, strerror(errno));
	}
}

/*
 * Stops slirp4netns, if we started it: closing our end of its exit pipe is
 * the signal (--exit-fd). Should it not be gone within a second, SIGKILL.
 * Then reaps it, whether it ended now or died on its own while CMD ran.
 */
static void stop_slirp4netns(void)
{
	if (slirp_pid <= 0)
		return;
	close(slirp_exit_fd);
	for (int i = 0; i < 100; i++) {
		if (waitpid(slirp_pid, NULL, WNOHANG) != 0) {
			slirp_pid = 0;
			return;
		}
		usleep(10 * 1000);
	}
	kill(slirp_pid, SIGKILL);
	waitpid(slirp_pid, NULL, 0);
	slirp_pid = 0;
}

/*
 * Undoes the setup after an error. The child still waits at the sync pipe,
 * and a cgroup with a process in it cannot be removed (EBUSY): kill and reap
 * the child first. In the child itself there is nothing to undo: it was
 * cloned before any of this was made.
 */
static void undo_setup(void)
{
	if (container_pid > 0) {
		kill(container_pid, SIGKILL);
		waitpid(container_pid, NULL, 0);
	}
	stop_slirp4netns();
	remove_cgroup();
}

/*
 * The well-known cause of WHAT failing with ERR, as advice, or NULL.
 */
static const char *hint(const char *what, int err)
{
	if (strcmp(what, "clone") == 0 && (err == EPERM || err == EACCES))
		return "this host keeps user namespaces from ordinary users: on Ubuntu 24.04 run "
		       "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, on old "
		       "Debian kernels `sudo sysctl -w kernel.unprivileged_userns_clone=1`";
	if (strcmp(what, "clone") == 0 && err == ENOSPC)
		return "no user namespaces allowed (user.max_user_namespaces is 0?): "
		       "run `sudo sysctl -w user.max_user_namespaces=15000`";
	if (strcmp(what, "sethostname") == 0 && err == EPERM)
		return "root in the new user namespace got no capabilities: Ubuntu 24.04's AppArmor "
		       "does that; run `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`";
	if (strncmp(what, "stat(", 5) == 0 && err == ENOENT)
		return "ROOTFS is the directory CMD runs in: `make rootfs` builds rootfs/busybox";
	if (strcmp(what, "mount(/proc)") == 0 && err == EPERM)
		return "a user namespace may mount proc only where a whole /proc is visible; "
		       "inside a container, paths masked over /proc prevent it (proc(5))";
	if (strstr(what, CGROUP_ROOT) && (err == EACCES || err == EPERM))
		return "your cgroup is not delegated to you. On a systemd host with cgroup v2, run "
		       "the container in a scope of its own: `systemd-run --user --scope -p "
		       "Delegate=yes ./container ROOTFS CMD`; `make doctor` shows what this host offers";
	if (strstr(what, CGROUP_ROOT) && err == EROFS)
		return "/sys/fs/cgroup is read-only here (inside a container?): run on the host";
	if (strstr(what, "cgroup.subtree_control") && err == EBUSY)
		return "other processes share your cgroup: give the container a scope of its own, "
		       "`systemd-run --user --scope -p Delegate=yes ./container ROOTFS CMD`";
	if (strstr(what, CGROUP_ROOT) && err == ENOENT)
		return "your cgroup does not offer the memory, pids and cpu controllers: "
		       "`systemd-run --user --scope -p Delegate=yes ./container ROOTFS CMD` "
		       "delegates them; `make doctor` shows what this host offers";
	if (strcmp(what, "open(/dev/net/tun)") == 0 && err == ENOENT)
		return "this kernel has not loaded the tun driver: `sudo modprobe tun`";
	if (strcmp(what, "open(/dev/net/tun)") == 0 && (err == EACCES || err == EPERM))
		return "let ordinary users open it, as distributions do: `sudo chmod 0666 /dev/net/tun`";
	if (strcmp(what, "posix_spawnp(slirp4netns)") == 0 && err == ENOENT)
		return "install it: `sudo apt-get install slirp4netns` (`make doctor` checks it)";
	if (strcmp(what, "read(slirp4netns ready pipe)") == 0 && err == ENODATA)
		return "slirp4netns exited before the network was ready; its own messages above say why";
	return NULL;
}

/*
 * Prints "container: <what>: <errno's text>", then a hint when the cause is
 * well known, and exits with EXIT_SETUP.
 * Saves errno first: printing may change it. Does not return.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	int err = errno;
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "container: %s: %s\n", what, strerror(err));
	const char *advice = hint(what, err);
	if (advice)
		fprintf(stderr, "hint: %s\n", advice);
	undo_setup();
	exit(EXIT_SETUP);
}

/*
 * Checks that ROOTFS is a directory before anything is created, so that a
 * wrong path gets its own message rather than a failing chroot(2) in the child.
 */
static void check_rootfs(const char *rootfs)
{
	struct stat st;

	if (stat(rootfs, &st) < 0)
		die("stat(%s)", rootfs);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		die("stat(%s)", rootfs);
	}
}

/*
 * Runs in the child: blocks until the parent has written our ID maps. Until
 * then our IDs have no mapping: we show up as 65534, cannot create files
 * (EOVERFLOW), and execve(2) would drop every capability (user_namespaces(7)).
 */
static void wait_for_parent(int sync[2])
{
	char go;

	/* Our copy of the write end would keep read(2) from ever seeing EOF. */
	close(sync[1]);
	ssize_t n = read(sync[0], &go, 1);
	if (n < 0)
		die("read(sync pipe)");
	/* EOF before the go byte: the parent failed, and has said why. */
	if (n == 0)
		exit(EXIT_SETUP);
	close(sync[0]);
}

/*
 * Runs in the child, once the parent has moved it into its cgroup: a new
 * cgroup namespace, whose root is the cgroup we are in when we create it
 * (cgroup_namespaces(7)). /proc/self/cgroup then shows "/", and the host's
 * cgroup tree above it stays hidden. That is why this is unshare(2) now and
 * not CLONE_NEWCGROUP at clone time: then we were still in the caller's cgroup.
 */
static void enter_cgroup_namespace(void)
{
	if (unshare(CLONE_NEWCGROUP) < 0)
		die("unshare(CLONE_NEWCGROUP)");
}

/*
 * Runs in the child: brings up lo. A new network namespace has its own lo,
 * down, and no other device (network_namespaces(7)). SIOCGIFFLAGS and
 * SIOCSIFFLAGS on any socket (netdevice(7)) flip one flag in a few lines;
 * ip(8) uses rtnetlink(7) instead, which also sets addresses and routes but
 * needs messages built and parsed: slirp4netns does that for tap0.
 */
static void bring_up_loopback(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };

	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCGIFFLAGS)");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		die("ioctl(lo, SIOCSIFFLAGS)");
	close(fd);
}

/*
 * Makes every mount of our new mount namespace private: what we mount from
 * now on never propagates to the host, and the host's new mounts no longer
 * appear in here (mount_namespaces(7), "Shared subtrees"). MS_REC: every
 * mount under /, not / alone.
 */
static void make_mounts_private(void)
{
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die("mount(/, MS_REC|MS_PRIVATE)");
}

/*
 * Makes ROOTFS our root directory, then moves into it: chroot(2) leaves the
 * working directory where it was, possibly outside the new root. chroot alone
 * is no wall (see this step's README); final/ uses pivot_root(2).
 */
static void enter_rootfs(const char *rootfs)
{
	if (chroot(rootfs) < 0)
		die("chroot(%s)", rootfs);
	if (chdir("/") < 0)
		die("chdir(/)");
}

/*
 * Mounts a new proc on /proc. A proc shows the PID namespace of the process
 * that mounted it (pid_namespaces(7)): ours, where CMD is PID 1. It holds no
 * programs or devices to run or open: nosuid, nodev, noexec.
 */
static void mount_proc(void)
{
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		die("mount(/proc)");
}

/*
 * Runs in the child: replaces this process with CMD, searching $PATH as a
 * shell does (execvp(3)). Does not return.
 */
static void __attribute__((noreturn)) exec_command(char **argv)
{
	execvp(argv[0], argv);

	/* Only reached when execvp failed. Like sh(1) and docker: 127 when CMD
	 * was not found, 126 when it exists but cannot be run (EACCES, ENOEXEC). */
	int err = errno;
	fprintf(stderr, "container: execvp(%s): %s\n", argv[0], strerror(err));
	exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/*
 * The child, started by clone(2) as PID 1 of the new PID namespace.
 * Does not return.
 */
static int child(void *arg)
{
	struct child_args *args = arg;

	wait_for_parent(args->sync);
	enter_cgroup_namespace();
	bring_up_loopback();
	/* Renames only our UTS namespace; the host keeps its name (uts_namespaces(7)). */
	if (sethostname(HOSTNAME, strlen(HOSTNAME)) < 0)
		die("sethostname");
	make_mounts_private();
	enter_rootfs(args->rootfs);
	mount_proc();
	exec_command(args->argv);
}

/*
 * Starts child() in new namespaces and returns its PID as we see it.
 * clone(2) is fork(2) with a say in what the child shares: each CLONE_NEW*
 * flag gives it a new namespace of that kind (namespaces(7)).
 */
static pid_t start_child(struct child_args *args)
{
	/* The glibc wrapper runs child() on a stack we give it; it grows down,
	 * so clone takes its top (clone(2), EXAMPLES). */
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		die("mmap");

	int flags = CLONE_NEWPID	/* CMD is PID 1 of a new PID namespace */
		  | CLONE_NEWUTS	/* with a hostname of its own */
		  | CLONE_NEWUSER	/* all owned by a new user namespace, made first */
		  | CLONE_NEWNS		/* and a copy of the mount table of its own */
		  | CLONE_NEWNET	/* and a network stack of its own, with lo only */
		  | SIGCHLD;		/* and sends us SIGCHLD, so waitpid(2) works */
	pid_t pid = clone(child, stack + STACK_SIZE, flags, args);
	if (pid < 0)
		die("clone");
	return pid;
}

/*
 * Writes TEXT to the file at PATH in a single write(2), as the ID map files
 * of /proc require.
 */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open(%s)", path);
	ssize_t len = strlen(text);
	if (write(fd, text, len) != len)
		die("write(%s)", path);
	close(fd);
}

/*
 * Maps root in the child's user namespace to us: uid 0 in there is our uid
 * out here, gid 0 our gid, and no other ID exists in there. An ordinary user
 * may write exactly this one line, and only from outside (user_namespaces(7)).
 */
static void write_id_maps(pid_t pid)
{
	char path[64], map[64];

	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", getuid());
	write_file(path, map);

	/* Deny setgroups(2) first, or the kernel refuses an unprivileged
	 * gid_map: dropping a group could otherwise grant access (CVE-2014-8989). */
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	write_file(path, "deny");

	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", getgid());
	write_file(path, map);
}

/* Fills PATH (PATH_MAX bytes) with DIR/NAME; a path that does not fit is an error. */
static void join_path(char *path, const char *dir, const char *name)
{
	if (snprintf(path, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		die("%s/%s", dir, name);
	}
}

/*
 * Is NAME one of the comma-separated names in LIST? "" is in "" only: cgroup
 * v2's line in /proc/self/cgroup names no controllers.
 */
static int in_list(char *list, const char *name)
{
	char *save;

	for (char *item = strtok_r(list, ",", &save); item; item = strtok_r(NULL, ",", &save))
		if (strcmp(item, name) == 0)
			return 1;
	return name[0] == '\0' && list[0] == '\0';
}

/*
 * Fills DIR (PATH_MAX bytes) with the directory of our own cgroup in the
 * hierarchy mounted at MOUNT that has CONTROLLER ("" for cgroup v2).
 * /proc/self/cgroup has a line "ID:CONTROLLERS:PATH" for each hierarchy
 * (cgroups(7)); PATH starts at the hierarchy's root.
 */
static void own_cgroup(const char *mount, const char *controller, char *dir)
{
	char line[PATH_MAX + 64];
	FILE *f = fopen("/proc/self/cgroup", "re");
	if (!f)
		die("fopen(/proc/self/cgroup)");
	while (fgets(line, sizeof(line), f)) {
		char *list = strchr(line, ':');
		char *path = list ? strchr(++list, ':') : NULL;
		if (!path)
			continue;
		*path++ = '\0';
		path[strcspn(path, "\n")] = '\0';
		if (!in_list(list, controller))
			continue;
		fclose(f);
		/* PATH "/" is the hierarchy's root: MOUNT itself. */
		if (snprintf(dir, PATH_MAX, "%s%s", mount, strcmp(path, "/") ? path : "") >= PATH_MAX) {
			errno = ENAMETOOLONG;
			die("%s%s", mount, path);
		}
		return;
	}
	fclose(f);
	errno = ENOENT;
	die("/proc/self/cgroup: %s", controller[0] ? controller : "cgroup v2");
}

/*
 * Makes the cgroup PARENT/NAME, in DIR, and remembers it for remove_cgroup().
 * A cgroup is made with mkdir(2): the kernel fills the directory with its
 * interface files. An ordinary user may do that only below a cgroup that was
 * delegated to them, that is chown(2)ed to them, as systemd does.
 */
static void make_cgroup(const char *parent, const char *name, char *dir)
{
	join_path(dir, parent, name);
	if (mkdir(dir, 0755) < 0)
		die("mkdir(%s)", dir);
	strcpy(cgroup_dirs[cgroup_dirs_made++], dir);
}

/* Writes VALUE to the interface file FILE of the cgroup DIR. */
static void write_cgroup(const char *dir, const char *file, const char *value)
{
	char path[PATH_MAX];

	join_path(path, dir, file);
	write_file(path, value);
}

/* Moves process PID into the cgroup DIR: its PID, written to cgroup.procs. */
static void join_cgroup(const char *dir, pid_t pid)
{
	char text[32];

	snprintf(text, sizeof(text), "%d\n", pid);
	write_cgroup(dir, "cgroup.procs", text);
}

/*
 * Lets our cgroup OWN hand the memory, pids and cpu controllers down to its
 * children (cgroup.subtree_control). The "no internal processes" rule
 * (cgroups(7)) refuses that, EBUSY, while OWN holds processes, and it holds
 * us: so, as crun and podman do, we first move ourselves into a leaf of our
 * own, OWN/runtime, next to the container's cgroup. That leaf stays when we
 * exit, empty, and goes with OWN (systemd removes a scope with its subtree).
 */
static void enable_controllers(const char *own)
{
	char leaf[PATH_MAX];

	join_path(leaf, own, "runtime");
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		die("mkdir(%s)", leaf);
	join_cgroup(leaf, getpid());
	write_cgroup(own, "cgroup.subtree_control", "+memory +pids +cpu");
}

/*
 * cgroup v2: one hierarchy, so one directory for the container, with the
 * files of every controller in it (the kernel's admin-guide/cgroup-v2.rst).
 */
static void create_cgroup_v2(pid_t pid, const char *name)
{
	char own[PATH_MAX], dir[PATH_MAX], swap[PATH_MAX];

	own_cgroup(CGROUP_ROOT, "", own);
	make_cgroup(own, name, dir);
	/* The child moves first, so that only we are left in OWN to step aside. */
	join_cgroup(dir, pid);
	enable_controllers(own);
	write_cgroup(dir, "memory.max", MEMORY_MAX);
	/* No swap either, or 64 MiB would mean 64 MiB plus all the swap there
	 * is. The file exists only where the kernel accounts for swap. */
	join_path(swap, dir, "memory.swap.max");
	if (access(swap, F_OK) == 0)
		write_file(swap, "0");
	write_cgroup(dir, "pids.max", PIDS_MAX);
	write_cgroup(dir, "cpu.max", CPU_MAX);
}

/* ---- cgroup v1 fallback -------------------------------------------------
 * Hosts that mount memory, pids and cpu as cgroup v1 hierarchies (CI, and
 * many a host still running) have one tree per controller: so one directory
 * per tree, with other file names. Same idea; this step's README says why it
 * is here. Distributions mount each at /sys/fs/cgroup/NAME, or link NAME to
 * a joint mount such as cpu,cpuacct.
 */

/* Makes the container's cgroup NAME in CONTROLLER's hierarchy, in DIR. */
static void make_cgroup_v1(const char *controller, const char *name, char *dir)
{
	char mount[PATH_MAX], own[PATH_MAX];

	join_path(mount, CGROUP_ROOT, controller);
	own_cgroup(mount, controller, own);
	make_cgroup(own, name, dir);
}

static void create_cgroup_v1(pid_t pid, const char *name)
{
	char dir[PATH_MAX];

	make_cgroup_v1("memory", name, dir);
	write_cgroup(dir, "memory.limit_in_bytes", MEMORY_MAX);
	join_cgroup(dir, pid);
	make_cgroup_v1("pids", name, dir);
	write_cgroup(dir, "pids.max", PIDS_MAX);
	join_cgroup(dir, pid);
	make_cgroup_v1("cpu", name, dir);
	write_cgroup(dir, "cpu.cfs_period_us", "100000");
	write_cgroup(dir, "cpu.cfs_quota_us", "50000");
	join_cgroup(dir, pid);
}

/* ---- end of the cgroup v1 fallback ------------------------------------- */

/*
 * Puts the child PID, which has not run CMD yet, into a new cgroup with the
 * container's limits: container-PID under our own cgroup, so that the host
 * can tell containers apart. statfs(2) tells which interface is mounted.
 */
static void create_cgroup(pid_t pid)
{
	struct statfs fs;
	char name[32];

	container_pid = pid;
	snprintf(name, sizeof(name), "container-%d", pid);
	if (statfs(CGROUP_ROOT, &fs) < 0)
		die("statfs(%s)", CGROUP_ROOT);
	if (fs.f_type == CGROUP2_SUPER_MAGIC)
		create_cgroup_v2(pid, name);
	else
		create_cgroup_v1(pid, name);
}

/*
 * slirp4netns opens /dev/net/tun inside the container's namespaces. Try it
 * here first, so that a missing or locked device is named as the cause.
 */
static void check_tun(void)
{
	int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open(/dev/net/tun)");
	close(fd);
}

/*
 * Copies what slirp4netns wrote to LOG_FD to our stderr: shown only when it
 * failed, as the reason.
 */
static void show_slirp4netns_log(int log_fd)
{
	char buf[4096];
	ssize_t n;

	if (lseek(log_fd, 0, SEEK_SET) < 0)
		return;
	while ((n = read(log_fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stderr);
}

/*
 * Waits until slirp4netns writes "1" to READY_FD: tap0 is in the container's
 * network namespace, with its address and default route. End of file instead
 * means it exited first; its log, LOG_FD, says why.
 */
static void wait_for_slirp4netns(int ready_fd, int log_fd)
{
	char c;

	ssize_t n = read(ready_fd, &c, 1);
	if (n < 0)
		die("read(slirp4netns ready pipe)");
	if (n == 0 || c != '1') {
		show_slirp4netns_log(log_fd);
		errno = ENODATA;
		die("read(slirp4netns ready pipe)");
	}
	close(ready_fd);
	close(log_fd);
}

/*
 * Connects the child PID's network namespace to the world, and returns once
 * that is done. An ordinary user cannot plug a namespace into the host's
 * network (a veth pair needs CAP_NET_ADMIN on the host). slirp4netns(1) runs
 * as us on the host instead: it joins the child's user and network
 * namespaces to create tap0 there (which is why the ID maps come first),
 * then turns every packet the container sends into a socket call of its own
 * on the host, like a NAT router. Inside: 10.0.2.100/24 on tap0, gateway and
 * host 10.0.2.2, which also reaches the host's 127.0.0.1 (see the README).
 */
static void start_slirp4netns(pid_t pid)
{
	int ready[2], quit[2];
	char pid_arg[16], ready_arg[32], exit_arg[32];
	char log[] = "/tmp/container-slirp4netns-XXXXXX";
	posix_spawn_file_actions_t actions;

	check_tun();
	/* slirp4netns talks on stdout and stderr, which are CMD's: it gets a
	 * file instead, unlinked at once, which we show if it fails. */
	int log_fd = mkostemp(log, O_CLOEXEC);
	if (log_fd < 0)
		die("mkostemp(%s)", log);
	unlink(log);
	/* Both pipes close on exec but for the one end of each that slirp4netns
	 * keeps: it writes "1" to ready[1], and exits when quit[0] reads end of
	 * file, which is when we close quit[1] or exit ourselves. */
	if (pipe2(ready, O_CLOEXEC) < 0 || pipe2(quit, O_CLOEXEC) < 0)
		die("pipe2");
	if (fcntl(ready[1], F_SETFD, 0) < 0 || fcntl(quit[0], F_SETFD, 0) < 0)
		die("fcntl(F_SETFD)");
	snprintf(pid_arg, sizeof(pid_arg), "%d", pid);
	snprintf(ready_arg, sizeof(ready_arg), "--ready-fd=%d", ready[1]);
	snprintf(exit_arg, sizeof(exit_arg), "--exit-fd=%d", quit[0]);
	char *argv[] = { "slirp4netns", "--configure", "--mtu=" MTU,
			 ready_arg, exit_arg, pid_arg, "tap0", NULL };

	/* posix_spawnp(3) is fork + execvp, with exec's error reported back to
	 * us: a forked child could only print it. */
	if (posix_spawn_file_actions_init(&actions) != 0 ||
	    posix_spawn_file_actions_adddup2(&actions, log_fd, STDOUT_FILENO) != 0 ||
	    posix_spawn_file_actions_adddup2(&actions, log_fd, STDERR_FILENO) != 0)
		die("posix_spawn_file_actions");
	int err = posix_spawnp(&slirp_pid, "slirp4netns", &actions, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&actions);
	if (err != 0) {
		slirp_pid = 0;
		errno = err;
		die("posix_spawnp(slirp4netns)");
	}
	close(ready[1]);
	close(quit[0]);
	slirp_exit_fd = quit[1];
	wait_for_slirp4netns(ready[0], log_fd);
}

/*
 * Lets the child go on: it is blocked reading the other end of FD.
 */
static void release_child(int fd)
{
	if (write(fd, "1", 1) != 1)
		die("write(sync pipe)");
	close(fd);
}

/*
 * Waits for the child PID and returns the status to exit with: CMD's own
 * exit status, or 128+N when signal N killed it (wait(2), WIFSIGNALED).
 */
static int wait_for_command(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char *argv[])
{
	if (argc < 3) {
		fprintf(stderr, "usage: container ROOTFS CMD [ARG...]\n");
		return EXIT_SETUP;
	}
	check_rootfs(argv[1]);

	struct child_args args = { .argv = &argv[2], .rootfs = argv[1] };
	/* O_CLOEXEC: CMD inherits neither end. */
	if (pipe2(args.sync, O_CLOEXEC) < 0)
		die("pipe2");
	pid_t pid = start_child(&args);
	write_id_maps(pid);
	create_cgroup(pid);
	start_slirp4netns(pid);
	release_child(args.sync[1]);

	int status = wait_for_command(pid);
	stop_slirp4netns();
	remove_cgroup();
	return status;
}
