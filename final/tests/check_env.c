/* check_env.c - the container's environment. */
#include <stdlib.h>
#include <string.h>

#include "env.h"
#include "tests.h"
#include "util.h"

static const char *get(char **env, const char *key)
{
	size_t n = strlen(key);

	for (size_t i = 0; env && env[i]; i++)
		if (strncmp(env[i], key, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

static char *caller[] = { "HOME=/home/me", "SECRET=s3", "LANG=C.UTF-8", NULL };

START_TEST(clean_environment)
{
	struct env_input in = { .hostname = "box", .home = "/root", .caller_env = caller };
	struct err e = { 0 };
	char **env = NULL;

	ck_assert_int_eq(env_build(&in, &env, &e), 0);
	ck_assert_str_eq(get(env, "PATH"), ENV_DEFAULT_PATH);
	ck_assert_str_eq(get(env, "HOSTNAME"), "box");
	ck_assert_str_eq(get(env, "HOME"), "/root");
	ck_assert_ptr_null(get(env, "TERM"));
	ck_assert_ptr_null(get(env, "SECRET"));
	ck_assert_uint_eq(strv_length(env), 3);
	strv_free(env);
}
END_TEST

START_TEST(tty_sets_term)
{
	struct env_input in = { .hostname = "box", .tty = true };
	struct err e = { 0 };
	char **env = NULL;

	ck_assert_int_eq(env_build(&in, &env, &e), 0);
	ck_assert_str_eq(get(env, "TERM"), "xterm");
	ck_assert_str_eq(get(env, "HOME"), "/");
	strv_free(env);
}
END_TEST

START_TEST(dash_e_rules)
{
	char *user[] = { "A=1", "SECRET", "MISSING", "A=2", "PATH=/bin", "EMPTY=", "B=x=y", NULL };
	struct env_input in = { .hostname = "box", .user_env = user, .caller_env = caller };
	struct err e = { 0 };
	char **env = NULL;

	ck_assert_int_eq(env_build(&in, &env, &e), 0);
	ck_assert_str_eq(get(env, "A"), "2");              /* the later one wins */
	ck_assert_str_eq(get(env, "SECRET"), "s3");        /* bare KEY copies ours */
	ck_assert_ptr_null(get(env, "MISSING"));           /* ... or is skipped */
	ck_assert_str_eq(get(env, "PATH"), "/bin");        /* -e overrides defaults */
	ck_assert_str_eq(get(env, "EMPTY"), "");
	ck_assert_str_eq(get(env, "B"), "x=y");
	strv_free(env);
}
END_TEST

static const char *const bad_env[] = { "=x", "", "=" };

START_TEST(dash_e_rejects)
{
	char *user[] = { (char *)bad_env[_i], NULL };
	struct env_input in = { .user_env = user };
	struct err e = { 0 };
	char **env = NULL;

	ck_assert_int_eq(env_build(&in, &env, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "invalid environment variable"));
	ck_assert_ptr_null(env);
}
END_TEST

START_TEST(home_from_passwd)
{
	const char *passwd = "root:x:0:0:root:/root:/bin/sh\n"
			     "user:x:1000:1000::/home/user:/bin/sh\n"
			     "broken:x:1001\n"
			     "nohome:x:1002:1002:::/bin/sh\n";
	char *home;

	home = env_home_from_passwd(passwd, 1000);
	ck_assert_str_eq(home, "/home/user");
	free(home);
	ck_assert_ptr_null(env_home_from_passwd(passwd, 1001));
	ck_assert_ptr_null(env_home_from_passwd(passwd, 1002));
	ck_assert_ptr_null(env_home_from_passwd(passwd, 4242));
	ck_assert_ptr_null(env_home_from_passwd("", 0));
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *env_suite(void)
{
	Suite *s = suite_create("env");
	TCase *tc = tcase_create("env");

	tcase_add_test(tc, clean_environment);
	tcase_add_test(tc, tty_sets_term);
	tcase_add_test(tc, dash_e_rules);
	tcase_add_loop_test(tc, dash_e_rejects, 0, N(bad_env));
	tcase_add_test(tc, home_from_passwd);
	suite_add_tcase(s, tc);
	return s;
}
