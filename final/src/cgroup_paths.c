/* cgroup_paths.c - parsing /proc/self/cgroup and mountinfo; see cgroup_paths.h. */
#include "cgroup_paths.h"

#include <stdio.h>
#include <string.h>

bool cgroup_list_has(const char *list, const char *word, char sep)
{
	size_t n = strlen(word);

	while (*list) {
		const char *end = strchr(list, sep);
		size_t len = end ? (size_t)(end - list) : strlen(list);

		if (len == n && strncmp(list, word, n) == 0)
			return true;
		if (!end)
			break;
		list = end + 1;
	}
	return false;
}

/* Copy the line starting at s (without its newline) into buf; return the
 * start of the next line, or NULL at the end of the text. */
static const char *next_line(const char *s, char *buf, size_t len)
{
	const char *nl = strchr(s, '\n');
	size_t n = nl ? (size_t)(nl - s) : strlen(s);

	if (n >= len)
		n = len - 1;    /* longer than any line we care about */
	memcpy(buf, s, n);
	buf[n] = '\0';
	return nl ? nl + 1 : NULL;
}

static int copy(char *dst, size_t len, const char *src)
{
	if (strlen(src) >= len)
		return -1;
	strcpy(dst, src);
	return 0;
}

int cgroup_self_path(const char *self_cgroup, const char *controller,
		     char *path, size_t len)
{
	char line[4096], v2[4096] = "";
	bool have_v2 = false;

	for (const char *s = self_cgroup; s && *s;) {
		char *ctrls, *p;

		s = next_line(s, line, sizeof(line));
		/* "ID:CONTROLLERS:PATH"; PATH may itself hold colons. */
		if (!(ctrls = strchr(line, ':')) || !(p = strchr(++ctrls, ':')))
			continue;
		*p++ = '\0';
		if (strncmp(line, "0:", 2) == 0 && *ctrls == '\0') {
			have_v2 = copy(v2, sizeof(v2), p) == 0;
		} else if (controller && cgroup_list_has(ctrls, controller, ',')) {
			return copy(path, len, p) == 0 ? 1 : 0;
		}
	}
	if (have_v2 && copy(path, len, v2) == 0)
		return 2;
	return 0;
}

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

/* Split one mountinfo line into the fields we need: root (4), mount point
 * (5), and after the " - " separator the type and the super options. */
static bool split_mountinfo(char *line, char **root, char **mnt, char **type,
			    char **super)
{
	char *sep = strstr(line, " - "), *save = NULL, *f;
	int i = 0;

	if (!sep)
		return false;
	*sep = '\0';
	for (f = strtok_r(line, " ", &save); f; f = strtok_r(NULL, " ", &save), i++) {
		if (i == 3)
			*root = f;
		else if (i == 4)
			*mnt = f;
	}
	*type = strtok_r(sep + 3, " ", &save);
	strtok_r(NULL, " ", &save);     /* the source */
	*super = strtok_r(NULL, " ", &save);
	return i >= 5 && *type && *super;
}

int cgroup_mount_point(const char *mountinfo, const char *controller,
		       char *mnt, size_t mlen, char *root, size_t rlen)
{
	char line[4096];

	for (const char *s = mountinfo; s && *s;) {
		char *r = NULL, *m = NULL, *type = NULL, *super = NULL;

		s = next_line(s, line, sizeof(line));
		if (!split_mountinfo(line, &r, &m, &type, &super))
			continue;
		if (controller ? strcmp(type, "cgroup") != 0 ||
				 !cgroup_list_has(super, controller, ',')
			       : strcmp(type, "cgroup2") != 0)
			continue;
		unescape(r);
		unescape(m);
		if (copy(mnt, mlen, m) < 0 || copy(root, rlen, r) < 0)
			return -1;
		return 0;
	}
	return -1;
}

int cgroup_dir(char *out, size_t len, const char *mnt, const char *root,
	       const char *path, const char *name)
{
	size_t rl = strlen(root), plen;
	int n;

	/* The mount shows the hierarchy from `root` down: path must be there. */
	if (strcmp(root, "/") != 0) {
		if (strncmp(path, root, rl) != 0 || (path[rl] != '/' && path[rl] != '\0'))
			return -1;
		path += rl;
	}
	while (*path == '/')
		path++;
	plen = strlen(path);
	while (plen > 0 && path[plen - 1] == '/')
		plen--;
	n = snprintf(out, len, "%s%s%.*s%s%s", mnt, plen ? "/" : "", (int)plen, path,
		     name ? "/" : "", name ? name : "");
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int64_t cgroup_swap_limit(int64_t memory, int64_t memory_swap)
{
	if (memory_swap == 0)
		return memory;
	if (memory_swap < 0)
		return -1;
	return memory_swap - memory;
}

uint64_t cgroup_shares_to_weight(uint64_t shares)
{
	if (shares == 0)
		return 0;
	if (shares < 2)
		shares = 2;
	if (shares > 262144)
		shares = 262144;
	return 1 + ((shares - 2) * 9999) / 262142;
}
