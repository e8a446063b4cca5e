/* oci_config.h - an OCI bundle's config.json into the container
 * description (container.h), the same one `mvrc run`'s options fill.
 *
 * Rules, from the runtime spec (config.md, "Extensibility"):
 *   - a property mvrc does not know is ignored, as the spec requires;
 *   - a property the spec defines that mvrc does not implement is an
 *     error naming it (`config.json: linux.intelRdt: not supported`)
 *     whenever it asks for something, never silently dropped;
 *   - a few are informational for mvrc by design, and the code says why
 *     at each (linux.cgroupsPath, linux.resources.devices, the standard
 *     device nodes in linux.devices, and the kernel filesystems mvrc
 *     always mounts itself: /proc, /dev, /dev/pts, /dev/shm, /dev/mqueue,
 *     /sys).
 */
#ifndef MVRC_OCI_CONFIG_H
#define MVRC_OCI_CONFIG_H

#include "container.h"
#include "err.h"

/* The ociVersion major this parser reads. */
#define OCI_VERSION "1.0.2"

/* Parse the text of a config.json.  `bundle` is the directory the root
 * path is relative to.  Fills c from scratch (c need not be initialised);
 * on error c is still safe to container_free(). */
int oci_config_parse(const char *text, const char *bundle, struct container *c,
		     struct err *e);

/* Read and parse BUNDLE/config.json; the root must be a directory. */
int oci_config_load(const char *bundle, struct container *c, struct err *e);

/* Parse the text of a process.json (`mvrc exec --process FILE`) into p,
 * which is freed and refilled. */
int oci_config_parse_process(const char *text, struct process *p, struct err *e);

/* The whole of a (small) file, NUL-terminated, in *text. */
int oci_read_file(const char *path, char **text, struct err *e);

#endif
