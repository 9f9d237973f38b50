/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One dialect for building JSON with json-c: add a key to an object by
 * type. json-c does the escaping; a NULL value (out of memory) is added as
 * null, and callers check the document once at the end.
 */
#ifndef ITR_JSONW_H
#define ITR_JSONW_H

#include <stdio.h>
#include <json-c/json.h>
#include <linux/types.h>
#include "lib/fmt.h"

static inline void jw_obj(json_object *o, const char *k, json_object *v)
{
	json_object_object_add(o, k, v);
}

static inline void jw_str(json_object *o, const char *k, const char *v)
{
	jw_obj(o, k, json_object_new_string(v));
}

static inline void jw_u64(json_object *o, const char *k, __u64 v)
{
	jw_obj(o, k, json_object_new_uint64(v));
}

static inline void jw_int(json_object *o, const char *k, __s64 v)
{
	jw_obj(o, k, json_object_new_int64(v));
}

static inline void jw_bool(json_object *o, const char *k, int v)
{
	jw_obj(o, k, json_object_new_boolean(v));
}

static inline void jw_dbl(json_object *o, const char *k, double v)
{
	jw_obj(o, k, json_object_new_double(v));
}

/* A 64-bit id (domain, file, operation) as 16 hex digits. */
static inline void jw_id(json_object *o, const char *k, __u64 v)
{
	char b[20];

	jw_str(o, k, fmt_id(b, sizeof(b), v));
}

/* One JSON line (plain, "/" unescaped); 0 or -errno (-ENOMEM: j is NULL). Drops j. */
int jw_line(FILE *f, json_object *j);

#endif
