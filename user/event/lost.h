/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Gaps in the stream: loss records (ITR_EV_LOST) carry cumulative counts
 * (since load, in total and by kind); a consumer keeps the last counts it
 * saw and takes differences, so that a duplicate (two CPUs reporting the
 * same losses) adds nothing and a count that wrapped still adds up.
 */
#ifndef ITR_LOST_H
#define ITR_LOST_H

#include <stdbool.h>
#include "iommutrace.h"

struct lost_seen {
	__u64 total;
	__u32 by_kind[ITR_LOST_KINDS];
};

/* What one loss record added. */
struct lost_diff {
	__u64 total;			/* records newly lost; 0: nothing new */
	__u64 by_kind[ITR_LOST_KINDS];	/* ... of each kind */
	__u64 unknown;			/* ... of no kind counted yet (total - sum by kind) */
};

/* The loss record e against what s saw before; s moves on. */
void lost_diff(struct lost_seen *s, const struct itr_ev_lost *e, struct lost_diff *d);
/* "map 3, unmap 2, ioctl 5" (kinds that lost any); "" when none. */
const char *lost_kinds_str(const struct lost_diff *d, char *buf, size_t len);

#endif
