/* oci.h - mvrc's OCI runtime command line (runc's): create, start, state,
 * kill, delete, list, ps, exec, features, and run --bundle.  See mvrc(1). */
#ifndef MVRC_OCI_H
#define MVRC_OCI_H

#include <stdbool.h>
#include <stdio.h>

/* Is `mvrc run ARGS...` the OCI form?  Yes with -b/--bundle, or with a
 * single argument (the ID, bundle = the current directory); `mvrc run
 * [OPTIONS] ROOTFS CMD [ARG...]` always has at least two. */
bool oci_is_bundle_run(int argc, char **argv);

/* `mvrc [GLOBAL OPTIONS] COMMAND ...`: argv[0] is "mvrc".  Prints its own
 * errors (also to --log) and returns the exit status. */
int oci_main(int argc, char **argv);

/* The OCI commands' part of --help. */
void oci_usage(FILE *f);

#endif
