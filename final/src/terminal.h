/* terminal.h - -t: the container's own pty, relayed by mvrc.
 *
 * The child opens the master in its new devpts instance and hands it to
 * the parent over the sync socket (SCM_RIGHTS); the slave becomes the
 * container's controlling terminal.  The parent puts the caller's terminal
 * in raw mode, so that ^C and friends reach the container's line
 * discipline, and restores it on every exit path.
 */
#ifndef MVRC_TERMINAL_H
#define MVRC_TERMINAL_H

#include <stdbool.h>
#include <termios.h>

#include "err.h"

struct terminal {
	int master;             /* -1 without -t */
	bool raw;               /* the caller's terminal is in raw mode */
	struct termios saved;   /* its settings before */
};

/* Child: open a new pty in the devpts at /dev/pts of the rootfs `rootfd`.
 * Returns the master in *master and the slave in *slave. */
int terminal_open_pty(int rootfd, int *master, int *slave, struct err *e);

/* Child: make `slave` the controlling terminal of a new session, sized
 * rows x cols (when not 0), and stdin/stdout/stderr. */
int terminal_make_controlling(int slave, unsigned short rows,
			      unsigned short cols, bool interactive, struct err *e);

/* Parent: the caller's window size (0 x 0 when it has no terminal). */
void terminal_get_size(unsigned short *rows, unsigned short *cols);

/* Parent: raw mode on stdin when it is a terminal. */
int terminal_raw(struct terminal *t, struct err *e);

/* Parent: pass the caller's current window size on (after SIGWINCH). */
void terminal_resize(const struct terminal *t);

/* Parent: copy what is readable on `from` to `to`.  Returns the bytes
 * copied, 0 at end of input, -1 on error (EIO on the master: the
 * container closed its terminal). */
long terminal_copy(int from, int to);

/* Parent: put the caller's terminal back.  Safe to call twice. */
void terminal_restore(struct terminal *t);

#endif
