/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one ABI between iommutrace's BPF programs and user space: event
 * kinds, record layouts, counter and histogram layouts. Fixed-width types,
 * no pointers, explicit padding, size asserts. Any change here is a schema
 * change: bump ITR_ABI_VERSION.
 */
#ifndef IOMMUTRACE_H
#define IOMMUTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ITR_ABI_VERSION 1

/*
 * Exact per-CPU totals, counted in BPF for every occurrence whether or not
 * an event reaches user space. Sorted; ITR_CNT_MAX last.
 */
enum itr_counter {
	ITR_CNT_ATTACH = 0,	/* iommu:attach_device_to_domain */
	ITR_CNT_GROUP_ADD,	/* iommu:add_device_to_group */
	ITR_CNT_GROUP_REMOVE,	/* iommu:remove_device_from_group */
	ITR_CNT_MAP,		/* iommu:map */
	ITR_CNT_MAP_BYTES,	/* sum of iommu:map sizes */
	ITR_CNT_UNMAP,		/* iommu:unmap */
	ITR_CNT_UNMAP_BYTES,	/* sum of iommu:unmap unmapped sizes */
	ITR_CNT_MAX,
};

struct itr_counters {
	__u64 v[ITR_CNT_MAX];
};

_Static_assert(sizeof(struct itr_counters) == ITR_CNT_MAX * 8,
	       "itr_counters layout");

#endif /* IOMMUTRACE_H */
