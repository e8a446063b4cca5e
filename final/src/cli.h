/* cli.h - `mvrc run`'s command line, parsed into a container description. */
#ifndef MVRC_CLI_H
#define MVRC_CLI_H

#include <stdio.h>

#include "container.h"
#include "err.h"

enum { CLI_RUN = 0, CLI_HELP = 1 };

/* Parse `run [OPTIONS] ROOTFS CMD [ARG...]` (argv[0] is "run") into c,
 * which this initialises (container_init).  Returns CLI_RUN, CLI_HELP for
 * --help, or -1 with e set; c must be freed with container_free in every
 * case. */
int cli_parse_run(int argc, char **argv, struct container *c, struct err *e);

/* `-v SRC:DST[:ro|rw]` into a bind mount entry (strings owned by m). */
int cli_parse_volume(const char *spec, struct mount_entry *m, struct err *e);

/* `-p HOSTPORT:CTRPORT[/tcp|/udp]`. */
int cli_parse_publish(const char *spec, struct port_mapping *p, struct err *e);

/* `-u UID[:GID]`. */
int cli_parse_user(const char *spec, uid_t *uid, gid_t *gid, int *has_gid,
		   struct err *e);

void cli_usage(FILE *f);

#endif
