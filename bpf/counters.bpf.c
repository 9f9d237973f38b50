// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Exact totals of the kernel's own iommu tracepoints, per CPU. These need
 * nothing but tp_btf, so they load wherever BPF tracing works (the build
 * host included) and give the other programs a ground truth to agree with.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "iommutrace.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct itr_counters);
} counters SEC(".maps");

static __always_inline void count(enum itr_counter c, __u64 n)
{
	__u32 zero = 0;
	struct itr_counters *cs = bpf_map_lookup_elem(&counters, &zero);

	if (cs && c < ITR_CNT_MAX)
		cs->v[c] += n;
}

SEC("tp_btf/attach_device_to_domain")
int BPF_PROG(tp_attach, struct device *dev)
{
	count(ITR_CNT_ATTACH, 1);
	return 0;
}

SEC("tp_btf/add_device_to_group")
int BPF_PROG(tp_group_add, int group_id, struct device *dev)
{
	count(ITR_CNT_GROUP_ADD, 1);
	return 0;
}

SEC("tp_btf/remove_device_from_group")
int BPF_PROG(tp_group_remove, int group_id, struct device *dev)
{
	count(ITR_CNT_GROUP_REMOVE, 1);
	return 0;
}

SEC("tp_btf/map")
int BPF_PROG(tp_map, unsigned long iova, phys_addr_t paddr, size_t size)
{
	count(ITR_CNT_MAP, 1);
	count(ITR_CNT_MAP_BYTES, size);
	return 0;
}

SEC("tp_btf/unmap")
int BPF_PROG(tp_unmap, unsigned long iova, size_t size, size_t unmapped_size)
{
	count(ITR_CNT_UNMAP, 1);
	count(ITR_CNT_UNMAP_BYTES, unmapped_size);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
