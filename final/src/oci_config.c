/* oci_config.c - config.json's top level, process, root, mounts, hooks
 * and annotations; "linux" is in oci_linux.c.  See oci_config.h for the
 * rules, and the runtime spec's config.md for each field.
 */
#include "oci_config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capabilities.h"
#include "oci_json.h"
#include "oci_linux.h"
#include "util.h"

#define MAX_TEXT (4 * 1024 * 1024)      /* a config.json is kilobytes */

int oci_read_file(const char *path, char **text, struct err *e)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;

	if (fd < 0)
		return err_set(e, errno, "open %s", path);
	do {
		if (len + 1 >= cap) {
			char *grown;

			if (cap >= MAX_TEXT)
				return err_set(e, EFBIG, "read %s", path);
			cap = cap ? cap * 2 : 16384;
			if (!(grown = realloc(buf, cap)))
				return err_set(e, ENOMEM, "read %s", path);
			buf = grown;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno != EINTR)
			return err_set(e, errno, "read %s", path);
		if (n > 0)
			len += (size_t)n;
	} while (n != 0);
	buf[len] = '\0';
	*text = buf;
	buf = NULL;
	return 0;
}

/* ---- process ----------------------------------------------------------- */

static const struct {
	const char *name;
	int resource;
} rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimit(json_object *o, const char *path, struct rlimit_entry *r,
			struct err *e)
{
	_cleanup_free_ char *type = NULL;
	uint64_t soft = 0, hard = 0;
	char p[OCI_PATH_MAX];

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_string(o, "type", path, &type, e) <= 0 ||
	    oci_json_uint64(o, "soft", path, &soft, e) <= 0 ||
	    oci_json_uint64(o, "hard", path, &hard, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "needs type, soft and hard");
	r->soft = soft;
	r->hard = hard;
	for (size_t i = 0; i < sizeof(rlimit_names) / sizeof(rlimit_names[0]); i++)
		if (strcmp(type, rlimit_names[i].name) == 0) {
			r->resource = rlimit_names[i].resource;
			return soft <= hard ? 0 : oci_json_error(e, path, "soft is above hard");
		}
	return oci_json_error(e, oci_json_path(p, path, "type"), "unknown rlimit '%s'", type);
}

static int parse_rlimits(json_object *proc, const char *path, struct process *p,
			 struct err *e)
{
	char ap[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	json_object *arr;
	int r = oci_json_get(proc, "rlimits", json_type_array, path, &arr, e);
	size_t n;

	if (r <= 0)
		return r;
	oci_json_path(ap, path, "rlimits");
	n = json_object_array_length(arr);
	free(p->rlimits);
	p->rlimits = calloc(n ? n : 1, sizeof(*p->rlimits));
	p->n_rlimits = 0;
	if (!p->rlimits)
		return err_set(e, ENOMEM, "config.json");
	for (size_t i = 0; i < n; i++, p->n_rlimits++)
		if (parse_rlimit(json_object_array_get_idx(arr, i), oci_json_index(ip, ap, i),
				 &p->rlimits[i], e) < 0)
			return -1;
	return 0;
}

static int parse_cap_set(json_object *caps, const char *key, const char *path,
			 uint64_t *mask, struct err *e)
{
	_cleanup_strv_ char **names = NULL;
	char sp[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	int cap;

	*mask = 0;
	if (oci_json_strv(caps, key, path, &names, e) < 0)
		return -1;
	oci_json_path(sp, path, key);
	for (size_t i = 0; names && names[i]; i++) {
		if (capabilities_from_name(names[i], &cap, e) < 0)
			return err_wrap(e, "config.json: %s: ", oci_json_index(ip, sp, i));
		*mask |= UINT64_C(1) << cap;
	}
	return 0;
}

static int parse_capabilities(json_object *proc, const char *path, struct process *p,
			      struct err *e)
{
	char cp[OCI_PATH_MAX];
	json_object *caps;
	struct capabilities *c = &p->caps;
	int r = oci_json_get(proc, "capabilities", json_type_object, path, &caps, e);

	memset(c, 0, sizeof(*c));
	if (r <= 0)
		return r;
	oci_json_path(cp, path, "capabilities");
	if (parse_cap_set(caps, "bounding", cp, &c->bounding, e) < 0 ||
	    parse_cap_set(caps, "effective", cp, &c->effective, e) < 0 ||
	    parse_cap_set(caps, "permitted", cp, &c->permitted, e) < 0 ||
	    parse_cap_set(caps, "inheritable", cp, &c->inheritable, e) < 0 ||
	    parse_cap_set(caps, "ambient", cp, &c->ambient, e) < 0)
		return -1;
	/* The kernel keeps a capability ambient only while it is permitted
	 * and inheritable (capabilities(7)); runc's own spec lists ambient
	 * ones without inheritable, meaning "keep these across exec". */
	if (c->ambient & ~c->permitted)
		return oci_json_error(e, cp, "ambient holds capabilities that permitted does not");
	c->inheritable |= c->ambient;
	return 0;
}

static int parse_user(json_object *proc, const char *path, struct process *p,
		      struct err *e)
{
	char up[OCI_PATH_MAX], gp[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	json_object *user, *gids;
	int64_t v;
	int r;

	if ((r = oci_json_get(proc, "user", json_type_object, path, &user, e)) <= 0)
		return r < 0 ? -1 : oci_json_error(e, path, "user is required");
	oci_json_path(up, path, "user");
	if (oci_json_int(user, "uid", up, 0, UINT32_MAX - 1, &v, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, up, "uid is required");
	p->uid = (uid_t)v;
	if (oci_json_int(user, "gid", up, 0, UINT32_MAX - 1, &v, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, up, "gid is required");
	p->gid = (gid_t)v;
	if ((r = oci_json_int(user, "umask", up, 0, 0777, &v, e)) < 0)
		return -1;
	p->umask = r ? (mode_t)v : 022;     /* runc's default */
	p->has_umask = true;
	if (oci_json_unsupported(user, "username", up, e) < 0)
		return -1;
	if ((r = oci_json_get(user, "additionalGids", json_type_array, up, &gids, e)) <= 0)
		return r;
	oci_json_path(gp, up, "additionalGids");
	p->n_additional_gids = json_object_array_length(gids);
	p->additional_gids = calloc(p->n_additional_gids + 1, sizeof(gid_t));
	if (!p->additional_gids)
		return err_set(e, ENOMEM, "config.json");
	for (size_t i = 0; i < p->n_additional_gids; i++) {
		json_object *g = json_object_array_get_idx(gids, i);

		errno = 0;
		if (!json_object_is_type(g, json_type_int) || json_object_get_int64(g) < 0 ||
		    json_object_get_int64(g) >= UINT32_MAX)
			return oci_json_error(e, oci_json_index(ip, gp, i), "expected a group id");
		p->additional_gids[i] = (gid_t)json_object_get_int64(g);
	}
	return 0;
}

static const char *const process_unsupported[] = {
	"apparmorProfile", "selinuxLabel", "ioPriority", "scheduler",
	"execCPUAffinity", "commandLine", NULL,
};

static int parse_process(json_object *proc, const char *path, struct process *p,
			 struct err *e)
{
	char cp[OCI_PATH_MAX];
	json_object *size;
	int64_t v;
	int r;

	for (size_t i = 0; process_unsupported[i]; i++)
		if (oci_json_unsupported(proc, process_unsupported[i], path, e) < 0)
			return -1;
	if (oci_json_strv(proc, "args", path, &p->argv, e) < 0)
		return -1;
	if (strv_length(p->argv) == 0)
		return oci_json_error(e, oci_json_path(cp, path, "args"), "needs at least one element");
	if (oci_json_strv(proc, "env", path, &p->env, e) < 0)
		return -1;
	if (!p->env && !(p->env = calloc(1, sizeof(char *))))
		return err_set(e, ENOMEM, "config.json");
	if (oci_json_string(proc, "cwd", path, &p->cwd, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "cwd is required");
	if (p->cwd[0] != '/')
		return oci_json_error(e, oci_json_path(cp, path, "cwd"), "'%s' is not an absolute path",
				      p->cwd);
	if (oci_json_bool(proc, "terminal", path, &p->terminal, e) < 0 ||
	    oci_json_bool(proc, "noNewPrivileges", path, &p->no_new_privs, e) < 0)
		return -1;
	/* The OCI caller owns stdio: mvrc passes it through untouched. */
	p->interactive = true;
	if ((r = oci_json_get(proc, "consoleSize", json_type_object, path, &size, e)) < 0)
		return -1;
	oci_json_path(cp, path, "consoleSize");
	if (r) {
		if (oci_json_int(size, "height", cp, 0, USHRT_MAX, &v, e) <= 0)
			return e->what[0] ? -1 : oci_json_error(e, cp, "height is required");
		p->console_rows = (unsigned short)v;
		if (oci_json_int(size, "width", cp, 0, USHRT_MAX, &v, e) <= 0)
			return e->what[0] ? -1 : oci_json_error(e, cp, "width is required");
		p->console_cols = (unsigned short)v;
	}
	if (parse_user(proc, path, p, e) < 0 || parse_capabilities(proc, path, p, e) < 0)
		return -1;
	return parse_rlimits(proc, path, p, e);
}

int oci_config_parse_process(const char *text, struct process *p, struct err *e)
{
	json_object *root;
	enum json_tokener_error jerr;
	int r;

	strv_free(p->argv);
	strv_free(p->env);
	free(p->cwd);
	free(p->additional_gids);
	free(p->rlimits);
	memset(p, 0, sizeof(*p));
	root = json_tokener_parse_verbose(text, &jerr);
	if (!root)
		return err_set(e, 0, "process.json: %s", json_tokener_error_desc(jerr));
	if (!json_object_is_type(root, json_type_object))
		r = err_set(e, 0, "process.json: expected an object");
	else
		r = parse_process(root, "process", p, e);
	json_object_put(root);
	return r;
}

/* ---- root, mounts ------------------------------------------------------ */

static int parse_root(json_object *top, const char *bundle, struct container *c,
		      struct err *e)
{
	_cleanup_free_ char *path = NULL;
	json_object *root;
	int r = oci_json_get(top, "root", json_type_object, "", &root, e);

	if (r <= 0)
		return r < 0 ? -1 : oci_json_error(e, "root", "is required");
	if (oci_json_string(root, "path", "root", &path, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, "root.path", "is required");
	if (oci_json_bool(root, "readonly", "root", &c->root.readonly, e) < 0)
		return -1;
	if (path[0] == '/')
		c->root.path = strdup(path);
	else if (asprintf(&c->root.path, "%s/%s", bundle, path) < 0)
		c->root.path = NULL;
	return c->root.path ? 0 : err_set(e, ENOMEM, "config.json");
}

/* runc's table of mount options that are MS_* flags: set or clear. */
static const struct {
	const char *name;
	bool clear;
	unsigned long flag;
} mount_flags[] = {
	{ "async", true, MS_SYNCHRONOUS }, { "atime", true, MS_NOATIME },
	{ "bind", false, MS_BIND }, { "defaults", false, 0 },
	{ "dev", true, MS_NODEV }, { "diratime", true, MS_NODIRATIME },
	{ "dirsync", false, MS_DIRSYNC }, { "exec", true, MS_NOEXEC },
	{ "iversion", false, MS_I_VERSION }, { "lazytime", false, MS_LAZYTIME },
	{ "loud", true, MS_SILENT }, { "mand", false, MS_MANDLOCK },
	{ "noatime", false, MS_NOATIME }, { "nodev", false, MS_NODEV },
	{ "nodiratime", false, MS_NODIRATIME }, { "noexec", false, MS_NOEXEC },
	{ "noiversion", true, MS_I_VERSION }, { "nolazytime", true, MS_LAZYTIME },
	{ "nomand", true, MS_MANDLOCK }, { "norelatime", true, MS_RELATIME },
	{ "nostrictatime", true, MS_STRICTATIME }, { "nosuid", false, MS_NOSUID },
	{ "rbind", false, MS_BIND | MS_REC }, { "relatime", false, MS_RELATIME },
	{ "ro", false, MS_RDONLY }, { "rw", true, MS_RDONLY },
	{ "silent", false, MS_SILENT }, { "strictatime", false, MS_STRICTATIME },
	{ "suid", true, MS_NOSUID }, { "sync", false, MS_SYNCHRONOUS },
};

/* Filesystem options without a value that go to mount(2)'s data. */
static const char *const data_words[] = { "newinstance", NULL };

static int append_data(char **data, const char *opt, struct err *e)
{
	char *joined;

	if (asprintf(&joined, "%s%s%s", *data ? *data : "", *data ? "," : "", opt) < 0)
		return err_set(e, ENOMEM, "config.json");
	free(*data);
	*data = joined;
	return 0;
}

static int mount_option(struct mount_entry *m, const char *opt, const char *path,
			struct err *e)
{
	unsigned long prop = oci_propagation(opt);

	for (size_t i = 0; i < sizeof(mount_flags) / sizeof(mount_flags[0]); i++)
		if (strcmp(opt, mount_flags[i].name) == 0) {
			if (mount_flags[i].clear)
				m->flags &= ~mount_flags[i].flag;
			else
				m->flags |= mount_flags[i].flag;
			return 0;
		}
	if (prop) {
		m->propagation = prop;
		return 0;
	}
	for (size_t i = 0; data_words[i]; i++)
		if (strcmp(opt, data_words[i]) == 0)
			return append_data(&m->data, opt, e);
	if (strchr(opt, '=') && opt[0] != '=')
		return append_data(&m->data, opt, e);
	return oci_json_error(e, path, "unknown mount option '%s'", opt);
}

/* The filesystems mvrc always mounts itself, the way Docker's defaults
 * have them (mounts.c, devices.c): a bundle's entries for them are the
 * same request, so they are taken as met rather than mounted twice. */
static const struct {
	const char *destination, *type;
} builtin_mounts[] = {
	{ "/proc", "proc" }, { "/dev", "tmpfs" }, { "/dev/pts", "devpts" },
	{ "/dev/shm", "tmpfs" }, { "/dev/mqueue", "mqueue" }, { "/sys", "sysfs" },
	{ "/sys", "bind" },     /* rootless runc spec: the host's /sys, rbind */
};

static const char *const mount_types[] = {
	"bind", "proc", "tmpfs", "devpts", "mqueue", "sysfs", "cgroup", "cgroup2", NULL,
};

static int builtin(const struct mount_entry *m)
{
	for (size_t i = 0; i < sizeof(builtin_mounts) / sizeof(builtin_mounts[0]); i++)
		if (strcmp(m->destination, builtin_mounts[i].destination) == 0 &&
		    strcmp(m->type, builtin_mounts[i].type) == 0)
			return 1;
	return 0;
}

static int check_type(struct mount_entry *m, const char *path, const char *bundle,
		      struct err *e)
{
	char tp[OCI_PATH_MAX];
	size_t i;

	if (!m->type || !m->type[0] || strcmp(m->type, "none") == 0 || (m->flags & MS_BIND)) {
		free(m->type);
		if (!(m->type = strdup("bind")))
			return err_set(e, ENOMEM, "config.json");
	}
	for (i = 0; mount_types[i] && strcmp(m->type, mount_types[i]) != 0; i++)
		;
	if (!mount_types[i])
		return oci_json_error(e, oci_json_path(tp, path, "type"), "'%s' not supported", m->type);
	if (strcmp(m->type, "bind") == 0) {
		m->flags |= MS_BIND;
		if (!m->source)
			return oci_json_error(e, path, "a bind mount needs a source");
		if (m->source[0] != '/') {         /* relative to the bundle */
			char *abs;

			if (asprintf(&abs, "%s/%s", bundle, m->source) < 0)
				return err_set(e, ENOMEM, "config.json");
			free(m->source);
			m->source = abs;
		}
	}
	if (strcmp(m->type, "cgroup") == 0) {
		/* A cgroup v1 hierarchy cannot be mounted in a user namespace;
		 * the unified one (cgroup2) can, and inside the container's
		 * cgroup namespace it shows the container's own cgroup. */
		free(m->type);
		free(m->source);
		m->type = strdup("cgroup2");
		m->source = strdup("cgroup2");
		if (!m->type || !m->source)
			return err_set(e, ENOMEM, "config.json");
	}
	return 0;
}

static int parse_mount(json_object *o, const char *path, const char *bundle,
		       struct mount_entry *m, struct err *e)
{
	_cleanup_strv_ char **options = NULL;
	char op[OCI_PATH_MAX], ip[OCI_PATH_MAX];

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_string(o, "destination", path, &m->destination, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "destination is required");
	if (m->destination[0] != '/')
		return oci_json_error(e, oci_json_path(op, path, "destination"),
				      "'%s' is not an absolute path", m->destination);
	if (oci_json_string(o, "source", path, &m->source, e) < 0 ||
	    oci_json_string(o, "type", path, &m->type, e) < 0 ||
	    oci_json_strv(o, "options", path, &options, e) < 0 ||
	    oci_json_unsupported(o, "uidMappings", path, e) < 0 ||
	    oci_json_unsupported(o, "gidMappings", path, e) < 0)
		return -1;
	oci_json_path(op, path, "options");
	for (size_t i = 0; options && options[i]; i++)
		if (mount_option(m, options[i], oci_json_index(ip, op, i), e) < 0)
			return -1;
	return check_type(m, path, bundle, e);
}

static void mount_entry_free(struct mount_entry *m)
{
	free(m->destination);
	free(m->source);
	free(m->type);
	free(m->data);
	memset(m, 0, sizeof(*m));
}

static int parse_mounts(json_object *top, const char *bundle, struct container *c,
			struct err *e)
{
	char ip[OCI_PATH_MAX];
	json_object *arr;
	int r = oci_json_get(top, "mounts", json_type_array, "", &arr, e);
	size_t n;

	if (r <= 0)
		return r;
	n = json_object_array_length(arr);
	c->mounts = calloc(n ? n : 1, sizeof(*c->mounts));
	if (!c->mounts)
		return err_set(e, ENOMEM, "config.json");
	for (size_t i = 0; i < n; i++) {
		struct mount_entry *m = &c->mounts[c->n_mounts++];

		if (parse_mount(json_object_array_get_idx(arr, i), oci_json_index(ip, "mounts", i),
				bundle, m, e) < 0)
			return -1;
		if (builtin(m))
			mount_entry_free(m), c->n_mounts--;
	}
	return 0;
}

/* ---- hooks, annotations ------------------------------------------------ */

static const char *const hook_names[HOOK_POINTS] = {
	[HOOK_PRESTART] = "prestart", [HOOK_CREATE_RUNTIME] = "createRuntime",
	[HOOK_CREATE_CONTAINER] = "createContainer",
	[HOOK_START_CONTAINER] = "startContainer", [HOOK_POSTSTART] = "poststart",
	[HOOK_POSTSTOP] = "poststop",
};

static int parse_hook(json_object *o, const char *path, struct hook *h, struct err *e)
{
	int64_t timeout = 0;

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_string(o, "path", path, &h->path, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "path is required");
	if (h->path[0] != '/')
		return oci_json_error(e, path, "path '%s' is not absolute", h->path);
	if (oci_json_strv(o, "args", path, &h->args, e) < 0 ||
	    oci_json_strv(o, "env", path, &h->env, e) < 0 ||
	    oci_json_int(o, "timeout", path, 1, INT32_MAX, &timeout, e) < 0)
		return -1;
	h->timeout = (int)timeout;
	return 0;
}

static int parse_hooks(json_object *top, struct container *c, struct err *e)
{
	char hp[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	json_object *hooks, *arr;
	int r = oci_json_get(top, "hooks", json_type_object, "", &hooks, e);

	if (r <= 0)
		return r;
	for (int k = 0; k < HOOK_POINTS; k++) {
		struct hook_list *l = &c->hooks[k];
		size_t n;

		if ((r = oci_json_get(hooks, hook_names[k], json_type_array, "hooks", &arr, e)) < 0)
			return -1;
		if (r == 0)
			continue;
		oci_json_path(hp, "hooks", hook_names[k]);
		n = json_object_array_length(arr);
		if (!(l->hooks = calloc(n ? n : 1, sizeof(*l->hooks))))
			return err_set(e, ENOMEM, "config.json");
		for (size_t i = 0; i < n; i++, l->n++)
			if (parse_hook(json_object_array_get_idx(arr, i), oci_json_index(ip, hp, i),
				       &l->hooks[i], e) < 0)
				return -1;
	}
	return 0;
}

static int parse_annotations(json_object *top, struct container *c, struct err *e)
{
	char ap[OCI_PATH_MAX], *kv;
	json_object *obj;
	int r = oci_json_get(top, "annotations", json_type_object, "", &obj, e);

	if (r <= 0)
		return r;
	json_object_object_foreach(obj, key, val) {
		if (!json_object_is_type(val, json_type_string))
			return oci_json_error(e, oci_json_path(ap, "annotations", key),
					      "expected a string");
		if (asprintf(&kv, "%s=%s", key, json_object_get_string(val)) < 0)
			return err_set(e, ENOMEM, "config.json");
		r = strv_append(&c->annotations, kv);
		free(kv);
		if (r < 0)
			return err_set(e, ENOMEM, "config.json");
	}
	return 0;
}

/* ---- the whole file ---------------------------------------------------- */

static int check_version(json_object *top, struct err *e)
{
	_cleanup_free_ char *v = NULL;

	if (oci_json_string(top, "ociVersion", "", &v, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, "ociVersion", "is required");
	if (strncmp(v, "1.", 2) != 0)
		return oci_json_error(e, "ociVersion", "'%s' is not supported (mvrc reads 1.x)", v);
	return 0;
}

static const char *const top_unsupported[] = {
	"domainname", "solaris", "windows", "vm", "zos", NULL,
};

static bool setgroups_denied_here(void)
{
	char buf[8] = "";
	_cleanup_close_ int fd = open("/proc/self/setgroups", O_RDONLY | O_CLOEXEC);

	return fd >= 0 && read(fd, buf, sizeof(buf) - 1) > 0 && strncmp(buf, "deny", 4) == 0;
}

/* What depends on several fields at once. */
static int finish(struct container *c, struct err *e)
{
	struct id_mappings *ids = &c->ids;

	if (c->hostname && c->hostname[0] && !c->namespaces[NS_UTS].create)
		return oci_json_error(e, "hostname", "needs a new uts namespace in linux.namespaces");
	/* No network namespace of its own: the host's, like --network host.
	 * A joined one (Podman's, with its uplink) is configured by whoever
	 * made it: mvrc leaves it alone the same way. */
	c->net.mode = c->namespaces[NS_NET].create ? NETWORK_NONE : NETWORK_HOST;
	/* cgroupfs may be mounted only from a cgroup namespace of one's own;
	 * without one, bind the host's hierarchy (read-only) as runc does. */
	for (size_t i = 0; i < c->n_mounts; i++) {
		struct mount_entry *m = &c->mounts[i];

		if (strcmp(m->type, "cgroup2") != 0 || c->namespaces[NS_CGROUP].create)
			continue;
		free(m->type);
		free(m->source);
		m->type = strdup("bind");
		m->source = strdup("/sys/fs/cgroup");
		if (!m->type || !m->source)
			return err_set(e, ENOMEM, "config.json");
		m->flags |= MS_BIND | MS_REC;
	}
	if ((ids->n_uid || ids->n_gid) && !c->namespaces[NS_USER].create)
		return oci_json_error(e, "linux.uidMappings", "needs a new user namespace");
	/* The one gid map an unprivileged process may write itself needs
	 * setgroups denied first; see user_namespaces(7). */
	if (getuid() != 0 && ids->n_gid == 1 && ids->gid[0].count == 1 &&
	    ids->gid[0].outside == getgid())
		ids->setgroups_deny = true;
	/* Sharing our user namespace, the container may call setgroups as
	 * far as we may: not at all in one made by `unshare -r`. */
	if (!c->namespaces[NS_USER].create && setgroups_denied_here())
		ids->setgroups_deny = true;
	return 0;
}

static int parse_top(json_object *top, const char *bundle, struct container *c,
		     struct err *e)
{
	json_object *obj;
	int r;

	if (!json_object_is_type(top, json_type_object))
		return err_set(e, 0, "config.json: expected an object");
	if (check_version(top, e) < 0)
		return -1;
	for (size_t i = 0; top_unsupported[i]; i++)
		if (oci_json_unsupported(top, top_unsupported[i], "", e) < 0)
			return -1;
	if ((r = oci_json_get(top, "process", json_type_object, "", &obj, e)) <= 0)
		return r < 0 ? -1 : oci_json_error(e, "process", "is required");
	if (parse_process(obj, "process", &c->process, e) < 0)
		return -1;
	{
		int64_t adj;

		if ((r = oci_json_int(obj, "oomScoreAdj", "process", -1000, 1000, &adj, e)) < 0)
			return -1;
		c->oom_score_adj = (int)adj;
		c->has_oom_score_adj = r > 0;
	}
	if (parse_root(top, bundle, c, e) < 0 ||
	    oci_json_string(top, "hostname", "", &c->hostname, e) < 0 ||
	    parse_mounts(top, bundle, c, e) < 0 || parse_hooks(top, c, e) < 0 ||
	    parse_annotations(top, c, e) < 0)
		return -1;
	if ((r = oci_json_get(top, "linux", json_type_object, "", &obj, e)) < 0)
		return -1;
	if (r && oci_linux_parse(obj, c, e) < 0)
		return -1;
	return finish(c, e);
}

int oci_config_parse(const char *text, const char *bundle, struct container *c,
		     struct err *e)
{
	enum json_tokener_error jerr;
	json_object *top;
	int r;

	memset(c, 0, sizeof(*c));
	e->what[0] = '\0';
	top = json_tokener_parse_verbose(text, &jerr);
	if (!top)
		return err_set(e, 0, "config.json: %s", json_tokener_error_desc(jerr));
	r = parse_top(top, bundle, c, e);
	json_object_put(top);
	return r;
}

int oci_config_load(const char *bundle, struct container *c, struct err *e)
{
	_cleanup_free_ char *text = NULL, *path = NULL, *abs = NULL;
	struct stat st;

	memset(c, 0, sizeof(*c));
	if (!(abs = realpath(bundle, NULL)))
		return err_set(e, errno, "bundle %s", bundle);
	if (asprintf(&path, "%s/config.json", abs) < 0)
		return err_set(e, ENOMEM, "bundle");
	if (oci_read_file(path, &text, e) < 0 || oci_config_parse(text, abs, c, e) < 0)
		return -1;
	if (stat(c->root.path, &st) < 0)
		return err_set(e, errno, "root.path %s", c->root.path);
	if (!S_ISDIR(st.st_mode))
		return err_set(e, ENOTDIR, "root.path %s", c->root.path);
	return 0;
}
