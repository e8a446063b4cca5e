/* init.c - the container's init: the setup sequence, in order, then exec.
 *
 * This runs in the child clone3 made, inside the new namespaces, as root of
 * its user namespace once the parent has written the id maps.  The order
 * matters, and each step says why it comes where it does.  Errors do not
 * print: they travel to the parent as a struct err (sync.h).
 */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "devices.h"
#include "mounts.h"
#include "namespaces.h"
#include "network.h"
#include "rootpath.h"
#include "seccomp.h"
#include "sync.h"
#include "terminal.h"
#include "tunables.h"
#include "util.h"

extern char **environ;

/* Die with the parent: mvrc killed, even by SIGKILL, takes the container
 * with it.  The parent may already be gone when prctl runs, and getppid()
 * cannot tell (it is 0 in a new pid namespace), so look at the sync
 * socket: the parent's end closes when it dies. */
static int die_with_parent(int sock, struct err *e)
{
	struct pollfd p = { .fd = sock, .events = POLLIN };

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		return err_set(e, errno, "prctl(PR_SET_PDEATHSIG)");
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR)))
		_exit(ERR_STATUS_MVRC);
	return 0;
}

/* mvrc create: report "set up" to the parent, then block until `mvrc
 * start` opens the fifo for reading (runc's exec.fifo).  The fifo was
 * opened O_PATH before pivot_root; /proc/self/fd reopens it for writing. */
static int wait_for_start(int fifo, int sock, struct err *e)
{
	char name[64];
	int fd;

	if (fifo < 0)
		return 0;
	if (sync_send(sock, SYNC_READY, NULL, -1, e) < 0)
		return -1;
	fd = open(rootpath_fd_name(fifo, name, sizeof(name)), O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open exec.fifo");
	if (write_all(fd, "0", 1) < 0) {
		err_set(e, errno, "write exec.fifo");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* Block until the parent has written the id maps, entered the cgroup and
 * started the network. */
static int wait_for_parent(int sock, struct err *e)
{
	struct sync_msg m;
	int r = sync_recv(sock, &m, NULL, e);

	if (r == 0)
		_exit(ERR_STATUS_MVRC);         /* the parent is gone */
	if (r < 0)
		return -1;
	if (m.type != SYNC_GO)
		return err_set(e, 0, "sync: expected go, got message %d", m.type);
	return 0;
}

static int set_hostname(const struct container *c, struct err *e)
{
	if (c->hostname && c->namespaces[NS_UTS].create &&
	    sethostname(c->hostname, strlen(c->hostname)) < 0)
		return err_set(e, errno, "sethostname %s", c->hostname);
	return 0;
}

/* All of the filesystem but the pivot: see mounts.h for the order. */
static int build_filesystem(const struct container *c, int rootfd, struct err *e)
{
	_cleanup_close_ int cwd = -1;

	if (mounts_kernel_fs(c, rootfd, e) < 0 || devices_mount(c, rootfd, e) < 0 ||
	    mounts_volumes(c, rootfd, e) < 0 || mounts_restrict(c, rootfd, e) < 0)
		return -1;
	/* Like Docker, create a missing workdir (before --read-only). */
	cwd = rootpath_open(rootfd, c->process.cwd, ROOTPATH_DIR, 0, e);
	return cwd < 0 ? err_wrap(e, "workdir: ") : 0;
}

/* With -t: a pty from the container's own devpts, its master to the
 * parent, its slave as our terminal and /dev/console.  Without: a new
 * session with no terminal at all, so that the container cannot push
 * input into the caller's terminal with TIOCSTI (CVE-2017-5226). */
static int setup_terminal(const struct container *c, int rootfd, int sock, struct err *e)
{
	_cleanup_close_ int master = -1, slave = -1;
	char name[64];

	if (!c->process.terminal) {
		if (setsid() < 0)
			return err_set(e, errno, "setsid");
		return 0;
	}
	if (terminal_open_pty(rootfd, &master, &slave, e) < 0 ||
	    sync_send(sock, SYNC_PTY, NULL, master, e) < 0 ||
	    devices_bind_console(rootfd, rootpath_fd_name(slave, name, sizeof(name)), e) < 0)
		return -1;
	return terminal_make_controlling(slave, c->process.console_rows,
					 c->process.console_cols, c->process.interactive, e);
}

/* Without -i the container reads from /dev/null, not from the caller. */
static int setup_stdin(const struct container *c, struct err *e)
{
	int fd;

	if (c->process.interactive || c->process.terminal)
		return 0;
	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno, "open /dev/null");
	if (dup2(fd, STDIN_FILENO) < 0)
		return err_set(e, errno, "dup2 /dev/null to stdin");
	close(fd);
	return 0;
}

static int set_rlimits(const struct process *p, struct err *e)
{
	for (size_t i = 0; i < p->n_rlimits; i++) {
		struct rlimit rl = { p->rlimits[i].soft, p->rlimits[i].hard };

		if (setrlimit(p->rlimits[i].resource, &rl) < 0)
			return err_set(e, errno, "setrlimit %d", p->rlimits[i].resource);
	}
	if (p->has_umask)
		umask(p->umask);
	return 0;
}

/* Become the container's user with exactly its capabilities.  The bounding
 * set goes first (dropping needs CAP_SETPCAP); PR_SET_KEEPCAPS keeps the
 * permitted set across setresuid so that capabilities_apply can set it
 * exactly, whatever the uid. */
static int switch_user(const struct container *c, struct err *e)
{
	const struct process *p = &c->process;

	if (capabilities_drop_bounding(&p->caps, e) < 0)
		return -1;
	if (prctl(PR_SET_KEEPCAPS, 1) < 0)
		return err_set(e, errno, "prctl(PR_SET_KEEPCAPS)");
	if (!c->ids.setgroups_deny && setgroups(p->n_additional_gids, p->additional_gids) < 0)
		return err_set(e, errno, "setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return err_set(e, errno, "setresgid %u", (unsigned)p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return err_set(e, errno, "setresuid %u", (unsigned)p->uid);
	if (prctl(PR_SET_KEEPCAPS, 0) < 0)
		return err_set(e, errno, "prctl(PR_SET_KEEPCAPS)");
	if (capabilities_apply(&p->caps, e) < 0)
		return -1;
	/* No setuid binary or file capability can raise privileges again. */
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return err_set(e, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
	return 0;
}

/* Close every fd but stdio and the sync socket: nothing of mvrc's, or of
 * its caller's, reaches the container.  Before chdir, so that the working
 * directory cannot be a leaked fd's /proc/self/fd/N (CVE-2024-21626); and
 * the cwd is checked anyway: getcwd names a directory outside our root
 * "(unreachable)/...". */
static int enter_workdir(const struct container *c, int sock, struct err *e)
{
	char cwd[4096];

	if (sock > 3 && close_range(3, (unsigned)sock - 1, 0) < 0)
		return err_set(e, errno, "close_range");
	if (close_range((unsigned)sock + 1, ~0U, 0) < 0)
		return err_set(e, errno, "close_range");
	if (chdir(c->process.cwd) < 0)
		return err_set(e, errno, "workdir %s", c->process.cwd);
	errno = 0;
	if (!getcwd(cwd, sizeof(cwd)) || cwd[0] != '/')
		return err_set(e, errno ? errno : EPERM,
			       "workdir %s: it is outside the container", c->process.cwd);
	return 0;
}

/* The container starts with every signal unblocked and at its default
 * action, whatever mvrc and its caller did: a shell would otherwise refuse
 * to trap a signal it found ignored at startup. */
static int reset_signals(struct err *e)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);   /* EINVAL for the few glibc reserves */
	sigemptyset(&none);
	if (sigprocmask(SIG_SETMASK, &none, NULL) < 0)
		return err_set(e, errno, "sigprocmask");
	return 0;
}

/* From the rlimits to execve: the rules every process of the container
 * follows, its init's and mvrc exec's alike.  Returns only on failure. */
static int become_process(const struct container *c, int sock, int fifo, bool with_parent,
			  struct err *e)
{
	if (set_rlimits(&c->process, e) < 0)
		return -1;
	/* Without no_new_privs, loading a filter needs CAP_SYS_ADMIN: load it
	 * while we still have it, as runc does.  See seccomp.h. */
	if (!c->process.no_new_privs && seccomp_filter_load(&c->seccomp, e) < 0)
		return -1;
	if (switch_user(c, e) < 0 || wait_for_start(fifo, sock, e) < 0)
		return -1;
	if (enter_workdir(c, sock, e) < 0 || reset_signals(e) < 0)
		return -1;
	/* setresuid cleared the parent-death signal: set it again, last. */
	if (with_parent && die_with_parent(sock, e) < 0)
		return -1;
	/* Last: from here on the filter applies, to execve too. */
	if (c->process.no_new_privs && seccomp_filter_load(&c->seccomp, e) < 0)
		return -1;
	environ = c->process.env;
	execvp(c->process.argv[0], c->process.argv);
	err_set(e, errno, "exec %s", c->process.argv[0]);
	e->status = errno == ENOENT ? ERR_STATUS_NOENT : ERR_STATUS_NOEXEC;
	return -1;
}

/* The whole sequence; returns only on failure. */
static int setup_and_exec(const struct container *c, int sock, struct err *e)
{
	_cleanup_close_ int rootfd = -1, fifo = -1;

	/* With an exec fifo (mvrc create) the container outlives mvrc. */
	if ((!c->exec_fifo && die_with_parent(sock, e) < 0) || wait_for_parent(sock, e) < 0)
		return -1;
	if (c->exec_fifo && (fifo = open(c->exec_fifo, O_PATH | O_CLOEXEC)) < 0)
		return err_set(e, errno, "open %s", c->exec_fifo);
	/* After the fifo, which a joined mount namespace may not show. */
	if (namespaces_join_paths(c, e) < 0)
		return -1;
	/* Now in our cgroup: a new cgroup namespace is rooted there. */
	if (namespaces_unshare_cgroup(c, e) < 0 || set_hostname(c, e) < 0 ||
	    tunables_apply(c, e) < 0)
		return -1;
	rootfd = mounts_prepare(c, e);
	if (rootfd < 0 || tunables_rootfs_propagation(c, e) < 0 ||
	    build_filesystem(c, rootfd, e) < 0)
		return -1;
	if (network_configure_lo(c, e) < 0 || setup_terminal(c, rootfd, sock, e) < 0)
		return -1;
	if (mounts_pivot(c, rootfd, e) < 0 || setup_stdin(c, e) < 0)
		return -1;
	close(steal_fd(&rootfd));
	return become_process(c, sock, fifo, !c->exec_fifo, e);
}

void init_container(const struct container *c, int sock)
{
	struct err e = { 0 }, ignored;

	setup_and_exec(c, sock, &e);
	sync_send(sock, SYNC_ERR, &e, -1, &ignored);
	_exit(e.status);
}

/* ---- mvrc exec --------------------------------------------------------- */

/* With process.terminal, a new pty from the container's devpts, as the
 * init's; /dev/console stays the init's. */
static int exec_terminal(const struct container *c, int sock, struct err *e)
{
	_cleanup_close_ int root = -1, master = -1, slave = -1;

	if (!c->process.terminal)
		return setsid() < 0 ? err_set(e, errno, "setsid") : 0;
	if ((root = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return err_set(e, errno, "open the container's /");
	if (terminal_open_pty(root, &master, &slave, e) < 0 ||
	    sync_send(sock, SYNC_PTY, NULL, master, e) < 0)
		return -1;
	return terminal_make_controlling(slave, c->process.console_rows,
					 c->process.console_cols, true, e);
}

static int join_and_exec(const struct container *c, int target, unsigned long ns_flags,
			 bool detached, int sock, struct err *e)
{
	if ((!detached && die_with_parent(sock, e) < 0) || wait_for_parent(sock, e) < 0)
		return -1;
	/* Into the mount namespace: the root and cwd become the container's. */
	if (namespaces_join_running(target, ns_flags, e) < 0 || exec_terminal(c, sock, e) < 0)
		return -1;
	return become_process(c, sock, -1, !detached, e);
}

void init_exec(const struct container *c, int target, unsigned long ns_flags,
	       bool detached, int sock)
{
	struct err e = { 0 }, ignored;

	join_and_exec(c, target, ns_flags, detached, sock, &e);
	sync_send(sock, SYNC_ERR, &e, -1, &ignored);
	_exit(e.status);
}
