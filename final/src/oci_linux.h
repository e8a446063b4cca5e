/* oci_linux.h - config.json's "linux" object; oci_config.c calls it. */
#ifndef MVRC_OCI_LINUX_H
#define MVRC_OCI_LINUX_H

#include <json-c/json.h>

#include "container.h"
#include "err.h"

/* Fill namespaces, id maps, resources, sysctl, masked and read-only
 * paths, rootfs propagation and seccomp from the object `linux`. */
int oci_linux_parse(json_object *linux_obj, struct container *c, struct err *e);

/* Propagation names ("rslave", "private", ...) as MS_* flags; 0 when the
 * name is not one. */
unsigned long oci_propagation(const char *name);

#endif
