/* process.h - mvrc's side of a running container: start it, relay
 * signals and the terminal, wait for it, and clean up. */
#ifndef MVRC_PROCESS_H
#define MVRC_PROCESS_H

#include "container.h"
#include "err.h"

/* Run the container c describes to its end.  Returns its exit status
 * (the command's, or 128+N when signal N killed it), or -1 with e set
 * (e->status 125, or 126/127 when the command could not be executed).
 * On every path the container, its cgroup and its network helpers are
 * gone when this returns. */
int process_run(struct container *c, struct err *e);

#endif
