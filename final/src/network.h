/* network.h - the container's network: none, host, or a rootless uplink.
 *
 * Contract:
 *
 *   network_start(c, child, n, e)  parent, after clone and after the id maps
 *                  are written, before the child is released.  `child` is
 *                  the container's pid (its network namespace is
 *                  /proc/<child>/ns/net).  For NETWORK_NONE and NETWORK_HOST
 *                  it starts nothing.  For slirp4netns/pasta it starts the
 *                  helper, waits until the uplink is ready, publishes
 *                  c->net.ports, and records what network_stop must undo.
 *                  NETWORK_DEFAULT picks an engine (falling back to none
 *                  with a warning on stderr when neither is installed).
 *   network_configure_lo(c, e)     child, inside its own network namespace,
 *                  before pivot_root: brings `lo` up.  A no-op with
 *                  NETWORK_HOST.
 *   network_stop(n)                the one teardown path, on every exit:
 *                  stops and reaps helper processes, closes their fds.
 *                  Safe on a zeroed struct, and twice.
 *
 * With NETWORK_HOST the container keeps the host's network namespace:
 * namespaces.c then does not ask clone for CLONE_NEWNET.
 */
#ifndef MVRC_NETWORK_H
#define MVRC_NETWORK_H

#include <sys/types.h>

#include "container.h"
#include "err.h"

struct network {
	enum network_mode mode;  /* the mode actually in use (never DEFAULT) */
	pid_t helper;            /* slirp4netns or pasta, 0 when none */
	int exit_fd;             /* closing it tells the helper to exit; -1 */
	int api_fd;              /* slirp4netns' API socket; -1 */
};

int network_start(const struct container *c, pid_t child, struct network *n,
		  struct err *e);
int network_configure_lo(const struct container *c, struct err *e);
void network_stop(struct network *n);

#endif
