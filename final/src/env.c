/* env.c - the container's environment; see env.h. */
#include "env.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* Set "KEY=VALUE" in *list, replacing an entry with the same KEY. */
static int env_set(char ***list, const char *entry)
{
	size_t keylen = strcspn(entry, "=");

	for (size_t i = 0; *list && (*list)[i]; i++) {
		if (strncmp((*list)[i], entry, keylen) == 0 && (*list)[i][keylen] == '=') {
			char *copy = strdup(entry);

			if (!copy)
				return -1;
			free((*list)[i]);
			(*list)[i] = copy;
			return 0;
		}
	}
	return strv_append(list, entry);
}

static const char *caller_value(char *const *caller, const char *key)
{
	size_t keylen = strlen(key);

	for (size_t i = 0; caller && caller[i]; i++)
		if (strncmp(caller[i], key, keylen) == 0 && caller[i][keylen] == '=')
			return caller[i];
	return NULL;
}

static int env_defaults(const struct env_input *in, char ***list)
{
	char *entry;
	int ret;

	if (env_set(list, "PATH=" ENV_DEFAULT_PATH) < 0)
		return -1;
	if (in->hostname) {
		if (asprintf(&entry, "HOSTNAME=%s", in->hostname) < 0)
			return -1;
		ret = env_set(list, entry);
		free(entry);
		if (ret < 0)
			return -1;
	}
	if (asprintf(&entry, "HOME=%s", in->home ? in->home : "/") < 0)
		return -1;
	ret = env_set(list, entry);
	free(entry);
	if (ret < 0)
		return -1;
	if (in->tty && env_set(list, "TERM=xterm") < 0)
		return -1;
	return 0;
}

int env_build(const struct env_input *in, char ***out, struct err *e)
{
	_cleanup_strv_ char **list = NULL;

	if (env_defaults(in, &list) < 0)
		return err_set(e, errno, "build the environment");
	for (size_t i = 0; in->user_env && in->user_env[i]; i++) {
		const char *arg = in->user_env[i], *entry = arg;

		if (arg[0] == '=' || arg[0] == '\0')
			return err_set(e, 0, "invalid environment variable '%s': empty name", arg);
		if (!strchr(arg, '=')) {
			entry = caller_value(in->caller_env, arg);
			if (!entry)
				continue;       /* Docker skips a KEY the caller lacks */
		}
		if (env_set(&list, entry) < 0)
			return err_set(e, errno, "build the environment");
	}
	*out = list;
	list = NULL;
	return 0;
}

char *env_home_from_passwd(const char *passwd, uid_t uid)
{
	for (const char *line = passwd; line && *line;) {
		const char *end = line + strcspn(line, "\n");
		const char *field[7] = { line };
		int n = 1;

		for (const char *p = line; p < end && n < 7; p++)
			if (*p == ':')
				field[n++] = p + 1;
		if (n == 7 && strtoul(field[2], NULL, 10) == uid &&
		    field[2][0] >= '0' && field[2][0] <= '9') {
			size_t len = (size_t)(strchr(field[5], ':') - field[5]);

			return len ? strndup(field[5], len) : NULL;
		}
		line = *end ? end + 1 : end;
	}
	return NULL;
}
