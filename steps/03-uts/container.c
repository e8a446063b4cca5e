/*
 * Step 03 — a new UTS namespace: CMD has its own hostname, "container".
 *
 * One more clone(2) flag, CLONE_NEWUTS, and one call in the child,
 * sethostname(2): the name changes for the new namespace only. Still root.
 *
 * Run:  make && sudo ./container sh -c 'hostname; echo my pid is $$'
 *
 * What main does:
 *   1. checks that there is a CMD to run;
 *   2. clones a child into new PID and UTS namespaces, which sets the
 *      hostname and replaces itself with CMD;
 *   3. waits for CMD and exits with its status, or 128+N if signal N killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
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
};

/*
 * The well-known cause of WHAT failing with ERR, as advice, or NULL.
 */
static const char *hint(const char *what, int err)
{
	if (strcmp(what, "clone") == 0 && err == EPERM)
		return "creating PID and UTS namespaces needs root (CAP_SYS_ADMIN): "
		       "run it with sudo; step 04 adds a user namespace so an ordinary user can";
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
		  | SIGCHLD;		/* and sends us SIGCHLD, so waitpid(2) works */
	pid_t pid = clone(child, stack + STACK_SIZE, flags, args);
	if (pid < 0)
		die("clone");
	return pid;
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
	pid_t pid = start_child(&args);

	return wait_for_command(pid);
}
