/* units.h - the numbers on mvrc's command line: sizes, CPUs, ports.
 * Pure functions with no system calls, so the unit tests cover them all. */
#ifndef MVRC_UNITS_H
#define MVRC_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* The CFS period mvrc uses for --cpus, in microseconds (Docker's). */
#define UNITS_CPU_PERIOD 100000

/* Parse a size as Docker does: a decimal number ("64", "1.5") and an
 * optional binary unit b, k, m, g, t, p (any case, "kb"/"kib" accepted).
 * "64m" is 67108864.  Rejects empty, negative, unknown units and overflow. */
int units_parse_size(const char *s, int64_t *bytes, struct err *e);

/* Parse --cpus DECIMAL ("1.5", ".25", up to 9 decimals) into a CFS quota
 * per UNITS_CPU_PERIOD: "1.5" is quota 150000, period 100000.  Rejects
 * values below 0.01 CPU and above ncpus. */
int units_parse_cpus(const char *s, long ncpus, int64_t *quota,
		     uint64_t *period, struct err *e);

/* cgroup v2's cpu.max line for quota/period: "150000 100000", or
 * "max 100000" when quota is 0 (no limit).  v1 writes the same two numbers
 * to cpu.cfs_quota_us (-1 for no limit) and cpu.cfs_period_us. */
void units_cpu_max(int64_t quota, uint64_t period, char *buf, size_t len);

/* Parse a decimal integer in [min, max]; `what` names it in the error. */
int units_parse_int(const char *s, int64_t min, int64_t max, int64_t *out,
		    const char *what, struct err *e);

#endif
