/* net_helper.c - slirp4netns' API requests and pasta's port specs; see
 * net_helper.h. */
#include "net_helper.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int net_slirp_hostfwd_request(const struct port_mapping *p, char *buf, size_t len)
{
	int n = snprintf(buf, len,
			 "{\"execute\":\"add_hostfwd\",\"arguments\":{\"proto\":\"%s\","
			 "\"host_addr\":\"0.0.0.0\",\"host_port\":%u,\"guest_port\":%u}}",
			 p->proto == IPPROTO_UDP ? "udp" : "tcp",
			 (unsigned)p->host_port, (unsigned)p->container_port);

	return n < 0 || (size_t)n >= len ? -1 : 0;
}

/* Copy the string value of "desc" from a JSON error reply, unescaping
 * nothing but \" (slirp4netns' messages are plain text). */
static bool copy_desc(const char *reply, char *why, size_t len)
{
	const char *s = strstr(reply, "\"desc\"");
	size_t n = 0;

	if (!s || !(s = strchr(s + 6, '"')))
		return false;
	for (s++; *s && *s != '"' && n + 1 < len; s++) {
		if (*s == '\\' && s[1])
			s++;
		why[n++] = *s;
	}
	why[n] = '\0';
	return *s == '"';
}

int net_slirp_reply(const char *reply, char *why, size_t len)
{
	const char *r = reply;

	while (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r')
		r++;
	/* {"return": {...}} - the key comes first in every reply. */
	if (strncmp(r, "{\"return\"", 9) == 0)
		return 0;
	if (len && !copy_desc(reply, why, len))
		snprintf(why, len, "unexpected reply: %.200s", *reply ? reply : "(empty)");
	return -1;
}

void net_pasta_port_spec(const struct port_mapping *p, char *buf, size_t len)
{
	snprintf(buf, len, "%u:%u", (unsigned)p->host_port, (unsigned)p->container_port);
}
