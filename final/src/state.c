/* state.c - the state directory; see state.h. */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "oci_config.h"
#include "util.h"

/* Root of the initial user namespace, whose uid_map is the identity over
 * every id?  Root of another one (rootless Podman runs its runtime as
 * root of a user namespace of the user's) owns no /run. */
static bool real_root(void)
{
	_cleanup_fclose_ FILE *f = fopen("/proc/self/uid_map", "re");
	unsigned long inside, outside, count;

	if (geteuid() != 0)
		return false;
	return !f || (fscanf(f, "%lu %lu %lu", &inside, &outside, &count) == 3 &&
		      inside == 0 && outside == 0 && count == 4294967295UL);
}

/* mkdir -p, 0700: containerd's shim passes a --root under a /run/containerd
 * that may not exist yet (runc creates every missing parent). */
static int make_dirs(const char *path, struct err *e)
{
	_cleanup_free_ char *copy = strdup(path);

	if (!copy)
		return err_set(e, ENOMEM, "state directory");
	for (char *p = copy + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) < 0 && errno != EEXIST)
			return err_set(e, errno, "create the state directory %s", copy);
		*p = '/';
	}
	if (mkdir(copy, 0700) < 0 && errno != EEXIST)
		return err_set(e, errno, "create the state directory %s", path);
	return 0;
}

int state_root(const char *root, char **out, struct err *e)
{
	const char *xdg = getenv("XDG_RUNTIME_DIR");

	if (root)
		*out = strdup(root);
	else if (real_root() || !xdg || !xdg[0])
		*out = strdup(geteuid() == 0 ? "/run/mvrc" : "/tmp/mvrc");
	else if (asprintf(out, "%s/mvrc", xdg) < 0)
		*out = NULL;
	if (!*out)
		return err_set(e, ENOMEM, "state directory");
	return make_dirs(*out, e);
}

int state_check_id(const char *id, struct err *e)
{
	size_t n = strlen(id);

	if (n == 0 || n > 1024 || strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
		return err_set(e, 0, "invalid container id '%s'", id);
	for (const char *p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_.+-", *p)))
			return err_set(e, 0, "invalid container id '%s': use [A-Za-z0-9_.+-]", id);
	return 0;
}

/* Lock ROOT/ID/lock with a POSIX record lock (fcntl F_SETLKW), not
 * flock(2): a flock belongs to the open file, so the container's init,
 * which clone gives a copy of every fd, would hold it for as long as it
 * waits for `mvrc start`.  A record lock belongs to the process and is
 * not inherited (fcntl(2), "Record locking").  Returns the directory's fd;
 * the lock lives as long as this process keeps *lockfd open. */
static int lock_dir(const char *root, const char *id, int *lockfd, struct err *e)
{
	_cleanup_close_ int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
	int fd;

	if (rootfd < 0)
		return err_set(e, errno, "open the state directory %s", root);
	fd = openat(rootfd, id, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, errno == ENOENT ? 0 : errno, "container %s does not exist", id);
	*lockfd = openat(fd, "lock", O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (*lockfd < 0) {
		err_set(e, errno, "open the lock of container %s", id);
		close(fd);
		return -1;
	}
	while (fcntl(*lockfd, F_SETLKW, &fl) < 0)
		if (errno != EINTR) {
			err_set(e, errno, "lock container %s (fcntl F_SETLKW)", id);
			close(fd);
			util_close(lockfd);
			return -1;
		}
	return fd;
}

int state_create(const char *root, const char *id, int *lockfd, struct err *e)
{
	char path[4096];

	if (state_check_id(id, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if (mkdir(path, 0700) < 0) {
		if (errno == EEXIST)
			return err_set(e, 0, "container %s already exists", id);
		return err_set(e, errno, "create %s", path);
	}
	return lock_dir(root, id, lockfd, e);
}

int state_open(const char *root, const char *id, int *lockfd, struct err *e)
{
	int fd;

	if (state_check_id(id, e) < 0)
		return -1;
	fd = lock_dir(root, id, lockfd, e);
	if (fd < 0)
		return -1;
	/* A directory that delete emptied while we waited for its lock. */
	if (faccessat(fd, "state.json", F_OK, 0) < 0) {
		close(fd);
		util_close(lockfd);
		*lockfd = -1;
		return err_set(e, 0, "container %s does not exist", id);
	}
	return fd;
}

/* ---- state.json -------------------------------------------------------- */

static json_object *to_json(const struct state *s, enum state_status st, bool internal)
{
	json_object *o = json_object_new_object(), *ann = json_object_new_object();

	json_object_object_add(o, "ociVersion", json_object_new_string(OCI_VERSION));
	json_object_object_add(o, "id", json_object_new_string(s->id));
	json_object_object_add(o, "status", json_object_new_string(state_status_name(st)));
	if (st != STATE_STOPPED || internal)
		json_object_object_add(o, "pid", json_object_new_int(s->pid));
	json_object_object_add(o, "bundle", json_object_new_string(s->bundle));
	for (size_t i = 0; s->annotations && s->annotations[i]; i++) {
		char *eq = strchr(s->annotations[i], '=');
		_cleanup_free_ char *key = eq ? strndup(s->annotations[i],
							(size_t)(eq - s->annotations[i])) : NULL;

		if (key)
			json_object_object_add(ann, key, json_object_new_string(eq + 1));
	}
	json_object_object_add(o, "annotations", ann);
	if (s->created)
		json_object_object_add(o, "created", json_object_new_string(s->created));
	if (internal) {
		json_object *dirs = json_object_new_array();

		json_object_object_add(o, "mvrcStartTime", json_object_new_uint64(s->start_time));
		json_object_object_add(o, "mvrcCgroupVersion", json_object_new_int(s->cgroup_version));
		for (int i = 0; i < s->n_cgroup_dirs; i++)
			json_object_array_add(dirs, json_object_new_string(s->cgroup_dirs[i]));
		json_object_object_add(o, "mvrcCgroupDirs", dirs);
	}
	return o;
}

char *state_to_json(const struct state *s, enum state_status st)
{
	json_object *o = to_json(s, st, false);
	char *text = strdup(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
							   JSON_C_TO_STRING_NOSLASHESCAPE));

	json_object_put(o);
	return text;
}

int state_write(int dirfd, const struct state *s, struct err *e)
{
	json_object *o = to_json(s, STATE_CREATED, true);
	const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							  JSON_C_TO_STRING_NOSLASHESCAPE);
	_cleanup_close_ int fd = openat(dirfd, "state.json.tmp",
					O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int r = 0;

	if (fd < 0 || write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0 ||
	    renameat(dirfd, "state.json.tmp", dirfd, "state.json") < 0)
		r = err_set(e, errno, "write the state of %s", s->id);
	json_object_put(o);
	return r;
}

static char *get_string(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return strdup(json_object_get_string(v));
}

static int64_t get_int(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_int64(v) : 0;
}

int state_read(int dirfd, struct state *s, struct err *e)
{
	_cleanup_close_ int fd = openat(dirfd, "state.json", O_RDONLY | O_CLOEXEC);
	_cleanup_free_ char *text = NULL;
	json_object *o, *v;
	char name[64];

	memset(s, 0, sizeof(*s));
	if (fd < 0)
		return err_set(e, errno, "read state.json");
	snprintf(name, sizeof(name), "/proc/self/fd/%d", fd);
	if (oci_read_file(name, &text, e) < 0)
		return -1;
	if (!(o = json_tokener_parse(text)))
		return err_set(e, 0, "state.json is corrupt");
	s->id = get_string(o, "id");
	s->bundle = get_string(o, "bundle");
	s->created = get_string(o, "created");
	s->pid = (pid_t)get_int(o, "pid");
	s->start_time = (unsigned long long)get_int(o, "mvrcStartTime");
	s->cgroup_version = (int)get_int(o, "mvrcCgroupVersion");
	if (json_object_object_get_ex(o, "mvrcCgroupDirs", &v) && json_object_is_type(v, json_type_array))
		for (size_t i = 0; i < json_object_array_length(v) && i < CGROUP_MAX_DIRS; i++)
			s->cgroup_dirs[s->n_cgroup_dirs++] =
				strdup(json_object_get_string(json_object_array_get_idx(v, i)));
	if (json_object_object_get_ex(o, "annotations", &v) && json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			char *kv;

			if (asprintf(&kv, "%s=%s", key, json_object_get_string(val)) >= 0) {
				strv_append(&s->annotations, kv);
				free(kv);
			}
		}
	}
	json_object_put(o);
	if (!s->id || !s->bundle)
		return err_set(e, 0, "state.json is corrupt");
	return 0;
}

void state_free(struct state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->created);
	strv_free(s->annotations);
	for (int i = 0; i < s->n_cgroup_dirs; i++)
		free(s->cgroup_dirs[i]);
	memset(s, 0, sizeof(*s));
}

int state_remove(const char *root, const char *id, int dirfd, struct err *e)
{
	static const char *const files[] = {
		"exec.fifo", "config.json", "state.json.tmp", "state.json", "lock", NULL,
	};
	char path[4096];

	for (size_t i = 0; files[i]; i++)
		if (unlinkat(dirfd, files[i], 0) < 0 && errno != ENOENT)
			return err_set(e, errno, "remove %s/%s/%s", root, id, files[i]);
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if (rmdir(path) < 0 && errno != ENOENT)
		return err_set(e, errno, "remove %s", path);
	return 0;
}

/* ---- status ------------------------------------------------------------ */

unsigned long long state_start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields restart after the
	 * last ')'.  Field 3 is the state, 22 the start time. */
	if (!(p = strrchr(buf, ')')) || p[1] != ' ')
		return 0;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 0;               /* exited, not yet reaped */
	for (int field = 3; field < 22 && p; field++)
		if ((p = strchr(p, ' ')))
			p++;
	if (p)
		t = strtoull(p, NULL, 10);
	return t;
}

enum state_status state_status(int dirfd, const struct state *s)
{
	if (s->pid <= 0)
		return STATE_CREATING;
	if (state_start_time(s->pid) != s->start_time || s->start_time == 0)
		return STATE_STOPPED;
	return faccessat(dirfd, "exec.fifo", F_OK, 0) == 0 ? STATE_CREATED : STATE_RUNNING;
}

const char *state_status_name(enum state_status st)
{
	static const char *const names[] = {
		[STATE_CREATING] = "creating", [STATE_CREATED] = "created",
		[STATE_RUNNING] = "running", [STATE_STOPPED] = "stopped",
	};

	return names[st];
}
