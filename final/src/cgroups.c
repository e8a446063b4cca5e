/* cgroups.c - placeholder: runs containers without limits, refuses limits.
 * The v1/v2 implementation replaces this file; the contract is in cgroups.h. */
#include "cgroups.h"

#include <string.h>

int cgroup_prepare(const struct container *c, struct cgroup *cg, struct err *e)
{
	const struct resources *r = &c->resources;

	memset(cg, 0, sizeof(*cg));
	if (r->memory || r->pids || r->cpu_quota || r->cpu_shares)
		return err_set(e, 0, "resource limits are not supported yet"),
		       err_hint(e, "run without --memory, --pids-limit and --cpus");
	return 0;
}

int cgroup_enter(struct cgroup *cg, pid_t pid, struct err *e)
{
	(void)cg;
	(void)pid;
	(void)e;
	return 0;
}

void cgroup_destroy(struct cgroup *cg)
{
	(void)cg;
}
