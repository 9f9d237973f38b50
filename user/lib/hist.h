/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Log2 histograms, as bcc's print_log2_hist: slot i holds [2^i, 2^(i+1)-1],
 * slot 0 holds 0 and 1. Counted in user space, shown as text (bcc's table)
 * or as JSON. Users: the report's latency and size histograms.
 */
#ifndef ITR_HIST_H
#define ITR_HIST_H

#include <stdio.h>
#include <json-c/json.h>
#include <linux/types.h>

#define HIST_SLOTS 64

struct hist {
	__u64 slot[HIST_SLOTS];
	__u64 count;
	__u64 sum;
	__u64 min, max;		/* valid when count > 0 */
};

/* The slot of v: floor(log2 v); 0 and 1 share slot 0. */
int hist_slot(__u64 v);
void hist_add(struct hist *h, __u64 v);
/* The last non-empty slot; -1 when h is empty. */
int hist_last(const struct hist *h);
/* The values slot i holds: [*low, *high]. */
void hist_range(int i, __u64 *low, __u64 *high);

/*
 * The table of print_log2_hist: a header naming unit ("nsecs"), then one
 * line per slot up to the last non-empty one, 40 stars for the largest
 * (20, and wider columns, past slot 32). Nothing when h is empty.
 */
void hist_print(FILE *f, const struct hist *h, const char *unit);
/*
 * {"unit", "count", "sum", "min", "max" (null when empty), "buckets": [{"low",
 * "high", "count"}, ...] from slot 0 to the last non-empty one}; NULL when
 * out of memory.
 */
json_object *hist_json(const struct hist *h, const char *unit);

#endif
