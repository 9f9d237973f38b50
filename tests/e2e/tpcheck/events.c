// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace's own view: `iommutrace trace --json` event lines. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpcheck.h"

/*
 * An iommutrace event kind's comparison kind. Attaches compare per device,
 * like iommu:attach_device_to_domain (fired for each device of a group,
 * detaches included); PASID attaches do not fire it.
 */
static const struct name_kind event_kinds[] = {
	{ "attach",	K_ATTACH },
	{ "detach",	K_ATTACH },
	{ "map",	K_MAP },
	{ "unmap",	K_UNMAP },
	{ "unmap_fast",	K_UNMAP },
};

struct events_ctx {
	struct evset *s;
	const char *path;
};

/* One event line into the set: 0, or -errno. */
static int event_add(json_object *o, size_t lineno, void *ctx)
{
	const struct events_ctx *c = ctx;
	struct evset *s = c->s;
	const char *kind = jstr(o, "kind"), *dom;
	int k = kind ? name_kind(event_kinds, ARRAY_SIZE(event_kinds), kind) : -1;
	json_object *v;
	bool ok = true;
	int err = 0;

	if (kind && !strcmp(kind, "map_sg")) {
		uint64_t t1 = jnum(o, "ts_ns", &ok), lat = jnum(o, "latency_ns", &ok);

		/* ts: the window's start; size: its length (trace clock: us) */
		err = evs_push(&s->sg, t1 - lat - t1 % 1000, 0, lat + 1000, 0, NULL);
	}
	/* group-level summaries: their devices have records of their own */
	if (k == K_ATTACH && json_object_object_get_ex(o, "flags", &v) &&
	    strstr(json_object_to_json_string(v), "\"group\""))
		k = -1;
	/* failed operations are not events here */
	if (k < 0 || !json_object_object_get_ex(o, "ret", &v) || json_object_get_int64(v))
		return err;
	dom = jstr(o, "domain_id");
	err = evs_push(&s->k[k], jnum(o, "ts_ns", &ok), k == K_ATTACH ? 0 : jnum(o, "iova", &ok),
		       k == K_ATTACH ? 0 : jnum(o, "done", &ok), dom ? strtoull(dom, NULL, 16) : 0,
		       jstr(o, "dev"));
	if (!ok) {
		fprintf(stderr, "tpcheck: %s:%zu: %s event lacks fields\n", c->path, lineno, kind);
		err = -EINVAL;
	}
	return err;
}

int events_read(const char *path, struct evset *s)
{
	struct events_ctx c = { s, path };

	return jsonl_each(path, event_add, &c);
}

int source_read(const char *path, struct evset *s)
{
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	s->json = c == '{';
	return s->json ? events_read(path, s) : tracefs_read(path, s);
}
