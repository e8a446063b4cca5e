/* env.h - the container's environment: a clean one, not the caller's.
 *
 * Docker's rules: PATH (a fixed default), HOSTNAME, HOME (from the rootfs's
 * /etc/passwd for the container's uid, "/root" for 0, else "/"), TERM=xterm
 * with -t; then each -e in order: KEY=VALUE sets, a bare KEY copies the
 * caller's value (and is skipped when the caller has none).  A later entry
 * replaces an earlier one with the same KEY.
 */
#ifndef MVRC_ENV_H
#define MVRC_ENV_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

#define ENV_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

struct env_input {
	const char *hostname;
	const char *home;
	bool tty;
	char *const *user_env;     /* the -e arguments, NULL-terminated */
	char *const *caller_env;   /* the caller's environ, for bare KEYs */
};

/* Build the environment into *out (a NULL-terminated list, caller frees
 * with strv_free).  Rejects an -e with an empty KEY or a KEY holding '='
 * oddities like "=VALUE". */
int env_build(const struct env_input *in, char ***out, struct err *e);

/* HOME for uid from the text of an /etc/passwd: its 6th field, or NULL. */
char *env_home_from_passwd(const char *passwd, uid_t uid);

#endif
