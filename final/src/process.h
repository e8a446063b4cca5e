/* process.h - mvrc's side of a running container: start it, relay
 * signals and the terminal, wait for it, and clean up. */
#ifndef MVRC_PROCESS_H
#define MVRC_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "cgroups.h"
#include "container.h"
#include "err.h"

/* Run the container c describes to its end.  Returns its exit status
 * (the command's, or 128+N when signal N killed it), or -1 with e set
 * (e->status 125, or 126/127 when the command could not be executed).
 * On every path the container, its cgroup and its network helpers are
 * gone when this returns. */
int process_run(struct container *c, struct err *e);

/* What `mvrc create` hands on: the container lives on after mvrc exits. */
struct process_created {
	pid_t pid;              /* the container's init, waiting at c->exec_fifo */
	int master;             /* the pty's master with process.terminal, or -1 */
	struct cgroup cg;       /* for cgroup_destroy at `mvrc delete` */
};

/* The same path as process_run up to the exec: build the container c
 * describes (c->exec_fifo set) and return once its init waits, set up,
 * at the fifo.  On failure nothing is left behind. */
int process_create(struct container *c, struct process_created *out, struct err *e);

/* The running container `mvrc exec` starts a process in. */
struct exec_target {
	int pidfd;              /* its init, pinned */
	unsigned long ns_flags; /* CLONE_NEW* of the namespaces to join */
	struct cgroup cg;       /* its cgroup: entered, never destroyed here */
	bool detach;            /* return once the process runs */
	/* Called once c->process is executing; may take *master (the pty's,
	 * or -1), leaving -1 there.  NULL: nothing to do. */
	int (*started)(pid_t pid, int *master, void *arg, struct err *e);
	void *arg;
};

/* Run c->process (the container description's rules for a process) inside
 * the container t names.  Returns its exit status as process_run does, or
 * 0 once it runs with t->detach; -1 with e set. */
int process_exec(struct container *c, struct exec_target *t, struct err *e);

#endif
