/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The operation statistics counted in BPF (include/iommutrace.h: struct
 * itr_stat, maps itr_stats and itr_ioctl_stats), summed over the CPUs:
 * names of the kinds and results, and the sums.
 */
#ifndef ITR_STATS_H
#define ITR_STATS_H

#include "iommutrace.h"

/* One row of itr_ioctl_stats: ITR_IOCTL_STAT_KEY(layer, cmd) and its sums. */
struct stats_ioctl {
	__u64 key;
	struct itr_stat st;
};

struct stats {
	struct itr_stat op[ITR_ST_MAX];
	unsigned int nioctls;
	struct stats_ioctl ioctl[ITR_MAX_IOCTL_STATS];
};

/* "map", "attach", ...; NULL when unknown. */
const char *stats_kind_name(unsigned int k);
/* "ok", "error"; NULL when unknown. */
const char *stats_result_name(unsigned int r);
/* dst += src, field by field (summing the CPUs of one row). */
void stats_add(struct itr_stat *dst, const struct itr_stat *src);
/* The number of values a histogram counted. */
__u64 stats_hist_count(const struct itr_hist *h);

#endif
