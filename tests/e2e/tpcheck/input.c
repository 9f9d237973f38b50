// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Reading the inputs: files, JSON lines (workload logs, iommutrace events) and their fields. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpcheck.h"

FILE *input_open(const char *path, int *err)
{
	FILE *f = fopen(path, "r");

	*err = f ? 0 : -errno;
	if (!f)
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", path, strerror(-*err));
	return f;
}

int jsonl_each(const char *path, int (*fn)(json_object *o, size_t lineno, void *ctx), void *ctx)
{
	char line[16384];
	size_t lineno = 0;
	int err;
	FILE *f = input_open(path, &err);

	if (!f)
		return err;
	while (!err && fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line);

		if (!o) {
			fprintf(stderr, "tpcheck: %s:%zu: not JSON\n", path, lineno + 1);
			err = -EINVAL;
			break;
		}
		err = fn(o, ++lineno, ctx);
		json_object_put(o);
	}
	fclose(f);
	return err;
}

static int jsonl_keep(json_object *o, size_t lineno, void *ctx)
{
	struct jsonl *l = ctx;

	(void)lineno;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		json_object **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = json_object_get(o);
	return 0;
}

int jsonl_read(const char *path, struct jsonl *l)
{
	*l = (struct jsonl){};
	return jsonl_each(path, jsonl_keep, l);
}

void jsonl_free(struct jsonl *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		json_object_put(l->v[i]);
	free(l->v);
	*l = (struct jsonl){};
}

uint64_t jnum(json_object *o, const char *key, bool *ok)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		*ok = false;
		return 0;
	}
	return json_object_get_uint64(v);
}

int64_t jint(json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : dflt;
}

const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}
