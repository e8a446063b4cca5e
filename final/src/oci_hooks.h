/* oci_hooks.h - run a bundle's hooks (config.md "POSIX-platform Hooks"):
 * each gets the container's state JSON on stdin, runs in mvrc's own
 * namespaces, and fails the operation when it exits non-zero or outlives
 * its timeout. */
#ifndef MVRC_OCI_HOOKS_H
#define MVRC_OCI_HOOKS_H

#include "container.h"
#include "err.h"

/* Run the hooks of one point, in order; stop at the first failure. */
int oci_hooks_run(const struct hook_list *l, const char *point, const char *state_json,
		  struct err *e);

#endif
