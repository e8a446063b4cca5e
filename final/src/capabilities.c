/* capabilities.c - capability names, Docker's add/drop rules, and the sets
 * applied before exec; see capabilities.h and capabilities(7).
 *
 * Why the bounding set and not only the effective set: a process whose
 * bounding set still holds CAP_SYS_ADMIN gets it back by executing a file
 * with file capabilities.  Dropping it from the bounding set makes that
 * impossible for the container and everything it starts.
 */
#include "capabilities.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>
#include <sys/prctl.h>

#define BIT(cap) (UINT64_C(1) << (cap))

int capabilities_from_name(const char *name, int *cap, struct err *e)
{
	char lower[64] = "cap_";
	const char *bare = name;
	cap_value_t value;
	size_t n;

	if (strncasecmp(bare, "cap_", 4) == 0)
		bare += 4;
	n = strlen(bare);
	if (n == 0 || n + 5 > sizeof(lower))
		return err_set(e, 0, "unknown capability '%s'", name);
	for (size_t i = 0; i < n; i++) {
		if (!isalpha((unsigned char)bare[i]) && bare[i] != '_')
			return err_set(e, 0, "unknown capability '%s'", name);
		lower[4 + i] = (char)tolower((unsigned char)bare[i]);
	}
	lower[4 + n] = '\0';
	if (cap_from_name(lower, &value) < 0 || value < 0 || value > 63)
		return err_set(e, 0, "unknown capability '%s'", name);
	*cap = value;
	return 0;
}

uint64_t capabilities_all(void)
{
	int bits = cap_max_bits();

	if (bits <= 0 || bits > 64)
		bits = CAP_LAST_CAP + 1;
	return bits == 64 ? ~UINT64_C(0) : BIT(bits) - 1;
}

static int has_all(char *const *list)
{
	for (size_t i = 0; list && list[i]; i++)
		if (strcasecmp(list[i], "ALL") == 0)
			return 1;
	return 0;
}

/* OR the named capabilities (skipping "ALL") into *mask. */
static int add_names(char *const *list, uint64_t *mask, struct err *e)
{
	int cap;

	for (size_t i = 0; list && list[i]; i++) {
		if (strcasecmp(list[i], "ALL") == 0)
			continue;
		if (capabilities_from_name(list[i], &cap, e) < 0)
			return -1;
		*mask |= BIT(cap);
	}
	return 0;
}

int capabilities_combine(uint64_t base, char *const *add, char *const *drop,
			 uint64_t *out, struct err *e)
{
	uint64_t added = 0, dropped = 0;

	if (add_names(add, &added, e) < 0 || add_names(drop, &dropped, e) < 0)
		return -1;
	if (has_all(add))
		*out = capabilities_all() & ~dropped;
	else if (has_all(drop))
		*out = added;
	else
		*out = (base | added) & ~dropped;
	return 0;
}

int capabilities_drop_bounding(const struct capabilities *caps, struct err *e)
{
	int last = cap_max_bits() - 1;

	for (int cap = 0; cap <= last && cap < 64; cap++) {
		if (caps->bounding & BIT(cap))
			continue;
		if (cap_drop_bound((cap_value_t)cap) < 0)
			return err_set(e, errno, "drop %s from the bounding set",
				       cap_to_name((cap_value_t)cap));
	}
	return 0;
}

/* Mark every capability of `mask` in set `flag` of `state`. */
static int set_flag(cap_t state, cap_flag_t flag, uint64_t mask, int last)
{
	for (int cap = 0; cap <= last && cap < 64; cap++) {
		cap_value_t v = cap;

		if ((mask & BIT(cap)) &&
		    cap_set_flag(state, flag, 1, &v, CAP_SET) < 0)
			return -1;
	}
	return 0;
}

int capabilities_apply(const struct capabilities *caps, struct err *e)
{
	int last = cap_max_bits() - 1;
	cap_t state = cap_init();    /* every set empty */
	int ret = 0;

	if (!state)
		return err_set(e, errno, "cap_init");
	if (set_flag(state, CAP_EFFECTIVE, caps->effective, last) < 0 ||
	    set_flag(state, CAP_PERMITTED, caps->permitted, last) < 0 ||
	    set_flag(state, CAP_INHERITABLE, caps->inheritable, last) < 0)
		ret = err_set(e, errno, "cap_set_flag");
	else if (cap_set_proc(state) < 0)
		ret = err_set(e, errno, "cap_set_proc (effective, permitted, inheritable)");
	cap_free(state);
	if (ret < 0)
		return ret;
	/* Ambient capabilities survive exec for a non-root user; the kernel
	 * wants each one in both the permitted and inheritable sets. */
	if (cap_reset_ambient() < 0)
		return err_set(e, errno, "cap_reset_ambient");
	for (int cap = 0; cap <= last && cap < 64; cap++)
		if ((caps->ambient & BIT(cap)) &&
		    cap_set_ambient((cap_value_t)cap, CAP_SET) < 0)
			return err_set(e, errno, "raise ambient %s",
				       cap_to_name((cap_value_t)cap));
	return 0;
}
