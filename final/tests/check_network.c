/* check_network.c - slirp4netns' API requests and replies, pasta's ports. */
#include <netinet/in.h>
#include <string.h>

#include "net_helper.h"
#include "tests.h"

START_TEST(hostfwd_request_tcp)
{
	struct port_mapping p = { .host_port = 8080, .container_port = 80, .proto = IPPROTO_TCP };
	char buf[256];

	ck_assert_int_eq(net_slirp_hostfwd_request(&p, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"tcp\","
			      "\"host_addr\":\"0.0.0.0\",\"host_port\":8080,\"guest_port\":80}}");
}
END_TEST

START_TEST(hostfwd_request_udp_and_short_buffer)
{
	struct port_mapping p = { .host_port = 65535, .container_port = 1, .proto = IPPROTO_UDP };
	char buf[256], tiny[16];

	ck_assert_int_eq(net_slirp_hostfwd_request(&p, buf, sizeof(buf)), 0);
	ck_assert_ptr_nonnull(strstr(buf, "\"proto\":\"udp\""));
	ck_assert_ptr_nonnull(strstr(buf, "\"host_port\":65535,\"guest_port\":1}"));
	ck_assert_int_eq(net_slirp_hostfwd_request(&p, tiny, sizeof(tiny)), -1);
}
END_TEST

static const struct {
	const char *reply;
	int ret;
	const char *why;
} replies[] = {
	{ "{\"return\": {\"id\": 1}}", 0, NULL },
	{ "  {\"return\": {}}\n", 0, NULL },
	{ "{\"error\": {\"desc\": \"bad request: add_hostfwd: slirp_add_hostfwd failed\"}}", -1,
	  "bad request: add_hostfwd: slirp_add_hostfwd failed" },
	{ "{\"error\": {\"desc\": \"say \\\"no\\\"\"}}", -1, "say \"no\"" },
	{ "", -1, "unexpected reply: (empty)" },
	{ "{\"foo\": 1}", -1, "unexpected reply: {\"foo\": 1}" },
	{ "{\"error\": {\"desc\": \"unterminated", -1,
	  "unexpected reply: {\"error\": {\"desc\": \"unterminated" },
};

START_TEST(slirp_replies)
{
	char why[128] = "";

	ck_assert_int_eq(net_slirp_reply(replies[_i].reply, why, sizeof(why)), replies[_i].ret);
	if (replies[_i].why)
		ck_assert_str_eq(why, replies[_i].why);
}
END_TEST

START_TEST(pasta_spec)
{
	struct port_mapping p = { .host_port = 18080, .container_port = 80, .proto = IPPROTO_TCP };
	char buf[16];

	net_pasta_port_spec(&p, buf, sizeof(buf));
	ck_assert_str_eq(buf, "18080:80");
}
END_TEST

Suite *network_suite(void)
{
	Suite *s = suite_create("network");
	TCase *t = tcase_create("helpers");

	tcase_add_test(t, hostfwd_request_tcp);
	tcase_add_test(t, hostfwd_request_udp_and_short_buffer);
	tcase_add_loop_test(t, slirp_replies, 0, (int)(sizeof(replies) / sizeof(replies[0])));
	tcase_add_test(t, pasta_spec);
	suite_add_tcase(s, t);
	return s;
}
