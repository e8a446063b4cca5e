/* container.h - THE description of one container, as plain data.
 *
 * Two front doors fill it: `mvrc run`'s options (cli.c) and, for the OCI
 * command line, a bundle's config.json.  One path then turns it into a
 * running container (process.c in the parent, init.c in the child), so a
 * field means the same thing whichever door filled it.
 *
 * Rules: every string and array is heap-allocated and owned by the struct;
 * container_free() releases them all.  Lists are NULL-terminated arrays of
 * strings (argv style) or counted arrays of structs.  No field holds a file
 * descriptor or a pid: those live in the modules that create them.
 */
#ifndef MVRC_CONTAINER_H
#define MVRC_CONTAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

/* ---- the process ------------------------------------------------------ */

struct rlimit_entry {
	int resource;         /* RLIMIT_NOFILE, ... */
	rlim_t soft, hard;
};

/* Capability sets as bit masks: bit N is capability number N (CAP_CHOWN
 * is bit 0).  Capabilities above the running kernel's last one are
 * ignored. */
struct capabilities {
	uint64_t bounding, effective, permitted, inheritable, ambient;
};

struct process {
	char **argv;            /* CMD [ARG...], argv[0] looked up in PATH */
	char **env;             /* "KEY=VALUE" entries, the complete environment */
	char *cwd;              /* absolute path inside the container */
	uid_t uid;              /* ids inside the container's user namespace */
	gid_t gid;
	gid_t *additional_gids;
	size_t n_additional_gids;
	mode_t umask;
	bool has_umask;         /* false: keep the caller's umask */
	bool terminal;          /* -t: a new pty is the container's terminal */
	bool interactive;       /* -i: keep stdin; otherwise it is /dev/null */
	unsigned short console_rows, console_cols; /* 0: take the caller's */
	struct capabilities caps;
	bool no_new_privs;
	struct rlimit_entry *rlimits;
	size_t n_rlimits;
};

/* ---- the filesystem --------------------------------------------------- */

/* One mount, done inside the container's mount namespace after the root
 * is bind-mounted and before pivot_root.  `mvrc run -v SRC:DST[:ro]` makes
 * a "bind" entry with MS_BIND|MS_REC (| MS_RDONLY). */
struct mount_entry {
	char *destination;      /* absolute path inside the container */
	char *source;           /* host path for binds; the fs's name otherwise */
	char *type;             /* "bind", "proc", "tmpfs", "devpts", ... */
	unsigned long flags;    /* MS_* flags */
	unsigned long propagation; /* MS_PRIVATE, MS_SLAVE, ... or 0 */
	char *data;             /* filesystem options: "size=64m,mode=1777" */
};

struct root {
	char *path;             /* absolute host path of the root filesystem */
	bool readonly;
};

/* ---- namespaces and ids ----------------------------------------------- */

enum ns_type { NS_USER, NS_PID, NS_UTS, NS_IPC, NS_MNT, NS_CGROUP, NS_NET,
	       NS_COUNT };

struct namespace {
	bool create;            /* a new namespace of this type */
	char *path;             /* or join this one (/proc/PID/ns/...); NULL */
};

/* One line of /proc/PID/uid_map or gid_map. */
struct id_map {
	uint32_t inside, outside, count;
};

#define ID_MAP_MAX 340          /* the kernel's limit per map */

struct id_mappings {
	struct id_map uid[ID_MAP_MAX], gid[ID_MAP_MAX];
	size_t n_uid, n_gid;    /* 0: ids.c picks the maps (see ids.h) */
	bool setgroups_deny;    /* write "deny" to /proc/PID/setgroups */
};

/* ---- resources (consumed by cgroups.c) -------------------------------- */

struct resources {
	int64_t memory;         /* bytes; 0: no limit */
	/* Memory plus swap, as an OCI bundle's memory.swap has it: 0 for
	 * mvrc's rule (as much swap as memory, Docker's default); -1 for no
	 * swap limit; equal to memory for no swap at all. */
	int64_t memory_swap;
	int64_t pids;           /* maximum number of tasks; 0: no limit */
	int64_t cpu_quota;      /* microseconds per period; 0: no limit */
	uint64_t cpu_period;    /* microseconds; 0 with no quota */
	uint64_t cpu_shares;    /* relative weight (v1 shares); 0: unset */
};

/* ---- network (consumed by network.c) ---------------------------------- */

enum network_mode {
	NETWORK_DEFAULT,        /* the faster rootless engine available */
	NETWORK_NONE,           /* own network namespace with lo only */
	NETWORK_HOST,           /* the host's network namespace */
	NETWORK_SLIRP4NETNS,
	NETWORK_PASTA,
};

struct port_mapping {
	uint16_t host_port;
	uint16_t container_port;
	int proto;              /* IPPROTO_TCP or IPPROTO_UDP */
};

struct network_spec {
	enum network_mode mode;
	struct port_mapping *ports;
	size_t n_ports;
};

/* ---- what only an OCI bundle asks for (oci_config.c fills it) --------- */

/* A program the runtime runs at a point of the lifecycle (OCI hooks). */
struct hook {
	char *path;             /* absolute path of the program */
	char **args;            /* its argv, NULL-terminated; NULL: { path } */
	char **env;             /* its environment; NULL: empty */
	int timeout;            /* seconds; 0: no timeout */
};

enum hook_point {
	HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER,
	HOOK_START_CONTAINER, HOOK_POSTSTART, HOOK_POSTSTOP, HOOK_POINTS
};

struct hook_list {
	struct hook *hooks;
	size_t n;
};

/* A seccomp filter as the bundle describes it; seccomp.c builds it with
 * libseccomp in the container's init. */
enum filter_action {
	FILTER_KILL_THREAD, FILTER_KILL_PROCESS, FILTER_TRAP, FILTER_ERRNO,
	FILTER_TRACE, FILTER_ALLOW, FILTER_LOG,
};

enum filter_op {
	FILTER_NE, FILTER_LT, FILTER_LE, FILTER_EQ, FILTER_GE, FILTER_GT,
	FILTER_MASKED_EQ,
};

struct filter_arg {
	unsigned index;         /* the syscall's argument, 0 to 5 */
	uint64_t value, value_two;
	enum filter_op op;
};

struct filter_rule {
	char **names;           /* syscall names; unknown ones are skipped */
	enum filter_action action;
	int errno_ret;          /* with FILTER_ERRNO (and FILTER_TRACE's msg) */
	struct filter_arg *args;
	size_t n_args;
};

#define FILTER_FLAG_TSYNC    1u  /* SECCOMP_FILTER_FLAG_TSYNC */
#define FILTER_FLAG_LOG      2u  /* SECCOMP_FILTER_FLAG_LOG */
#define FILTER_FLAG_SPEC_ALLOW 4u /* SECCOMP_FILTER_FLAG_SPEC_ALLOW */

struct syscall_filter {
	bool enabled;           /* false: no filter at all */
	enum filter_action default_action;
	int default_errno;
	char **architectures;   /* libseccomp names: "x86_64", "x86", ... */
	unsigned flags;         /* FILTER_FLAG_* */
	struct filter_rule *rules;
	size_t n_rules;
};

/* ---- the whole container ---------------------------------------------- */

struct container {
	char *id;               /* --name, or generated: mvrc-<12 hex digits> */
	char *hostname;         /* NULL: keep the (new) UTS namespace's name */
	struct process process;
	struct root root;
	struct mount_entry *mounts;
	size_t n_mounts;
	char **masked_paths;    /* hidden: /dev/null over files, empty ro tmpfs over dirs */
	char **readonly_paths;  /* bind-mounted read-only onto themselves */
	struct namespace namespaces[NS_COUNT];
	struct id_mappings ids;
	struct resources resources;
	struct network_spec net;
	/* From an OCI bundle; zero with `mvrc run`. */
	char **sysctl;          /* "key=value": written under /proc/sys */
	int oom_score_adj;
	bool has_oom_score_adj;
	unsigned long rootfs_propagation; /* MS_SLAVE|MS_REC, ...; 0: private */
	struct hook_list hooks[HOOK_POINTS];
	struct syscall_filter seccomp;
	char **annotations;     /* "key=value", reported by `mvrc state` */
	/* `mvrc create`: the container outlives mvrc and, set up, waits for
	 * `mvrc start` by opening this fifo for writing (see oci.c). */
	char *exec_fifo;
};

/* Docker's default capability set, as a mask. */
uint64_t container_default_caps(void);

/* Fill c with Docker's defaults: every namespace new, default capabilities
 * for root, no_new_privs, the default masked and read-only paths, cwd "/",
 * network default.  Returns -1 only when memory runs out (errno ENOMEM). */
int container_init(struct container *c);

/* Free everything c owns and zero it. */
void container_free(struct container *c);

#endif
