/* main.c - mvrc's entry point: dispatch, print errors, pick the exit code.
 *
 *   mvrc run [OPTIONS] ROOTFS CMD [ARG...]    see cli.c, then process.c
 *   mvrc [GLOBAL] create|start|state|kill|delete|list|ps|exec|features|run --bundle
 *                                             the OCI command line, see oci.h
 *   mvrc --help | --version
 *
 * This is the one place that prints an error: `mvrc: <what>: <why>`, then
 * `hint: ...` when one is known, and exits 125 (mvrc failed), 126 (CMD
 * cannot be executed) or 127 (CMD not found); see err.h.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "container.h"
#include "err.h"
#include "oci.h"
#include "process.h"

#ifndef MVRC_VERSION
#define MVRC_VERSION "unknown"
#endif

static int fail(const struct err *e)
{
	fflush(stdout);
	err_print(e, stderr);
	return e->status ? e->status : ERR_STATUS_MVRC;
}

static int cmd_run(int argc, char **argv)
{
	struct container c;
	struct err e = { 0 };
	int ret = cli_parse_run(argc, argv, &c, &e);

	if (ret == CLI_HELP) {
		cli_usage(stdout);
		oci_usage(stdout);
		ret = 0;
	} else if (ret == CLI_RUN) {
		ret = process_run(&c, &e);
		if (ret < 0)
			ret = fail(&e);
	} else {
		ret = fail(&e);
	}
	container_free(&c);
	return ret;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		cli_usage(stderr);
		return ERR_STATUS_MVRC;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		cli_usage(stdout);
		oci_usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("mvrc %s\n", MVRC_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0 && !oci_is_bundle_run(argc - 1, argv + 1))
		return cmd_run(argc - 1, argv + 1);
	return oci_main(argc, argv);
}
