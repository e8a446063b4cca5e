/*
 * Step 04 — a new user namespace: root inside is us outside, no sudo needed.
 *
 * CLONE_NEWUSER makes the child root of a user namespace that we, an
 * ordinary user, own; the kernel then lets it create the other namespaces.
 * Before the child goes on, the parent writes its uid_map and gid_map,
 * "0 <our id> 1", and the child waits for that on a pipe.
 *
 * Run:  make && ./container sh -c 'id; hostname; echo my pid is $$'
 *
 * What main does:
 *   1. checks that there is a CMD to run;
 *   2. makes the pipe that holds the child back until its maps are written;
 *   3. clones a child into new user, PID and UTS namespaces, which waits;
 *   4. writes the child's uid_map, setgroups and gid_map, then releases it:
 *      the child sets the hostname and replaces itself with CMD;
 *   5. waits for CMD and exits with its status, or 128+N if signal N killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses, the same as docker's and final/'s. */
enum {
	EXIT_SETUP = 125,	/* the container itself failed */
	EXIT_CANNOT_EXEC = 126,	/* CMD exists but cannot be executed */
	EXIT_NOT_FOUND = 127,	/* CMD was not found */
};

/* The child's stack for clone(2): plenty for the few calls before execvp. */
#define STACK_SIZE (1024 * 1024)

/* The hostname CMD sees. */
#define HOSTNAME "container"

/* What the child needs: clone(2) hands it a single pointer. */
struct child_args {
	char **argv;		/* CMD [ARG...] */
	int sync[2];		/* the pipe the parent releases the child through */
};

/*
 * The well-known cause of WHAT failing with ERR, as advice, or NULL.
 */
static const char *hint(const char *what, int err)
{
	if (strcmp(what, "clone") == 0 && (err == EPERM || err == EACCES))
		return "this host keeps user namespaces from ordinary users: on Ubuntu 24.04 run "
		       "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`, on old "
		       "Debian kernels `sudo sysctl -w kernel.unprivileged_userns_clone=1`";
	if (strcmp(what, "clone") == 0 && err == ENOSPC)
		return "no user namespaces allowed (user.max_user_namespaces is 0?): "
		       "run `sudo sysctl -w user.max_user_namespaces=15000`";
	if (strcmp(what, "sethostname") == 0 && err == EPERM)
		return "root in the new user namespace got no capabilities: Ubuntu 24.04's AppArmor "
		       "does that; run `sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`";
	return NULL;
}

/*
 * Prints "container: <what>: <errno's text>", then a hint when the cause is
 * well known, and exits with EXIT_SETUP.
 * Saves errno first: printing may change it. Does not return.
 */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	int err = errno;
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	fprintf(stderr, "container: %s: %s\n", what, strerror(err));
	const char *advice = hint(what, err);
	if (advice)
		fprintf(stderr, "hint: %s\n", advice);
	exit(EXIT_SETUP);
}

/*
 * Runs in the child: blocks until the parent has written our ID maps. Until
 * then our IDs have no mapping: we show up as 65534, cannot create files
 * (EOVERFLOW), and execve(2) would drop every capability (user_namespaces(7)).
 */
static void wait_for_parent(int sync[2])
{
	char go;

	/* Our copy of the write end would keep read(2) from ever seeing EOF. */
	close(sync[1]);
	ssize_t n = read(sync[0], &go, 1);
	if (n < 0)
		die("read(sync pipe)");
	/* EOF before the go byte: the parent failed, and has said why. */
	if (n == 0)
		exit(EXIT_SETUP);
	close(sync[0]);
}

/*
 * Runs in the child: replaces this process with CMD, searching $PATH as a
 * shell does (execvp(3)). Does not return.
 */
static void __attribute__((noreturn)) exec_command(char **argv)
{
	execvp(argv[0], argv);

	/* Only reached when execvp failed. Like sh(1) and docker: 127 when CMD
	 * was not found, 126 when it exists but cannot be run (EACCES, ENOEXEC). */
	int err = errno;
	fprintf(stderr, "container: execvp(%s): %s\n", argv[0], strerror(err));
	exit(err == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXEC);
}

/*
 * The child, started by clone(2) as PID 1 of the new PID namespace.
 * Does not return.
 */
static int child(void *arg)
{
	struct child_args *args = arg;

	wait_for_parent(args->sync);
	/* Renames only our UTS namespace; the host keeps its name (uts_namespaces(7)). */
	if (sethostname(HOSTNAME, strlen(HOSTNAME)) < 0)
		die("sethostname");
	exec_command(args->argv);
}

/*
 * Starts child() in new namespaces and returns its PID as we see it.
 * clone(2) is fork(2) with a say in what the child shares: each CLONE_NEW*
 * flag gives it a new namespace of that kind (namespaces(7)).
 */
static pid_t start_child(struct child_args *args)
{
	/* The glibc wrapper runs child() on a stack we give it; it grows down,
	 * so clone takes its top (clone(2), EXAMPLES). */
	char *stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (stack == MAP_FAILED)
		die("mmap");

	int flags = CLONE_NEWPID	/* CMD is PID 1 of a new PID namespace */
		  | CLONE_NEWUTS	/* with a hostname of its own */
		  | CLONE_NEWUSER	/* all owned by a new user namespace, made first */
		  | SIGCHLD;		/* and sends us SIGCHLD, so waitpid(2) works */
	pid_t pid = clone(child, stack + STACK_SIZE, flags, args);
	if (pid < 0)
		die("clone");
	return pid;
}

/*
 * Writes TEXT to the file at PATH in a single write(2), as the ID map files
 * of /proc require.
 */
static void write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die("open(%s)", path);
	ssize_t len = strlen(text);
	if (write(fd, text, len) != len)
		die("write(%s)", path);
	close(fd);
}

/*
 * Maps root in the child's user namespace to us: uid 0 in there is our uid
 * out here, gid 0 our gid, and no other ID exists in there. An ordinary user
 * may write exactly this one line, and only from outside (user_namespaces(7)).
 */
static void write_id_maps(pid_t pid)
{
	char path[64], map[64];

	snprintf(path, sizeof(path), "/proc/%d/uid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", getuid());
	write_file(path, map);

	/* Deny setgroups(2) first, or the kernel refuses an unprivileged
	 * gid_map: dropping a group could otherwise grant access (CVE-2014-8989). */
	snprintf(path, sizeof(path), "/proc/%d/setgroups", pid);
	write_file(path, "deny");

	snprintf(path, sizeof(path), "/proc/%d/gid_map", pid);
	snprintf(map, sizeof(map), "0 %u 1\n", getgid());
	write_file(path, map);
}

/*
 * Lets the child go on: it is blocked reading the other end of FD.
 */
static void release_child(int fd)
{
	if (write(fd, "1", 1) != 1)
		die("write(sync pipe)");
	close(fd);
}

/*
 * Waits for the child PID and returns the status to exit with: CMD's own
 * exit status, or 128+N when signal N killed it (wait(2), WIFSIGNALED).
 */
static int wait_for_command(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) < 0)
		die("waitpid");
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: container CMD [ARG...]\n");
		return EXIT_SETUP;
	}

	struct child_args args = { .argv = &argv[1] };
	/* O_CLOEXEC: CMD inherits neither end. */
	if (pipe2(args.sync, O_CLOEXEC) < 0)
		die("pipe2");
	pid_t pid = start_child(&args);
	write_id_maps(pid);
	release_child(args.sync[1]);

	return wait_for_command(pid);
}
