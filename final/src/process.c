/* process.c - start the container, relay, wait, tear down; see process.h.
 *
 * The parent's sequence:
 *   1. block the signals to forward and read them from a signalfd, before
 *      clone, so that none is lost in between
 *   2. choose the id maps, cgroup_prepare, the sync socket, clone3 into
 *      the new namespaces
 *   3. write the id maps, enter the cgroup, start the network: then "go"
 *   4. read the sync socket to its end: a pty master, an error, or EOF
 *      (the command was executed)
 *   5. poll: forward signals, relay the terminal, notice the exit (pidfd)
 *   6. teardown, one path for every outcome
 *
 * `mvrc exec` takes the same path with a process forked into the running
 * container (step 2), which enters its cgroup but creates nothing.
 */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "ids.h"
#include "init.h"
#include "namespaces.h"
#include "network.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

/* Everything that outlives one function, for the one teardown path. */
struct run {
	struct cgroup cg;
	struct network net;
	struct terminal term;
	int sock;               /* our end of the sync socket */
	pid_t pid;
	int pidfd;
	int sigfd;
	sigset_t old_mask;
	bool masked;
	bool reaped;
};

static const int forwarded[] = {
	SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH,
};

/* Forward a signal unless our caller ignores it (nohup ignores SIGHUP; a
 * shell ignores SIGINT and SIGQUIT for a background job): what would not
 * have stopped mvrc does not stop the container either. */
static int block_signals(struct run *r, struct err *e)
{
	struct sigaction sa;
	sigset_t set;

	sigemptyset(&set);
	for (size_t i = 0; i < sizeof(forwarded) / sizeof(forwarded[0]); i++)
		if (sigaction(forwarded[i], NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
			sigaddset(&set, forwarded[i]);
	if (sigprocmask(SIG_BLOCK, &set, &r->old_mask) < 0)
		return err_set(e, errno, "sigprocmask");
	r->masked = true;
	r->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (r->sigfd < 0)
		return err_set(e, errno, "signalfd");
	return 0;
}

static int send_signal(const struct run *r, int sig)
{
	return (int)syscall(SYS_pidfd_send_signal, r->pidfd, sig, NULL, 0);
}

/* Exit status as Docker reports it. */
static int wait_status(struct run *r, struct err *e)
{
	siginfo_t info = { 0 };

	while (waitid(P_PIDFD, (id_t)r->pidfd, &info, WEXITED) < 0)
		if (errno != EINTR)
			return err_set(e, errno, "waitid");
	r->reaped = true;
	if (info.si_code == CLD_EXITED)
		return info.si_status;
	return 128 + info.si_status;
}

/* Step 4: until the child execs (EOF) or fails (SYNC_ERR). */
static int read_sync(struct run *r, struct err *e)
{
	struct sync_msg m;
	int fd = -1, n;

	while ((n = sync_recv(r->sock, &m, &fd, e)) > 0) {
		if (m.type == SYNC_PTY && fd >= 0) {
			r->term.master = fd;
			fd = -1;
		} else if (m.type == SYNC_ERR) {
			*e = m.err;
			wait_status(r, &(struct err){ 0 });
			return -1;
		} else if (m.type == SYNC_READY) {
			return 0;
		}
	}
	return n;
}

/* Step 5: one round of poll.  Returns the exit status once the container
 * is gone, -2 to go on, -1 on error. */
static int relay_once(struct run *r, bool *stdin_open, struct err *e)
{
	struct pollfd p[4] = {
		{ .fd = r->sigfd, .events = POLLIN },
		{ .fd = r->pidfd, .events = POLLIN },
		{ .fd = r->term.master, .events = POLLIN },
		{ .fd = *stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
	};
	struct signalfd_siginfo si;

	if (poll(p, 4, -1) < 0)
		return errno == EINTR ? -2 : err_set(e, errno, "poll");
	while (read(r->sigfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH && r->term.master >= 0)
			terminal_resize(&r->term);
		else
			send_signal(r, (int)si.ssi_signo);
	}
	if ((p[2].revents & (POLLIN | POLLHUP | POLLERR)) &&
	    terminal_copy(r->term.master, STDOUT_FILENO) <= 0)
		util_close(&r->term.master), r->term.master = -1;
	if (p[3].revents & (POLLIN | POLLHUP | POLLERR)) {
		if (terminal_copy(STDIN_FILENO, r->term.master) <= 0) {
			*stdin_open = false;
			/* End of our input: the terminal's end-of-file, ^D. */
			if (r->term.master >= 0)
				write_all(r->term.master, "\x04", 1);
		}
	}
	if (p[1].revents & POLLIN)
		return wait_status(r, e);
	return -2;
}

/* After the exit: what the container wrote last is still in the pty. */
static void drain_terminal(struct run *r)
{
	if (r->term.master < 0)
		return;
	fcntl(r->term.master, F_SETFL, O_NONBLOCK);
	while (terminal_copy(r->term.master, STDOUT_FILENO) > 0)
		;
}

/* mvrc exec's steps 2 to 4: fork into the running container, enter its
 * cgroup, then "go". */
static int start_exec(struct container *c, struct run *r, struct exec_target *t,
		      struct err *e)
{
	int sv[2];
	pid_t pid;

	if (sync_open(sv, e) < 0)
		return -1;
	if (c->process.terminal && !c->process.console_rows)
		terminal_get_size(&c->process.console_rows, &c->process.console_cols);
	pid = namespaces_fork_into(t->pidfd, t->ns_flags, &r->pidfd, e);
	if (pid == 0) {
		close(sv[0]);
		init_exec(c, t->pidfd, t->ns_flags, t->detach, sv[1]);
	}
	close(sv[1]);
	r->sock = sv[0];
	if (pid < 0)
		return -1;
	r->pid = pid;
	if (cgroup_enter(&t->cg, pid, e) < 0 || sync_send(r->sock, SYNC_GO, NULL, -1, e) < 0 ||
	    read_sync(r, e) < 0)
		return -1;
	return t->started ? t->started(pid, &r->term.master, t->arg, e) : 0;
}

/* Steps 2 to 4: the container, executed (run) or set up and waiting at
 * its exec fifo (create); or, with t, a process of a running one. */
static int start(struct container *c, struct run *r, struct exec_target *t, struct err *e)
{
	int sv[2];
	pid_t pid;

	if (t)
		return start_exec(c, r, t, e);
	if (ids_prepare(c, e) < 0 || cgroup_prepare(c, &r->cg, e) < 0 ||
	    sync_open(sv, e) < 0)
		return -1;
	if (c->process.terminal && !c->process.console_rows)
		terminal_get_size(&c->process.console_rows, &c->process.console_cols);
	pid = namespaces_clone(c, &r->pidfd, e);
	if (pid == 0) {
		close(sv[0]);
		init_container(c, sv[1]);
	}
	close(sv[1]);
	r->sock = sv[0];
	if (pid < 0)
		return -1;
	r->pid = pid;
	if (ids_write(c, pid, e) < 0 || cgroup_enter(&r->cg, pid, e) < 0 ||
	    network_start(c, pid, &r->net, e) < 0 ||
	    sync_send(r->sock, SYNC_GO, NULL, -1, e) < 0 || read_sync(r, e) < 0)
		return -1;
	return 0;
}

static int start_and_wait(struct container *c, struct run *r, struct exec_target *t,
			  struct err *e)
{
	bool stdin_open;
	int status;

	if (block_signals(r, e) < 0 || start(c, r, t, e) < 0)
		return -1;
	if (r->term.master >= 0 && terminal_raw(&r->term, e) < 0)
		return -1;
	stdin_open = r->term.master >= 0 && c->process.interactive;
	while ((status = relay_once(r, &stdin_open, e)) == -2)
		;
	drain_terminal(r);
	return status;
}

/* Step 6: whatever happened, leave nothing behind. */
static void teardown(struct run *r)
{
	terminal_restore(&r->term);
	if (r->pidfd >= 0 && !r->reaped) {
		send_signal(r, SIGKILL);
		waitid(P_PIDFD, (id_t)r->pidfd, &(siginfo_t){ 0 }, WEXITED);
	}
	network_stop(&r->net);
	cgroup_destroy(&r->cg);
	util_close(&r->term.master);
	util_close(&r->sock);
	util_close(&r->pidfd);
	util_close(&r->sigfd);
	if (r->masked)
		sigprocmask(SIG_SETMASK, &r->old_mask, NULL);
}

#define RUN_INIT { .net = { .exit_fd = -1, .api_fd = -1 }, .term = { .master = -1 }, \
		   .sock = -1, .pidfd = -1, .sigfd = -1 }

int process_run(struct container *c, struct err *e)
{
	struct run r = RUN_INIT;
	int status = start_and_wait(c, &r, NULL, e);

	teardown(&r);
	return status;
}

int process_create(struct container *c, struct process_created *out, struct err *e)
{
	struct run r = RUN_INIT;

	memset(out, 0, sizeof(*out));
	out->master = -1;
	if (start(c, &r, NULL, e) < 0) {
		teardown(&r);
		return -1;
	}
	out->pid = r.pid;
	out->master = steal_fd(&r.term.master);
	out->cg = r.cg;
	memset(&r.cg, 0, sizeof(r.cg));
	r.reaped = true;        /* not ours to kill: it waits for `mvrc start` */
	teardown(&r);
	return 0;
}

int process_exec(struct container *c, struct exec_target *t, struct err *e)
{
	struct run r = RUN_INIT;
	int status;

	if (!t->detach) {
		status = start_and_wait(c, &r, t, e);
	} else if ((status = start(c, &r, t, e)) == 0) {
		r.reaped = true;        /* it lives on, its caller's to reap */
	}
	teardown(&r);
	return status;
}
