/* oci_json.c - typed reads with the field's path in errors; see oci_json.h. */
#include "oci_json.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

const char *oci_json_path(char *buf, const char *parent, const char *key)
{
	/* A path too long for buf is cut short, which is fine for a message. */
	if (snprintf(buf, OCI_PATH_MAX, "%s%s%s", parent, parent[0] ? "." : "", key) < 0)
		buf[0] = '\0';
	return buf;
}

const char *oci_json_index(char *buf, const char *parent, size_t i)
{
	if (snprintf(buf, OCI_PATH_MAX, "%s[%zu]", parent, i) < 0)
		buf[0] = '\0';
	return buf;
}

int oci_json_error(struct err *e, const char *path, const char *fmt, ...)
{
	char what[sizeof(e->what)];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return err_set(e, 0, "config.json: %s: %s", path, what);
}

static const char *type_name(json_type t)
{
	switch (t) {
	case json_type_boolean: return "a boolean";
	case json_type_int: return "an integer";
	case json_type_double: return "a number";
	case json_type_string: return "a string";
	case json_type_array: return "an array";
	case json_type_object: return "an object";
	case json_type_null: break;
	}
	return "null";
}

int oci_json_get(json_object *obj, const char *key, json_type type,
		 const char *path, json_object **out, struct err *e)
{
	char p[OCI_PATH_MAX];
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !v)
		return 0;
	if (!json_object_is_type(v, type))
		return oci_json_error(e, oci_json_path(p, path, key), "expected %s, got %s",
				      type_name(type), type_name(json_object_get_type(v)));
	*out = v;
	return 1;
}

int oci_json_string(json_object *obj, const char *key, const char *path,
		    char **out, struct err *e)
{
	json_object *v;
	int r = oci_json_get(obj, key, json_type_string, path, &v, e);

	if (r <= 0)
		return r;
	free(*out);
	*out = strdup(json_object_get_string(v));
	return *out ? 1 : err_set(e, ENOMEM, "config.json");
}

int oci_json_bool(json_object *obj, const char *key, const char *path,
		  bool *out, struct err *e)
{
	json_object *v;
	int r = oci_json_get(obj, key, json_type_boolean, path, &v, e);

	if (r > 0)
		*out = json_object_get_boolean(v);
	return r;
}

int oci_json_int(json_object *obj, const char *key, const char *path,
		 int64_t min, int64_t max, int64_t *out, struct err *e)
{
	char p[OCI_PATH_MAX];
	json_object *v;
	int r = oci_json_get(obj, key, json_type_int, path, &v, e);
	int64_t n;

	if (r <= 0)
		return r;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno == EINVAL || n < min || n > max ||
	    (n == INT64_MAX && json_object_get_uint64(v) > INT64_MAX))
		return oci_json_error(e, oci_json_path(p, path, key),
				      "%s is out of range [%lld, %lld]", json_object_get_string(v),
				      (long long)min, (long long)max);
	*out = n;
	return 1;
}

int oci_json_uint64(json_object *obj, const char *key, const char *path,
		    uint64_t *out, struct err *e)
{
	char p[OCI_PATH_MAX];
	json_object *v;
	int r = oci_json_get(obj, key, json_type_int, path, &v, e);

	if (r <= 0)
		return r;
	if (json_object_get_int64(v) < 0)
		return oci_json_error(e, oci_json_path(p, path, key), "expected an unsigned integer");
	*out = json_object_get_uint64(v);
	return 1;
}

int oci_json_strv(json_object *obj, const char *key, const char *path,
		  char ***out, struct err *e)
{
	char p[OCI_PATH_MAX], q[OCI_PATH_MAX];
	json_object *arr;
	int r = oci_json_get(obj, key, json_type_array, path, &arr, e);

	if (r <= 0)
		return r;
	oci_json_path(p, path, key);
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *s = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(s, json_type_string))
			return oci_json_error(e, oci_json_index(q, p, i), "expected a string");
		if (strv_append(out, json_object_get_string(s)) < 0)
			return err_set(e, ENOMEM, "config.json");
	}
	return 1;
}

static bool asks_nothing(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null: return true;
	case json_type_boolean: return !json_object_get_boolean(v);
	case json_type_int: return json_object_get_int64(v) == 0;
	case json_type_double: return json_object_get_double(v) == 0;
	case json_type_string: return json_object_get_string_len(v) == 0;
	case json_type_array: return json_object_array_length(v) == 0;
	case json_type_object: return json_object_object_length(v) == 0;
	}
	return false;
}

int oci_json_unsupported(json_object *obj, const char *key, const char *path,
			 struct err *e)
{
	char p[OCI_PATH_MAX];
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !v || asks_nothing(v))
		return 0;
	return oci_json_error(e, oci_json_path(p, path, key), "not supported");
}
