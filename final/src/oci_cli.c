/* oci_cli.c - runc's command line in front of oci.c: global options,
 * each command's options, and the read-only commands list, ps, features.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "oci.h"
#include "oci_config.h"
#include "oci_internal.h"
#include "state.h"
#include "util.h"

/* ---- list, ps, features ------------------------------------------------ */

static int cmd_list(bool json, bool quiet, struct err *e)
{
	_cleanup_free_ char *root = NULL;
	json_object *arr = json_object_new_array();
	struct dirent *d;
	DIR *dir;

	if (state_root(g_oci.root, &root, e) < 0 || !(dir = opendir(root))) {
		json_object_put(arr);
		return e->what[0] ? -1 : err_set(e, errno, "open %s", root);
	}
	if (!json && !quiet)
		printf("%-20s %-8s %-10s %-40s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED");
	while ((d = readdir(dir))) {
		struct state s;
		enum state_status st;
		int fd, lockfd = -1;

		if (d->d_name[0] == '.' || (fd = state_open(root, d->d_name, &lockfd, e)) < 0)
			continue;
		if (state_read(fd, &s, e) == 0) {
			st = state_status(fd, &s);
			if (json) {
				_cleanup_free_ char *text = state_to_json(&s, st);

				json_object_array_add(arr, json_tokener_parse(text));
			} else if (quiet) {
				printf("%s\n", s.id);
			} else {
				printf("%-20s %-8d %-10s %-40s %s\n", s.id,
				       st == STATE_STOPPED ? 0 : (int)s.pid, state_status_name(st),
				       s.bundle, s.created ? s.created : "");
			}
			state_free(&s);
		}
		close(fd);
		close(lockfd);
	}
	closedir(dir);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(arr);
	e->what[0] = '\0';
	return 0;
}

static bool same_pid_ns(pid_t a, const char *ns_of_init)
{
	char path[64], link[64];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)a);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return false;
	link[n] = '\0';
	return strcmp(link, ns_of_init) == 0;
}

/* The container's processes: every process in its init's pid namespace. */
static int cmd_ps(const char *id, bool json, struct err *e)
{
	_cleanup_free_ char *root = NULL;
	_cleanup_close_ int dirfd = -1, lockfd = -1;
	json_object *arr;
	char path[64], ns[64];
	struct dirent *d;
	struct state s;
	ssize_t n;
	DIR *proc;

	if (state_root(g_oci.root, &root, e) < 0 || (dirfd = state_open(root, id, &lockfd, e)) < 0 ||
	    state_read(dirfd, &s, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int)s.pid);
	if (state_status(dirfd, &s) == STATE_STOPPED || (n = readlink(path, ns, sizeof(ns) - 1)) < 0) {
		state_free(&s);
		return err_set(e, 0, "container %s is not running", id);
	}
	ns[n] = '\0';
	state_free(&s);
	if (!(proc = opendir("/proc")))
		return err_set(e, errno, "open /proc");
	arr = json_object_new_array();
	if (!json)
		printf("PID\n");
	while ((d = readdir(proc))) {
		pid_t pid = (pid_t)atoi(d->d_name);

		if (pid <= 0 || !same_pid_ns(pid, ns))
			continue;
		if (json)
			json_object_array_add(arr, json_object_new_int(pid));
		else
			printf("%d\n", (int)pid);
	}
	closedir(proc);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(arr, JSON_C_TO_STRING_PLAIN));
	json_object_put(arr);
	return 0;
}

static json_object *strings(const char *const *list)
{
	json_object *a = json_object_new_array();

	for (size_t i = 0; list[i]; i++)
		json_object_array_add(a, json_object_new_string(list[i]));
	return a;
}

/* runtime-spec features.md: what this build of mvrc understands. */
static int cmd_features(void)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "poststart", "poststop", NULL };
	static const char *const mount_options[] = {
		"async", "atime", "bind", "defaults", "dev", "diratime", "dirsync", "exec",
		"iversion", "lazytime", "loud", "mand", "noatime", "nodev", "nodiratime",
		"noexec", "noiversion", "nolazytime", "nomand", "norelatime", "nostrictatime",
		"nosuid", "private", "rbind", "relatime", "remount", "ro", "rprivate",
		"rshared", "rslave", "runbindable", "rw", "shared", "silent", "slave",
		"strictatime", "suid", "sync", "unbindable", NULL,
	};
	static const char *const namespaces[] = {
		"cgroup", "ipc", "mount", "network", "pid", "user", "uts", NULL,
	};
	static const char *const actions[] = {
		"SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL", "SCMP_ACT_KILL_PROCESS",
		"SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE", "SCMP_ACT_TRAP", NULL,
	};
	static const char *const operators[] = {
		"SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_LE", "SCMP_CMP_LT",
		"SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL,
	};
	static const char *const archs[] = {
		"SCMP_ARCH_X86", "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_ARM",
		"SCMP_ARCH_AARCH64", "SCMP_ARCH_PPC64LE", "SCMP_ARCH_S390X", "SCMP_ARCH_RISCV64", NULL,
	};
	static const char *const flags[] = {
		"SECCOMP_FILTER_FLAG_TSYNC", "SECCOMP_FILTER_FLAG_LOG",
		"SECCOMP_FILTER_FLAG_SPEC_ALLOW", NULL,
	};
	json_object *o = json_object_new_object(), *lx = json_object_new_object();
	json_object *caps = json_object_new_array(), *cg = json_object_new_object();
	json_object *sc = json_object_new_object();

	json_object_object_add(o, "ociVersionMin", json_object_new_string("1.0.0"));
	json_object_object_add(o, "ociVersionMax", json_object_new_string(OCI_VERSION));
	json_object_object_add(o, "hooks", strings(hooks));
	json_object_object_add(o, "mountOptions", strings(mount_options));
	json_object_object_add(lx, "namespaces", strings(namespaces));
	for (cap_value_t c = 0; c <= CAP_LAST_CAP; c++) {
		char *name = cap_to_name(c), upper[64];
		size_t i;

		for (i = 0; name && name[i] && i < sizeof(upper) - 1; i++)
			upper[i] = (char)(name[i] >= 'a' && name[i] <= 'z' ? name[i] - 32 : name[i]);
		upper[i] = '\0';
		json_object_array_add(caps, json_object_new_string(upper));
		cap_free(name);
	}
	json_object_object_add(lx, "capabilities", caps);
	json_object_object_add(cg, "v1", json_object_new_boolean(1));
	json_object_object_add(cg, "v2", json_object_new_boolean(1));
	json_object_object_add(cg, "systemd", json_object_new_boolean(0));
	json_object_object_add(cg, "systemdUser", json_object_new_boolean(0));
	json_object_object_add(lx, "cgroup", cg);
	json_object_object_add(sc, "enabled", json_object_new_boolean(1));
	json_object_object_add(sc, "actions", strings(actions));
	json_object_object_add(sc, "operators", strings(operators));
	json_object_object_add(sc, "archs", strings(archs));
	json_object_object_add(sc, "knownFlags", strings(flags));
	json_object_object_add(sc, "supportedFlags", strings(flags));
	json_object_object_add(lx, "seccomp", sc);
	json_object_object_add(o, "linux", lx);
	printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return 0;
}

/* ---- create, run ------------------------------------------------------- */

enum { OPT_PID_FILE = 256, OPT_CONSOLE, OPT_NO_PIVOT, OPT_NO_KEYRING, OPT_PRESERVE_FDS,
       OPT_FORMAT };

static const struct option create_options[] = {
	{ "bundle", required_argument, NULL, 'b' },
	{ "pid-file", required_argument, NULL, OPT_PID_FILE },
	{ "console-socket", required_argument, NULL, OPT_CONSOLE },
	{ "no-pivot", no_argument, NULL, OPT_NO_PIVOT },
	{ "no-new-keyring", no_argument, NULL, OPT_NO_KEYRING },
	{ "preserve-fds", required_argument, NULL, OPT_PRESERVE_FDS },
	{ "detach", no_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 },
};

/* Options of create and run.  Returns the index of ID, or -1. */
static int parse_create(int argc, char **argv, struct create_opts *o, bool *detach,
			struct err *e)
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+b:d", create_options, NULL)) != -1) {
		switch (opt) {
		case 'b': o->bundle = optarg; break;
		case OPT_PID_FILE: o->pid_file = optarg; break;
		case OPT_CONSOLE: o->console_socket = optarg; break;
		case 'd': *detach = true; break;
		case OPT_NO_PIVOT: case OPT_NO_KEYRING: break;
		case OPT_PRESERVE_FDS:
			if (strcmp(optarg, "0") != 0)
				return err_set(e, 0, "%s: --preserve-fds: not supported", argv[0]);
			break;
		default:
			return err_set(e, 0, "%s: unknown option '%s'", argv[0], argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return err_set(e, 0, "%s: expected one container ID", argv[0]);
	return optind;
}

/* run --bundle: create + start, then wait for the container (our child:
 * create's clone made it) and delete it. */
static int cmd_run(int argc, char **argv, struct err *e)
{
	struct create_opts o = { 0 };
	bool detach = false;
	siginfo_t info = { 0 };
	int i = parse_create(argc, argv, &o, &detach, e), status;
	pid_t pid;

	if (i < 0 || oci_create(argv[i], &o, &pid, e) < 0)
		return -1;
	if (oci_start(argv[i], e) < 0) {
		oci_delete(argv[i], true, &(struct err){ 0 });
		return -1;
	}
	if (detach)
		return 0;
	while (waitid(P_PID, (id_t)pid, &info, WEXITED) < 0)
		if (errno != EINTR)
			return err_set(e, errno, "waitid");
	status = info.si_code == CLD_EXITED ? info.si_status : 128 + info.si_status;
	if (oci_delete(argv[i], true, e) < 0)
		return -1;
	return status;
}

/* ---- dispatch ---------------------------------------------------------- */

static int dispatch(int argc, char **argv, struct err *e)
{
	const char *cmd = argv[0];
	bool flag = false, quiet = false;
	int sig = SIGTERM, i;

	if (strcmp(cmd, "create") == 0) {
		struct create_opts o = { 0 };
		pid_t pid;

		i = parse_create(argc, argv, &o, &flag, e);
		return i < 0 ? -1 : oci_create(argv[i], &o, &pid, e);
	}
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc, argv, e);
	if (strcmp(cmd, "exec") == 0)
		return oci_exec(argc, argv, e);
	if (strcmp(cmd, "features") == 0)
		return cmd_features();
	if (strcmp(cmd, "list") == 0) {
		for (i = 1; i < argc; i++)
			if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
				quiet = true;
			else if (strcmp(argv[i], "json") == 0 || strcmp(argv[i], "--format=json") == 0)
				flag = true;
		return cmd_list(flag, quiet, e);
	}
	if (strcmp(cmd, "kill") != 0 && strcmp(cmd, "start") != 0 &&
	    strcmp(cmd, "state") != 0 && strcmp(cmd, "delete") != 0 &&
	    strcmp(cmd, "ps") != 0) {
		err_set(e, 0, "unknown command '%s'", cmd);
		return err_hint(e, "see mvrc --help");
	}
	for (i = 1; i < argc && argv[i][0] == '-'; i++)
		if (strcmp(argv[i], "--all") == 0 || strcmp(argv[i], "-a") == 0 ||
		    strcmp(argv[i], "--force") == 0 || strcmp(argv[i], "-f") == 0)
			flag = true;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			quiet = strcmp(argv[++i], "json") == 0;   /* ps: JSON output */
		else if (strcmp(argv[i], "--format=json") == 0)
			quiet = true;
		else
			return err_set(e, 0, "%s: unknown option '%s'", cmd, argv[i]);
	argc -= i - 1;
	argv += i - 1;
	if (strcmp(cmd, "kill") == 0) {
		if ((argc != 2 && argc != 3) || (argc == 3 && oci_parse_signal(argv[2], &sig, e) < 0))
			return e->what[0] ? -1 : err_set(e, 0, "kill: usage: mvrc kill [--all] ID [SIGNAL]");
		return oci_kill(argv[1], sig, flag, e);
	}
	if (argc != 2)
		return err_set(e, 0, "%s: expected one container ID", cmd);
	if (strcmp(cmd, "start") == 0)
		return oci_start(argv[1], e);
	if (strcmp(cmd, "state") == 0)
		return oci_state(argv[1], e);
	if (strcmp(cmd, "delete") == 0)
		return oci_delete(argv[1], flag, e);
	return cmd_ps(argv[1], quiet, e);
}

void oci_usage(FILE *f)
{
	fputs("\n"
	      "The OCI runtime command line (runc's), for Podman, containerd and you:\n"
	      "  mvrc [GLOBAL] create [--bundle DIR] [--pid-file F] [--console-socket SOCK] ID\n"
	      "  mvrc [GLOBAL] start ID | state ID | delete [--force] ID | ps [--format json] ID\n"
	      "  mvrc [GLOBAL] kill [--all] ID [SIGNAL] | list [--format json] [-q] | features\n"
	      "  mvrc [GLOBAL] run --bundle DIR [--detach] [--pid-file F] ID   create+start+wait+delete\n"
	      "  mvrc [GLOBAL] exec [-t] [-d] [--pid-file F] [--console-socket SOCK] [-e K=V] [--cwd DIR]\n"
	      "       [-u UID[:GID]] [--cap CAP] [--no-new-privs] ID CMD [ARG...] | exec --process FILE ID\n"
	      "GLOBAL: --root DIR (state; default $XDG_RUNTIME_DIR/mvrc, /run/mvrc as root),\n"
	      "  --log FILE, --log-format text|json, --debug; --systemd-cgroup, --rootless,\n"
	      "  --criu are accepted and ignored.\n"
	      "`mvrc run` is the OCI form when it has -b/--bundle or a single argument (the\n"
	      "ID, bundle = the current directory); `mvrc run [OPTIONS] ROOTFS CMD` has two or more.\n",
	      f);
}

/* runc's global options; those that only tune runc itself are accepted
 * and ignored: --systemd-cgroup, --rootless, --criu. */
int oci_main(int argc, char **argv)
{
	struct err e = { 0 };
	int i, r;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i], *eq = strchr(a, '='), *v = eq ? eq + 1 : NULL;
		size_t n = eq ? (size_t)(eq - a) : strlen(a);
		bool takes = !strncmp(a, "--root", n) || !strncmp(a, "--log", n) ||
			     !strncmp(a, "--log-format", n) || !strncmp(a, "--criu", n) ||
			     !strncmp(a, "--rootless", n);

		if (n < 3)
			break;
		if (takes && !v && i + 1 < argc)
			v = argv[++i];
		if (strncmp(a, "--root", n) == 0 && n == 6)
			g_oci.root = v;
		else if (strncmp(a, "--log", n) == 0 && n == 5)
			g_oci.log = v;
		else if (strncmp(a, "--log-format", n) == 0 && n == 12)
			g_oci.log_format = v;
		else if (strncmp(a, "--debug", n) == 0 && n == 7)
			g_oci.debug = true;
		else if (!(n == 16 && strncmp(a, "--systemd-cgroup", n) == 0) && !takes)
			return err_set(&e, 0, "unknown global option '%s'", a),
			       err_hint(&e, "see mvrc --help"), oci_fail(&e);
		if (takes && !v)
			return err_set(&e, 0, "option %s needs a value", a), oci_fail(&e);
	}
	if (g_oci.log_format && strcmp(g_oci.log_format, "text") != 0 &&
	    strcmp(g_oci.log_format, "json") != 0)
		return err_set(&e, 0, "--log-format: use text or json"), oci_fail(&e);
	if (i >= argc)
		return err_set(&e, 0, "missing command"), err_hint(&e, "see mvrc --help"), oci_fail(&e);
	r = dispatch(argc - i, argv + i, &e);
	if (r < 0)
		return oci_fail(&e);
	return r;
}
