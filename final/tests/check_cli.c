/* check_cli.c - `mvrc run`'s options into the container description. */
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "cli.h"
#include "tests.h"

/* Parse "run ARGS... ROOTFS" + CMD, with "/" as the rootfs. */
static int parse(struct container *c, struct err *e, const char *const *args)
{
	char *argv[64];
	int argc = 0;

	argv[argc++] = "run";
	while (*args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return cli_parse_run(argc, argv, c, e);
}

#define PARSE_OK(c, ...)                                                  \
	do {                                                              \
		struct err e_ = { 0 };                                    \
		const char *const a_[] = { __VA_ARGS__, NULL };           \
		ck_assert_msg(parse(c, &e_, a_) == CLI_RUN, "%s", e_.what); \
	} while (0)

START_TEST(defaults_are_dockers)
{
	struct container c;

	PARSE_OK(&c, "/", "sh", "-c", "true");
	ck_assert_str_eq(c.root.path, "/");
	ck_assert_str_eq(c.process.argv[0], "sh");
	ck_assert_str_eq(c.process.argv[2], "true");
	ck_assert_ptr_null(c.process.argv[3]);
	ck_assert_str_eq(c.process.cwd, "/");
	ck_assert_int_eq(c.process.uid, 0);
	ck_assert_int_eq(strncmp(c.id, "mvrc-", 5), 0);
	ck_assert_int_eq(strlen(c.id), 17);
	ck_assert_str_eq(c.hostname, c.id);
	ck_assert_int_eq(c.net.mode, NETWORK_DEFAULT);
	ck_assert(c.process.no_new_privs);
	ck_assert(!c.root.readonly);
	ck_assert_uint_eq(c.process.caps.bounding, 0xa80425fbu);
	ck_assert_uint_eq(c.process.caps.effective, 0xa80425fbu);
	ck_assert_int_eq(c.resources.memory, 0);
	container_free(&c);
}
END_TEST

START_TEST(every_option_fills_its_field)
{
	struct container c;

	PARSE_OK(&c, "--name", "web_1", "--hostname", "box", "-w", "/srv/",
		 "-u", "1000:100", "-v", "/tmp:/data:ro", "--volume=/var:/v",
		 "--read-only", "-m", "1.5g", "--pids-limit", "32", "--cpus", "0.5",
		 "--network", "slirp4netns", "-p", "8080:80", "--publish", "53:53/udp",
		 "-t", "-i", "--cap-add", "NET_ADMIN", "--cap-drop", "cap_chown",
		 "--rm", "-e", "A=1", "/", "id");
	ck_assert_str_eq(c.id, "web_1");
	ck_assert_str_eq(c.hostname, "box");
	ck_assert_str_eq(c.process.cwd, "/srv");
	ck_assert_int_eq(c.process.uid, 1000);
	ck_assert_int_eq(c.process.gid, 100);
	ck_assert_uint_eq(c.n_mounts, 2);
	ck_assert_str_eq(c.mounts[0].source, "/tmp");
	ck_assert_str_eq(c.mounts[0].destination, "/data");
	ck_assert(c.mounts[0].flags & MS_RDONLY);
	ck_assert(!(c.mounts[1].flags & MS_RDONLY));
	ck_assert(c.root.readonly);
	ck_assert_int_eq(c.resources.memory, 1610612736);
	ck_assert_int_eq(c.resources.pids, 32);
	ck_assert_int_eq(c.resources.cpu_quota, 50000);
	ck_assert_uint_eq(c.resources.cpu_period, 100000);
	ck_assert_int_eq(c.net.mode, NETWORK_SLIRP4NETNS);
	ck_assert_uint_eq(c.net.n_ports, 2);
	ck_assert_int_eq(c.net.ports[1].proto, IPPROTO_UDP);
	ck_assert(c.process.terminal && c.process.interactive);
	/* default - CHOWN + NET_ADMIN; a non-root user starts with none */
	ck_assert_uint_eq(c.process.caps.bounding, (0xa80425fbu & ~1u) | (1u << 12));
	ck_assert_uint_eq(c.process.caps.effective, 0);
	container_free(&c);
}
END_TEST

START_TEST(help_is_not_an_error)
{
	struct container c;
	struct err e = { 0 };
	const char *const args[] = { "--help", NULL };

	ck_assert_int_eq(parse(&c, &e, args), CLI_HELP);
	container_free(&c);
}
END_TEST

/* Each bad command line, and a word its message must contain. */
static const struct {
	const char *args[8];
	const char *says;
} bad[] = {
	{ { NULL }, "missing ROOTFS and CMD" },
	{ { "/", NULL }, "missing CMD" },
	{ { "--bogus", "/", "true", NULL }, "unknown option '--bogus'" },
	{ { "-x", "/", "true", NULL }, "unknown option" },
	{ { "/", "true", "--name", NULL }, NULL },   /* options after CMD are CMD's */
	{ { "--name", NULL }, "needs a value" },
	{ { "--name", "-bad", "/", "true", NULL }, "invalid name" },
	{ { "--name", "a", "/", "true", NULL }, "invalid name" },
	{ { "--name", "a/b", "/", "true", NULL }, "invalid name" },
	{ { "-m", "12zz", "/", "true", NULL }, "invalid size '12zz'" },
	{ { "-m", "99999999999p", "/", "true", NULL }, "too large" },
	{ { "-m", "1k", "/", "true", NULL }, "minimum is 6m" },
	{ { "--pids-limit", "many", "/", "true", NULL }, "--pids-limit" },
	{ { "--pids-limit", "-5", "/", "true", NULL }, "--pids-limit" },
	{ { "--cpus", "lots", "/", "true", NULL }, "--cpus" },
	{ { "--cpus", "100000", "/", "true", NULL }, "CPUs" },
	{ { "--network", "bridge", "/", "true", NULL }, "invalid --network 'bridge'" },
	{ { "-p", "8080:80", "--network", "none", "/", "true", NULL }, "-p needs" },
	{ { "-p", "8080:80", "--network", "host", "/", "true", NULL }, "-p needs" },
	{ { "-w", "relative", "/", "true", NULL }, "absolute" },
	{ { "-u", "root", "/", "true", NULL }, "invalid user id" },
	{ { "-u", "1:x", "/", "true", NULL }, "invalid group id" },
	{ { "-u", ":5", "/", "true", NULL }, "expected UID[:GID]" },
	{ { "--cap-add", "BOGUS", "/", "true", NULL }, "unknown capability 'BOGUS'" },
	{ { "--cap-drop", "12", "/", "true", NULL }, "unknown capability" },
	{ { "-e", "=x", "/", "true", NULL }, "empty name" },
	{ { "--hostname", "0123456789012345678901234567890123456789012345678901234567890123456789",
	    "/", "true", NULL }, "invalid hostname" },
	{ { "/nonexistent-rootfs", "true", NULL }, "rootfs /nonexistent-rootfs" },
	{ { "/etc/passwd", "true", NULL }, "rootfs /etc/passwd" },
};

START_TEST(bad_command_line_is_125)
{
	struct container c;
	struct err e = { 0 };
	int ret = parse(&c, &e, bad[_i].args);

	if (!bad[_i].says) {
		ck_assert_int_eq(ret, CLI_RUN);
	} else {
		ck_assert_int_eq(ret, -1);
		ck_assert_int_eq(e.status, 125);
		ck_assert_msg(strstr(e.what, bad[_i].says), "'%s' lacks '%s'", e.what, bad[_i].says);
	}
	container_free(&c);
}
END_TEST

static const char *const bad_volumes[] = {
	"", "/a", ":/b", "/a:", "a:/b", "/a:b", "/a:/b:rx", "/a:/b:ro:x",
	"/a:/b/../../etc", "/a:/..",
};

START_TEST(bad_volume_rejected)
{
	struct mount_entry m;
	struct err e = { 0 };

	ck_assert_int_eq(cli_parse_volume(bad_volumes[_i], &m, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "invalid volume"));
	free(m.source);
	free(m.destination);
	free(m.type);
}
END_TEST

START_TEST(volume_rw_and_trailing_slashes)
{
	struct mount_entry m;
	struct err e = { 0 };

	ck_assert_int_eq(cli_parse_volume("/srv/data/:/data/:rw", &m, &e), 0);
	ck_assert_str_eq(m.source, "/srv/data");
	ck_assert_str_eq(m.destination, "/data");
	ck_assert_uint_eq(m.flags, MS_BIND | MS_REC);
	free(m.source);
	free(m.destination);
	free(m.type);
}
END_TEST

static const char *const bad_ports[] = {
	"", "80", "0:80", "80:0", "65536:80", "80:99999", "a:80", "80:80/sctp",
	"127.0.0.1:80:80", "80:80/", "-1:80", "80:8 0",
};

START_TEST(bad_port_rejected)
{
	struct port_mapping p;
	struct err e = { 0 };

	ck_assert_int_eq(cli_parse_publish(bad_ports[_i], &p, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.what, "invalid port mapping"));
}
END_TEST

START_TEST(port_parses)
{
	struct port_mapping p;
	struct err e = { 0 };

	ck_assert_int_eq(cli_parse_publish("8080:80", &p, &e), 0);
	ck_assert_uint_eq(p.host_port, 8080);
	ck_assert_uint_eq(p.container_port, 80);
	ck_assert_int_eq(p.proto, IPPROTO_TCP);
	ck_assert_int_eq(cli_parse_publish("65535:1/udp", &p, &e), 0);
	ck_assert_uint_eq(p.host_port, 65535);
	ck_assert_int_eq(p.proto, IPPROTO_UDP);
}
END_TEST

START_TEST(user_without_group_is_gid_0)
{
	struct err e = { 0 };
	uid_t uid;
	gid_t gid;
	int has_gid;

	ck_assert_int_eq(cli_parse_user("1000", &uid, &gid, &has_gid, &e), 0);
	ck_assert_int_eq(uid, 1000);
	ck_assert_int_eq(gid, 0);
	ck_assert_int_eq(has_gid, 0);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

Suite *cli_suite(void)
{
	Suite *s = suite_create("cli");
	TCase *tc = tcase_create("cli");

	tcase_add_test(tc, defaults_are_dockers);
	tcase_add_test(tc, every_option_fills_its_field);
	tcase_add_test(tc, help_is_not_an_error);
	tcase_add_loop_test(tc, bad_command_line_is_125, 0, N(bad));
	tcase_add_loop_test(tc, bad_volume_rejected, 0, N(bad_volumes));
	tcase_add_test(tc, volume_rw_and_trailing_slashes);
	tcase_add_loop_test(tc, bad_port_rejected, 0, N(bad_ports));
	tcase_add_test(tc, port_parses);
	tcase_add_test(tc, user_without_group_is_gid_0);
	suite_add_tcase(s, tc);
	return s;
}
