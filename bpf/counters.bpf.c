// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exact totals of the kernel's own iommu tracepoints, per CPU. These need
 * nothing but tp_btf, so they load wherever BPF tracing works (the build
 * host included) and give the other programs a ground truth to agree with.
 * Probe-table rows: base cnt_* (user/targets.c).
 */
#include "common.bpf.h"
#include "lib/hist.bpf.h"	/* the histograms' home; none is counted yet */

SEC("?tp_btf/attach_device_to_domain")
int BPF_PROG(tp_cnt_attach, struct device *dev)
{
	itr_count(ITR_CNT_ATTACH, 1);
	return 0;
}

SEC("?tp_btf/add_device_to_group")
int BPF_PROG(tp_cnt_group_add, int group_id, struct device *dev)
{
	itr_count(ITR_CNT_GROUP_ADD, 1);
	return 0;
}

SEC("?tp_btf/remove_device_from_group")
int BPF_PROG(tp_cnt_group_remove, int group_id, struct device *dev)
{
	itr_count(ITR_CNT_GROUP_REMOVE, 1);
	return 0;
}

SEC("?tp_btf/map")
int BPF_PROG(tp_cnt_map, unsigned long iova, phys_addr_t paddr, size_t size)
{
	itr_count_bytes(ITR_CNT_MAP, size);	/* and ITR_CNT_MAP_BYTES */
	return 0;
}

SEC("?tp_btf/unmap")
int BPF_PROG(tp_cnt_unmap, unsigned long iova, size_t size, size_t unmapped_size)
{
	itr_count_bytes(ITR_CNT_UNMAP, unmapped_size);	/* and ITR_CNT_UNMAP_BYTES */
	return 0;
}
