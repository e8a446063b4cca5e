/* check_units.c - sizes, --cpus, cpu.max and integers. */
#include <stdint.h>
#include <string.h>

#include "tests.h"
#include "units.h"

static const struct {
	const char *in;
	int64_t bytes;
} good_sizes[] = {
	{ "0", 0 },
	{ "1024", 1024 },
	{ "512b", 512 },
	{ "1k", 1024 },
	{ "64m", 64 << 20 },
	{ "64M", 64 << 20 },
	{ "64mb", 64 << 20 },
	{ "64MiB", 64 << 20 },
	{ "1.5g", 3 * (INT64_C(1) << 29) },
	{ ".5k", 512 },
	{ "2t", INT64_C(2) << 40 },
	{ "8191p", INT64_C(8191) << 50 },
};

START_TEST(size_parses)
{
	struct err e = { 0 };
	int64_t bytes = -1;

	ck_assert_int_eq(units_parse_size(good_sizes[_i].in, &bytes, &e), 0);
	ck_assert_int_eq(bytes, good_sizes[_i].bytes);
}
END_TEST

static const char *const bad_sizes[] = {
	"", "12zz", "m", "-5m", "1.5.5g", "64 m", "64mm", "1e9", "0x10",
	"8192p",                          /* 2^63: past int64 */
	"99999999999999999999",           /* past uint64 */
	"18446744073709551616k",
	"1.0000000001g",                  /* more than 9 decimals */
	"64kbb", "64ib",
};

START_TEST(size_rejects)
{
	struct err e = { 0 };
	int64_t bytes = 7;

	ck_assert_int_eq(units_parse_size(bad_sizes[_i], &bytes, &e), -1);
	ck_assert_int_eq(e.status, 125);
	ck_assert_ptr_nonnull(strstr(e.what, "invalid size"));
	ck_assert_int_eq(bytes, 7);
}
END_TEST

static const struct {
	const char *in;
	int64_t quota;
	const char *cpu_max;
} good_cpus[] = {
	{ "1", 100000, "100000 100000" },
	{ "1.5", 150000, "150000 100000" },
	{ "0.5", 50000, "50000 100000" },
	{ ".25", 25000, "25000 100000" },
	{ "0.01", 1000, "1000 100000" },
	{ "2", 200000, "200000 100000" },
	{ "0.123456789", 12345, "12345 100000" },
};

START_TEST(cpus_to_quota_and_cpu_max)
{
	struct err e = { 0 };
	int64_t quota = 0;
	uint64_t period = 0;
	char buf[64];

	ck_assert_int_eq(units_parse_cpus(good_cpus[_i].in, 2, &quota, &period, &e), 0);
	ck_assert_int_eq(quota, good_cpus[_i].quota);
	/* cgroup v1: cpu.cfs_quota_us and cpu.cfs_period_us */
	ck_assert_uint_eq(period, 100000);
	/* cgroup v2: cpu.max */
	units_cpu_max(quota, period, buf, sizeof(buf));
	ck_assert_str_eq(buf, good_cpus[_i].cpu_max);
}
END_TEST

static const char *const bad_cpus[] = {
	"", "0", "0.001", "0.009", "-1", "3", "2.5", "abc", "1,5", "1.5x",
	"1.0000000001", "99999999999999999999",
};

START_TEST(cpus_rejects)
{
	struct err e = { 0 };
	int64_t quota = 0;
	uint64_t period = 0;

	ck_assert_int_eq(units_parse_cpus(bad_cpus[_i], 2, &quota, &period, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "--cpus"));
}
END_TEST

START_TEST(cpu_max_without_quota_is_max)
{
	char buf[64];

	units_cpu_max(0, 100000, buf, sizeof(buf));
	ck_assert_str_eq(buf, "max 100000");
}
END_TEST

static const char *const bad_ints[] = { "", "x", "1x", " 1", "-2", "2147483648",
					"99999999999999999999999" };

START_TEST(int_rejects)
{
	struct err e = { 0 };
	int64_t v;

	ck_assert_int_eq(units_parse_int(bad_ints[_i], -1, INT32_MAX, &v, "--pids-limit", &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "--pids-limit"));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("units");

	tcase_add_loop_test(tc, size_parses, 0, N(good_sizes));
	tcase_add_loop_test(tc, size_rejects, 0, N(bad_sizes));
	tcase_add_loop_test(tc, cpus_to_quota_and_cpu_max, 0, N(good_cpus));
	tcase_add_loop_test(tc, cpus_rejects, 0, N(bad_cpus));
	tcase_add_test(tc, cpu_max_without_quota_is_max);
	tcase_add_loop_test(tc, int_rejects, 0, N(bad_ints));
	suite_add_tcase(s, tc);
	return s;
}
