// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* tpcheck stat STAT.json TRACE: `iommutrace stat --json` counts exactly the events in TRACE. */
#include <inttypes.h>
#include <stdio.h>

#include "tpcheck.h"

/* Each counter of the stat object and what it counts in the trace. */
static const struct {
	const char *counter;
	int kind;
	bool bytes;
} stat_rows[] = {
	{ "attach",	 K_ATTACH, false },
	{ "map",	 K_MAP,	   false },
	{ "map_bytes",	 K_MAP,	   true },
	{ "unmap",	 K_UNMAP,  false },
	{ "unmap_bytes", K_UNMAP,  true },
};

static int check_stat(const char *path, const struct evset *tp)
{
	json_object *o = json_object_from_file(path), *cs;
	int bad = 0;
	size_t i;

	if (!o || !json_object_object_get_ex(o, "counters", &cs)) {
		fprintf(stderr, "tpcheck: %s: not an `iommutrace stat --json` object\n", path);
		json_object_put(o);
		return 2;
	}
	for (i = 0; i < ARRAY_SIZE(stat_rows); i++) {
		const struct evs *e = &tp->k[stat_rows[i].kind];
		bool ok = true;
		uint64_t got = jnum(cs, stat_rows[i].counter, &ok);
		uint64_t want = stat_rows[i].bytes ? e->bytes : e->n;

		printf("%-12s stat %" PRIu64 ", trace %" PRIu64 "%s\n", stat_rows[i].counter, got, want,
		       ok && got == want ? "" : ", DIFFERENT");
		bad |= !ok || got != want;
	}
	json_object_put(o);
	return bad;
}

int cmd_stat(const char *stat, const char *trace)
{
	struct evset tp = {};
	int ret = 2;

	if (!tracefs_read(trace, &tp))
		ret = check_stat(stat, &tp);
	evset_free(&tp);
	return ret;
}
