/* tunables.c - sysctl, oom_score_adj, rootfs propagation; see tunables.h. */
#include "tunables.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "util.h"

static int write_sysctl(const char *kv, struct err *e)
{
	const char *eq = strchr(kv, '=');
	char path[512];
	size_t n;

	if (!eq || (size_t)(eq - kv) + sizeof("/proc/sys/") > sizeof(path))
		return err_set(e, EINVAL, "sysctl %s", kv);
	n = (size_t)snprintf(path, sizeof(path), "/proc/sys/");
	for (const char *p = kv; p < eq; p++)
		path[n++] = *p == '.' ? '/' : *p;
	path[n] = '\0';
	if (write_file(path, eq + 1) < 0)
		return err_set(e, errno, "sysctl %.*s (write %s)", (int)(eq - kv), kv, path);
	return 0;
}

int tunables_apply(const struct container *c, struct err *e)
{
	char adj[16];

	for (size_t i = 0; c->sysctl && c->sysctl[i]; i++)
		if (write_sysctl(c->sysctl[i], e) < 0)
			return -1;
	if (!c->has_oom_score_adj)
		return 0;
	snprintf(adj, sizeof(adj), "%d", c->oom_score_adj);
	if (write_file("/proc/self/oom_score_adj", adj) < 0) {
		err_set(e, errno, "write /proc/self/oom_score_adj %s", adj);
		if (errno == EACCES)
			err_hint(e, "lowering oom_score_adj needs CAP_SYS_RESOURCE on the host");
		return -1;
	}
	return 0;
}

int tunables_rootfs_propagation(const struct container *c, struct err *e)
{
	if (!c->rootfs_propagation)
		return 0;
	if (mount(NULL, c->root.path, NULL, c->rootfs_propagation, NULL) < 0)
		return err_set(e, errno, "set the rootfs's propagation (linux.rootfsPropagation)");
	return 0;
}
