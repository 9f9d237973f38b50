// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck count EVENTS.jsonl TRACE: `iommutrace trace --json --all-domains`
 * has exactly as many map, unmap and attach events as the tracepoints in
 * TRACE.
 */
#include <stdio.h>

#include "tpcheck.h"

/* Tracefs map events inside a map_sg call: they are that call's segments. */
static size_t maps_in_sg(const struct evs *tp, const struct evs *sg)
{
	size_t i, j, n = 0;

	for (i = 0; i < tp->n; i++)
		for (j = 0; j < sg->n; j++)
			if (tp->v[i].ts >= sg->v[j].ts && tp->v[i].ts - sg->v[j].ts <= sg->v[j].size) {
				n++;
				break;
			}
	return n;
}

/*
 * The same number of map, unmap and attach events in both sources; the
 * per-segment map tracepoints of a map_sg call count as that one call.
 */
static int check_count(const struct evset *ev, const struct evset *tp)
{
	size_t in_sg = maps_in_sg(&tp->k[K_MAP], &ev->sg);
	int k, bad = 0;

	for (k = 0; k < K_NR; k++) {
		size_t want = tp->k[k].n - (k == K_MAP ? in_sg : 0);

		printf("%-6s iommutrace %zu, tracefs %zu", kind_name[k], ev->k[k].n, want);
		if (k == K_MAP && ev->sg.n)
			printf(" (+%zu in %zu map_sg)", in_sg, ev->sg.n);
		printf("%s\n", ev->k[k].n == want ? "" : ", DIFFERENT");
		bad |= ev->k[k].n != want;
	}
	return bad;
}

int cmd_count(const char *events, const char *trace)
{
	struct evset ev = {}, tp = {};
	int ret = 2;

	if (!events_read(events, &ev) && !tracefs_read(trace, &tp))
		ret = check_count(&ev, &tp);
	evset_free(&ev);
	evset_free(&tp);
	return ret;
}
