// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck: compare what happened according to one source with another, in
 * a guest: iommutrace's JSON output, the kernel's own iommu tracepoints (a
 * tracefs `trace` dump, trace_clock "mono") and the workload's log.
 *
 *   tpcheck count EVENTS.jsonl TRACE      count.c: event totals = tracefs's
 *   tpcheck ioctls WORKLOAD.jsonl EVENTS.jsonl
 *                                         ioctls.c: logged ioctls = records
 *   tpcheck locked WORKLOAD.jsonl EVENTS.jsonl
 *                                         locked.c: locked pages = VmLck
 *   tpcheck log WORKLOAD.jsonl TRACE|EVENTS.jsonl
 *                                         log.c: logged maps, unmaps and
 *                                         attaches covered by events
 *   tpcheck stat STAT.json TRACE          stat.c: stat counters = tracefs's
 *
 * Prints one line per kind; exit 0 when all agree, 1 otherwise, 2 on bad
 * input.
 */
#include <stdio.h>
#include <string.h>

#include "tpcheck.h"

/* Sorted by name. */
static const struct {
	const char *name;
	int (*fn)(const char *a, const char *b);
} cmds[] = {
	{ "count",	cmd_count },
	{ "ioctls",	cmd_ioctls },
	{ "locked",	cmd_locked },
	{ "log",	cmd_log },
	{ "stat",	cmd_stat },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc == 4 && i < ARRAY_SIZE(cmds); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argv[2], argv[3]);
	fprintf(stderr, "usage: tpcheck log WORKLOAD.jsonl TRACE|EVENTS.jsonl | "
			"ioctls|locked WORKLOAD.jsonl EVENTS.jsonl | count EVENTS.jsonl TRACE | "
			"stat STAT.json TRACE\n");
	return 2;
}
