/* sync.h - the channel between mvrc and the container's init.
 *
 * A SOCK_SEQPACKET socketpair, close-on-exec on both ends, made before
 * clone.  Messages keep their boundaries, and a file descriptor can ride
 * along (SCM_RIGHTS), which is how the pty's master reaches the parent.
 *
 *   parent -> child  SYNC_GO    id maps written, cgroup entered, network up:
 *                               go on with the setup
 *   child -> parent  SYNC_PTY   the terminal's master fd (with -t)
 *   child -> parent  SYNC_ERR   a struct err: setup or exec failed
 *   child -> parent  SYNC_READY with c->exec_fifo (mvrc create): set up,
 *                               now waiting for `mvrc start`
 *   child -> parent  EOF        execve succeeded and closed the child's end
 *
 * EOF is the success message: no race between "about to exec" and a
 * failing exec, because close-on-exec happens inside a successful execve.
 */
#ifndef MVRC_SYNC_H
#define MVRC_SYNC_H

#include "err.h"

enum sync_type { SYNC_GO = 1, SYNC_PTY, SYNC_ERR, SYNC_READY };

struct sync_msg {
	int type;
	struct err err;          /* with SYNC_ERR */
};

/* A socketpair: sv[0] stays with the parent, sv[1] goes to the child. */
int sync_open(int sv[2], struct err *e);

/* Send a message of `type`; `err` with SYNC_ERR, `fd` (>= 0) with SYNC_PTY. */
int sync_send(int sock, int type, const struct err *err, int fd, struct err *e);

/* Receive one message.  Returns 1 and fills m (and *fd for SYNC_PTY),
 * 0 on EOF (the peer closed its end), -1 on error. */
int sync_recv(int sock, struct sync_msg *m, int *fd, struct err *e);

#endif
