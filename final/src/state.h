/* state.h - where the OCI commands keep what they know of a container.
 *
 *   ROOT/                  --root DIR; default $XDG_RUNTIME_DIR/mvrc for an
 *                          ordinary user and for root of a user namespace
 *                          (rootless Podman's), /run/mvrc for root
 *   ROOT/ID/               one directory per container (mode 0700)
 *   ROOT/ID/state.json     the spec's state plus what mvrc needs, written
 *                          to a temporary file and renamed over: a reader
 *                          sees the old or the new file, never half of one
 *   ROOT/ID/config.json    the bundle's config as it was at create (exec
 *                          reads the process rules from it)
 *   ROOT/ID/exec.fifo      exists from create until start: the container's
 *                          init blocks opening it for writing
 *
 *   ROOT/ID/lock           every command holds a write lock on it for its
 *                          whole run, so that two commands on one container
 *                          (start and delete, say) never interleave
 *
 * The lock is an fcntl(2) record lock rather than flock(2): see state.c.
 */
#ifndef MVRC_STATE_H
#define MVRC_STATE_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"
#include "err.h"

struct state {
	char *id;
	char *bundle;           /* absolute path */
	pid_t pid;              /* the container's init, 0 before it exists */
	unsigned long long start_time; /* field 22 of /proc/PID/stat */
	char *created;          /* RFC 3339, UTC */
	char **annotations;     /* "key=value" */
	char *cgroup_dirs[CGROUP_MAX_DIRS];
	int n_cgroup_dirs;
	int cgroup_version;
};

enum state_status { STATE_CREATING, STATE_CREATED, STATE_RUNNING, STATE_STOPPED };

/* The state directory: `root` when given, else the default above, created
 * (0700) when missing.  *out is malloc'd. */
int state_root(const char *root, char **out, struct err *e);

/* A container id is 1 to 1024 of [A-Za-z0-9_.+-], not "." or "..": it
 * becomes a directory name. */
int state_check_id(const char *id, struct err *e);

/* Create ROOT/ID (EEXIST: "container ID already exists") and lock it.
 * Returns the directory's fd; the lock is held while *lockfd is open. */
int state_create(const char *root, const char *id, int *lockfd, struct err *e);

/* Open and lock ROOT/ID (ENOENT: "container ID does not exist").  Returns
 * the directory's fd; the lock is held while *lockfd is open. */
int state_open(const char *root, const char *id, int *lockfd, struct err *e);

int state_write(int dirfd, const struct state *s, struct err *e);
int state_read(int dirfd, struct state *s, struct err *e);
void state_free(struct state *s);

/* Remove everything in ROOT/ID and the directory itself. */
int state_remove(const char *root, const char *id, int dirfd, struct err *e);

/* Is the recorded pid still the container's init (not a reused pid, not
 * a zombie)?  Then created (exec.fifo still there) or running. */
enum state_status state_status(int dirfd, const struct state *s);
const char *state_status_name(enum state_status st);

/* Field 22 (starttime) of /proc/PID/stat, 0 when the process is gone. */
unsigned long long state_start_time(pid_t pid);

/* The spec's state JSON (runtime.md "State"), malloc'd. */
char *state_to_json(const struct state *s, enum state_status st);

#endif
