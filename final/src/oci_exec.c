/* oci_exec.c - `mvrc exec`: one more process in a running container.
 *
 *   mvrc exec [--process FILE | OPTIONS] ID [CMD [ARG...]]
 *
 * The process is described either by a process.json (--process, what
 * Podman's conmon and containerd's shim pass) or by the container's own
 * process from its config.json with runc's options on top: the CMD, -e,
 * --cwd, -u, --cap, --no-new-privs, -t.  Either way the container's
 * rlimits, seccomp filter and id maps rule it, as they rule its init; see
 * init_exec in init.c for the order, process_exec in process.c for the
 * parent's side.
 *
 * Without --detach mvrc waits and exits with the process's status; with
 * it, mvrc exits once the process runs, and the caller (a subreaper such
 * as conmon) reaps it, having learnt its pid from --pid-file.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "capabilities.h"
#include "container.h"
#include "namespaces.h"
#include "oci_config.h"
#include "oci_internal.h"
#include "process.h"
#include "state.h"
#include "util.h"

struct exec_opts {
	const char *process;     /* --process FILE */
	const char *console_socket;
	const char *pid_file;
	const char *cwd;
	const char *user;        /* UID[:GID] */
	char **env;              /* -e KEY=VALUE ... */
	char **caps;             /* --cap NAME ... */
	bool tty, detach, no_new_privs;
};

enum { OPT_PROCESS = 256, OPT_CONSOLE, OPT_PID_FILE, OPT_CWD, OPT_CAP, OPT_NNP,
       OPT_PRESERVE_FDS, OPT_IGNORED };

static const struct option exec_options[] = {
	{ "process", required_argument, NULL, 'p' },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "cwd", required_argument, NULL, OPT_CWD },
	{ "env", required_argument, NULL, 'e' },
	{ "user", required_argument, NULL, 'u' },
	{ "cap", required_argument, NULL, 'c' },
	{ "tty", no_argument, NULL, 't' },
	{ "detach", no_argument, NULL, 'd' },
	{ "no-new-privs", no_argument, NULL, OPT_NNP },
	{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
	/* SELinux and AppArmor labels: accepted when empty, below. */
	{ "process-label", required_argument, NULL, OPT_IGNORED },
	{ "apparmor", required_argument, NULL, OPT_IGNORED },
	{ NULL, 0, NULL, 0 },
};

/* Returns the index of ID in argv, or -1. */
static int parse_exec(int argc, char **argv, struct exec_opts *o, struct err *e)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+p:e:u:c:td", exec_options, NULL)) != -1) {
		switch (opt) {
		case 'p': o->process = optarg; break;
		case OPT_CONSOLE: o->console_socket = optarg; break;
		case OPT_PID_FILE: o->pid_file = optarg; break;
		case OPT_CWD: o->cwd = optarg; break;
		case 'u': o->user = optarg; break;
		case 't': o->tty = true; break;
		case 'd': o->detach = true; break;
		case OPT_NNP: o->no_new_privs = true; break;
		case 'e':
			if (strv_append(&o->env, optarg) < 0)
				return err_set(e, ENOMEM, "exec");
			break;
		case 'c':
			if (strv_append(&o->caps, optarg) < 0)
				return err_set(e, ENOMEM, "exec");
			break;
		case OPT_PRESERVE_FDS:
			if (strcmp(optarg, "0") != 0)
				return err_set(e, 0, "exec: --preserve-fds: not supported");
			break;
		case OPT_IGNORED:
			if (optarg[0])
				return err_set(e, 0, "exec: --process-label and --apparmor: not supported");
			break;
		default:
			return err_set(e, 0, "exec: unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return err_set(e, 0, "exec: expected a container ID");
	if (!o->process && optind + 1 >= argc)
		return err_set(e, 0, "exec: expected a command after the ID, or --process FILE");
	if (o->process && optind + 1 < argc)
		return err_set(e, 0, "exec: a command and --process FILE both given");
	if (o->console_socket && !o->detach)
		return err_set(e, 0, "exec: --console-socket needs --detach");
	return optind;
}

/* KEY=VALUE replaces KEY's entry in *env, or is appended. */
static int env_put(char ***env, const char *kv, struct err *e)
{
	const char *eq = strchr(kv, '=');
	size_t n = eq ? (size_t)(eq - kv) : 0;

	if (n == 0)
		return err_set(e, 0, "exec: --env '%s': expected KEY=VALUE", kv);
	for (size_t i = 0; *env && (*env)[i]; i++)
		if (strncmp((*env)[i], kv, n + 1) == 0) {
			char *copy = strdup(kv);

			if (!copy)
				return err_set(e, ENOMEM, "exec");
			free((*env)[i]);
			(*env)[i] = copy;
			return 0;
		}
	return strv_append(env, kv) < 0 ? err_set(e, ENOMEM, "exec") : 0;
}

static int parse_user(const char *s, struct process *p, struct err *e)
{
	char *end;
	unsigned long uid = strtoul(s, &end, 10), gid = 0;

	if (end == s || (*end && *end != ':'))
		return err_set(e, 0, "exec: --user '%s': expected UID[:GID] as numbers", s);
	if (*end == ':') {
		const char *g = end + 1;

		gid = strtoul(g, &end, 10);
		if (end == g || *end)
			return err_set(e, 0, "exec: --user '%s': expected UID[:GID] as numbers", s);
	}
	p->uid = (uid_t)uid;
	p->gid = (gid_t)gid;
	return 0;
}

/* runc's rules: the container's process with the options on top. */
static int process_from_options(const struct exec_opts *o, char **cmd, struct process *p,
				struct err *e)
{
	int cap;

	strv_free(p->argv);
	p->argv = NULL;
	for (size_t i = 0; cmd[i]; i++)
		if (strv_append(&p->argv, cmd[i]) < 0)
			return err_set(e, ENOMEM, "exec");
	for (size_t i = 0; o->env && o->env[i]; i++)
		if (env_put(&p->env, o->env[i], e) < 0)
			return -1;
	if (o->cwd) {
		if (o->cwd[0] != '/')
			return err_set(e, 0, "exec: --cwd '%s' is not an absolute path", o->cwd);
		free(p->cwd);
		if (!(p->cwd = strdup(o->cwd)))
			return err_set(e, ENOMEM, "exec");
	}
	if (o->user && parse_user(o->user, p, e) < 0)
		return -1;
	for (size_t i = 0; o->caps && o->caps[i]; i++) {
		uint64_t bit;

		if (capabilities_from_name(o->caps[i], &cap, e) < 0)
			return err_wrap(e, "exec: --cap: ");
		bit = UINT64_C(1) << cap;
		p->caps.bounding |= bit;
		p->caps.effective |= bit;
		p->caps.permitted |= bit;
		p->caps.inheritable |= bit;
		p->caps.ambient |= bit;
	}
	p->no_new_privs |= o->no_new_privs;
	p->terminal = o->tty;
	p->console_rows = p->console_cols = 0;
	return 0;
}

/* The container as config.json described it at create, with the process
 * to run in place of its own. */
static int describe(int dirfd, const struct state *s, const struct exec_opts *o, char **cmd,
		    struct container *c, struct err *e)
{
	_cleanup_free_ char *text = NULL, *ptext = NULL;
	char name[64];
	_cleanup_close_ int fd = openat(dirfd, "config.json", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, errno, "read the saved config.json");
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	if (oci_read_file(name, &text, e) < 0 || oci_config_parse(text, s->bundle, c, e) < 0)
		return -1;
	if (!o->process)
		return process_from_options(o, cmd, &c->process, e);
	if (oci_read_file(o->process, &ptext, e) < 0 ||
	    oci_config_parse_process(ptext, &c->process, e) < 0)
		return -1;
	/* The OCI caller owns stdio, as for the init (oci_config.c). */
	c->process.interactive = true;
	return 0;
}

struct started_ctx {
	const struct exec_opts *o;
};

/* Once the process runs: the console to its socket, the pid to its file. */
static int started(pid_t pid, int *master, void *arg, struct err *e)
{
	const struct exec_opts *o = ((struct started_ctx *)arg)->o;

	if (*master >= 0 && o->console_socket) {
		if (oci_send_console(o->console_socket, *master, e) < 0)
			return -1;
		util_close(master);
	}
	return oci_write_pid_file(o->pid_file, pid, e);
}

/* Pin the init with a pidfd, check it is still the container's, and
 * learn what to join.  The state's lock is released when this returns:
 * an exec may last, and `mvrc kill` or `state` must not wait for it. */
static int find_target(const char *id, const struct exec_opts *o, char **cmd,
		       struct container *c, struct exec_target *t, struct err *e)
{
	_cleanup_free_ char *root = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	enum state_status st;
	struct state s;
	int r = -1;

	if (state_root(g_oci.root, &root, e) < 0 || (dirfd = state_open(root, id, &lockfd, e)) < 0 ||
	    state_read(dirfd, &s, e) < 0)
		return -1;
	t->pidfd = (int)syscall(SYS_pidfd_open, s.pid, 0);
	st = state_status(dirfd, &s);
	if (st != STATE_CREATED && st != STATE_RUNNING)
		err_set(e, 0, "container %s is %s: cannot exec in it", id, state_status_name(st));
	else if (t->pidfd < 0)
		err_set(e, errno, "pidfd_open of container %s's init", id);
	else if (describe(dirfd, &s, o, cmd, c, e) == 0 &&
		 namespaces_differing(s.pid, &t->ns_flags, e) == 0)
		r = 0;
	t->cg.version = s.cgroup_version;
	for (int i = 0; r == 0 && i < s.n_cgroup_dirs; i++)
		if (!(t->cg.dirs[t->cg.n_dirs++] = strdup(s.cgroup_dirs[i])))
			r = err_set(e, ENOMEM, "exec");
	state_free(&s);
	return r;
}

int oci_exec(int argc, char **argv, struct err *e)
{
	struct exec_opts o = { 0 };
	struct container c;
	struct started_ctx ctx = { .o = &o };
	struct exec_target t = { .pidfd = -1, .started = started, .arg = &ctx };
	int i, r = -1;

	memset(&c, 0, sizeof(c));
	if ((i = parse_exec(argc, argv, &o, e)) < 0)
		goto out;
	t.detach = o.detach;
	if (find_target(argv[i], &o, argv + i + 1, &c, &t, e) < 0)
		goto out;
	if (c.process.terminal && o.detach && !o.console_socket) {
		err_set(e, 0, "exec: a terminal with --detach needs --console-socket");
		goto out;
	}
	r = process_exec(&c, &t, e);
out:
	for (int k = 0; k < t.cg.n_dirs; k++)
		free(t.cg.dirs[k]);
	util_close(&t.pidfd);
	container_free(&c);
	strv_free(o.env);
	strv_free(o.caps);
	return r;
}
