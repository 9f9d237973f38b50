/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * log2 histograms counted in BPF: struct itr_hist (include/iommutrace.h),
 * part of a per-CPU map's value; slot i counts the values v with
 * floor(log2(v)) == i (0 and 1 in slot 0), the last slot everything
 * beyond, and sum adds them up. User space sums the CPUs.
 */
#ifndef ITR_LIB_HIST_BPF_H
#define ITR_LIB_HIST_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include "iommutrace.h"

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

/* Count v in h (struct itr_hist of include/iommutrace.h): its slot, its sum. */
static __always_inline void itr_hist_add(struct itr_hist *h, __u64 v)
{
	__u32 i = itr_log2(v);

	if (i >= ITR_HIST_SLOTS)
		i = ITR_HIST_SLOTS - 1;
	h->slot[i] += 1;	/* per-CPU: no other writer */
	h->sum += v;
}

#endif /* ITR_LIB_HIST_BPF_H */
