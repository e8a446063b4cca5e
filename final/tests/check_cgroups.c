/* check_cgroups.c - finding one's cgroups from /proc/self/cgroup and
 * mountinfo text on v1, v2 and hybrid hosts; swap and cpu.weight. */
#include <stdint.h>
#include <string.h>

#include "cgroup_paths.h"
#include "tests.h"

/* A hybrid host like CI's: controllers on v1, cgroup2 with none. */
static const char hybrid_self[] =
	"9:name=systemd:/\n"
	"8:pids:/user.slice\n"
	"4:memory:/process_api/28bf\n"
	"2:cpuacct:/\n"
	"1:cpu:/a:b\n"
	"0::/\n";

/* A v1 host with cpu and cpuacct mounted together, no cgroup2 line. */
static const char v1_self[] =
	"5:cpu,cpuacct:/user.slice/session-2.scope\n"
	"3:memory:/user.slice\n"
	"2:pids:/user.slice/user-1000.slice\n";

static const char v2_self[] = "0::/user.slice/user-1000.slice/user@1000.service/app.slice\n";

static const struct {
	const char *self, *controller, *path;
	int version;
} self_cases[] = {
	{ hybrid_self, "memory", "/process_api/28bf", 1 },
	{ hybrid_self, "pids", "/user.slice", 1 },
	{ hybrid_self, "cpu", "/a:b", 1 },           /* a colon in the path */
	{ hybrid_self, "cpuacct", "/", 1 },
	{ hybrid_self, "io", "/", 2 },               /* not on v1: the v2 line */
	{ hybrid_self, NULL, "/", 2 },
	{ v1_self, "cpu", "/user.slice/session-2.scope", 1 },
	{ v1_self, "cpuacct", "/user.slice/session-2.scope", 1 },
	{ v1_self, "pids", "/user.slice/user-1000.slice", 1 },
	{ v1_self, "io", NULL, 0 },                  /* nowhere */
	{ v1_self, NULL, NULL, 0 },
	{ v2_self, "memory", "/user.slice/user-1000.slice/user@1000.service/app.slice", 2 },
	{ v2_self, NULL, "/user.slice/user-1000.slice/user@1000.service/app.slice", 2 },
	{ "", "memory", NULL, 0 },
	{ "garbage without colons\n", "memory", NULL, 0 },
	{ "1:name=systemd:/\n", "systemd", NULL, 0 }, /* a named hierarchy is no controller */
};

START_TEST(self_path_found)
{
	char path[256] = "unchanged";
	int v = cgroup_self_path(self_cases[_i].self, self_cases[_i].controller,
				 path, sizeof(path));

	ck_assert_int_eq(v, self_cases[_i].version);
	if (v)
		ck_assert_str_eq(path, self_cases[_i].path);
}
END_TEST

START_TEST(self_path_too_long)
{
	char path[8];

	ck_assert_int_eq(cgroup_self_path(v1_self, "memory", path, sizeof(path)), 0);
}
END_TEST

static const char hybrid_mountinfo[] =
	"22 1 0:20 / /sys rw,nosuid - sysfs sysfs rw\n"
	"25 22 0:23 / /sys/fs/cgroup ro,nosuid shared:9 - tmpfs tmpfs ro,mode=755\n"
	"26 25 0:24 / /sys/fs/cgroup/unified rw,nosuid shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
	"29 25 0:27 / /sys/fs/cgroup/cpu rw,nosuid shared:13 - cgroup cgroup rw,cpu\n"
	"30 25 0:28 / /sys/fs/cgroup/cpuacct rw,nosuid shared:14 - cgroup cgroup rw,cpuacct\n"
	"32 25 0:30 / /sys/fs/cgroup/memory rw,nosuid shared:16 - cgroup cgroup rw,memory\n"
	"36 25 0:34 / /sys/fs/cgroup/pids rw,nosuid shared:20 - cgroup cgroup rw,pids\n";

static const char v1_mountinfo[] =
	"30 25 0:27 / /sys/fs/cgroup/cpu,cpuacct rw shared:13 - cgroup cgroup rw,cpu,cpuacct\n"
	"31 25 0:28 /lxc/c1 /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
	"32 25 0:29 / /mnt/my\\040cgroups rw - cgroup none rw,pids\n";

static const char v2_mountinfo[] =
	"25 22 0:23 / /sys/fs/cgroup rw,nosuid,nodev shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

static const struct {
	const char *mountinfo, *controller, *mnt, *root;
} mount_cases[] = {
	{ hybrid_mountinfo, "memory", "/sys/fs/cgroup/memory", "/" },
	{ hybrid_mountinfo, "cpu", "/sys/fs/cgroup/cpu", "/" },  /* not cpuacct's */
	{ hybrid_mountinfo, "cpuacct", "/sys/fs/cgroup/cpuacct", "/" },
	{ hybrid_mountinfo, NULL, "/sys/fs/cgroup/unified", "/" },
	{ v1_mountinfo, "cpu", "/sys/fs/cgroup/cpu,cpuacct", "/" },
	{ v1_mountinfo, "memory", "/sys/fs/cgroup/memory", "/lxc/c1" },
	{ v1_mountinfo, "pids", "/mnt/my cgroups", "/" },       /* \040 is a space */
	{ v2_mountinfo, NULL, "/sys/fs/cgroup", "/" },
};

START_TEST(mount_found)
{
	char mnt[256], root[256];

	ck_assert_int_eq(cgroup_mount_point(mount_cases[_i].mountinfo, mount_cases[_i].controller,
					    mnt, sizeof(mnt), root, sizeof(root)), 0);
	ck_assert_str_eq(mnt, mount_cases[_i].mnt);
	ck_assert_str_eq(root, mount_cases[_i].root);
}
END_TEST

static const struct {
	const char *mountinfo, *controller;
} mount_missing[] = {
	{ v2_mountinfo, "memory" },          /* v2 only: no v1 mount */
	{ v1_mountinfo, NULL },              /* v1 only: no cgroup2 */
	{ hybrid_mountinfo, "blkio" },
	{ "", "memory" },
	{ "31 25 0:28 / /x rw cgroup cgroup rw,memory\n", "memory" },  /* no " - " */
	{ "31 25 0:28 / /x rw - cgroup\n", "memory" },                 /* truncated */
};

START_TEST(mount_not_found)
{
	char mnt[256], root[256];

	ck_assert_int_eq(cgroup_mount_point(mount_missing[_i].mountinfo, mount_missing[_i].controller,
					    mnt, sizeof(mnt), root, sizeof(root)), -1);
}
END_TEST

static const struct {
	const char *mnt, *root, *path, *name, *dir;
} dir_cases[] = {
	{ "/sys/fs/cgroup/memory", "/", "/process_api/28bf", "c1",
	  "/sys/fs/cgroup/memory/process_api/28bf/c1" },
	{ "/sys/fs/cgroup/pids", "/", "/", "c1", "/sys/fs/cgroup/pids/c1" },
	{ "/sys/fs/cgroup", "/", "/", NULL, "/sys/fs/cgroup" },
	{ "/sys/fs/cgroup", "/", "/user.slice/", NULL, "/sys/fs/cgroup/user.slice" },
	{ "/sys/fs/cgroup/memory", "/lxc/c1", "/lxc/c1/sub", "x",
	  "/sys/fs/cgroup/memory/sub/x" },
	{ "/sys/fs/cgroup/memory", "/lxc/c1", "/lxc/c1", "x", "/sys/fs/cgroup/memory/x" },
};

START_TEST(dir_joins)
{
	char out[256];

	ck_assert_int_eq(cgroup_dir(out, sizeof(out), dir_cases[_i].mnt, dir_cases[_i].root,
				    dir_cases[_i].path, dir_cases[_i].name), 0);
	ck_assert_str_eq(out, dir_cases[_i].dir);
}
END_TEST

START_TEST(dir_rejects)
{
	char out[256], tiny[8];

	/* Not under the mount's root: not visible through it. */
	ck_assert_int_eq(cgroup_dir(out, sizeof(out), "/m", "/lxc/c1", "/other", "x"), -1);
	ck_assert_int_eq(cgroup_dir(out, sizeof(out), "/m", "/lxc/c1", "/lxc/c10", "x"), -1);
	ck_assert_int_eq(cgroup_dir(tiny, sizeof(tiny), "/sys/fs/cgroup", "/", "/", "x"), -1);
}
END_TEST

static const struct {
	const char *list, *word;
	char sep;
	int has;
} list_cases[] = {
	{ "cpu,cpuacct", "cpu", ',', 1 },
	{ "cpu,cpuacct", "cpuacct", ',', 1 },
	{ "cpuacct", "cpu", ',', 0 },
	{ "rw,memory", "memory", ',', 1 },
	{ "cpu memory pids", "pids", ' ', 1 },
	{ "cpu memory pids", "io", ' ', 0 },
	{ "", "cpu", ' ', 0 },
	{ "cpuset", "cpu", ' ', 0 },
};

START_TEST(list_has)
{
	ck_assert_int_eq(cgroup_list_has(list_cases[_i].list, list_cases[_i].word,
					 list_cases[_i].sep), list_cases[_i].has);
}
END_TEST

START_TEST(swap_and_weight)
{
	/* Docker without --memory-swap: as much swap as memory. */
	ck_assert_int_eq(cgroup_swap_limit(64 << 20, 0), 64 << 20);
	ck_assert_int_eq(cgroup_swap_limit(64 << 20, -1), -1);
	ck_assert_int_eq(cgroup_swap_limit(64 << 20, 64 << 20), 0);
	ck_assert_int_eq(cgroup_swap_limit(64 << 20, 128 << 20), 64 << 20);
	ck_assert_uint_eq(cgroup_shares_to_weight(0), 0);
	ck_assert_uint_eq(cgroup_shares_to_weight(2), 1);
	ck_assert_uint_eq(cgroup_shares_to_weight(1024), 39);
	ck_assert_uint_eq(cgroup_shares_to_weight(262144), 10000);
	ck_assert_uint_eq(cgroup_shares_to_weight(1), 1);          /* clamped */
	ck_assert_uint_eq(cgroup_shares_to_weight(UINT64_MAX), 10000);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *cgroups_suite(void)
{
	Suite *s = suite_create("cgroups");
	TCase *t = tcase_create("paths");

	tcase_add_loop_test(t, self_path_found, 0, N(self_cases));
	tcase_add_test(t, self_path_too_long);
	tcase_add_loop_test(t, mount_found, 0, N(mount_cases));
	tcase_add_loop_test(t, mount_not_found, 0, N(mount_missing));
	tcase_add_loop_test(t, dir_joins, 0, N(dir_cases));
	tcase_add_test(t, dir_rejects);
	tcase_add_loop_test(t, list_has, 0, N(list_cases));
	tcase_add_test(t, swap_and_weight);
	suite_add_tcase(s, t);
	return s;
}
