/* seccomp.c - build and load a bundle's seccomp filter; see seccomp.h and
 * seccomp_rule_add(3), seccomp_attr_set(3). */
#include "seccomp.h"

#include <errno.h>
#include <seccomp.h>
#include <stdbool.h>
#include <string.h>

static uint32_t action(enum filter_action a, int errno_ret)
{
	switch (a) {
	case FILTER_KILL_THREAD: return SCMP_ACT_KILL_THREAD;
	case FILTER_KILL_PROCESS: return SCMP_ACT_KILL_PROCESS;
	case FILTER_TRAP: return SCMP_ACT_TRAP;
	case FILTER_ERRNO: return SCMP_ACT_ERRNO((uint32_t)errno_ret);
	case FILTER_TRACE: return SCMP_ACT_TRACE((uint32_t)errno_ret);
	case FILTER_LOG: return SCMP_ACT_LOG;
	case FILTER_ALLOW: break;
	}
	return SCMP_ACT_ALLOW;
}

static const enum scmp_compare ops[] = {
	[FILTER_NE] = SCMP_CMP_NE, [FILTER_LT] = SCMP_CMP_LT,
	[FILTER_LE] = SCMP_CMP_LE, [FILTER_EQ] = SCMP_CMP_EQ,
	[FILTER_GE] = SCMP_CMP_GE, [FILTER_GT] = SCMP_CMP_GT,
	[FILTER_MASKED_EQ] = SCMP_CMP_MASKED_EQ,
};

static struct scmp_arg_cmp compare(const struct filter_arg *a)
{
	return (struct scmp_arg_cmp){ .arg = a->index, .op = ops[a->op],
				      .datum_a = a->value, .datum_b = a->value_two };
}

static bool repeats_an_index(const struct filter_rule *r)
{
	for (size_t i = 0; i < r->n_args; i++)
		for (size_t j = i + 1; j < r->n_args; j++)
			if (r->args[i].index == r->args[j].index)
				return true;
	return false;
}

/* libseccomp takes one comparison per argument in a rule; a rule that
 * compares one argument twice means "any of them" to runc, so it becomes
 * one rule per comparison. */
static int add_rule(scmp_filter_ctx ctx, uint32_t act, int nr, const struct filter_rule *r)
{
	struct scmp_arg_cmp cmps[6];
	int rc;

	if (r->n_args > 6)
		return -EINVAL;
	if (!repeats_an_index(r)) {
		for (size_t i = 0; i < r->n_args; i++)
			cmps[i] = compare(&r->args[i]);
		return seccomp_rule_add_array(ctx, act, nr, (unsigned)r->n_args, cmps);
	}
	for (size_t i = 0; i < r->n_args; i++) {
		cmps[0] = compare(&r->args[i]);
		if ((rc = seccomp_rule_add_array(ctx, act, nr, 1, cmps)) < 0)
			return rc;
	}
	return 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct syscall_filter *f, struct err *e)
{
	uint32_t def = action(f->default_action, f->default_errno);

	for (size_t i = 0; i < f->n_rules; i++) {
		const struct filter_rule *r = &f->rules[i];
		uint32_t act = action(r->action, r->errno_ret);

		/* libseccomp refuses a rule that repeats the default action. */
		if (act == def)
			continue;
		for (size_t k = 0; r->names && r->names[k]; k++) {
			int nr = seccomp_syscall_resolve_name(r->names[k]), rc;

			if (nr == __NR_SCMP_ERROR)
				continue;       /* not a syscall on this architecture */
			rc = add_rule(ctx, act, nr, r);
			if (rc < 0)
				return err_set(e, -rc, "seccomp: rule for %s", r->names[k]);
		}
	}
	return 0;
}

static int configure(scmp_filter_ctx ctx, const struct syscall_filter *f, struct err *e)
{
	int rc;

	for (size_t i = 0; f->architectures && f->architectures[i]; i++) {
		uint32_t arch = seccomp_arch_resolve_name(f->architectures[i]);

		if (arch == 0)
			return err_set(e, 0, "config.json: linux.seccomp.architectures: "
				       "unknown architecture '%s'", f->architectures[i]);
		rc = seccomp_arch_add(ctx, arch);
		if (rc < 0 && rc != -EEXIST)
			return err_set(e, -rc, "seccomp: add architecture %s", f->architectures[i]);
	}
	/* libseccomp sets no_new_privs on load unless told not to: that is
	 * the bundle's process.noNewPrivileges to decide, not the filter's. */
	if ((rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0)) < 0 ||
	    ((f->flags & FILTER_FLAG_TSYNC) &&
	     (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1)) < 0) ||
	    ((f->flags & FILTER_FLAG_LOG) &&
	     (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_LOG, 1)) < 0) ||
	    ((f->flags & FILTER_FLAG_SPEC_ALLOW) &&
	     (rc = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_SSB, 1)) < 0))
		return err_set(e, -rc, "seccomp: set a filter attribute");
	return 0;
}

int seccomp_filter_load(const struct syscall_filter *f, struct err *e)
{
	scmp_filter_ctx ctx;
	int rc = 0;

	if (!f->enabled)
		return 0;
	ctx = seccomp_init(action(f->default_action, f->default_errno));
	if (!ctx)
		return err_set(e, ENOMEM, "seccomp_init");
	if (configure(ctx, f, e) < 0 || add_rules(ctx, f, e) < 0)
		rc = -1;
	else if ((rc = seccomp_load(ctx)) < 0)
		rc = err_set(e, -rc, "seccomp_load");
	seccomp_release(ctx);
	return rc;
}
