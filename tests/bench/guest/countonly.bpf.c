// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * guest-countonly's BPF side (tests/bench/guest/countonly.c): the least a
 * tracer can do on a hooked call, the DMA-API hot-path benchmark's
 * baseline. Each program adds one to a per-CPU counter, nothing else.
 * fentry programs are bound to one function each (the loader retargets
 * the slots it uses); the kprobe program is attached to every function.
 */
#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static __always_inline int count(void)
{
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&calls, &zero);

	if (n)
		*n += 1;
	return 0;
}

#define SLOT(i)							\
SEC("?fentry/iommu_map")					\
int co_fentry_##i(void *ctx)					\
{								\
	return count();						\
}

SLOT(0) SLOT(1) SLOT(2) SLOT(3) SLOT(4) SLOT(5) SLOT(6) SLOT(7)

SEC("?kprobe/iommu_map")
int co_kprobe(struct pt_regs *ctx)
{
	return count();
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
