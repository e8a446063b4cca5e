/* util.c - cleanup helpers and string lists; see util.h. */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void util_close(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

void util_free(void *p)
{
	free(*(void **)p);
}

void util_fclose(FILE **f)
{
	if (*f)
		fclose(*f);
}

void util_strv_free(char ***list)
{
	strv_free(*list);
}

size_t strv_length(char *const *list)
{
	size_t n = 0;

	while (list && list[n])
		n++;
	return n;
}

int strv_append(char ***list, const char *s)
{
	size_t n = strv_length(*list);
	char **grown, *copy;

	copy = strdup(s);
	if (!copy)
		return -1;
	grown = realloc(*list, (n + 2) * sizeof(*grown));
	if (!grown) {
		free(copy);
		return -1;
	}
	grown[n] = copy;
	grown[n + 1] = NULL;
	*list = grown;
	return 0;
}

void strv_free(char **list)
{
	for (size_t i = 0; list && list[i]; i++)
		free(list[i]);
	free(list);
}

int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = write_all(fd, s, strlen(s));
	if (ret < 0) {
		int saved = errno;

		close(fd);
		errno = saved;
		return -1;
	}
	return close(fd);
}
