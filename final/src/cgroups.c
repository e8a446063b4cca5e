/* cgroups.c - the container's own cgroup, on v2, v1 and hybrid hosts.
 *
 * See cgroups.h for the contract.  The sequence:
 *   1. nothing requested: nothing to do (no cgroup is required to run)
 *   2. for each controller a limit needs (memory, pids, cpu), find the
 *      caller's own cgroup in its hierarchy (/proc/self/cgroup) and where
 *      that hierarchy is mounted (/proc/self/mountinfo)
 *   3. v1: mkdir <own>/<id> in each hierarchy (one per mount: cpu and
 *      cpuacct may share one).  v2: make sure <own> hands the controllers
 *      down (cgroup.subtree_control), then mkdir <own>/<id> once
 *   4. write the limits; a write the kernel refuses is an error, never
 *      silently ignored: a limit that is asked for is enforced or mvrc fails
 *   5. cgroup_enter writes the child's pid to each cgroup.procs
 *   6. cgroup_destroy removes the directories, deepest last created first
 *
 * Everything happens under the caller's own cgroup: an unprivileged user
 * may write only where root or systemd delegated a subtree to them
 * (systemd.resource-control(5), Delegate=), and a container must not
 * escape the limits its caller lives under.
 */
#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cgroup_paths.h"
#include "util.h"

/* The sub-cgroup that takes the caller's processes on v2 when its own
 * cgroup must hand controllers down; see enable_controllers. */
#define LEAF_NAME "mvrc-caller"

/* How long rmdir may keep saying EBUSY after the last task exited; the
 * keeper waits longer, for a container that is still being killed. */
#define RMDIR_WAIT_MS 2000
#define KEEPER_WAIT_MS 20000

enum ctrl { CTRL_MEMORY, CTRL_PIDS, CTRL_CPU, CTRL_COUNT };

static const char *const ctrl_name[CTRL_COUNT] = { "memory", "pids", "cpu" };

/* The option that asked for each controller, for the error message. */
static const char *const ctrl_option[CTRL_COUNT] = {
	"--memory", "--pids-limit", "--cpus",
};

/* Where one controller lives: its version and the container's cgroup. */
struct place {
	int version;            /* 0: not needed, 1, 2 */
	char dir[PATH_MAX];     /* <mount>/<own path>/<id> */
};

/* ---- reading the kernel's view ---------------------------------------- */

/* Read a small file whole (procfs and cgroupfs report size 0) into a
 * malloc'ed, NUL-terminated buffer. */
static char *read_text(const char *path)
{
	_cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 4096;
	char *buf = NULL, *p;
	ssize_t n;

	if (fd < 0)
		return NULL;
	do {
		if (!(p = realloc(buf, cap + 1)))
			return free(buf), NULL;
		buf = p;
		while ((n = read(fd, buf + len, cap - len)) < 0 && errno == EINTR)
			;
		if (n < 0)
			return free(buf), NULL;
		len += (size_t)n;
		if (len == cap)
			cap *= 2;
	} while (n > 0);
	buf[len] = '\0';
	return buf;
}

static bool wanted(const struct resources *r, enum ctrl c)
{
	switch (c) {
	case CTRL_MEMORY: return r->memory > 0;
	case CTRL_PIDS: return r->pids > 0;
	case CTRL_CPU: return r->cpu_quota > 0 || r->cpu_shares > 0;
	default: return false;
	}
}

static const char hint_delegate_v2[] =
	"run mvrc in a cgroup delegated to you: "
	"systemd-run --user --scope -p Delegate=yes mvrc run ...; `make doctor` checks";
static const char hint_delegate_v1[] =
	"on cgroup v1 only root can delegate a cgroup to you: d=<hierarchy>/<your cgroup>/$USER; "
	"sudo mkdir $d && sudo chown -R $USER $d && echo $$ > $d/cgroup.procs; "
	"`make doctor` checks";

/* The error for a cgroupfs call that failed, with the cause spelled out. */
static int fail(struct err *e, int errnum, enum ctrl c, int version,
		const char *call, const char *path)
{
	err_set(e, errnum, "%s: %s %s", ctrl_option[c], call, path);
	if (errnum == EACCES || errnum == EPERM)
		return err_hint(e, "%s", version == 2 ? hint_delegate_v2 : hint_delegate_v1);
	if (errnum == EROFS)
		return err_hint(e, "cgroupfs is read-only here (inside a container?): "
			      "give mvrc a writable, delegated cgroup; `make doctor` checks");
	if (errnum == EEXIST)
		return err_hint(e, "a container with this --name is running: choose another name");
	return -1;
}

/* Step 2: the container's directory for controller c, "" on v2 until the
 * caller's own cgroup is known to hand controllers down. */
static int locate(const struct container *c, enum ctrl ctrl, const char *self,
		  const char *mountinfo, struct place *pl, struct err *e)
{
	char path[PATH_MAX], mnt[PATH_MAX], root[PATH_MAX];

	pl->version = cgroup_self_path(self, ctrl_name[ctrl], path, sizeof(path));
	if (pl->version == 0)
		return err_set(e, 0, "%s: no cgroup hierarchy has the %s controller",
			       ctrl_option[ctrl], ctrl_name[ctrl]),
		       err_hint(e, "run on a kernel with the %s controller; `make doctor` checks",
				ctrl_name[ctrl]);
	if (cgroup_mount_point(mountinfo, pl->version == 1 ? ctrl_name[ctrl] : NULL,
			       mnt, sizeof(mnt), root, sizeof(root)) < 0)
		return err_set(e, 0, "%s: the %s hierarchy is not mounted", ctrl_option[ctrl],
			       pl->version == 1 ? ctrl_name[ctrl] : "cgroup2"),
		       err_hint(e, "mount it (see cgroups(7)); `make doctor` checks");
	if (cgroup_dir(pl->dir, sizeof(pl->dir), mnt, root, path,
		       pl->version == 1 ? c->id : NULL) < 0)
		return err_set(e, ENAMETOOLONG, "%s: cgroup %s is not visible under %s",
			       ctrl_option[ctrl], path, mnt);
	return 0;
}

/* ---- v2: the parent must hand the controllers down -------------------- */

/* Move every process of cgroup `dir` into dir/LEAF_NAME.  Processes may
 * fork while we move them, so go round until the list is empty. */
static int move_to_leaf(const char *dir, enum ctrl ctrl, struct err *e)
{
	char leaf[PATH_MAX + 32], procs[PATH_MAX + 32], to[PATH_MAX + 64];

	snprintf(leaf, sizeof(leaf), "%s/" LEAF_NAME, dir);
	snprintf(procs, sizeof(procs), "%s/cgroup.procs", dir);
	snprintf(to, sizeof(to), "%s/cgroup.procs", leaf);
	if (mkdir(leaf, 0755) < 0 && errno != EEXIST)
		return fail(e, errno, ctrl, 2, "mkdir", leaf);
	for (int round = 0; round < 100; round++) {
		_cleanup_free_ char *pids = read_text(procs);
		char *save = NULL, *pid;
		bool moved = false;

		if (!pids)
			return fail(e, errno, ctrl, 2, "read", procs);
		for (pid = strtok_r(pids, "\n", &save); pid; pid = strtok_r(NULL, "\n", &save)) {
			if (write_file(to, pid) < 0 && errno != ESRCH)
				return fail(e, errno, ctrl, 2, "move the caller's processes to", leaf);
			moved = true;
		}
		if (!moved)
			return 0;
	}
	return err_set(e, EBUSY, "%s: cannot empty %s: its processes keep forking",
		       ctrl_option[ctrl], dir);
}

/* cgroup v2's "no internal processes" rule (cgroup-v2.rst): a cgroup other
 * than the root may not both hold processes and hand controllers down to
 * children.  A delegated cgroup usually holds the caller itself, so
 * enabling controllers there fails with EBUSY.  Then, as crun and Podman
 * do, move the caller's processes one level down into a leaf, LEAF_NAME,
 * and enable the controllers again.  The next mvrc started from there runs
 * in the leaf; it uses the leaf's parent, so the leaves never nest. */
static int enable_controllers(char *own, const struct resources *r, struct err *e)
{
	_cleanup_free_ char *have = NULL, *enabled = NULL;
	char file[PATH_MAX + 32], req[64] = "";
	enum ctrl first = CTRL_COUNT;
	char *slash = strrchr(own, '/');

	if (slash && strcmp(slash + 1, LEAF_NAME) == 0)
		*slash = '\0';
	snprintf(file, sizeof(file), "%s/cgroup.controllers", own);
	if (!(have = read_text(file)))
		return fail(e, errno, CTRL_MEMORY, 2, "read", file);
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", own);
	if (!(enabled = read_text(file)))
		return fail(e, errno, CTRL_MEMORY, 2, "read", file);
	have[strcspn(have, "\n")] = '\0';
	enabled[strcspn(enabled, "\n")] = '\0';
	for (enum ctrl c = 0; c < CTRL_COUNT; c++) {
		if (!wanted(r, c))
			continue;
		if (first == CTRL_COUNT)
			first = c;
		if (!cgroup_list_has(have, ctrl_name[c], ' '))
			return err_set(e, 0, "%s: the %s controller is not delegated to cgroup %s",
				       ctrl_option[c], ctrl_name[c], own),
			       err_hint(e, "as root, let systemd delegate it: "
					"printf '[Service]\\nDelegate=cpu cpuset io memory pids\\n' > "
					"/etc/systemd/system/user@.service.d/delegate.conf, "
					"then log in again; `make doctor` checks");
		if (!cgroup_list_has(enabled, ctrl_name[c], ' '))
			snprintf(req + strlen(req), sizeof(req) - strlen(req), "%s+%s",
				 *req ? " " : "", ctrl_name[c]);
	}
	if (!*req)
		return 0;
	if (write_file(file, req) == 0)
		return 0;
	if (errno != EBUSY)
		return fail(e, errno, first, 2, "enable controllers in", file);
	if (move_to_leaf(own, first, e) < 0)
		return -1;
	if (write_file(file, req) < 0)
		return fail(e, errno, first, 2, "enable controllers in", file);
	return 0;
}

/* ---- the limits --------------------------------------------------------- */

struct limit {
	enum ctrl ctrl;
	const char *file;
	char value[48];
	bool optional;          /* absent file: skip (memsw without swap accounting) */
};

/* The files and values for r, in the order the kernel accepts them: v1's
 * memsw limit may not be below the memory limit, so memory goes first; the
 * period before the quota. */
static size_t limits_for(const struct resources *r, int v[CTRL_COUNT],
			 struct limit *l)
{
	size_t n = 0;

#define ADD(c, f, opt, ...) \
	(l[n] = (struct limit){ .ctrl = c, .file = f, .optional = opt }, \
	 snprintf(l[n].value, sizeof(l[n].value), __VA_ARGS__), n++)
	int64_t swap = cgroup_swap_limit(r->memory, r->memory_swap);
	if (r->memory > 0 && v[CTRL_MEMORY] == 1) {
		ADD(CTRL_MEMORY, "memory.limit_in_bytes", false, "%lld", (long long)r->memory);
		ADD(CTRL_MEMORY, "memory.memsw.limit_in_bytes", true, "%lld",
		    swap < 0 ? -1LL : (long long)(r->memory + swap));
	} else if (r->memory > 0) {
		ADD(CTRL_MEMORY, "memory.max", false, "%lld", (long long)r->memory);
		if (swap < 0)
			ADD(CTRL_MEMORY, "memory.swap.max", true, "max");
		else
			ADD(CTRL_MEMORY, "memory.swap.max", true, "%lld", (long long)swap);
	}
	if (r->pids > 0)
		ADD(CTRL_PIDS, "pids.max", false, "%lld", (long long)r->pids);
	if (r->cpu_quota > 0 && v[CTRL_CPU] == 1) {
		ADD(CTRL_CPU, "cpu.cfs_period_us", false, "%llu", (unsigned long long)r->cpu_period);
		ADD(CTRL_CPU, "cpu.cfs_quota_us", false, "%lld", (long long)r->cpu_quota);
	} else if (r->cpu_quota > 0) {
		ADD(CTRL_CPU, "cpu.max", false, "%lld %llu", (long long)r->cpu_quota,
		    (unsigned long long)r->cpu_period);
	}
	if (r->cpu_shares > 0 && v[CTRL_CPU] == 1)
		ADD(CTRL_CPU, "cpu.shares", false, "%llu", (unsigned long long)r->cpu_shares);
	else if (r->cpu_shares > 0)
		ADD(CTRL_CPU, "cpu.weight", false, "%llu",
		    (unsigned long long)cgroup_shares_to_weight(r->cpu_shares));
#undef ADD
	return n;
}

static int write_limits(const struct resources *r, const struct place pl[CTRL_COUNT],
			struct err *e)
{
	int v[CTRL_COUNT];
	struct limit l[8];
	size_t n;

	for (int c = 0; c < CTRL_COUNT; c++)
		v[c] = pl[c].version;
	n = limits_for(r, v, l);
	for (size_t i = 0; i < n; i++) {
		char path[PATH_MAX + 64];

		snprintf(path, sizeof(path), "%s/%s", pl[l[i].ctrl].dir, l[i].file);
		if (write_file(path, l[i].value) == 0 || (l[i].optional && errno == ENOENT))
			continue;
		fail(e, errno, l[i].ctrl, v[l[i].ctrl], "write", path);
		if (errno == EINVAL)
			err_hint(e, "the kernel refused %s: is it within the limits of the "
				 "cgroups above (%s)?", l[i].value, pl[l[i].ctrl].dir);
		return -1;
	}
	return 0;
}

/* ---- the contract ------------------------------------------------------- */

/* Remember dir for cgroup_enter and cgroup_destroy, once. */
static int add_dir(struct cgroup *cg, const char *dir, enum ctrl c, int version,
		   struct err *e)
{
	for (int i = 0; i < cg->n_dirs; i++)
		if (strcmp(cg->dirs[i], dir) == 0)
			return 0;       /* a co-mounted hierarchy: cpu,cpuacct */
	if (cg->n_dirs == CGROUP_MAX_DIRS)
		return err_set(e, E2BIG, "%s: too many cgroup hierarchies", ctrl_option[c]);
	if (mkdir(dir, 0755) < 0)
		return fail(e, errno, c, version, "mkdir", dir);
	if (!(cg->dirs[cg->n_dirs] = strdup(dir))) {
		rmdir(dir);
		return err_set(e, ENOMEM, "%s: strdup", ctrl_option[c]);
	}
	cg->n_dirs++;
	return 0;
}

static int create(const struct container *c, struct cgroup *cg, struct place pl[CTRL_COUNT],
		  struct err *e)
{
	_cleanup_free_ char *self = read_text("/proc/self/cgroup");
	_cleanup_free_ char *mountinfo = read_text("/proc/self/mountinfo");
	char v2dir[PATH_MAX] = "";

	if (!self || !mountinfo)
		return err_set(e, errno, "read %s", self ? "/proc/self/mountinfo" : "/proc/self/cgroup");
	for (enum ctrl ctrl = 0; ctrl < CTRL_COUNT; ctrl++) {
		if (!wanted(&c->resources, ctrl))
			continue;
		if (locate(c, ctrl, self, mountinfo, &pl[ctrl], e) < 0)
			return -1;
		if (pl[ctrl].version == 2 && !*v2dir) {
			/* One directory for every v2 controller. */
			if (enable_controllers(pl[ctrl].dir, &c->resources, e) < 0)
				return -1;
			if (snprintf(v2dir, sizeof(v2dir), "%s/%s", pl[ctrl].dir, c->id) >=
			    (int)sizeof(v2dir))
				return err_set(e, ENAMETOOLONG, "cgroup %s/%s", pl[ctrl].dir, c->id);
		}
		if (pl[ctrl].version == 2)
			strcpy(pl[ctrl].dir, v2dir);
		if (add_dir(cg, pl[ctrl].dir, ctrl, pl[ctrl].version, e) < 0)
			return -1;
		if (pl[ctrl].version == 1 || cg->version == 0)
			cg->version = pl[ctrl].version;
	}
	return 0;
}

int cgroup_enter(struct cgroup *cg, pid_t pid, struct err *e)
{
	char path[PATH_MAX + 32], s[24];

	snprintf(s, sizeof(s), "%d", (int)pid);
	for (int i = 0; i < cg->n_dirs; i++) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", cg->dirs[i]);
		if (write_file(path, s) < 0)
			return err_set(e, errno, "move the container into %s", path);
	}
	return 0;
}

/* A cgroup whose last task has just exited may still be busy for a moment
 * (on v1 especially): retry rmdir with a bound.  Stragglers, if any (a
 * container without its own pid namespace), are killed on v2. */
static void remove_dir(const char *dir, int wait_ms)
{
	struct timespec tick = { 0, 2 * 1000 * 1000 };
	char kill_file[PATH_MAX + 16];

	snprintf(kill_file, sizeof(kill_file), "%s/cgroup.kill", dir);
	for (int waited = 0; rmdir(dir) < 0 && errno == EBUSY; waited += 2) {
		if (waited == 100)
			write_file(kill_file, "1");
		if (waited >= wait_ms)
			return;
		nanosleep(&tick, NULL);
	}
}

static void remove_dirs(struct cgroup *cg, int wait_ms)
{
	for (int i = cg->n_dirs - 1; i >= 0; i--)
		remove_dir(cg->dirs[i], wait_ms);
}

/* The keeper's whole life: wait until mvrc closes the pipe, by exiting in
 * any way, then remove what is left.  After a normal teardown the
 * directories are gone already and rmdir says ENOENT at once.  It holds
 * nothing of mvrc's (no terminal, no output pipe: `$(mvrc ...)` must not
 * wait for it) and ignores every signal but SIGKILL.  Does not return. */
static void keep(struct cgroup *cg, int fd)
{
	sigset_t all;
	int null;
	char c;

	sigfillset(&all);
	sigprocmask(SIG_BLOCK, &all, NULL);
	setsid();
	null = open("/dev/null", O_RDWR);
	for (int i = 0; i < 3 && null >= 0; i++)
		dup2(null, i);
	if (fd > 3)
		close_range(3, (unsigned)fd - 1, 0);
	close_range((unsigned)fd + 1, ~0U, 0);
	while (read(fd, &c, 1) < 0 && errno == EINTR)
		;
	remove_dirs(cg, KEEPER_WAIT_MS);
	_exit(0);
}

static int start_keeper(struct cgroup *cg, struct err *e)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return err_set(e, errno, "pipe for the cgroup keeper");
	cg->keeper = fork();
	if (cg->keeper < 0) {
		cg->keeper = 0;
		close(p[0]);
		close(p[1]);
		return err_set(e, errno, "fork the cgroup keeper");
	}
	if (cg->keeper == 0) {
		close(p[1]);
		keep(cg, p[0]);
	}
	close(p[0]);
	cg->keeper_fd = p[1];
	return 0;
}

int cgroup_prepare(const struct container *c, struct cgroup *cg, struct err *e)
{
	struct place pl[CTRL_COUNT] = { 0 };

	memset(cg, 0, sizeof(*cg));
	cg->keeper_fd = -1;
	if (!wanted(&c->resources, CTRL_MEMORY) && !wanted(&c->resources, CTRL_PIDS) &&
	    !wanted(&c->resources, CTRL_CPU))
		return 0;
	if (create(c, cg, pl, e) < 0 || write_limits(&c->resources, pl, e) < 0 ||
	    start_keeper(cg, e) < 0) {
		cgroup_destroy(cg);
		return -1;
	}
	return 0;
}

void cgroup_destroy(struct cgroup *cg)
{
	remove_dirs(cg, RMDIR_WAIT_MS);
	if (cg->keeper > 0) {
		close(cg->keeper_fd);
		while (waitpid(cg->keeper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	cg->keeper = 0;
	cg->keeper_fd = -1;
	while (cg->n_dirs > 0) {
		free(cg->dirs[--cg->n_dirs]);
		cg->dirs[cg->n_dirs] = NULL;
	}
	cg->version = 0;
}
