/* check_capabilities.c - capability names and --cap-add/--cap-drop. */
#include <linux/capability.h>
#include <string.h>

#include "capabilities.h"
#include "tests.h"

#define BIT(c) (UINT64_C(1) << (c))
#define DOCKER UINT64_C(0xa80425fb)

static const struct {
	const char *name;
	int cap;
} names[] = {
	{ "CHOWN", CAP_CHOWN }, { "chown", CAP_CHOWN }, { "CAP_CHOWN", CAP_CHOWN },
	{ "cap_net_admin", CAP_NET_ADMIN }, { "SYS_ADMIN", CAP_SYS_ADMIN },
	{ "Net_Bind_Service", CAP_NET_BIND_SERVICE },
	{ "AUDIT_WRITE", CAP_AUDIT_WRITE },
};

START_TEST(name_to_number)
{
	struct err e = { 0 };
	int cap = -1;

	ck_assert_int_eq(capabilities_from_name(names[_i].name, &cap, &e), 0);
	ck_assert_int_eq(cap, names[_i].cap);
}
END_TEST

static const char *const bad_names[] = {
	"", "CAP_", "BOGUS", "12", "cap_12", "NET ADMIN", "CHOWN!", "ALL",
	"cap_chown_x",
};

START_TEST(bad_name_rejected)
{
	struct err e = { 0 };
	int cap;

	ck_assert_int_eq(capabilities_from_name(bad_names[_i], &cap, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "unknown capability"));
}
END_TEST

static char *add_net_admin[] = { "NET_ADMIN", NULL };
static char *drop_chown[] = { "CHOWN", NULL };
static char *all[] = { "ALL", NULL };
static char *bogus[] = { "NOPE", NULL };

START_TEST(combine_follows_docker)
{
	struct err e = { 0 };
	uint64_t out;

	ck_assert_int_eq(capabilities_combine(DOCKER, NULL, NULL, &out, &e), 0);
	ck_assert_uint_eq(out, DOCKER);
	ck_assert_int_eq(capabilities_combine(DOCKER, add_net_admin, drop_chown, &out, &e), 0);
	ck_assert_uint_eq(out, (DOCKER | BIT(CAP_NET_ADMIN)) & ~BIT(CAP_CHOWN));
	ck_assert_int_eq(capabilities_combine(DOCKER, NULL, all, &out, &e), 0);
	ck_assert_uint_eq(out, 0);
	ck_assert_int_eq(capabilities_combine(DOCKER, add_net_admin, all, &out, &e), 0);
	ck_assert_uint_eq(out, BIT(CAP_NET_ADMIN));
	ck_assert_int_eq(capabilities_combine(DOCKER, all, drop_chown, &out, &e), 0);
	ck_assert_uint_eq(out, capabilities_all() & ~BIT(CAP_CHOWN));
	ck_assert(out & BIT(CAP_SYS_ADMIN));
}
END_TEST

START_TEST(combine_rejects_unknown_names)
{
	struct err e = { 0 };
	uint64_t out;

	ck_assert_int_eq(capabilities_combine(DOCKER, bogus, NULL, &out, &e), -1);
	ck_assert_int_eq(capabilities_combine(DOCKER, NULL, bogus, &out, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "NOPE"));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *capabilities_suite(void)
{
	Suite *s = suite_create("capabilities");
	TCase *tc = tcase_create("capabilities");

	tcase_add_loop_test(tc, name_to_number, 0, N(names));
	tcase_add_loop_test(tc, bad_name_rejected, 0, N(bad_names));
	tcase_add_test(tc, combine_follows_docker);
	tcase_add_test(tc, combine_rejects_unknown_names);
	suite_add_tcase(s, tc);
	return s;
}
