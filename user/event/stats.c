// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The operation statistics' names and sums (event/stats.h). */
#include <stddef.h>
#include "event/stats.h"

static const char *const kind_names[ITR_ST_MAX] = {
	[ITR_ST_ATTACH]		= "attach",
	[ITR_ST_DETACH]		= "detach",
	[ITR_ST_DOMAIN_ALLOC]	= "domain_alloc",
	[ITR_ST_IOCTL_FOLDED]	= "ioctl_folded",
	[ITR_ST_MAP]		= "map",
	[ITR_ST_PASID_ATTACH]	= "pasid_attach",
	[ITR_ST_PASID_REPLACE]	= "pasid_replace",
	[ITR_ST_UNMAP]		= "unmap",
};

static const char *const result_names[ITR_RES_MAX] = {
	[ITR_RES_OK]	= "ok",
	[ITR_RES_ERROR]	= "error",
};

const char *stats_kind_name(unsigned int k)
{
	return k < ITR_ST_MAX ? kind_names[k] : NULL;
}

const char *stats_result_name(unsigned int r)
{
	return r < ITR_RES_MAX ? result_names[r] : NULL;
}

static void hist_sum(struct itr_hist *dst, const struct itr_hist *src)
{
	int i;

	for (i = 0; i < ITR_HIST_SLOTS; i++)
		dst->slot[i] += src->slot[i];
	dst->sum += src->sum;
}

void stats_add(struct itr_stat *dst, const struct itr_stat *src)
{
	int r;

	for (r = 0; r < ITR_RES_MAX; r++)
		dst->calls[r] += src->calls[r];
	dst->bytes += src->bytes;
	hist_sum(&dst->latency_ns, &src->latency_ns);
	hist_sum(&dst->size, &src->size);
}

__u64 stats_hist_count(const struct itr_hist *h)
{
	__u64 n = 0;
	int i;

	for (i = 0; i < ITR_HIST_SLOTS; i++)
		n += h->slot[i];
	return n;
}
