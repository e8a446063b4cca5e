/* util.h - cleanup attributes and NULL-terminated string lists.
 *
 * A local declared `_cleanup_close_ int fd = -1;` is closed when it goes out
 * of scope, `_cleanup_free_ char *s = NULL;` is freed.  To hand ownership
 * on, take it: `int ret = fd; fd = -1; return ret;` (see steal_fd).
 */
#ifndef MVRC_UTIL_H
#define MVRC_UTIL_H

#include <stddef.h>
#include <stdio.h>

void util_close(int *fd);
void util_free(void *p);        /* p is a pointer to a pointer */
void util_fclose(FILE **f);
void util_strv_free(char ***list);

#define _cleanup_close_ __attribute__((cleanup(util_close)))
#define _cleanup_free_ __attribute__((cleanup(util_free)))
#define _cleanup_fclose_ __attribute__((cleanup(util_fclose)))
#define _cleanup_strv_ __attribute__((cleanup(util_strv_free)))

/* Return *fd and set it to -1, so that its cleanup no longer closes it. */
static inline int steal_fd(int *fd)
{
	int ret = *fd;

	*fd = -1;
	return ret;
}

/* Append a copy of s to the NULL-terminated list *list.  -1 on ENOMEM. */
int strv_append(char ***list, const char *s);
size_t strv_length(char *const *list);
void strv_free(char **list);

/* Write all of buf to fd, retrying on EINTR and short writes.  0 or -1. */
int write_all(int fd, const void *buf, size_t len);

/* Write the string s to the file at path (O_WRONLY, no O_CREAT). 0 or -1. */
int write_file(const char *path, const char *s);

#endif
