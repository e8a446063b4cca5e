/* cgroups.h - resource limits: the container's own cgroup.
 *
 * Contract (parent side only; the container never touches cgroupfs):
 *
 *   cgroup_prepare(c, cg, e)  before clone.  When c->resources asks for no
 *                             limit, creates nothing and returns 0: no cgroup
 *                             is required to run.  Otherwise creates the
 *                             container's cgroup UNDER the caller's own
 *                             (never moves anything out of it), writes the
 *                             limits, and returns -1 with a reason and a hint
 *                             when a requested limit cannot be enforced.
 *   cgroup_enter(cg, pid, e)  after clone, before the child is released:
 *                             moves the child into the cgroup, so that every
 *                             process of the container is counted from its
 *                             first instruction.  A no-op with no cgroup.
 *   cgroup_destroy(cg)        the one teardown path, called on every exit
 *                             (success or error) after the child is reaped;
 *                             removes what prepare created.  Safe to call on
 *                             a zeroed or half-prepared struct, and twice.
 *
 * mvrc may be killed (SIGKILL) before it can tear down: prepare also forks
 * a keeper, a copy of mvrc that waits for the end of a pipe and then
 * removes the directories once the container has left them.
 *
 * The child unshares its cgroup namespace after cgroup_enter (see init.c),
 * so the container sees its own cgroup as "/".
 */
#ifndef MVRC_CGROUPS_H
#define MVRC_CGROUPS_H

#include <sys/types.h>

#include "container.h"
#include "err.h"

#define CGROUP_MAX_DIRS 8

struct cgroup {
	int version;                    /* 0: none created, 1: v1/hybrid, 2 */
	char *dirs[CGROUP_MAX_DIRS];    /* directories created, in order */
	int n_dirs;
	pid_t keeper;                   /* removes dirs if mvrc dies; 0: none */
	int keeper_fd;                  /* closing it releases the keeper */
};

int cgroup_prepare(const struct container *c, struct cgroup *cg, struct err *e);
int cgroup_enter(struct cgroup *cg, pid_t pid, struct err *e);
void cgroup_destroy(struct cgroup *cg);

#endif
