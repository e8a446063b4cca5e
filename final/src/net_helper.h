/* net_helper.h - what network.c says to slirp4netns and pasta.
 *
 * Pure functions (no system call) that build the helpers' requests and
 * read their answers, so that the unit tests cover them.
 */
#ifndef MVRC_NET_HELPER_H
#define MVRC_NET_HELPER_H

#include <stddef.h>

#include "container.h"

/* slirp4netns' API request that publishes p on every host address, as
 * Docker does: {"execute":"add_hostfwd","arguments":{...}}.  -1 when it
 * does not fit in len. */
int net_slirp_hostfwd_request(const struct port_mapping *p, char *buf, size_t len);

/* Read slirp4netns' API reply: 0 for {"return": ...}; -1 otherwise, with
 * the error's "desc" (or the reply itself) copied into why. */
int net_slirp_reply(const char *reply, char *why, size_t len);

/* pasta's port specification for p: "8080:80" (host port, then the
 * container's), to follow -t (TCP) or -u (UDP). */
void net_pasta_port_spec(const struct port_mapping *p, char *buf, size_t len);

#endif
