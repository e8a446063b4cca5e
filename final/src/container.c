/* container.c - defaults and teardown of the container description.
 *
 * The defaults are Docker's, because that is what people compare against:
 * its capability set, its masked and read-only paths (moby's
 * oci/defaults.go), a new namespace of every kind.
 */
#include "container.h"
#include "util.h"

#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>

#define CAP(x) (UINT64_C(1) << (x))

/* Docker's default set (moby oci/caps/defaults.go).  Everything else,
 * CAP_SYS_ADMIN first, has to be asked for with --cap-add. */
uint64_t container_default_caps(void)
{
	return CAP(CAP_CHOWN) | CAP(CAP_DAC_OVERRIDE) | CAP(CAP_FSETID) |
	       CAP(CAP_FOWNER) | CAP(CAP_MKNOD) | CAP(CAP_NET_RAW) |
	       CAP(CAP_SETGID) | CAP(CAP_SETUID) | CAP(CAP_SETFCAP) |
	       CAP(CAP_SETPCAP) | CAP(CAP_NET_BIND_SERVICE) |
	       CAP(CAP_SYS_CHROOT) | CAP(CAP_KILL) | CAP(CAP_AUDIT_WRITE);
}

/* Kernel interfaces that leak host information or let a container poke the
 * host's hardware; the same list as Docker's. */
static const char *const default_masked[] = {
	"/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore",
	"/proc/keys", "/proc/latency_stats", "/proc/timer_list",
	"/proc/timer_stats", "/proc/sched_debug", "/proc/scsi",
	"/sys/firmware", "/sys/devices/virtual/powercap", NULL,
};

static const char *const default_readonly[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

static int append_all(char ***list, const char *const *items)
{
	for (size_t i = 0; items[i]; i++)
		if (strv_append(list, items[i]) < 0)
			return -1;
	return 0;
}

int container_init(struct container *c)
{
	memset(c, 0, sizeof(*c));
	for (int i = 0; i < NS_COUNT; i++)
		c->namespaces[i].create = true;
	c->process.caps.bounding = container_default_caps();
	c->process.caps.effective = container_default_caps();
	c->process.caps.permitted = container_default_caps();
	c->process.no_new_privs = true;
	c->net.mode = NETWORK_DEFAULT;
	c->process.cwd = strdup("/");
	if (!c->process.cwd)
		return -1;
	if (append_all(&c->masked_paths, default_masked) < 0 ||
	    append_all(&c->readonly_paths, default_readonly) < 0)
		return -1;
	return 0;
}

void container_free(struct container *c)
{
	free(c->id);
	free(c->hostname);
	strv_free(c->process.argv);
	strv_free(c->process.env);
	free(c->process.cwd);
	free(c->process.additional_gids);
	free(c->process.rlimits);
	free(c->root.path);
	for (size_t i = 0; i < c->n_mounts; i++) {
		free(c->mounts[i].destination);
		free(c->mounts[i].source);
		free(c->mounts[i].type);
		free(c->mounts[i].data);
	}
	free(c->mounts);
	strv_free(c->masked_paths);
	strv_free(c->readonly_paths);
	for (int i = 0; i < NS_COUNT; i++)
		free(c->namespaces[i].path);
	free(c->net.ports);
	strv_free(c->sysctl);
	strv_free(c->annotations);
	free(c->exec_fifo);
	for (int i = 0; i < HOOK_POINTS; i++) {
		for (size_t j = 0; j < c->hooks[i].n; j++) {
			free(c->hooks[i].hooks[j].path);
			strv_free(c->hooks[i].hooks[j].args);
			strv_free(c->hooks[i].hooks[j].env);
		}
		free(c->hooks[i].hooks);
	}
	strv_free(c->seccomp.architectures);
	for (size_t i = 0; i < c->seccomp.n_rules; i++) {
		strv_free(c->seccomp.rules[i].names);
		free(c->seccomp.rules[i].args);
	}
	free(c->seccomp.rules);
	memset(c, 0, sizeof(*c));
}
