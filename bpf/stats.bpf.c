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
