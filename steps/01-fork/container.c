/*
 * Step 01 — fork, exec, wait: run CMD as a child process and report how it ended.
 *
 * No isolation yet. This is the skeleton every later step hangs a kernel
 * primitive on: one process starts another, waits for it, and passes on its
 * exit status the way docker does.
 *
 * Run:  make && ./container sh -c 'echo hello; exit 3'; echo $?
 *
 * What main does:
 *   1. checks that there is a CMD to run;
 *   2. forks a child, which replaces itself with CMD (execvp);
 *   3. waits for CMD and exits with its status, or 128+N if signal N killed it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses, the same as docker's and final/'s. */
enum {
	EXIT_SETUP = 125,	/* the container itself failed */
	EXIT_CANNOT_EXEC = 126,	/* CMD exists but cannot be executed */
	EXIT_NOT_FOUND = 127,	/* CMD was not found */
};

/*
 * Prints "container: <what>: <errno's text>" and exits with EXIT_SETUP.
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

	/* fork(2) returns twice: 0 in the child, the child's PID in the parent. */
	pid_t pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0)
		exec_command(&argv[1]);

	return wait_for_command(pid);
}
