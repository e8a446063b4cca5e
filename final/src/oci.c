/* oci.c - the OCI runtime command line; see oci.h and the runtime spec's
 * runtime.md for the lifecycle:
 *
 *   create   config.json -> the container description -> process_create:
 *            the container is built and its init waits, set up, opening
 *            ROOT/ID/exec.fifo for writing.  mvrc exits; the init is
 *            reparented to the caller's subreaper (conmon, the containerd
 *            shim) or to init, which reaps it.
 *   start    opens the fifo for reading: the init's open returns, it
 *            writes one byte and executes process.args.
 *   state    the init is alive (same pid AND same start time, so a reused
 *            pid is not mistaken for it) -> created or running; else
 *            stopped.  Nothing has to wait for the exit to learn it.
 *   delete   kills what is left, removes the cgroup and the state.
 */
#include "oci.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "container.h"
#include "err.h"
#include "oci_config.h"
#include "oci_hooks.h"
#include "oci_internal.h"
#include "process.h"
#include "state.h"
#include "util.h"

struct globals g_oci = { .root = NULL, .log_format = "text" };

bool oci_is_bundle_run(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-b") == 0 || strcmp(argv[i], "--bundle") == 0 ||
		    strncmp(argv[i], "--bundle=", 9) == 0)
			return true;
	return argc == 2 && argv[1][0] != '-';
}

/* ---- errors: stderr, and --log for the caller (conmon reads it) -------- */

int oci_fail(const struct err *e)
{
	FILE *log;

	fflush(stdout);
	err_print(e, stderr);
	if (g_oci.log && (log = fopen(g_oci.log, "ae"))) {
		char msg[sizeof(e->what) + 256];

		snprintf(msg, sizeof(msg), "%s%s%s", e->what, e->errnum ? ": " : "",
			 e->errnum ? strerror(e->errnum) : "");
		if (strcmp(g_oci.log_format, "json") == 0) {
			json_object *o = json_object_new_object();

			json_object_object_add(o, "level", json_object_new_string("error"));
			json_object_object_add(o, "msg", json_object_new_string(msg));
			fprintf(log, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN));
			json_object_put(o);
		} else {
			fprintf(log, "mvrc: %s\n", msg);
		}
		fclose(log);
	}
	return e->status ? e->status : ERR_STATUS_MVRC;
}

int oci_usage_error(const char *cmd, const char *usage)
{
	struct err e;

	err_set(&e, 0, "%s: wrong arguments", cmd);
	err_hint(&e, "usage: mvrc %s %s", cmd, usage);
	e.status = 1;
	return oci_fail(&e);
}

/* ---- create ------------------------------------------------------------ */

int oci_send_console(const char *socket_path, int master, struct err *e)
{
	_cleanup_close_ int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	char byte = 0, cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = cbuf, .msg_controllen = sizeof(cbuf) };
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);

	if (s < 0)
		return err_set(e, errno, "console socket");
	if (strlen(socket_path) >= sizeof(addr.sun_path))
		return err_set(e, ENAMETOOLONG, "console socket %s", socket_path);
	strcpy(addr.sun_path, socket_path);
	if (connect(s, (struct sockaddr *)&addr, sizeof(addr)) < 0)
		return err_set(e, errno, "connect to the console socket %s", socket_path);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &master, sizeof(int));
	if (sendmsg(s, &msg, MSG_NOSIGNAL) < 0)
		return err_set(e, errno, "send the terminal to %s", socket_path);
	return 0;
}

int oci_write_pid_file(const char *path, pid_t pid, struct err *e)
{
	_cleanup_free_ char *tmp = NULL;
	char text[32];
	int fd;

	if (!path)
		return 0;
	if (asprintf(&tmp, "%s.mvrc-tmp", path) < 0)
		return err_set(e, ENOMEM, "pid file");
	snprintf(text, sizeof(text), "%d", (int)pid);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || close(fd) < 0 ||
	    rename(tmp, path) < 0)
		return err_set(e, errno, "write the pid file %s", path);
	return 0;
}

static char *now_rfc3339(void)
{
	struct timespec ts;
	struct tm tm;
	char buf[64], *s;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	if (asprintf(&s, "%s.%09ldZ", buf, ts.tv_nsec) < 0)
		return NULL;
	return s;
}

/* Files the state directory keeps beside state.json. */
static int prepare_state_dir(int dirfd, const char *root, struct container *c,
			     const char *bundle, struct err *e)
{
	_cleanup_free_ char *text = NULL, *cfg = NULL;
	_cleanup_close_ int fd = -1;

	if (asprintf(&cfg, "%s/config.json", bundle) < 0 ||
	    asprintf(&c->exec_fifo, "%s/%s/exec.fifo", root, c->id) < 0)
		return err_set(e, ENOMEM, "create");
	if (oci_read_file(cfg, &text, e) < 0)
		return -1;
	fd = openat(dirfd, "config.json", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write_all(fd, text, strlen(text)) < 0)
		return err_set(e, errno, "copy config.json to the state directory");
	/* 0622: the container's user, whoever it is, may open it to write. */
	if (mkfifoat(dirfd, "exec.fifo", 0600) < 0 || fchmodat(dirfd, "exec.fifo", 0622, 0) < 0)
		return err_set(e, errno, "mkfifo exec.fifo");
	return 0;
}

static void kill_and_wait(pid_t pid, unsigned long long start_time)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (pidfd < 0)
		return;
	/* The pidfd pins the process: check it is still ours, then kill. */
	if (state_start_time(pid) == start_time && start_time) {
		syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
		poll(&(struct pollfd){ .fd = pidfd, .events = POLLIN }, 1, 10000);
	}
	close(pidfd);
}

static int check_hooks(const struct container *c, struct err *e)
{
	if (c->hooks[HOOK_CREATE_CONTAINER].n)
		return err_set(e, 0, "config.json: hooks.createContainer: not supported");
	if (c->hooks[HOOK_START_CONTAINER].n)
		return err_set(e, 0, "config.json: hooks.startContainer: not supported");
	return 0;
}

int oci_create(const char *id, const struct create_opts *o, pid_t *pid_out, struct err *e)
{
	_cleanup_free_ char *root = NULL, *bundle = NULL, *json = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	struct process_created out = { .master = -1 };
	struct state s = { 0 };
	struct container c;
	int r = -1;

	memset(&c, 0, sizeof(c));
	if (state_root(g_oci.root, &root, e) < 0 || state_check_id(id, e) < 0)
		return -1;
	if (!(bundle = realpath(o->bundle ? o->bundle : ".", NULL)))
		return err_set(e, errno, "bundle %s", o->bundle ? o->bundle : ".");
	if (oci_config_load(bundle, &c, e) < 0 || check_hooks(&c, e) < 0) {
		container_free(&c);
		return -1;
	}
	if (c.process.terminal && !o->console_socket) {
		container_free(&c);
		return err_set(e, 0, "process.terminal is true: --console-socket is required");
	}
	if ((dirfd = state_create(root, id, &lockfd, e)) < 0) {
		container_free(&c);
		return -1;
	}
	if (!(c.id = strdup(id)) || prepare_state_dir(dirfd, root, &c, bundle, e) < 0 ||
	    process_create(&c, &out, e) < 0)
		goto out;
	s = (struct state){ .id = c.id, .bundle = bundle, .pid = out.pid,
			    .start_time = state_start_time(out.pid), .created = now_rfc3339(),
			    .annotations = c.annotations, .cgroup_version = out.cg.version,
			    .n_cgroup_dirs = out.cg.n_dirs };
	for (int i = 0; i < out.cg.n_dirs; i++)
		s.cgroup_dirs[i] = out.cg.dirs[i];
	if (state_write(dirfd, &s, e) < 0)
		goto out;
	if (out.master >= 0 && oci_send_console(o->console_socket, out.master, e) < 0)
		goto out;
	json = state_to_json(&s, STATE_CREATED);
	if (oci_hooks_run(&c.hooks[HOOK_CREATE_RUNTIME], "createRuntime", json, e) < 0 ||
	    oci_hooks_run(&c.hooks[HOOK_PRESTART], "prestart", json, e) < 0 ||
	    oci_write_pid_file(o->pid_file, out.pid, e) < 0)
		goto out;
	*pid_out = out.pid;
	r = 0;
out:
	if (r < 0) {
		if (out.pid > 0)
			kill_and_wait(out.pid, s.start_time);
		cgroup_destroy(&out.cg);
		state_remove(root, id, dirfd, &(struct err){ 0 });
	} else {
		/* The dirs now belong to state.json; delete destroys them. */
		memset(&out.cg, 0, sizeof(out.cg));
	}
	util_close(&out.master);
	free(s.created);
	container_free(&c);
	return r;
}

/* ---- start, state ------------------------------------------------------ */

/* Open the fifo for reading (never blocks), which releases the init's
 * open; then wait for its byte, or for the init to die.  The pidfd comes
 * first: once released, a short command may exit and be reaped by our
 * caller (conmon) before a pidfd_open after the fifo's could run. */
static int release(int dirfd, const struct state *s, struct err *e)
{
	_cleanup_close_ int pidfd = (int)syscall(SYS_pidfd_open, s->pid, 0);
	_cleanup_close_ int fifo = -1;
	struct pollfd p[2] = { { .fd = -1, .events = POLLIN }, { .fd = pidfd, .events = POLLIN } };
	char byte;

	if (pidfd < 0)
		return err_set(e, errno, "container %s: its init is gone", s->id);
	if ((fifo = openat(dirfd, "exec.fifo", O_RDONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		return err_set(e, errno, "open exec.fifo");
	p[0].fd = fifo;
	while (poll(p, 2, -1) < 0)
		if (errno != EINTR)
			return err_set(e, errno, "poll exec.fifo");
	if (!(p[0].revents & POLLIN) || read(fifo, &byte, 1) != 1)
		return err_set(e, 0, "container %s: its init exited before start", s->id);
	if (unlinkat(dirfd, "exec.fifo", 0) < 0)
		return err_set(e, errno, "remove exec.fifo");
	return 0;
}

/* The container description again, for the hooks after create. */
static int load_saved(int dirfd, const struct state *s, struct container *c, struct err *e)
{
	_cleanup_free_ char *text = NULL;
	char name[64];
	_cleanup_close_ int fd = openat(dirfd, "config.json", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, errno, "read the saved config.json");
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	return oci_read_file(name, &text, e) < 0 ? -1 : oci_config_parse(text, s->bundle, c, e);
}

int oci_start(const char *id, struct err *e)
{
	_cleanup_free_ char *root = NULL, *json = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	struct container c = { 0 };
	struct state s;
	enum state_status st;
	int r;

	if (state_root(g_oci.root, &root, e) < 0 || (dirfd = state_open(root, id, &lockfd, e)) < 0 ||
	    state_read(dirfd, &s, e) < 0)
		return -1;
	st = state_status(dirfd, &s);
	if (st != STATE_CREATED)
		r = err_set(e, 0, "container %s is %s, not created", id, state_status_name(st));
	else if ((r = load_saved(dirfd, &s, &c, e)) == 0 && (r = release(dirfd, &s, e)) == 0) {
		json = state_to_json(&s, STATE_RUNNING);
		/* A poststart failure is only a warning (runtime.md). */
		if (oci_hooks_run(&c.hooks[HOOK_POSTSTART], "poststart", json, e) < 0)
			fprintf(stderr, "mvrc: warning: %s\n", e->what);
	}
	container_free(&c);
	state_free(&s);
	return r;
}

int oci_state(const char *id, struct err *e)
{
	_cleanup_free_ char *root = NULL, *json = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	struct state s;

	if (state_root(g_oci.root, &root, e) < 0 || (dirfd = state_open(root, id, &lockfd, e)) < 0 ||
	    state_read(dirfd, &s, e) < 0)
		return -1;
	json = state_to_json(&s, state_status(dirfd, &s));
	printf("%s\n", json);
	state_free(&s);
	return 0;
}

/* ---- kill, delete ------------------------------------------------------ */

int oci_parse_signal(const char *s, int *sig, struct err *e)
{
	const char *name = s;
	char *end;
	long n = strtol(s, &end, 10);

	if (*s && !*end && n > 0 && n < NSIG) {
		*sig = (int)n;
		return 0;
	}
	if (strncasecmp(s, "SIG", 3) == 0)
		s += 3;
	for (int i = 1; i < NSIG; i++) {
		const char *abbrev = sigabbrev_np(i);

		if (abbrev && strcasecmp(s, abbrev) == 0) {
			*sig = i;
			return 0;
		}
	}
	return err_set(e, 0, "unknown signal '%s'", name);
}

static int signal_all(const struct state *s, int sig)
{
	char path[4200], line[32];
	FILE *f;

	if (s->n_cgroup_dirs == 0)
		return -1;
	snprintf(path, sizeof(path), "%s/cgroup.procs", s->cgroup_dirs[0]);
	if (!(f = fopen(path, "re")))
		return -1;
	while (fgets(line, sizeof(line), f))
		kill((pid_t)atoi(line), sig);
	fclose(f);
	return 0;
}

int oci_kill(const char *id, int sig, bool all, struct err *e)
{
	_cleanup_free_ char *root = NULL;
	_cleanup_close_ int dirfd = -1, pidfd = -1, lockfd = -1;
	struct state s;
	enum state_status st;
	int r = 0;

	if (state_root(g_oci.root, &root, e) < 0 || (dirfd = state_open(root, id, &lockfd, e)) < 0 ||
	    state_read(dirfd, &s, e) < 0)
		return -1;
	/* Pin the process with a pidfd, then check it is still the init. */
	pidfd = (int)syscall(SYS_pidfd_open, s.pid, 0);
	st = state_status(dirfd, &s);
	if (st != STATE_CREATED && st != STATE_RUNNING)
		r = err_set(e, 0, "container %s is %s: nothing to signal", id, state_status_name(st));
	else if (all && signal_all(&s, sig) == 0)
		r = 0;
	else if (pidfd < 0 || syscall(SYS_pidfd_send_signal, pidfd, sig, NULL, 0) < 0)
		r = err_set(e, errno, "kill container %s", id);
	state_free(&s);
	return r;
}

static bool state_exists(const char *root, const char *id)
{
	_cleanup_free_ char *path = NULL;

	return asprintf(&path, "%s/%s/state.json", root, id) < 0 || access(path, F_OK) == 0;
}

int oci_delete(const char *id, bool force, struct err *e)
{
	_cleanup_free_ char *root = NULL, *json = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	struct container c = { 0 };
	struct cgroup cg = { 0 };
	struct state s;
	enum state_status st;

	if (state_root(g_oci.root, &root, e) < 0)
		return -1;
	/* As runc: --force on a container already gone succeeds (containerd's
	 * shim deletes once more when it cleans up). */
	if (force && state_check_id(id, e) == 0 && !state_exists(root, id))
		return 0;
	if ((dirfd = state_open(root, id, &lockfd, e)) < 0)
		return -1;
	if (state_read(dirfd, &s, e) < 0)
		return -1;
	st = state_status(dirfd, &s);
	if (st != STATE_STOPPED && !force) {
		err_set(e, 0, "container %s is %s", id, state_status_name(st));
		state_free(&s);
		return err_hint(e, "stop it first (mvrc kill %s KILL), or use delete --force", id);
	}
	if (st != STATE_STOPPED)
		kill_and_wait(s.pid, s.start_time);
	cg.version = s.cgroup_version;
	for (int i = 0; i < s.n_cgroup_dirs; i++)
		cg.dirs[cg.n_dirs++] = strdup(s.cgroup_dirs[i]);
	cgroup_destroy(&cg);
	if (load_saved(dirfd, &s, &c, e) == 0) {
		json = state_to_json(&s, STATE_STOPPED);
		/* A poststop failure is only a warning (runtime.md). */
		if (oci_hooks_run(&c.hooks[HOOK_POSTSTOP], "poststop", json, e) < 0)
			fprintf(stderr, "mvrc: warning: %s\n", e->what);
	}
	container_free(&c);
	state_free(&s);
	return state_remove(root, id, dirfd, e);
}
