/* cgroup_paths.h - where the caller's cgroups are, and what to write there.
 *
 * Pure functions over text the kernel gives (/proc/self/cgroup and
 * /proc/self/mountinfo) and over numbers, with no system call, so that the
 * unit tests cover v1, v2 and hybrid hosts from a string.  cgroups.c reads
 * the files and does the writing.
 */
#ifndef MVRC_CGROUP_PATHS_H
#define MVRC_CGROUP_PATHS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is `word` one of the items of `list`, separated by `sep`?
 * ("cpu,cpuacct", "cpu", ',') is true; ("cpuacct", "cpu", ',') is false. */
bool cgroup_list_has(const char *list, const char *word, char sep);

/* Find the caller's cgroup for `controller` in the text of /proc/self/cgroup
 * (lines "ID:CONTROLLERS:PATH").  A v1 hierarchy that lists the controller
 * wins: return 1 and copy its PATH.  Otherwise, with a v2 line ("0::PATH"),
 * return 2 and copy that PATH; NULL as controller asks for the v2 line only.
 * Return 0 when neither is there or the path does not fit in len. */
int cgroup_self_path(const char *self_cgroup, const char *controller,
		     char *path, size_t len);

/* Find the mount of a cgroup hierarchy in the text of /proc/self/mountinfo:
 * the v1 mount ("cgroup") whose super options list `controller`, or with
 * controller NULL the v2 mount ("cgroup2").  Copy its mount point and the
 * root of the hierarchy it shows (field 4, "/" unless bind-mounted or seen
 * from another cgroup namespace).  0 when found, -1 otherwise. */
int cgroup_mount_point(const char *mountinfo, const char *controller,
		       char *mnt, size_t mlen, char *root, size_t rlen);

/* The directory of cgroup `path` under a mount showing hierarchy `root`,
 * with `name` appended when it is not NULL: "/sys/fs/cgroup/memory" + "/a"
 * + "/name".  -1 when path is not under root (the cgroup is not visible
 * through this mount) or the result does not fit. */
int cgroup_dir(char *out, size_t len, const char *mnt, const char *root,
	       const char *path, const char *name);

/* The swap a memory limit allows.  memory_swap is memory plus swap, as an
 * OCI bundle's memory.swap has it: 0 is Docker's rule without
 * --memory-swap (as much swap as memory), -1 is no swap limit (returns -1),
 * and a value >= memory leaves the difference.  v2's memory.swap.max takes
 * the result as is; v1's memory.memsw.limit_in_bytes takes memory + swap. */
int64_t cgroup_swap_limit(int64_t memory, int64_t memory_swap);

/* cgroup v1's cpu.shares (2..262144) to v2's cpu.weight (1..10000), with
 * the conversion runc and crun use; 0 stays 0 (unset). */
uint64_t cgroup_shares_to_weight(uint64_t shares);

#endif
