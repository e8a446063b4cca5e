/* devices.h - the container's /dev: a tmpfs holding only what a program
 * expects, since a user namespace may not mknod(2) real device nodes. */
#ifndef MVRC_DEVICES_H
#define MVRC_DEVICES_H

#include "container.h"
#include "err.h"

/* Child, before pivot_root: mount a tmpfs on /dev, bind the host's null,
 * zero, full, random, urandom and tty onto empty files in it, mount a new
 * devpts instance and /dev/shm and /dev/mqueue, and make the standard
 * symlinks (ptmx, fd, stdin, stdout, stderr). */
int devices_mount(const struct container *c, int rootfd, struct err *e);

/* Child, with -t: bind the terminal at `slave_path` (host view, before
 * pivot_root) onto /dev/console. */
int devices_bind_console(int rootfd, const char *slave_path, struct err *e);

#endif
