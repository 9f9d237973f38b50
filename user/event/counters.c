// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Naming and printing the exact per-CPU totals. */
#include <errno.h>
#include <json-c/json.h>
#include "event/counters.h"
#include "lib/fmt.h"
#include "lib/jsonw.h"

static const struct {
	const char *name;
	int bytes;
} counters[ITR_CNT_MAX] = {
	[ITR_CNT_ATTACH]	= { "attach", 0 },
	[ITR_CNT_GROUP_ADD]	= { "group_add", 0 },
	[ITR_CNT_GROUP_REMOVE]	= { "group_remove", 0 },
	[ITR_CNT_MAP]		= { "map", 0 },
	[ITR_CNT_MAP_BYTES]	= { "map_bytes", 1 },
	[ITR_CNT_UNMAP]		= { "unmap", 0 },
	[ITR_CNT_UNMAP_BYTES]	= { "unmap_bytes", 1 },
	[ITR_CNT_EMITTED]	= { "emitted", 0 },
	[ITR_CNT_LOST]		= { "lost", 0 },
	[ITR_CNT_FILTERED]	= { "filtered", 0 },
	[ITR_CNT_DMA_API]	= { "dma_api", 0 },
	[ITR_CNT_DMA_API_BYTES]	= { "dma_api_bytes", 1 },
};

const char *counter_name(unsigned int c)
{
	return c < ITR_CNT_MAX ? counters[c].name : NULL;
}

int counter_is_bytes(unsigned int c)
{
	return c < ITR_CNT_MAX && counters[c].bytes;
}

void counters_show_plain(FILE *f, const struct itr_counters *c)
{
	char buf[32];
	unsigned int i;

	fprintf(f, "%-14s %20s\n", "COUNTER", "TOTAL");
	for (i = 0; i < ITR_CNT_MAX; i++) {
		if (counter_is_bytes(i))
			fprintf(f, "%-14s %20s\n", counter_name(i), fmt_bytes(buf, sizeof(buf), c->v[i]));
		else
			fprintf(f, "%-14s %20llu\n", counter_name(i), (unsigned long long)c->v[i]);
	}
}

int counters_show_json(FILE *f, const struct itr_counters *c)
{
	json_object *root = json_object_new_object(), *cs = json_object_new_object();
	unsigned int i;

	if (!root || !cs) {
		json_object_put(cs);
		json_object_put(root);
		return -ENOMEM;
	}
	jw_int(root, "schema", ITR_ABI_VERSION);
	for (i = 0; i < ITR_CNT_MAX; i++)
		jw_u64(cs, counter_name(i), c->v[i]);
	jw_obj(root, "counters", cs);
	return jw_line(f, root);
}
