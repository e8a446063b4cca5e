/* oci_json.h - typed reads from a parsed config.json, with the field's
 * path in every error.
 *
 * Why json-c: it is maintained, in Debian main (libjson-c-dev), used by
 * many C projects and by the stack under Podman, and its API is small: a
 * parse call, typed getters, and reference counting.  crun uses yajl (its
 * tree API) instead; either would do for a file this size.
 *
 * Each getter looks up `key` in the object `obj`, whose own path is
 * `path` ("" for the top, "process.user", "mounts[2]").  It returns 1 and
 * fills *out when the key is there with the right type, 0 when it is
 * absent or null, and -1 with `config.json: <path>.<key>: expected ...`.
 */
#ifndef MVRC_OCI_JSON_H
#define MVRC_OCI_JSON_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define OCI_PATH_MAX 256

/* "parent.key" (or "key" at the top) into buf. */
const char *oci_json_path(char *buf, const char *parent, const char *key);

/* "parent[i]" into buf. */
const char *oci_json_index(char *buf, const char *parent, size_t i);

int oci_json_get(json_object *obj, const char *key, json_type type,
		 const char *path, json_object **out, struct err *e);
int oci_json_string(json_object *obj, const char *key, const char *path,
		    char **out, struct err *e);
int oci_json_bool(json_object *obj, const char *key, const char *path,
		  bool *out, struct err *e);
int oci_json_int(json_object *obj, const char *key, const char *path,
		 int64_t min, int64_t max, int64_t *out, struct err *e);
int oci_json_uint64(json_object *obj, const char *key, const char *path,
		    uint64_t *out, struct err *e);
/* An array of strings into a NULL-terminated list (appended to *out). */
int oci_json_strv(json_object *obj, const char *key, const char *path,
		  char ***out, struct err *e);

/* A field mvrc does not implement: an error naming it when it is present
 * and asks for something (not null, "", false, 0, {} or []). */
int oci_json_unsupported(json_object *obj, const char *key, const char *path,
			 struct err *e);

/* `config.json: <path>: <what>` with no errno.  Returns -1. */
int oci_json_error(struct err *e, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
