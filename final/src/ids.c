/* ids.c - choose and write the user namespace's id maps; see ids.h. */
#include "ids.h"

#include <errno.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

#define NEWUIDMAP "newuidmap"
#define NEWGIDMAP "newgidmap"

/* ---- /etc/subuid ------------------------------------------------------- */

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > UINT32_MAX)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

int ids_parse_subid(const char *text, const char *user, uid_t uid,
		    struct subid_range *r, struct err *e)
{
	char uidstr[16], line[256];
	const char *p = text;

	snprintf(uidstr, sizeof(uidstr), "%u", (unsigned)uid);
	while (*p) {
		const char *start_of_line = p;
		size_t len = strcspn(p, "\n");
		char *name, *start, *count, *save = NULL;

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		p += strcspn(p, "\n");
		if (*p)
			p++;
		name = strtok_r(line, ":", &save);
		if (!name || name[0] == '#' ||
		    (strcmp(name, uidstr) != 0 && (!user || strcmp(name, user) != 0)))
			continue;
		start = strtok_r(NULL, ":", &save);
		count = strtok_r(NULL, ":\r", &save);
		if (!start || !count || strtok_r(NULL, "", &save) ||
		    parse_u32(start, &r->start) < 0 || parse_u32(count, &r->count) < 0 ||
		    r->count == 0 || (uint64_t)r->start + r->count > UINT32_MAX)
			return err_set(e, 0, "malformed subordinate id line for %s: '%.*s'",
				       user ? user : uidstr, (int)len, start_of_line);
		return 1;
	}
	return 0;
}

int ids_read_subid(const char *path, const char *user, uid_t uid,
		   struct subid_range *r, struct err *e)
{
	_cleanup_fclose_ FILE *f = fopen(path, "re");
	_cleanup_free_ char *text = NULL;
	size_t size = 0;
	FILE *mem;

	if (!f)
		return errno == ENOENT ? 0 : err_set(e, errno, "open %s", path);
	mem = open_memstream(&text, &size);
	if (!mem)
		return err_set(e, errno, "open_memstream");
	for (int c; (c = getc(f)) != EOF;)
		putc(c, mem);
	if (ferror(f)) {
		fclose(mem);
		return err_set(e, errno, "read %s", path);
	}
	if (fclose(mem) != 0)
		return err_set(e, errno, "read %s", path);
	int found = ids_parse_subid(text, user, uid, r, e);

	if (found < 0)
		return err_wrap(e, "%s: ", path);
	return found;
}

/* ---- choosing the maps ------------------------------------------------- */

static int in_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin";
	for (const char *p = path; *p;) {
		size_t len = strcspn(p, ":");

		snprintf(buf, sizeof(buf), "%.*s/%s", (int)len, p, prog);
		if (access(buf, X_OK) == 0)
			return 1;
		p += len + (p[len] == ':');
	}
	return 0;
}

static void add_map(struct id_map *maps, size_t *n, uint32_t in, uint32_t out,
		    uint32_t count)
{
	maps[*n] = (struct id_map){ .inside = in, .outside = out, .count = count };
	(*n)++;
}

static int choose_maps(struct id_mappings *ids, struct err *e)
{
	uid_t uid = getuid();
	gid_t gid = getgid();
	struct passwd *pw = getpwuid(uid);
	const char *user = pw ? pw->pw_name : NULL;
	struct subid_range su, sg;
	int has_u, has_g;

	if (uid == 0) {
		/* Root: every id, unchanged.  The container's root is the
		 * host's root, confined by the other namespaces and by its
		 * capabilities, as with runc without a user namespace. */
		add_map(ids->uid, &ids->n_uid, 0, 0, UINT32_MAX);
		add_map(ids->gid, &ids->n_gid, 0, 0, UINT32_MAX);
		return 0;
	}
	has_u = ids_read_subid("/etc/subuid", user, uid, &su, e);
	if (has_u < 0)
		return -1;
	has_g = ids_read_subid("/etc/subgid", user, uid, &sg, e);
	if (has_g < 0)
		return -1;
	add_map(ids->uid, &ids->n_uid, 0, uid, 1);
	add_map(ids->gid, &ids->n_gid, 0, gid, 1);
	if (has_u && has_g && in_path(NEWUIDMAP) && in_path(NEWGIDMAP)) {
		add_map(ids->uid, &ids->n_uid, 1, su.start, su.count);
		add_map(ids->gid, &ids->n_gid, 1, sg.start, sg.count);
	} else {
		/* Without the helpers an unprivileged process may map only its
		 * own gid, and only after giving up setgroups(2); otherwise
		 * it could drop a group that denies it access. */
		ids->setgroups_deny = true;
	}
	return 0;
}

static int mapped(const struct id_map *maps, size_t n, uint32_t id)
{
	for (size_t i = 0; i < n; i++)
		if (id >= maps[i].inside && id - maps[i].inside < maps[i].count)
			return 1;
	return 0;
}

int ids_prepare(struct container *c, struct err *e)
{
	const struct process *p = &c->process;
	struct id_mappings *ids = &c->ids;

	if (!c->namespaces[NS_USER].create)
		return 0;
	if (ids->n_uid == 0 && ids->n_gid == 0 && choose_maps(ids, e) < 0)
		return -1;
	if (!mapped(ids->uid, ids->n_uid, p->uid) || !mapped(ids->gid, ids->n_gid, p->gid)) {
		err_set(e, 0, "user %u:%u is not mapped in the container's user namespace",
			(unsigned)p->uid, (unsigned)p->gid);
		return err_hint(e, "only %s; add lines for your user to /etc/subuid and "
				"/etc/subgid and install uidmap (newuidmap) to map more",
				ids->n_uid == 1 && ids->uid[0].count == 1
					? "0:0 exists without subordinate ids"
					: "the ids in the container's maps exist");
	}
	for (size_t i = 0; i < p->n_additional_gids; i++)
		if (!mapped(ids->gid, ids->n_gid, p->additional_gids[i]))
			return err_set(e, 0, "group %u is not mapped in the container's user namespace",
				       (unsigned)p->additional_gids[i]);
	if (ids->setgroups_deny && p->n_additional_gids)
		return err_set(e, 0, "additional groups need setgroups, which this user namespace denies");
	return 0;
}

/* ---- writing the maps -------------------------------------------------- */

/* Is this map one an unprivileged process may write itself? */
static int writable_directly(const struct id_map *maps, size_t n, uint32_t own)
{
	return getuid() == 0 || (n == 1 && maps[0].count == 1 && maps[0].outside == own);
}

static int write_map(pid_t pid, const char *file, const struct id_map *maps,
		     size_t n, struct err *e)
{
	char path[64], text[ID_MAP_MAX * 36] = "";
	size_t len = 0;

	for (size_t i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len, "%" PRIu32 " %" PRIu32 " %" PRIu32 "\n",
					maps[i].inside, maps[i].outside, maps[i].count);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	if (write_file(path, text) < 0)
		return err_set(e, errno, "write %s", path);
	return 0;
}

/* Start newuidmap/newgidmap PID in out count...; its stderr goes to ours.
 * Returns the helper's pid. */
static pid_t start_helper(const char *prog, pid_t pid, const struct id_map *maps,
			  size_t n, struct err *e)
{
	char *argv[2 + 3 * ID_MAP_MAX + 1];
	char buf[3 * ID_MAP_MAX + 1][12];
	pid_t child;
	int k = 0;

	argv[k++] = (char *)prog;
	snprintf(buf[0], sizeof(buf[0]), "%d", (int)pid);
	argv[k++] = buf[0];
	for (size_t i = 0; i < n; i++) {
		snprintf(buf[1 + 3 * i], 12, "%" PRIu32, maps[i].inside);
		snprintf(buf[2 + 3 * i], 12, "%" PRIu32, maps[i].outside);
		snprintf(buf[3 + 3 * i], 12, "%" PRIu32, maps[i].count);
		argv[k++] = buf[1 + 3 * i];
		argv[k++] = buf[2 + 3 * i];
		argv[k++] = buf[3 + 3 * i];
	}
	argv[k] = NULL;
	child = fork();
	if (child < 0)
		return err_set(e, errno, "fork for %s", prog);
	if (child == 0) {
		execvp(prog, argv);
		_exit(127);
	}
	return child;
}

static int wait_helper(const char *prog, pid_t helper, pid_t pid, struct err *e)
{
	int status;

	while (waitpid(helper, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(e, errno, "waitpid %s", prog);
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		err_set(e, 0, "%s %d failed (status %d)", prog, (int)pid,
			WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
		return err_hint(e, "check your lines in /etc/subuid and /etc/subgid, "
				"and that %s is setuid root or has file capabilities", prog);
	}
	return 0;
}

/* Both maps through the setuid helpers, which run side by side: each is
 * an exec of a setuid program, the slowest part of starting a container. */
static int write_with_helpers(const struct id_mappings *ids, pid_t pid, struct err *e)
{
	struct err gid_err = { 0 };
	pid_t u, g;
	int ret = 0;

	u = start_helper(NEWUIDMAP, pid, ids->uid, ids->n_uid, e);
	if (u < 0)
		return -1;
	g = start_helper(NEWGIDMAP, pid, ids->gid, ids->n_gid, &gid_err);
	if (wait_helper(NEWUIDMAP, u, pid, e) < 0)
		ret = -1;
	if (g < 0 || wait_helper(NEWGIDMAP, g, pid, &gid_err) < 0) {
		if (ret == 0)
			*e = gid_err;
		ret = -1;
	}
	return ret;
}

/* One map: written directly when the kernel lets us, else by the helper. */
static int write_one(const char *file, const char *prog, const struct id_map *maps,
		     size_t n, uint32_t own, pid_t pid, struct err *e)
{
	pid_t helper;

	if (writable_directly(maps, n, own))
		return write_map(pid, file, maps, n, e);
	helper = start_helper(prog, pid, maps, n, e);
	return helper < 0 ? -1 : wait_helper(prog, helper, pid, e);
}

int ids_write(const struct container *c, pid_t pid, struct err *e)
{
	const struct id_mappings *ids = &c->ids;
	char path[64];

	if (!c->namespaces[NS_USER].create)
		return 0;
	if (!writable_directly(ids->uid, ids->n_uid, getuid()) &&
	    !writable_directly(ids->gid, ids->n_gid, getgid()))
		return write_with_helpers(ids, pid, e);
	if (write_one("uid_map", NEWUIDMAP, ids->uid, ids->n_uid, getuid(), pid, e) < 0)
		return -1;
	/* setgroups must be denied before gid_map is written, or the kernel
	 * refuses an unprivileged write; see user_namespaces(7). */
	if (ids->setgroups_deny) {
		snprintf(path, sizeof(path), "/proc/%d/setgroups", (int)pid);
		if (write_file(path, "deny") < 0)
			return err_set(e, errno, "write %s", path);
	}
	return write_one("gid_map", NEWGIDMAP, ids->gid, ids->n_gid, getgid(), pid, e);
}
