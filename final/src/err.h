/* err.h - one error object, filled where a call fails, printed by main alone.
 *
 * Every fallible function in mvrc returns 0 on success and -1 on failure,
 * and on failure fills a `struct err` that its caller passes down:
 *
 *     if (mount(src, dst, NULL, MS_BIND, NULL) < 0)
 *             return err_set(e, errno, "bind-mount %s on %s", src, dst);
 *
 * Nothing below main prints.  main prints `mvrc: <what>: <why>`, then
 * `hint: <hint>` when there is one, and exits with e->status.
 *
 * The struct is plain bytes with no pointers, so the container's init (a
 * child after clone, in other namespaces) can send it whole to the parent
 * over the sync socket; see sync.h.
 */
#ifndef MVRC_ERR_H
#define MVRC_ERR_H

#include <stdio.h>

enum {
	ERR_STATUS_MVRC = 125,   /* mvrc itself failed: any setup step */
	ERR_STATUS_NOEXEC = 126, /* CMD exists but cannot be executed */
	ERR_STATUS_NOENT = 127,  /* CMD was not found */
};

struct err {
	int status;      /* exit status main uses: 125 unless set otherwise */
	int errnum;      /* errno of the failed call, 0 when there is none */
	char what[512];  /* what failed: "mount proc on /proc" */
	char hint[512];  /* what to do about it, "" when nothing is known */
};

/* Fill e with errnum and a printf-style `what`; status 125, no hint.
 * Returns -1 so that callers can `return err_set(...)`. */
int err_set(struct err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Add a hint to an error already set.  Returns -1. */
int err_hint(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Prefix the error's `what` with context: "volume 3: " + what.  Returns -1. */
int err_wrap(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print `mvrc: <what>: <why>` (and `hint: ...`) to f. */
void err_print(const struct err *e, FILE *f);

#endif
