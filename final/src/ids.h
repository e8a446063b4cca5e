/* ids.h - the user namespace's uid and gid maps.
 *
 * As an ordinary user, two layouts (see user_namespaces(7)):
 *   - with lines for the user in /etc/subuid and /etc/subgid and the setuid
 *     helpers newuidmap/newgidmap installed, Podman's: 0 -> the user,
 *     1..N -> the subordinate range, so chown and other users work;
 *   - otherwise the one map an unprivileged process may write itself,
 *     "0 <uid> 1", after denying setgroups.
 * As root: the identity map over every id, written directly.
 */
#ifndef MVRC_IDS_H
#define MVRC_IDS_H

#include <stdint.h>
#include <sys/types.h>

#include "container.h"
#include "err.h"

struct subid_range {
	uint32_t start, count;
};

/* Find the first range for `user` (by name, or by its number `uid`) in the
 * text of /etc/subuid or /etc/subgid ("name:start:count" lines).  Returns 1
 * and fills r when found, 0 when the user has no line, -1 on a malformed
 * line for the user. */
int ids_parse_subid(const char *text, const char *user, uid_t uid,
		    struct subid_range *r, struct err *e);

/* The same, reading `path`.  A missing file is 0 (no range). */
int ids_read_subid(const char *path, const char *user, uid_t uid,
		   struct subid_range *r, struct err *e);

/* Parent, before clone: when c->ids has no maps, choose them for the
 * calling user as described above.  Then check that the container's user
 * and groups are mapped: an unmapped -u is an error with the reason. */
int ids_prepare(struct container *c, struct err *e);

/* Parent, after clone: write c->ids into /proc/<pid>/{setgroups,uid_map,
 * gid_map}, through newuidmap/newgidmap when the maps need them. */
int ids_write(const struct container *c, pid_t pid, struct err *e);

#endif
