/* oci_internal.h - what oci.c and oci_cli.c share. */
#ifndef MVRC_OCI_INTERNAL_H
#define MVRC_OCI_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"

struct globals {
	const char *root;        /* --root, NULL: the default */
	const char *log;         /* --log FILE */
	const char *log_format;  /* text or json */
	bool debug;
};

extern struct globals g_oci;

struct create_opts {
	const char *bundle;      /* NULL: the current directory */
	const char *pid_file;
	const char *console_socket;
};

int oci_create(const char *id, const struct create_opts *o, pid_t *pid, struct err *e);
int oci_start(const char *id, struct err *e);
int oci_state(const char *id, struct err *e);
int oci_kill(const char *id, int sig, bool all, struct err *e);
int oci_delete(const char *id, bool force, struct err *e);
int oci_parse_signal(const char *s, int *sig, struct err *e);
int oci_write_pid_file(const char *path, pid_t pid, struct err *e);

/* Send the pty's master to the console socket (SCM_RIGHTS), as conmon
 * and containerd's shim expect. */
int oci_send_console(const char *socket_path, int master, struct err *e);

/* `mvrc exec [OPTIONS] ID [CMD...]`: argv[0] is "exec".  Returns the
 * process's exit status (0 with --detach), or -1 with e set. */
int oci_exec(int argc, char **argv, struct err *e);

/* Print e (stderr and --log); returns its exit status. */
int oci_fail(const struct err *e);
int oci_usage_error(const char *cmd, const char *usage);

#endif
