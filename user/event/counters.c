// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Naming and printing the exact per-CPU totals. */
#include <errno.h>
#include <json-c/json.h>
#include "event/counters.h"

static const struct {
	const char *name;
	int bytes;
} counters[ITR_CNT_MAX] = {
	[ITR_CNT_ATTACH]	= { "attach" },
	[ITR_CNT_GROUP_ADD]	= { "group_add" },
	[ITR_CNT_GROUP_REMOVE]	= { "group_remove" },
	[ITR_CNT_MAP]		= { "map" },
	[ITR_CNT_MAP_BYTES]	= { "map_bytes", 1 },
	[ITR_CNT_UNMAP]		= { "unmap" },
	[ITR_CNT_UNMAP_BYTES]	= { "unmap_bytes", 1 },
	[ITR_CNT_EMITTED]	= { "emitted" },
	[ITR_CNT_LOST]		= { "lost" },
	[ITR_CNT_FILTERED]	= { "filtered" },
	[ITR_CNT_DMA_API]	= { "dma_api" },
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

const char *fmt_bytes(char *buf, size_t len, unsigned long long n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	double v = n;
	unsigned int u = 0;

	while (v >= 1024 && u + 1 < sizeof(units) / sizeof(units[0])) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
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
	int err = 0;

	if (!root || !cs) {
		err = -ENOMEM;
		goto cleanup;
	}
	json_object_object_add(root, "schema", json_object_new_int(ITR_ABI_VERSION));
	for (i = 0; i < ITR_CNT_MAX; i++)
		json_object_object_add(cs, counter_name(i), json_object_new_uint64(c->v[i]));
	json_object_object_add(root, "counters", cs);
	cs = NULL;
	fprintf(f, "%s\n", json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN |
							       JSON_C_TO_STRING_NOSLASHESCAPE));
cleanup:
	json_object_put(cs);
	json_object_put(root);
	return err;
}
