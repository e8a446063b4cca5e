/*
 * Step 01 — fork, exec, wait: a container starts as a program that runs
 * another one. This is your starting point: it checks its command line and
 * stops there. TASK.md says what to add.
 *
 * Run:  make && ./container sh -c 'echo hello; exit 3'; echo $?
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit statuses, the same as docker's. */
enum {
	EXIT_SETUP = 125,	/* the container itself failed */
	EXIT_CANNOT_EXEC = 126,	/* CMD exists but cannot be executed */
	EXIT_NOT_FOUND = 127,	/* CMD was not found */
};

int main(int argc, char *argv[])
{
	if (argc < 2) {
		fprintf(stderr, "usage: container CMD [ARG...]\n");
		return EXIT_SETUP;
	}

	/* Your code: run argv[1] with its arguments as a child process, wait
	 * for it, and exit the way it did. */
	fprintf(stderr, "container: cannot run %s yet\n", argv[1]);
	return EXIT_SETUP;
}
