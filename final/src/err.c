/* err.c - fill and print the one error object; see err.h. */
#include "err.h"

#include <stdarg.h>
#include <string.h>

int err_set(struct err *e, int errnum, const char *fmt, ...)
{
	va_list ap;

	e->status = ERR_STATUS_MVRC;
	e->errnum = errnum;
	e->hint[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(e->what, sizeof(e->what), fmt, ap);
	va_end(ap);
	return -1;
}

int err_hint(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->hint, sizeof(e->hint), fmt, ap);
	va_end(ap);
	return -1;
}

int err_wrap(struct err *e, const char *fmt, ...)
{
	char prefix[sizeof(e->what)], old[sizeof(e->what)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->what, sizeof(old));
	/* Truncation is fine: a too-long message is still worth printing. */
	size_t n = strnlen(prefix, sizeof(e->what) - 1);
	memcpy(e->what, prefix, n);
	snprintf(e->what + n, sizeof(e->what) - n, "%s", old);
	return -1;
}

void err_print(const struct err *e, FILE *f)
{
	if (e->errnum)
		fprintf(f, "mvrc: %s: %s\n", e->what, strerror(e->errnum));
	else
		fprintf(f, "mvrc: %s\n", e->what);
	if (e->hint[0])
		fprintf(f, "hint: %s\n", e->hint);
}
