/* cli.c - `mvrc run`'s options, with Docker's names; see cli.h and mvrc(1).
 *
 * Parsing only checks and converts: nothing here touches the system except
 * to resolve ROOTFS, read the rootfs's /etc/passwd for HOME, and count CPUs.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "env.h"
#include "rootpath.h"
#include "units.h"
#include "util.h"

#define MIN_MEMORY (6 * 1024 * 1024)   /* Docker's minimum for -m */

extern char **environ;

/* What the options say before it becomes a description. */
struct options {
	char **env, **cap_add, **cap_drop;
	const char *user, *name, *hostname;
	int has_gid;
};

void cli_usage(FILE *f)
{
	fputs("usage: mvrc run [OPTIONS] ROOTFS CMD [ARG...]\n"
	      "       mvrc --help | --version\n"
	      "\n"
	      "Run CMD in a new rootless container whose root is the directory ROOTFS.\n"
	      "\n"
	      "  --name NAME               the container's name (default: mvrc-<random>)\n"
	      "  --hostname NAME           its hostname (default: its name)\n"
	      "  -e, --env KEY[=VALUE]     set a variable; a bare KEY copies yours\n"
	      "  -w, --workdir DIR         the working directory inside (default: /)\n"
	      "  -u, --user UID[:GID]      run CMD as this user (default: 0:0)\n"
	      "  -v, --volume SRC:DST[:ro] bind-mount the host's SRC at DST\n"
	      "      --read-only           mount the root filesystem read-only\n"
	      "  -m, --memory SIZE         memory limit: 64m, 1.5g, ...\n"
	      "      --pids-limit N        at most N processes\n"
	      "      --cpus DECIMAL        CPU time, in CPUs: 0.5, 1.5, ...\n"
	      "      --network MODE        none, host, slirp4netns or pasta\n"
	      "  -p, --publish HOST:CTR[/tcp|/udp]  forward a host port to the container\n"
	      "  -t, --tty                 give the container a terminal\n"
	      "  -i, --interactive         keep stdin open (otherwise it is /dev/null)\n"
	      "      --cap-add CAP         add a capability (or ALL)\n"
	      "      --cap-drop CAP        drop a capability (or ALL)\n"
	      "      --rm                  accepted for Docker's sake: mvrc keeps nothing\n"
	      "  -h, --help                this help\n"
	      "      --version             print mvrc's version\n"
	      "\n"
	      "Exit status: CMD's own; 128+N if CMD was killed by signal N; 125 if mvrc\n"
	      "failed; 126 if CMD cannot be executed; 127 if CMD was not found.\n", f);
}

/* ---- single specs ------------------------------------------------------ */

/* Copy s, dropping trailing slashes ("/data/" -> "/data"). */
static char *path_dup(const char *s, size_t len)
{
	while (len > 1 && s[len - 1] == '/')
		len--;
	return strndup(s, len);
}

int cli_parse_volume(const char *spec, struct mount_entry *m, struct err *e)
{
	const char *dst = strchr(spec, ':'), *opt;
	size_t dstlen;

	memset(m, 0, sizeof(*m));
	if (!dst || dst == spec)
		return err_set(e, 0, "invalid volume '%s': expected SRC:DST[:ro]", spec);
	dst++;
	opt = strchr(dst, ':');
	dstlen = opt ? (size_t)(opt - dst) : strlen(dst);
	if (spec[0] != '/')
		return err_set(e, 0, "invalid volume '%s': the source must be an absolute host path", spec);
	if (dstlen == 0 || dst[0] != '/')
		return err_set(e, 0, "invalid volume '%s': the destination must be an absolute path", spec);
	if (opt && strcmp(opt + 1, "ro") != 0 && strcmp(opt + 1, "rw") != 0)
		return err_set(e, 0, "invalid volume '%s': unknown option '%s' (use ro or rw)",
			       spec, opt + 1);
	for (const char *p = dst; p < dst + dstlen; p++)
		if (p[0] == '/' && p[1] == '.' && p[2] == '.' && (p[3] == '/' || p + 3 == dst + dstlen))
			return err_set(e, 0, "invalid volume '%s': the destination may not contain '..'", spec);
	m->source = path_dup(spec, (size_t)(dst - 1 - spec));
	m->destination = path_dup(dst, dstlen);
	m->type = strdup("bind");
	if (!m->source || !m->destination || !m->type)
		return err_set(e, ENOMEM, "volume '%s'", spec);
	m->flags = MS_BIND | MS_REC | (opt && strcmp(opt + 1, "ro") == 0 ? MS_RDONLY : 0);
	return 0;
}

static int parse_port(const char *s, size_t len, uint16_t *port)
{
	unsigned long v = 0;

	if (len == 0 || len > 5)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned long)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*port = (uint16_t)v;
	return 0;
}

int cli_parse_publish(const char *spec, struct port_mapping *p, struct err *e)
{
	const char *colon = strchr(spec, ':'), *ctr, *slash;

	if (!colon || strchr(colon + 1, ':'))
		return err_set(e, 0, "invalid port mapping '%s': expected HOSTPORT:CTRPORT[/tcp|/udp]", spec);
	ctr = colon + 1;
	slash = strchr(ctr, '/');
	p->proto = IPPROTO_TCP;
	if (slash && strcmp(slash, "/udp") == 0)
		p->proto = IPPROTO_UDP;
	else if (slash && strcmp(slash, "/tcp") != 0)
		return err_set(e, 0, "invalid port mapping '%s': unknown protocol '%s' (use tcp or udp)",
			       spec, slash + 1);
	if (parse_port(spec, (size_t)(colon - spec), &p->host_port) < 0 ||
	    parse_port(ctr, slash ? (size_t)(slash - ctr) : strlen(ctr), &p->container_port) < 0)
		return err_set(e, 0, "invalid port mapping '%s': ports are numbers from 1 to 65535", spec);
	return 0;
}

int cli_parse_user(const char *spec, uid_t *uid, gid_t *gid, int *has_gid,
		   struct err *e)
{
	const char *colon = strchr(spec, ':');
	int64_t v;
	char id[16];
	size_t len = colon ? (size_t)(colon - spec) : strlen(spec);

	if (len == 0 || len >= sizeof(id))
		return err_set(e, 0, "invalid user '%s': expected UID[:GID]", spec);
	memcpy(id, spec, len);
	id[len] = '\0';
	if (units_parse_int(id, 0, UINT32_MAX - 1, &v, "user id", e) < 0)
		return err_hint(e, "mvrc takes numeric ids: -u UID[:GID]");
	*uid = (uid_t)v;
	*has_gid = colon != NULL;
	*gid = 0;          /* Docker's group for a uid without a passwd entry */
	if (colon && units_parse_int(colon + 1, 0, UINT32_MAX - 1, &v, "group id", e) < 0)
		return err_hint(e, "mvrc takes numeric ids: -u UID[:GID]");
	if (colon)
		*gid = (gid_t)v;
	return 0;
}

/* ---- the description --------------------------------------------------- */

static int valid_name(const char *s)
{
	/* Docker's rule: [a-zA-Z0-9][a-zA-Z0-9_.-]+ */
	if (strlen(s) < 2 || strlen(s) > 64)
		return 0;
	for (const char *p = s; *p; p++) {
		int alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			    (*p >= '0' && *p <= '9');

		if (!alnum && (p == s || !strchr("_.-", *p)))
			return 0;
	}
	return 1;
}

static int generate_id(char **id, struct err *e)
{
	unsigned char rnd[6];
	char buf[32];

	if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd))
		return err_set(e, errno, "getrandom");
	snprintf(buf, sizeof(buf), "mvrc-%02x%02x%02x%02x%02x%02x",
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5]);
	*id = strdup(buf);
	return *id ? 0 : err_set(e, ENOMEM, "container name");
}

/* HOME for the container's user, read from the rootfs's /etc/passwd. */
static char *home_for(const struct container *c)
{
	_cleanup_close_ int root = open(c->root.path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	_cleanup_close_ int file = -1, fd = -1;
	struct err ignored;
	char name[64], text[16384];
	ssize_t n;

	if (root < 0)
		return NULL;
	file = rootpath_open(root, "/etc/passwd", ROOTPATH_EXISTING, 0, &ignored);
	if (file < 0)
		return NULL;
	fd = open(rootpath_fd_name(file, name, sizeof(name)), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0 || (n = read(fd, text, sizeof(text) - 1)) < 0)
		return NULL;
	text[n] = '\0';
	return env_home_from_passwd(text, c->process.uid);
}

static int set_rootfs(struct container *c, const char *arg, struct err *e)
{
	struct stat st;

	c->root.path = realpath(arg, NULL);
	if (!c->root.path)
		return err_set(e, errno, "rootfs %s", arg);
	if (stat(c->root.path, &st) < 0)
		return err_set(e, errno, "rootfs %s", arg);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ENOTDIR, "rootfs %s", arg);
	return 0;
}

/* Everything that depends on several options at once. */
static int finish(struct container *c, struct options *o, struct err *e)
{
	_cleanup_free_ char *home = NULL;
	struct env_input in;
	uint64_t caps;

	if (o->name && !valid_name(o->name))
		return err_set(e, 0, "invalid name '%s': use 2 to 64 of [a-zA-Z0-9_.-], "
			       "starting with a letter or digit", o->name);
	if (o->name ? !(c->id = strdup(o->name)) : generate_id(&c->id, e) < 0)
		return c->id ? -1 : err_set(e, ENOMEM, "name");
	if (o->hostname && (strlen(o->hostname) == 0 || strlen(o->hostname) > 64))
		return err_set(e, 0, "invalid hostname '%s': 1 to 64 characters", o->hostname);
	if (!(c->hostname = strdup(o->hostname ? o->hostname : c->id)))
		return err_set(e, ENOMEM, "hostname");
	if (c->net.n_ports && (c->net.mode == NETWORK_NONE || c->net.mode == NETWORK_HOST))
		return err_set(e, 0, "-p needs --network slirp4netns or pasta, not %s",
			       c->net.mode == NETWORK_NONE ? "none" : "host");
	if (capabilities_combine(container_default_caps(), o->cap_add, o->cap_drop, &caps, e) < 0)
		return -1;
	c->process.caps.bounding = caps;
	/* Docker gives a non-root user the bounding set only: its effective
	 * and permitted sets start empty, as after any setuid to non-zero. */
	c->process.caps.effective = c->process.caps.permitted = c->process.uid == 0 ? caps : 0;
	if (c->process.uid == 0)
		home = strdup("/root");
	else if (!(home = home_for(c)))
		home = strdup("/");
	in = (struct env_input){ .hostname = c->hostname, .home = home,
				 .tty = c->process.terminal, .user_env = o->env,
				 .caller_env = environ };
	return env_build(&in, &c->process.env, e);
}

enum { OPT_NAME = 256, OPT_HOSTNAME, OPT_READ_ONLY, OPT_PIDS, OPT_CPUS,
       OPT_NETWORK, OPT_CAP_ADD, OPT_CAP_DROP, OPT_RM };

static const struct option long_options[] = {
	{ "name", required_argument, NULL, OPT_NAME },
	{ "hostname", required_argument, NULL, OPT_HOSTNAME },
	{ "env", required_argument, NULL, 'e' },
	{ "workdir", required_argument, NULL, 'w' },
	{ "user", required_argument, NULL, 'u' },
	{ "volume", required_argument, NULL, 'v' },
	{ "read-only", no_argument, NULL, OPT_READ_ONLY },
	{ "memory", required_argument, NULL, 'm' },
	{ "pids-limit", required_argument, NULL, OPT_PIDS },
	{ "cpus", required_argument, NULL, OPT_CPUS },
	{ "network", required_argument, NULL, OPT_NETWORK },
	{ "net", required_argument, NULL, OPT_NETWORK },
	{ "publish", required_argument, NULL, 'p' },
	{ "tty", no_argument, NULL, 't' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "cap-add", required_argument, NULL, OPT_CAP_ADD },
	{ "cap-drop", required_argument, NULL, OPT_CAP_DROP },
	{ "rm", no_argument, NULL, OPT_RM },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int parse_network(const char *s, enum network_mode *mode, struct err *e)
{
	static const char *const names[] = {
		[NETWORK_NONE] = "none", [NETWORK_HOST] = "host",
		[NETWORK_SLIRP4NETNS] = "slirp4netns", [NETWORK_PASTA] = "pasta",
	};

	for (int i = NETWORK_NONE; i <= NETWORK_PASTA; i++)
		if (strcmp(s, names[i]) == 0) {
			*mode = (enum network_mode)i;
			return 0;
		}
	return err_set(e, 0, "invalid --network '%s': use none, host, slirp4netns or pasta", s);
}

static int add_mount(struct container *c, const char *spec, struct err *e)
{
	struct mount_entry *grown = realloc(c->mounts, (c->n_mounts + 1) * sizeof(*grown));

	if (!grown)
		return err_set(e, ENOMEM, "volume");
	c->mounts = grown;
	memset(&c->mounts[c->n_mounts], 0, sizeof(*grown));
	c->n_mounts++;           /* counted now so that container_free frees it */
	return cli_parse_volume(spec, &c->mounts[c->n_mounts - 1], e);
}

static int add_port(struct container *c, const char *spec, struct err *e)
{
	struct port_mapping *grown = realloc(c->net.ports, (c->net.n_ports + 1) * sizeof(*grown));

	if (!grown)
		return err_set(e, ENOMEM, "port mapping");
	c->net.ports = grown;
	if (cli_parse_publish(spec, &c->net.ports[c->net.n_ports], e) < 0)
		return -1;
	c->net.n_ports++;
	return 0;
}

/* One option; -1 with e set when its value is bad. */
static int parse_option(int opt, const char *arg, struct container *c,
			struct options *o, struct err *e)
{
	struct process *p = &c->process;
	gid_t gid;
	int64_t v;

	switch (opt) {
	case OPT_NAME: o->name = arg; return 0;
	case OPT_HOSTNAME: o->hostname = arg; return 0;
	case 'e': return strv_append(&o->env, arg) < 0 ? err_set(e, ENOMEM, "-e") : 0;
	case 'w':
		if (arg[0] != '/')
			return err_set(e, 0, "invalid workdir '%s': it must be an absolute path", arg);
		free(p->cwd);
		p->cwd = path_dup(arg, strlen(arg));
		return p->cwd ? 0 : err_set(e, ENOMEM, "-w");
	case 'u':
		o->user = arg;
		return cli_parse_user(arg, &p->uid, &gid, &o->has_gid, e) < 0 ? -1 : (p->gid = gid, 0);
	case 'v': return add_mount(c, arg, e);
	case OPT_READ_ONLY: c->root.readonly = true; return 0;
	case 'm':
		if (units_parse_size(arg, &c->resources.memory, e) < 0)
			return -1;
		if (c->resources.memory < MIN_MEMORY)
			return err_set(e, 0, "invalid --memory '%s': the minimum is 6m", arg);
		return 0;
	case OPT_PIDS:
		if (units_parse_int(arg, -1, INT32_MAX, &v, "--pids-limit", e) < 0)
			return -1;
		c->resources.pids = v > 0 ? v : 0;   /* 0 and -1 mean no limit */
		return 0;
	case OPT_CPUS:
		return units_parse_cpus(arg, sysconf(_SC_NPROCESSORS_ONLN), &c->resources.cpu_quota,
					&c->resources.cpu_period, e);
	case OPT_NETWORK: return parse_network(arg, &c->net.mode, e);
	case 'p': return add_port(c, arg, e);
	case 't': p->terminal = true; return 0;
	case 'i': p->interactive = true; return 0;
	case OPT_CAP_ADD: return strv_append(&o->cap_add, arg) < 0 ? err_set(e, ENOMEM, "--cap-add") : 0;
	case OPT_CAP_DROP: return strv_append(&o->cap_drop, arg) < 0 ? err_set(e, ENOMEM, "--cap-drop") : 0;
	case OPT_RM: return 0;
	}
	return err_set(e, 0, "unhandled option %d", opt);
}

static void options_free(struct options *o)
{
	strv_free(o->env);
	strv_free(o->cap_add);
	strv_free(o->cap_drop);
}

static int parse(int argc, char **argv, struct container *c, struct options *o, struct err *e)
{
	int opt;

	optind = 0;             /* glibc: start over, as the unit tests parse many times */
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+:e:w:u:v:m:p:tih", long_options, NULL)) != -1) {
		if (opt == 'h')
			return CLI_HELP;
		if (opt == '?')
			return err_set(e, 0, "run: unknown option '%s'", argv[optind - 1]),
			       err_hint(e, "see mvrc --help");
		if (opt == ':')
			return err_set(e, 0, "run: option '%s' needs a value", argv[optind - 1]);
		if (parse_option(opt, optarg, c, o, e) < 0)
			return -1;
	}
	if (argc - optind < 2)
		return err_set(e, 0, "run: %s", argc - optind ? "missing CMD" : "missing ROOTFS and CMD"),
		       err_hint(e, "usage: mvrc run [OPTIONS] ROOTFS CMD [ARG...]");
	if (set_rootfs(c, argv[optind], e) < 0)
		return -1;
	for (int i = optind + 1; i < argc; i++)
		if (strv_append(&c->process.argv, argv[i]) < 0)
			return err_set(e, ENOMEM, "command line");
	return finish(c, o, e);
}

int cli_parse_run(int argc, char **argv, struct container *c, struct err *e)
{
	struct options o = { 0 };
	int ret;

	if (container_init(c) < 0)
		return err_set(e, ENOMEM, "container description");
	ret = parse(argc, argv, c, &o, e);
	options_free(&o);
	return ret;
}
