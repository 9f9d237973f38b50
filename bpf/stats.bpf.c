// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the metrics exporter asks the kernel at scrape time, run by user
 * space through BPF_PROG_TEST_RUN (source/loader.c: loader_ringbuf_used):
 * the ring buffer's fill. The operation statistics are counted by the
 * hooks themselves (common.bpf.c: itr_stat).
 */
#include "common.bpf.h"

/* returns the ring buffer's unconsumed bytes (the run's retval) */
SEC("syscall")
int itr_ringbuf_fill(void *ctx)
{
	return (int)itr_ringbuf_used();
}

/*
 * make bench (tests/bench/count_bench.c): the in-kernel counting's cost.
 * Both run ITR_BENCH_LOOPS iterations through bpf_loop; one counts a map
 * (itr_stat: calls, bytes, two histograms), the other does the same work
 * around it (the timestamp) without counting. Never attached.
 */
#define ITR_BENCH_LOOPS 100000

static long bench_count(__u64 i, void *ctx)
{
	itr_stat(ITR_ST_MAP, 0, bpf_ktime_get_ns(), 4096, 4096 << (i & 7));
	return 0;
}

static long bench_base(__u64 i, void *ctx)
{
	*(__u64 *)ctx += bpf_ktime_get_ns() + i;
	return 0;
}

SEC("syscall")
int itr_bench_count(void *ctx)
{
	__u64 sink = 0;

	return bpf_loop(ITR_BENCH_LOOPS, bench_count, &sink, 0);
}

SEC("syscall")
int itr_bench_base(void *ctx)
{
	__u64 sink = 0;

	return bpf_loop(ITR_BENCH_LOOPS, bench_base, &sink, 0);
}
