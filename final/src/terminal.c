/* terminal.c - the pty behind -t; see terminal.h, pty(7), termios(3). */
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rootpath.h"
#include "util.h"

int terminal_open_pty(int rootfd, int *master, int *slave, struct err *e)
{
	_cleanup_close_ int ptmx = -1, m = -1;
	char name[64];
	int unlock = 0;

	ptmx = rootpath_open(rootfd, "/dev/pts/ptmx", ROOTPATH_EXISTING, 1, e);
	if (ptmx < 0)
		return -1;
	m = open(rootpath_fd_name(ptmx, name, sizeof(name)), O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (m < 0)
		return err_set(e, errno, "open /dev/pts/ptmx");
	if (ioctl(m, TIOCSPTLCK, &unlock) < 0)
		return err_set(e, errno, "unlock the pty (TIOCSPTLCK)");
	/* TIOCGPTPEER opens the slave through the master, never by a path
	 * that could name another devpts (Linux 4.13, after CVE-2016-9602). */
	*slave = ioctl(m, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (*slave < 0)
		return err_set(e, errno, "open the pty's slave (TIOCGPTPEER)");
	*master = steal_fd(&m);
	return 0;
}

int terminal_make_controlling(int slave, unsigned short rows,
			      unsigned short cols, bool interactive, struct err *e)
{
	struct winsize ws = { .ws_row = rows, .ws_col = cols };

	if (setsid() < 0)
		return err_set(e, errno, "setsid");
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		return err_set(e, errno, "make the pty the controlling terminal (TIOCSCTTY)");
	if (rows && cols && ioctl(slave, TIOCSWINSZ, &ws) < 0)
		return err_set(e, errno, "set the window size (TIOCSWINSZ)");
	/* Without -i, stdin is still the terminal, as with docker run -t:
	 * mvrc just never writes to it. */
	(void)interactive;
	for (int fd = 0; fd <= 2; fd++)
		if (dup2(slave, fd) < 0)
			return err_set(e, errno, "dup2 the terminal to fd %d", fd);
	return 0;
}

void terminal_get_size(unsigned short *rows, unsigned short *cols)
{
	struct winsize ws = { 0 };

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) < 0 &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) < 0)
		ws.ws_row = ws.ws_col = 0;
	*rows = ws.ws_row;
	*cols = ws.ws_col;
}

int terminal_raw(struct terminal *t, struct err *e)
{
	struct termios raw;

	if (!isatty(STDIN_FILENO))
		return 0;
	if (tcgetattr(STDIN_FILENO, &t->saved) < 0)
		return err_set(e, errno, "tcgetattr stdin");
	raw = t->saved;
	cfmakeraw(&raw);
	if (tcsetattr(STDIN_FILENO, TCSANOW, &raw) < 0)
		return err_set(e, errno, "raw mode on stdin (tcsetattr)");
	t->raw = true;
	return 0;
}

void terminal_resize(const struct terminal *t)
{
	struct winsize ws;

	if (t->master >= 0 && (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0 ||
			       ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0))
		ioctl(t->master, TIOCSWINSZ, &ws);
}

long terminal_copy(int from, int to)
{
	char buf[8192];
	ssize_t n;

	do
		n = read(from, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return n;
	return write_all(to, buf, (size_t)n) < 0 ? -1 : n;
}

void terminal_restore(struct terminal *t)
{
	if (t->raw) {
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &t->saved);
		t->raw = false;
	}
}
