/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * log2 histograms counted in BPF. A histogram is an array of __u64 slots,
 * one element of a per-CPU array map (the map's value: __u64[nslots]);
 * slot i counts the values v with floor(log2(v)) == i (0 and 1 in slot 0),
 * the last slot everything beyond. User space sums the CPUs.
 */
#ifndef ITR_LIB_HIST_BPF_H
#define ITR_LIB_HIST_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>

/* floor(log2(v)), 0 for v == 0: six halvings, no loop */
static __always_inline __u32 itr_log2(__u64 v)
{
	__u32 r = 0;

	if (v >> 32) {
		v >>= 32;
		r += 32;
	}
	if (v >> 16) {
		v >>= 16;
		r += 16;
	}
	if (v >> 8) {
		v >>= 8;
		r += 8;
	}
	if (v >> 4) {
		v >>= 4;
		r += 4;
	}
	if (v >> 2) {
		v >>= 2;
		r += 2;
	}
	if (v >> 1)
		r += 1;
	return r;
}

/*
 * Count v in the histogram at key of a per-CPU array map whose value is
 * __u64[nslots] (nslots a constant, > 0). 0, or -1 when key is out of range.
 */
static __always_inline int itr_hist_add(void *map, __u32 key, __u32 nslots, __u64 v)
{
	__u64 *slots = bpf_map_lookup_elem(map, &key);
	__u32 i = itr_log2(v);

	if (!slots)
		return -1;
	if (i >= nslots)
		i = nslots - 1;
	slots[i] += 1;	/* per-CPU: no other writer */
	return 0;
}

#endif /* ITR_LIB_HIST_BPF_H */
