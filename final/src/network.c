/* network.c - none, host, or a rootless uplink; see network.h.
 *
 * An unprivileged user cannot create a veth pair to the host's network
 * namespace: that takes CAP_NET_ADMIN there.  A user-mode network stack
 * does it instead.  It joins the container's user and network namespaces,
 * creates a tap device in the network namespace (/dev/net/tun) and turns
 * the container's Ethernet frames into ordinary sockets on the host:
 *
 *   slirp4netns  tap0 10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3; ports
 *                are published through its API socket (add_hostfwd)
 *   pasta        the host's own addresses and routes copied into the
 *                container; ports are published with -t/-u
 *
 * Both run as children of mvrc, each with only the fds it needs, and both
 * die with mvrc: slirp4netns sees its --exit-fd close, pasta gets the
 * parent-death signal (it does not notice on its own that the container's
 * namespace is gone), and network_stop kills and reaps them on every
 * ordinary exit.
 *
 * By default the container cannot reach the host's loopback, where
 * services listen that trust local users: slirp4netns
 * --disable-host-loopback; pasta --no-map-gw (no gateway address that
 * leads to the host's 127.0.0.1) and -T none -U none (no forwarding of the
 * container's own loopback ports to the host's).
 */
#include "network.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net_helper.h"
#include "util.h"

/* How long a helper may take to bring the uplink up. */
#define READY_TIMEOUT_MS 10000

/* The default engine, then its fallback: the faster network first.  On the
 * reference host (bench/RESULTS.md) pasta carries about twice slirp4netns'
 * throughput from the container to the host, and takes longer to start
 * (it configures the namespace over netlink before it reports ready):
 * say --network slirp4netns for many short-lived containers. */
static const enum network_mode engine_order[] = { NETWORK_PASTA, NETWORK_SLIRP4NETNS };

static const char *engine_name(enum network_mode m)
{
	return m == NETWORK_PASTA ? "pasta" : "slirp4netns";
}

/* ---- running a helper ------------------------------------------------- */

static void close_fd(int *fd)
{
	util_close(fd);
	*fd = -1;
}

/* Is prog an executable file in $PATH? */
static bool on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];

	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n > 0 && snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, path, prog) <
				     (int)sizeof(buf) &&
		    access(buf, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* In the helper's child, before exec: stdin from /dev/null, stdout and
 * stderr into the log, keep[i] as fd 3 + i, nothing else.  Signals are
 * unblocked (mvrc blocks the ones it forwards), and the helper dies with
 * mvrc.  Does not return. */
static void exec_helper(char *const argv[], const int *keep, int n_keep, int log,
			pid_t parent)
{
	sigset_t none;
	int high[8], null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(127);
	/* Move every fd out of the way first: a source may sit on a target. */
	for (int i = 0; i < n_keep; i++)
		high[i] = fcntl(keep[i], F_DUPFD_CLOEXEC, 100);
	log = fcntl(log, F_DUPFD_CLOEXEC, 100);
	if (null < 0 || log < 0 || dup2(null, 0) < 0 || dup2(log, 1) < 0 || dup2(log, 2) < 0)
		_exit(127);
	for (int i = 0; i < n_keep; i++)
		if (high[i] < 0 || dup2(high[i], 3 + i) < 0)
			_exit(127);
	close_range(3 + (unsigned)n_keep, ~0U, 0);
	execvp(argv[0], argv);
	dprintf(2, "exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static pid_t spawn(char *const argv[], const int *keep, int n_keep, int log, struct err *e)
{
	pid_t parent = getpid(), pid = fork();

	if (pid < 0)
		return err_set(e, errno, "fork %s", argv[0]);
	if (pid == 0)
		exec_helper(argv, keep, n_keep, log, parent);
	return pid;
}

/* The helper's last line of output, for the error when it fails. */
static void last_line(int log, char *buf, size_t len)
{
	char text[4096], *end, *start;
	ssize_t n = pread(log, text, sizeof(text) - 1, 0);

	buf[0] = '\0';
	if (n <= 0)
		return;
	text[n] = '\0';
	end = text + n;
	while (end > text && (end[-1] == '\n' || end[-1] == '\r'))
		*--end = '\0';
	start = strrchr(text, '\n');
	start = start ? start + 1 : text;
	if (strlen(start) >= len)
		start[len - 1] = '\0';
	memcpy(buf, start, strlen(start) + 1);
}

/* The helper has failed: reap it and say why, from what it printed. */
static int helper_failed(struct network *n, int log, const char *why, struct err *e)
{
	char line[400];

	kill(n->helper, SIGKILL);
	while (waitpid(n->helper, NULL, 0) < 0 && errno == EINTR)
		;
	n->helper = 0;
	last_line(log, line, sizeof(line));
	err_set(e, 0, "--network %s: %s%s%s", engine_name(n->mode), why,
		*line ? ": " : "", line);
	if (strstr(line, "/dev/net/tun") || access("/dev/net/tun", R_OK | W_OK) < 0)
		return err_hint(e, "the helper needs /dev/net/tun, readable and writable by you: "
				"sudo chmod 0666 /dev/net/tun; `make doctor` checks");
	return err_hint(e, "try --network %s, or --network none; `make doctor` checks",
			n->mode == NETWORK_PASTA ? "slirp4netns" : "pasta");
}

/* Wait for the helper's readiness: bytes on fd; EOF means it died. */
static int wait_ready(int fd, char *buf, size_t len)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	ssize_t r;
	int k;

	while ((k = poll(&p, 1, READY_TIMEOUT_MS)) < 0 && errno == EINTR)
		;
	if (k <= 0)
		return -1;
	while ((r = read(fd, buf, len - 1)) < 0 && errno == EINTR)
		;
	if (r <= 0)
		return -1;
	buf[r] = '\0';
	return 0;
}

/* ---- slirp4netns -------------------------------------------------------- */

/* One request on slirp4netns' API socket; it answers and closes. */
static int slirp_request(const char *socket_path, const char *req, char *why, size_t wlen)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	_cleanup_close_ int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	char reply[1024];
	size_t got = 0;
	ssize_t r;

	if (strlen(socket_path) >= sizeof(a.sun_path)) {
		snprintf(why, wlen, "API socket path too long");
		return -1;
	}
	memcpy(a.sun_path, socket_path, strlen(socket_path) + 1);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    write_all(fd, req, strlen(req)) < 0 || shutdown(fd, SHUT_WR) < 0) {
		snprintf(why, wlen, "API socket %s: %s", socket_path, strerror(errno));
		return -1;
	}
	while (got < sizeof(reply) - 1 &&
	       ((r = read(fd, reply + got, sizeof(reply) - 1 - got)) > 0 || (r < 0 && errno == EINTR)))
		got += r > 0 ? (size_t)r : 0;
	reply[got] = '\0';
	return net_slirp_reply(reply, why, wlen);
}

static int slirp_publish(const struct container *c, const char *api, struct err *e)
{
	for (size_t i = 0; i < c->net.n_ports; i++) {
		const struct port_mapping *p = &c->net.ports[i];
		char req[256], why[300];

		net_slirp_hostfwd_request(p, req, sizeof(req));
		if (slirp_request(api, req, why, sizeof(why)) < 0)
			return err_set(e, 0, "-p %u:%u: slirp4netns: %s", (unsigned)p->host_port,
				       (unsigned)p->container_port, why),
			       err_hint(e, "is host port %u in use? choose another one",
					(unsigned)p->host_port);
	}
	return 0;
}

/* slirp4netns PID tap0, with --exit-fd 3 (our pipe: EOF when mvrc is
 * gone, however it ends) and --ready-fd 4.  The API socket, needed only
 * to publish ports, lives in a private directory removed once they are. */
static int start_slirp4netns(const struct container *c, pid_t child, struct network *n,
			     int log, struct err *e)
{
	int exitp[2] = { -1, -1 }, readyp[2] = { -1, -1 }, ret = -1;
	char pid_s[16], api_arg[256], api[240], dir[] = "/tmp/mvrc-net-XXXXXX", ready[8];
	char *argv[] = { "slirp4netns", "--configure", "--mtu=65520", "--disable-host-loopback",
			 "--exit-fd=3", "--ready-fd=4", pid_s, "tap0", NULL, NULL };

	snprintf(pid_s, sizeof(pid_s), "%d", (int)child);
	if (c->net.n_ports) {
		if (!mkdtemp(dir))
			return err_set(e, errno, "mkdtemp %s", dir);
		snprintf(api, sizeof(api), "%s/api.sock", dir);
		snprintf(api_arg, sizeof(api_arg), "--api-socket=%s", api);
		memmove(&argv[7], &argv[6], 3 * sizeof(*argv));
		argv[6] = api_arg;
	}
	if (pipe2(exitp, O_CLOEXEC) < 0 || pipe2(readyp, O_CLOEXEC) < 0) {
		err_set(e, errno, "pipe for slirp4netns");
		goto out;
	}
	n->helper = spawn(argv, (int[]){ exitp[0], readyp[1] }, 2, log, e);
	if (n->helper < 0) {
		n->helper = 0;
		goto out;
	}
	n->exit_fd = steal_fd(&exitp[1]);
	close_fd(&readyp[1]);
	if (wait_ready(readyp[0], ready, sizeof(ready)) < 0)
		helper_failed(n, log, "exited before the network was ready", e);
	else
		ret = slirp_publish(c, api, e);
out:
	close_fd(&exitp[0]);
	close_fd(&exitp[1]);
	close_fd(&readyp[0]);
	close_fd(&readyp[1]);
	if (c->net.n_ports) {
		unlink(api);
		rmdir(dir);
	}
	return ret;
}

/* ---- pasta ---------------------------------------------------------------- */

/* pasta -f (stay our child) ... PID.  It writes its pid to --pid once the
 * namespace is configured: that file is our pipe (fd 3), so the pid is
 * the readiness signal, and EOF means it failed. */
static int start_pasta(const struct container *c, pid_t child, struct network *n,
		       int log, struct err *e)
{
	char specs[64][16], pid_s[16], ready[32], runas[32];
	char *argv[24 + 2 * 64] = { "pasta", "-f", "-q", "--config-net", "--no-map-gw",
				    "-T", "none", "-U", "none", "--pid", "/proc/self/fd/3",
				    "--runas", runas };
	int argc = 13, tcp = 0, udp = 0, readyp[2], ret = 0;

	/* As root pasta would switch to "nobody", who may not open the
	 * container's namespaces: stay who we are. */
	snprintf(runas, sizeof(runas), "%u:%u", (unsigned)geteuid(), (unsigned)getegid());
	for (size_t i = 0; i < c->net.n_ports && i < 64; i++) {
		bool is_udp = c->net.ports[i].proto == IPPROTO_UDP;

		net_pasta_port_spec(&c->net.ports[i], specs[i], sizeof(specs[i]));
		argv[argc++] = is_udp ? "-u" : "-t";
		argv[argc++] = specs[i];
		*(is_udp ? &udp : &tcp) += 1;
	}
	if (c->net.n_ports > 64)
		return err_set(e, E2BIG, "pasta: at most 64 published ports");
	/* Without -t/-u pasta forwards every port the container binds ("auto"). */
	if (!tcp)
		argv[argc++] = "-t", argv[argc++] = "none";
	if (!udp)
		argv[argc++] = "-u", argv[argc++] = "none";
	snprintf(pid_s, sizeof(pid_s), "%d", (int)child);
	argv[argc++] = pid_s;
	argv[argc] = NULL;
	if (pipe2(readyp, O_CLOEXEC) < 0)
		return err_set(e, errno, "pipe for pasta");
	n->helper = spawn(argv, &readyp[1], 1, log, e);
	close(readyp[1]);
	if (n->helper < 0)
		n->helper = 0, ret = -1;
	else if (wait_ready(readyp[0], ready, sizeof(ready)) < 0)
		ret = helper_failed(n, log, "exited before the network was ready", e);
	close(readyp[0]);
	return ret;
}

/* ---- the contract --------------------------------------------------------- */

static int start_engine(const struct container *c, enum network_mode mode, pid_t child,
			struct network *n, struct err *e)
{
	_cleanup_close_ int log = memfd_create("mvrc-network-log", MFD_CLOEXEC);

	if (log < 0)
		return err_set(e, errno, "memfd_create for the %s log", engine_name(mode));
	n->mode = mode;
	if (mode == NETWORK_PASTA)
		return start_pasta(c, child, n, log, e);
	return start_slirp4netns(c, child, n, log, e);
}

/* NETWORK_DEFAULT: the first engine of engine_order that is installed and
 * starts; none, with a warning, when neither does and no port is to be
 * published. */
static int start_default(const struct container *c, pid_t child, struct network *n,
			 struct err *e)
{
	struct err why = { 0 };
	bool tried = false;

	for (size_t i = 0; i < sizeof(engine_order) / sizeof(engine_order[0]); i++) {
		if (!on_path(engine_name(engine_order[i])))
			continue;
		if (start_engine(c, engine_order[i], child, n, &why) == 0)
			return 0;
		network_stop(n);
		tried = true;
	}
	if (!tried)
		err_set(&why, 0, "neither pasta nor slirp4netns is installed");
	if (c->net.n_ports) {
		*e = why;
		return err_wrap(e, "cannot publish ports: ");
	}
	fprintf(stderr, "mvrc: warning: %s: the container has no network but lo "
		"(install passt or slirp4netns, or say --network none)\n", why.what);
	n->mode = NETWORK_NONE;
	return 0;
}

int network_start(const struct container *c, pid_t child, struct network *n,
		  struct err *e)
{
	memset(n, 0, sizeof(*n));
	n->exit_fd = -1;
	n->api_fd = -1;
	switch (c->net.mode) {
	case NETWORK_NONE:
	case NETWORK_HOST:
		n->mode = c->net.mode;
		return 0;
	case NETWORK_SLIRP4NETNS:
	case NETWORK_PASTA:
		if (!on_path(engine_name(c->net.mode)))
			return err_set(e, ENOENT, "--network %s", engine_name(c->net.mode)),
			       err_hint(e, "install it: apt-get install %s",
					c->net.mode == NETWORK_PASTA ? "passt" : "slirp4netns");
		return start_engine(c, c->net.mode, child, n, e);
	case NETWORK_DEFAULT:
		break;
	}
	return start_default(c, child, n, e);
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

/* The helpers keep no state worth saving: SIGKILL is immediate. */
void network_stop(struct network *n)
{
	close_fd(&n->exit_fd);
	close_fd(&n->api_fd);
	if (n->helper > 0) {
		kill(n->helper, SIGKILL);
		while (waitpid(n->helper, NULL, 0) < 0 && errno == EINTR)
			;
	}
	n->helper = 0;
}
