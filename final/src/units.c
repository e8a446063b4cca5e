/* units.c - parse sizes, CPU counts and integers; see units.h.
 *
 * Integers only: a size like "1.5g" is split into its whole and fractional
 * digits and scaled exactly, because a double cannot hold every byte count
 * and its rounding would make `-m 1.1g` differ from what Docker writes.
 */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal "W.F" as whole part, fractional digits and their count. */
struct decimal {
	uint64_t whole, frac;
	int frac_digits;
};

/* Parse digits[.digits] at *s, advance *s.  -1 when no digit or overflow. */
static int parse_decimal(const char **s, struct decimal *d, int max_frac)
{
	const char *p = *s;
	int digits = 0;

	memset(d, 0, sizeof(*d));
	for (; isdigit((unsigned char)*p); p++, digits++)
		if (__builtin_mul_overflow(d->whole, 10, &d->whole) ||
		    __builtin_add_overflow(d->whole, (uint64_t)(*p - '0'), &d->whole))
			return -1;
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			if (d->frac_digits == max_frac)
				return -1;
			d->frac = d->frac * 10 + (uint64_t)(*p - '0');
			d->frac_digits++;
		}
	}
	if (digits == 0)
		return -1;
	*s = p;
	return 0;
}

static int unit_shift(char c)
{
	switch (tolower((unsigned char)c)) {
	case 'b': return 0;
	case 'k': return 10;
	case 'm': return 20;
	case 'g': return 30;
	case 't': return 40;
	case 'p': return 50;
	default: return -1;
	}
}

int units_parse_size(const char *s, int64_t *bytes, struct err *e)
{
	const char *p = s;
	struct decimal d;
	uint64_t mult = 1, total, frac_part, pow10 = 1;
	int shift = 0;

	if (parse_decimal(&p, &d, 9) < 0)
		return err_set(e, 0, "invalid size '%s': %s", s,
			       *s && !isdigit((unsigned char)*s) && *s != '.'
				       ? "not a number" : "too large or malformed");
	if (*p) {
		shift = unit_shift(*p++);
		if (shift < 0)
			return err_set(e, 0, "invalid size '%s': unknown unit (use b, k, m, g, t or p)", s);
		if (shift > 0 && tolower((unsigned char)*p) == 'i')
			p++;
		if (shift > 0 && tolower((unsigned char)*p) == 'b')
			p++;
		if (*p)
			return err_set(e, 0, "invalid size '%s': unknown unit (use b, k, m, g, t or p)", s);
	}
	mult <<= shift;
	for (int i = 0; i < d.frac_digits; i++)
		pow10 *= 10;
	/* frac < 10^9 and mult <= 2^50: the product can pass 2^64, so check. */
	if (__builtin_mul_overflow(d.whole, mult, &total) ||
	    __builtin_mul_overflow(d.frac, mult, &frac_part) ||
	    __builtin_add_overflow(total, frac_part / pow10, &total) ||
	    total > INT64_MAX)
		return err_set(e, 0, "invalid size '%s': too large", s);
	*bytes = (int64_t)total;
	return 0;
}

int units_parse_cpus(const char *s, long ncpus, int64_t *quota,
		     uint64_t *period, struct err *e)
{
	const char *p = s;
	struct decimal d;
	uint64_t nano;

	if (parse_decimal(&p, &d, 9) < 0 || *p)
		return err_set(e, 0, "invalid --cpus '%s': expected a decimal number like 1.5", s);
	while (d.frac_digits < 9) {
		d.frac *= 10;
		d.frac_digits++;
	}
	if (d.whole > (uint64_t)ncpus ||
	    (nano = d.whole * 1000000000u + d.frac) > (uint64_t)ncpus * 1000000000u)
		return err_set(e, 0, "invalid --cpus '%s': this machine has %ld CPUs", s, ncpus);
	/* quota/period = nano / 1e9, with period 100000 us. */
	*quota = (int64_t)(nano / (1000000000u / UNITS_CPU_PERIOD));
	*period = UNITS_CPU_PERIOD;
	if (*quota < 1000)   /* the kernel's minimum quota is 1 ms */
		return err_set(e, 0, "invalid --cpus '%s': the minimum is 0.01", s);
	return 0;
}

void units_cpu_max(int64_t quota, uint64_t period, char *buf, size_t len)
{
	if (quota <= 0)
		snprintf(buf, len, "max %" PRIu64, period ? period : UNITS_CPU_PERIOD);
	else
		snprintf(buf, len, "%" PRId64 " %" PRIu64, quota, period);
}

int units_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		    const char *what, struct err *e)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (!*s || *end || isspace((unsigned char)*s))
		return err_set(e, 0, "invalid %s '%s': not an integer", what, s);
	if (errno == ERANGE || v < min || v > max)
		return err_set(e, 0, "invalid %s '%s': must be between %" PRId64 " and %" PRId64,
			       what, s, min, max);
	*out = v;
	return 0;
}
