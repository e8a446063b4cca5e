/* oci_linux.c - config.json's "linux" object: namespaces, id maps,
 * resources, sysctl, masked and read-only paths, propagation, seccomp.
 * See config-linux.md in the runtime spec for each field.
 */
#include "oci_linux.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "oci_json.h"
#include "util.h"

unsigned long oci_propagation(const char *name)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} props[] = {
		{ "private", MS_PRIVATE }, { "rprivate", MS_PRIVATE | MS_REC },
		{ "shared", MS_SHARED }, { "rshared", MS_SHARED | MS_REC },
		{ "slave", MS_SLAVE }, { "rslave", MS_SLAVE | MS_REC },
		{ "unbindable", MS_UNBINDABLE }, { "runbindable", MS_UNBINDABLE | MS_REC },
	};

	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		if (strcmp(name, props[i].name) == 0)
			return props[i].flags;
	return 0;
}

/* ---- namespaces and id maps -------------------------------------------- */

static const char *const ns_names[NS_COUNT] = {
	[NS_USER] = "user", [NS_PID] = "pid", [NS_UTS] = "uts", [NS_IPC] = "ipc",
	[NS_MNT] = "mount", [NS_CGROUP] = "cgroup", [NS_NET] = "network",
};

static int parse_namespace(json_object *o, const char *path, struct container *c,
			   struct err *e)
{
	_cleanup_free_ char *type = NULL, *nspath = NULL;
	char tp[OCI_PATH_MAX];
	int i;

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_string(o, "type", path, &type, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "type is required");
	if (oci_json_string(o, "path", path, &nspath, e) < 0)
		return -1;
	oci_json_path(tp, path, "type");
	if (strcmp(type, "time") == 0)
		return oci_json_error(e, tp, "time namespaces are not supported");
	for (i = 0; i < NS_COUNT && strcmp(type, ns_names[i]) != 0; i++)
		;
	if (i == NS_COUNT)
		return oci_json_error(e, tp, "unknown namespace type '%s'", type);
	if (c->namespaces[i].create || c->namespaces[i].path)
		return oci_json_error(e, tp, "namespace '%s' is listed twice", type);
	if (nspath && nspath[0]) {
		if (nspath[0] != '/')
			return oci_json_error(e, path, "path '%s' is not absolute", nspath);
		/* The container's init joins after clone3 (namespaces.c):
		 * too late to be born in another pid namespace, or to create
		 * the new ones inside a joined user namespace. */
		if (i == NS_USER || i == NS_PID)
			return oci_json_error(e, path, "joining a %s namespace by path is not supported",
					      type);
		c->namespaces[i].path = nspath;
		nspath = NULL;
	} else {
		c->namespaces[i].create = true;
	}
	return 0;
}

static int parse_namespaces(json_object *lx, struct container *c, struct err *e)
{
	char ip[OCI_PATH_MAX];
	json_object *arr;
	int r = oci_json_get(lx, "namespaces", json_type_array, "linux", &arr, e);

	if (r <= 0)
		return r;
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (parse_namespace(json_object_array_get_idx(arr, i),
				    oci_json_index(ip, "linux.namespaces", i), c, e) < 0)
			return -1;
	return 0;
}

static int parse_map(json_object *lx, const char *key, struct id_map *maps, size_t *n,
		     struct err *e)
{
	char mp[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	json_object *arr;
	int64_t v[3];
	static const char *const fields[3] = { "containerID", "hostID", "size" };
	int r = oci_json_get(lx, key, json_type_array, "linux", &arr, e);

	if (r <= 0)
		return r;
	oci_json_path(mp, "linux", key);
	if (json_object_array_length(arr) > ID_MAP_MAX)
		return oci_json_error(e, mp, "more than %d lines", ID_MAP_MAX);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);

		oci_json_index(ip, mp, i);
		if (!json_object_is_type(o, json_type_object))
			return oci_json_error(e, ip, "expected an object");
		for (int f = 0; f < 3; f++)
			if (oci_json_int(o, fields[f], ip, f == 2, UINT32_MAX, &v[f], e) <= 0)
				return e->what[0] ? -1 : oci_json_error(e, ip, "%s is required", fields[f]);
		maps[*n].inside = (uint32_t)v[0];
		maps[*n].outside = (uint32_t)v[1];
		maps[*n].count = (uint32_t)v[2];
		(*n)++;
	}
	return 0;
}

/* ---- devices ----------------------------------------------------------- */

/* mvrc's /dev always has these (devices.c), bound from the host: a bundle
 * that lists them asks for what is there.  Any other node would need
 * mknod, which a user namespace may not do. */
static const char *const standard_devices[] = {
	"/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom",
	"/dev/tty", NULL,
};

static int check_devices(json_object *lx, struct err *e)
{
	_cleanup_free_ char *path = NULL;
	char ip[OCI_PATH_MAX];
	json_object *arr;
	size_t k;
	int r = oci_json_get(lx, "devices", json_type_array, "linux", &arr, e);

	if (r <= 0)
		return r;
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *o = json_object_array_get_idx(arr, i);

		oci_json_index(ip, "linux.devices", i);
		if (!json_object_is_type(o, json_type_object))
			return oci_json_error(e, ip, "expected an object");
		if (oci_json_string(o, "path", ip, &path, e) <= 0)
			return e->what[0] ? -1 : oci_json_error(e, ip, "path is required");
		for (k = 0; standard_devices[k] && strcmp(path, standard_devices[k]) != 0; k++)
			;
		if (!standard_devices[k])
			return oci_json_error(e, ip, "device %s: not supported (only mvrc's "
					      "standard /dev nodes)", path);
	}
	return 0;
}

/* ---- resources --------------------------------------------------------- */

static const char *const memory_unsupported[] = {
	"reservation", "kernel", "kernelTCP", "swappiness",
	"disableOOMKiller", "useHierarchy", "checkBeforeUpdate", NULL,
};
static const char *const cpu_unsupported[] = {
	"realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", "burst", NULL,
};
static const char *const resources_unsupported[] = {
	"blockIO", "hugepageLimits", "network", "rdma", "unified", NULL,
};

static int none_of(json_object *o, const char *const *keys, const char *path,
		   struct err *e)
{
	for (size_t i = 0; keys[i]; i++)
		if (oci_json_unsupported(o, keys[i], path, e) < 0)
			return -1;
	return 0;
}

/* memory.swap is memory plus swap (runc's meaning, and Podman's, which
 * sends twice the limit with -m on cgroup v2).  mvrc takes the three
 * meanings it can enforce: as much swap as memory (mvrc's own rule, so
 * recorded as 0), no swap limit (-1), no swap (equal to the limit). */
static int parse_swap(json_object *mem, struct resources *res, struct err *e)
{
	const char *sp = "linux.resources.memory.swap";
	int64_t swap;
	int r = oci_json_int(mem, "swap", "linux.resources.memory", -1, INT64_MAX, &swap, e);

	if (r <= 0 || swap == 0)
		return r;
	if (swap == -1 || (res->memory && swap == res->memory)) {
		res->memory_swap = swap;
		return 0;
	}
	if (res->memory && res->memory <= INT64_MAX / 2 && swap == 2 * res->memory)
		return 0;
	if (!res->memory)
		return oci_json_error(e, sp, "%lld needs memory.limit", (long long)swap);
	return oci_json_error(e, sp, "%lld is not supported: use -1 (no swap limit), the memory "
			      "limit (no swap) or twice it (as much swap as memory)", (long long)swap);
}

static int parse_resources(json_object *lx, struct resources *res, struct err *e)
{
	const char *rp = "linux.resources";
	json_object *obj, *sub;
	int64_t v;
	uint64_t u;
	int r;

	if ((r = oci_json_get(lx, "resources", json_type_object, "linux", &obj, e)) <= 0)
		return r;
	/* "devices" is the device cgroup's allow list.  mvrc's /dev holds
	 * only the standard nodes, which every such list allows, and a user
	 * namespace could not open others anyway: nothing to enforce. */
	if (none_of(obj, resources_unsupported, rp, e) < 0)
		return -1;
	if ((r = oci_json_get(obj, "memory", json_type_object, rp, &sub, e)) < 0)
		return -1;
	if (r && (none_of(sub, memory_unsupported, "linux.resources.memory", e) < 0 ||
		  (r = oci_json_int(sub, "limit", "linux.resources.memory", -1, INT64_MAX, &v, e)) < 0))
		return -1;
	if (r && sub)
		res->memory = v > 0 ? v : 0;
	if (sub && parse_swap(sub, res, e) < 0)
		return -1;
	if ((r = oci_json_get(obj, "pids", json_type_object, rp, &sub, e)) < 0)
		return -1;
	if (r && (r = oci_json_int(sub, "limit", "linux.resources.pids", -1, INT64_MAX, &v, e)) < 0)
		return -1;
	if (r)
		res->pids = v > 0 ? v : 0;
	if ((r = oci_json_get(obj, "cpu", json_type_object, rp, &sub, e)) <= 0)
		return r;
	rp = "linux.resources.cpu";
	if (none_of(sub, cpu_unsupported, rp, e) < 0)
		return -1;
	if ((r = oci_json_int(sub, "quota", rp, -1, INT64_MAX, &v, e)) < 0)
		return -1;
	if (r)
		res->cpu_quota = v > 0 ? v : 0;
	if ((r = oci_json_uint64(sub, "period", rp, &u, e)) < 0)
		return -1;
	if (r)
		res->cpu_period = u;
	if ((r = oci_json_uint64(sub, "shares", rp, &u, e)) < 0)
		return -1;
	if (r)
		res->cpu_shares = u;
	if (res->cpu_quota && !res->cpu_period)
		res->cpu_period = 100000;       /* the kernel's default period */
	return 0;
}

/* ---- sysctl ------------------------------------------------------------ */

/* runc's rule: a sysctl is allowed only when it belongs to a namespace
 * the container has its own of; anything else would change the host. */
static int sysctl_allowed(const struct container *c, const char *key)
{
	static const char *const ipc[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni",
		"kernel.shm_rmid_forced", NULL,
	};
	bool own_ipc = c->namespaces[NS_IPC].create || c->namespaces[NS_IPC].path;
	bool own_net = c->namespaces[NS_NET].create || c->namespaces[NS_NET].path;

	for (size_t i = 0; ipc[i]; i++)
		if (strcmp(key, ipc[i]) == 0)
			return own_ipc;
	if (strncmp(key, "fs.mqueue.", 10) == 0)
		return own_ipc;
	if (strncmp(key, "net.", 4) == 0)
		return own_net;
	if (strcmp(key, "kernel.hostname") == 0 || strcmp(key, "kernel.domainname") == 0)
		return c->namespaces[NS_UTS].create;
	return 0;
}

static int parse_sysctl(json_object *lx, struct container *c, struct err *e)
{
	char kp[OCI_PATH_MAX], *kv;
	json_object *obj;
	int r = oci_json_get(lx, "sysctl", json_type_object, "linux", &obj, e);

	if (r <= 0)
		return r;
	json_object_object_foreach(obj, key, val) {
		oci_json_path(kp, "linux.sysctl", key);
		if (!json_object_is_type(val, json_type_string))
			return oci_json_error(e, kp, "expected a string");
		if (strstr(key, "..") || strchr(key, '/') || key[0] == '.' || !key[0])
			return oci_json_error(e, kp, "not a sysctl name");
		if (!sysctl_allowed(c, key))
			return oci_json_error(e, kp, "not allowed: it is not in a namespace "
					      "of the container's own");
		if (asprintf(&kv, "%s=%s", key, json_object_get_string(val)) < 0)
			return err_set(e, ENOMEM, "config.json");
		r = strv_append(&c->sysctl, kv);
		free(kv);
		if (r < 0)
			return err_set(e, ENOMEM, "config.json");
	}
	return 0;
}

/* ---- seccomp ----------------------------------------------------------- */

static int parse_action(json_object *o, const char *key, const char *path,
			enum filter_action *a, struct err *e)
{
	static const struct {
		const char *name;
		enum filter_action action;
	} actions[] = {
		{ "SCMP_ACT_KILL", FILTER_KILL_THREAD },
		{ "SCMP_ACT_KILL_THREAD", FILTER_KILL_THREAD },
		{ "SCMP_ACT_KILL_PROCESS", FILTER_KILL_PROCESS },
		{ "SCMP_ACT_TRAP", FILTER_TRAP }, { "SCMP_ACT_ERRNO", FILTER_ERRNO },
		{ "SCMP_ACT_TRACE", FILTER_TRACE }, { "SCMP_ACT_ALLOW", FILTER_ALLOW },
		{ "SCMP_ACT_LOG", FILTER_LOG },
	};
	_cleanup_free_ char *name = NULL;
	char ap[OCI_PATH_MAX];

	if (oci_json_string(o, key, path, &name, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "%s is required", key);
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(name, actions[i].name) == 0) {
			*a = actions[i].action;
			return 0;
		}
	oci_json_path(ap, path, key);
	if (strcmp(name, "SCMP_ACT_NOTIFY") == 0)
		return oci_json_error(e, ap, "SCMP_ACT_NOTIFY: not supported");
	return oci_json_error(e, ap, "unknown action '%s'", name);
}

static int parse_arg(json_object *o, const char *path, struct filter_arg *a, struct err *e)
{
	static const char *const ops[] = {
		[FILTER_NE] = "SCMP_CMP_NE", [FILTER_LT] = "SCMP_CMP_LT",
		[FILTER_LE] = "SCMP_CMP_LE", [FILTER_EQ] = "SCMP_CMP_EQ",
		[FILTER_GE] = "SCMP_CMP_GE", [FILTER_GT] = "SCMP_CMP_GT",
		[FILTER_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
	};
	_cleanup_free_ char *op = NULL;
	char opp[OCI_PATH_MAX];
	int64_t index;

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_int(o, "index", path, 0, 5, &index, e) <= 0 ||
	    oci_json_uint64(o, "value", path, &a->value, e) <= 0 ||
	    oci_json_string(o, "op", path, &op, e) <= 0)
		return e->what[0] ? -1 : oci_json_error(e, path, "needs index, value and op");
	if (oci_json_uint64(o, "valueTwo", path, &a->value_two, e) < 0)
		return -1;
	a->index = (unsigned)index;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i]) == 0) {
			a->op = (enum filter_op)i;
			return 0;
		}
	return oci_json_error(e, oci_json_path(opp, path, "op"), "unknown operator '%s'", op);
}

static int parse_rule(json_object *o, const char *path, struct filter_rule *r,
		      struct err *e)
{
	char ap[OCI_PATH_MAX], ip[OCI_PATH_MAX];
	json_object *args;
	int64_t v;
	int k;

	if (!json_object_is_type(o, json_type_object))
		return oci_json_error(e, path, "expected an object");
	if (oci_json_strv(o, "names", path, &r->names, e) < 0 ||
	    parse_action(o, "action", path, &r->action, e) < 0)
		return -1;
	if (!r->names)
		return oci_json_error(e, path, "names is required");
	if ((k = oci_json_int(o, "errnoRet", path, 0, 4095, &v, e)) < 0)
		return -1;
	r->errno_ret = k ? (int)v : EPERM;
	if ((k = oci_json_get(o, "args", json_type_array, path, &args, e)) <= 0)
		return k;
	oci_json_path(ap, path, "args");
	r->args = calloc(json_object_array_length(args) + 1, sizeof(*r->args));
	if (!r->args)
		return err_set(e, ENOMEM, "config.json");
	for (size_t i = 0; i < json_object_array_length(args); i++, r->n_args++)
		if (parse_arg(json_object_array_get_idx(args, i), oci_json_index(ip, ap, i),
			      &r->args[i], e) < 0)
			return -1;
	return 0;
}

static int parse_architectures(json_object *sc, struct syscall_filter *f, struct err *e)
{
	_cleanup_strv_ char **names = NULL;
	char ip[OCI_PATH_MAX], lower[32];
	const char *p = "linux.seccomp.architectures";

	if (oci_json_strv(sc, "architectures", "linux.seccomp", &names, e) < 0)
		return -1;
	for (size_t i = 0; names && names[i]; i++) {
		size_t n = strlen(names[i]), k;

		if (strncmp(names[i], "SCMP_ARCH_", 10) != 0 || n - 10 >= sizeof(lower) || n == 10)
			return oci_json_error(e, oci_json_index(ip, p, i),
					      "unknown architecture '%s'", names[i]);
		for (k = 10; k < n; k++)
			lower[k - 10] = (char)(names[i][k] >= 'A' && names[i][k] <= 'Z'
					       ? names[i][k] - 'A' + 'a' : names[i][k]);
		lower[k - 10] = '\0';
		if (strv_append(&f->architectures, lower) < 0)
			return err_set(e, ENOMEM, "config.json");
	}
	return 0;
}

static int parse_filter_flags(json_object *sc, struct syscall_filter *f, struct err *e)
{
	static const struct {
		const char *name;
		unsigned flag;
	} flags[] = {
		{ "SECCOMP_FILTER_FLAG_TSYNC", FILTER_FLAG_TSYNC },
		{ "SECCOMP_FILTER_FLAG_LOG", FILTER_FLAG_LOG },
		{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", FILTER_FLAG_SPEC_ALLOW },
	};
	_cleanup_strv_ char **names = NULL;
	char ip[OCI_PATH_MAX];
	size_t k;

	if (oci_json_strv(sc, "flags", "linux.seccomp", &names, e) < 0)
		return -1;
	for (size_t i = 0; names && names[i]; i++) {
		for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (strcmp(names[i], flags[k].name) == 0)
				break;
		if (k == sizeof(flags) / sizeof(flags[0]))
			return oci_json_error(e, oci_json_index(ip, "linux.seccomp.flags", i),
					      "'%s' not supported", names[i]);
		f->flags |= flags[k].flag;
	}
	return 0;
}

static int parse_seccomp(json_object *lx, struct syscall_filter *f, struct err *e)
{
	const char *sp = "linux.seccomp";
	char ip[OCI_PATH_MAX];
	json_object *sc, *arr;
	int64_t v;
	int r;

	if ((r = oci_json_get(lx, "seccomp", json_type_object, "linux", &sc, e)) <= 0)
		return r;
	if (oci_json_unsupported(sc, "listenerPath", sp, e) < 0 ||
	    oci_json_unsupported(sc, "listenerMetadata", sp, e) < 0 ||
	    parse_action(sc, "defaultAction", sp, &f->default_action, e) < 0 ||
	    (r = oci_json_int(sc, "defaultErrnoRet", sp, 0, 4095, &v, e)) < 0)
		return -1;
	f->default_errno = r ? (int)v : EPERM;
	f->enabled = true;
	if (parse_architectures(sc, f, e) < 0 || parse_filter_flags(sc, f, e) < 0)
		return -1;
	if ((r = oci_json_get(sc, "syscalls", json_type_array, sp, &arr, e)) <= 0)
		return r;
	f->rules = calloc(json_object_array_length(arr) + 1, sizeof(*f->rules));
	if (!f->rules)
		return err_set(e, ENOMEM, "config.json");
	for (size_t i = 0; i < json_object_array_length(arr); i++, f->n_rules++)
		if (parse_rule(json_object_array_get_idx(arr, i),
			       oci_json_index(ip, "linux.seccomp.syscalls", i), &f->rules[i], e) < 0)
			return -1;
	return 0;
}

/* ---- the object -------------------------------------------------------- */

static const char *const linux_unsupported[] = {
	"mountLabel", "intelRdt", "personality", "timeOffsets", "netDevices",
	"memoryPolicy", NULL,
};

int oci_linux_parse(json_object *lx, struct container *c, struct err *e)
{
	_cleanup_free_ char *prop = NULL;
	int r;

	if (none_of(lx, linux_unsupported, "linux", e) < 0)
		return -1;
	/* linux.cgroupsPath is advice the spec lets a runtime interpret: mvrc
	 * always puts its cgroup under the caller's own delegated one. */
	if (parse_namespaces(lx, c, e) < 0 ||
	    parse_map(lx, "uidMappings", c->ids.uid, &c->ids.n_uid, e) < 0 ||
	    parse_map(lx, "gidMappings", c->ids.gid, &c->ids.n_gid, e) < 0 ||
	    check_devices(lx, e) < 0 || parse_resources(lx, &c->resources, e) < 0 ||
	    parse_sysctl(lx, c, e) < 0 ||
	    oci_json_strv(lx, "maskedPaths", "linux", &c->masked_paths, e) < 0 ||
	    oci_json_strv(lx, "readonlyPaths", "linux", &c->readonly_paths, e) < 0 ||
	    parse_seccomp(lx, &c->seccomp, e) < 0)
		return -1;
	if ((r = oci_json_string(lx, "rootfsPropagation", "linux", &prop, e)) < 0)
		return -1;
	if (r && prop[0] && !(c->rootfs_propagation = oci_propagation(prop)))
		return oci_json_error(e, "linux.rootfsPropagation", "unknown propagation '%s'", prop);
	return 0;
}
