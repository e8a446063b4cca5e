/* check_ids.c - /etc/subuid and /etc/subgid parsing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ids.h"
#include "tests.h"

static const char *const subuid =
	"# comment\n"
	"\n"
	"alice:100000:65536\n"
	"bob:165536:65536\n"
	"1002:231072:1000\n"
	"alice:300000:10\n";

START_TEST(finds_the_users_first_range)
{
	struct subid_range r;
	struct err e = { 0 };

	ck_assert_int_eq(ids_parse_subid(subuid, "alice", 1000, &r, &e), 1);
	ck_assert_uint_eq(r.start, 100000);
	ck_assert_uint_eq(r.count, 65536);
	ck_assert_int_eq(ids_parse_subid(subuid, "bob", 1001, &r, &e), 1);
	ck_assert_uint_eq(r.start, 165536);
}
END_TEST

START_TEST(finds_a_line_by_uid)
{
	struct subid_range r;
	struct err e = { 0 };

	ck_assert_int_eq(ids_parse_subid(subuid, "carol", 1002, &r, &e), 1);
	ck_assert_uint_eq(r.start, 231072);
	ck_assert_uint_eq(r.count, 1000);
}
END_TEST

START_TEST(no_line_is_zero)
{
	struct subid_range r;
	struct err e = { 0 };

	ck_assert_int_eq(ids_parse_subid(subuid, "dave", 1003, &r, &e), 0);
	ck_assert_int_eq(ids_parse_subid("", "dave", 1003, &r, &e), 0);
	/* a name that is a prefix of another's is not a match */
	ck_assert_int_eq(ids_parse_subid("alice2:1:2\n", "alice", 7, &r, &e), 0);
}
END_TEST

static const char *const malformed[] = {
	"alice:100000\n", "alice:x:65536\n", "alice:100000:0\n",
	"alice:100000:-1\n", "alice:4294967295:2\n", "alice:1:2:3\n",
	"alice::65536\n", "alice:99999999999:1\n",
};

START_TEST(malformed_line_for_the_user_is_an_error)
{
	struct subid_range r;
	struct err e = { 0 };

	ck_assert_int_eq(ids_parse_subid(malformed[_i], "alice", 1000, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "malformed"));
}
END_TEST

START_TEST(reads_a_file_and_a_missing_one)
{
	char path[] = "/tmp/mvrc-subuid-XXXXXX";
	struct subid_range r;
	struct err e = { 0 };
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, subuid, strlen(subuid)), (ssize_t)strlen(subuid));
	close(fd);
	ck_assert_int_eq(ids_read_subid(path, "bob", 1001, &r, &e), 1);
	ck_assert_uint_eq(r.start, 165536);
	unlink(path);
	ck_assert_int_eq(ids_read_subid(path, "bob", 1001, &r, &e), 0);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *ids_suite(void)
{
	Suite *s = suite_create("ids");
	TCase *tc = tcase_create("subid");

	tcase_add_test(tc, finds_the_users_first_range);
	tcase_add_test(tc, finds_a_line_by_uid);
	tcase_add_test(tc, no_line_is_zero);
	tcase_add_loop_test(tc, malformed_line_for_the_user_is_an_error, 0, N(malformed));
	tcase_add_test(tc, reads_a_file_and_a_missing_one);
	suite_add_tcase(s, tc);
	return s;
}
