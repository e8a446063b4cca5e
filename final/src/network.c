/* network.c - placeholder: --network none and host only.
 * The slirp4netns/pasta implementation replaces this file; the contract is
 * in network.h. */
#include "network.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "util.h"

int network_start(const struct container *c, pid_t child, struct network *n,
		  struct err *e)
{
	(void)child;
	memset(n, 0, sizeof(*n));
	n->exit_fd = -1;
	n->api_fd = -1;
	switch (c->net.mode) {
	case NETWORK_DEFAULT:
	case NETWORK_NONE:
		n->mode = NETWORK_NONE;
		return 0;
	case NETWORK_HOST:
		n->mode = NETWORK_HOST;
		return 0;
	case NETWORK_SLIRP4NETNS:
	case NETWORK_PASTA:
		break;
	}
	err_set(e, 0, "--network %s is not supported yet",
		c->net.mode == NETWORK_PASTA ? "pasta" : "slirp4netns");
	return err_hint(e, "use --network none or --network host");
}

/* SIOCSIFFLAGS on any socket of the namespace sets lo's flags; see
 * netdevice(7). */
int network_configure_lo(const struct container *c, struct err *e)
{
	_cleanup_close_ int fd = -1;
	struct ifreq ifr = { .ifr_name = "lo" };

	if (c->net.mode == NETWORK_HOST)
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, errno, "socket(AF_INET) for lo");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
		return err_set(e, errno, "ioctl(SIOCGIFFLAGS, lo)");
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
		return err_set(e, errno, "ioctl(SIOCSIFFLAGS, lo up)");
	return 0;
}

void network_stop(struct network *n)
{
	(void)n;
}
