// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: the consumer's work per record in each mode, as figures:
 * what a live run spends in user space on every ring-buffer record, given
 * the records of a VFIO type1 MAP_DMA + UNMAP_DMA pair (as BPF sends them
 * on 6.12 since ABI 7: map, ioctl; unmap_fast, ioctl, the ioctls carrying
 * the pinned-page accounting).
 *
 *   decode         the pipeline alone (no model, no sink)
 *   trace          + text lines (trace)
 *   trace --json   + JSON lines (trace --json -o FILE)
 *   record         + the recording writer (record -o FILE)
 *   monitor --json the model and checker + JSON lines (monitor --json)
 *
 * ns per record of this process's CPU time (one core); outputs go to
 * /dev/null, the recording to a file. ITR_BENCH_SMOKE=1: a thousandth.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/vfio.h>
#include "pipeline.h"
#include "rec/writer.h"
#include "sink/record.h"

static unsigned long long PAIRS = 200000;
#define DOM 0x1234567890abcdefULL

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

union rec {
	struct itr_hdr h;
	struct itr_ev_domain dom;
	struct itr_ev_map map;
	struct itr_ev_ioctl ioctl;
	__u64 raw[ITR_MAX_RECORD / 8];
};

static void hdr(union rec *r, unsigned int kind, __u64 seq, __u64 op)
{
	memset(r, 0, sizeof(*r));
	r->h.kind = kind;
	r->h.size = itr_kind_size(kind);
	r->h.ts_ns = 1000000000ULL + seq * 1000;
	r->h.pid = r->h.tgid = 4242;
	r->h.domain_type = ITR_DOM_UNKNOWN;
	r->h.group_id = -1;
	strcpy(r->h.comm, "qemu-system-x86");
	r->h.ctx = (struct itr_ctx){ op, 0xc0ffee, 27, ITR_LAYER_VFIO_CONTAINER };
}

#define PER_PAIR 4

/* The i-th record of the stream (four per pair). */
static void make(union rec *r, __u64 i)
{
	__u64 pair = i / PER_PAIR, op = 2 * pair + 1 + (i % PER_PAIR >= 2);
	struct vfio_iommu_type1_dma_map m = { sizeof(m), 3, 0x7f0000000000ULL, 0x100000, 4096 };
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 0x100000, 4096 };

	switch (i % PER_PAIR) {
	case 0:
	case 2:
		hdr(r, i % PER_PAIR ? ITR_EV_UNMAP_FAST : ITR_EV_MAP, i, op);
		r->h.domain_id = DOM;
		r->h.domain_type = ITR_DOM_UNMANAGED;
		r->map.iova = 0x100000;
		r->map.paddr = 0x80000000ULL;
		r->map.size = r->map.done = 4096;
		r->map.latency_ns = 900;
		r->map.prot = 3;
		break;
	default:
		hdr(r, ITR_EV_IOCTL, i, op);
		r->ioctl.cmd = i % PER_PAIR == 1 ? VFIO_IOMMU_MAP_DMA : VFIO_IOMMU_UNMAP_DMA;
		r->ioctl.arg_len = i % PER_PAIR == 1 ? sizeof(m) : sizeof(u);
		memcpy(r->ioctl.arg_in, i % PER_PAIR == 1 ? (void *)&m : (void *)&u, r->ioctl.arg_len);
		memcpy(r->ioctl.arg_out, r->ioctl.arg_in, r->ioctl.arg_len);
		r->ioctl.latency_ns = 5000;
		r->h.flags = ITR_F_LOCKED;
		r->ioctl.locked_npages = i % PER_PAIR == 1 ? 1 : -1;
		r->ioctl.locked_vm = i % PER_PAIR == 1 ? 1 : 0;
		break;
	}
}

enum mode { DECODE, TEXT, JSON, RECORD, MONITOR, NMODES };
static const char *const names[NMODES] = { "decode", "trace", "trace --json", "record", "monitor --json" };

static int run(enum mode mode, const char *path)
{
	struct pipeline_opts po = { .model = mode == MONITOR };
	struct record_sink rs;
	struct stream_sink ss;
	struct rec_writer *w = NULL;
	struct output out;
	struct pipeline p;
	__u64 i, n = PAIRS * PER_PAIR;
	union rec r;
	double t0, t;
	int err = 0;

	if (output_open(&out, "/dev/null") || pipeline_init(&p, &po))
		return 1;
	if (mode == TEXT || mode == JSON || mode == MONITOR)
		pipeline_add_sink(&p, stream_sink_init(&ss, &out, mode == TEXT ? STREAM_TEXT : STREAM_JSON,
						      1000000000ULL, true, true));
	if (mode == RECORD) {
		if (!(w = recw_open(path, NULL, &err)))
			return 1;
		pipeline_add_sink(&p, record_sink_init(&rs, w));
	}
	/* the container's domain, as a live run sees it first: the model tracks its maps */
	hdr(&r, ITR_EV_DOMAIN_ALLOC, 0, 0);
	r.h.domain_id = DOM;
	r.h.domain_type = ITR_DOM_UNMANAGED;
	r.dom.pgsize_bitmap = 0x40201000;
	r.dom.aperture_end = (1ULL << 39) - 1;
	err = pipeline_record(&p, &r, r.h.size);
	t0 = now_s();
	for (i = 0; i < n && !err; i++) {
		make(&r, i);
		err = pipeline_record(&p, &r, r.h.size);
		if (i % 10000 == 9999)
			err = err ?: pipeline_tick(&p);
	}
	err = err ?: pipeline_close(&p);
	err = err ?: (w ? recw_close(w, NULL) : 0);
	t = now_s() - t0;
	if (err || p.decode_errors || pipeline_worst(&p) >= 0) {
		fprintf(stderr, "bench: %s failed: %d (%llu decode errors, worst finding %d)\n", names[mode],
			err, (unsigned long long)p.decode_errors, pipeline_worst(&p));
		return 1;
	}
	printf("%-15s %7.0f ns per record (%.2f M records/s), %7.0f ns per pair\n", names[mode],
	       t / n * 1e9, n / t / 1e6, t / PAIRS * 1e9);
	pipeline_fini(&p);
	output_close(&out);
	return 0;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/iommutrace-sink-bench.itr";
	const char *smoke = getenv("ITR_BENCH_SMOKE");
	int m;

	if (smoke && *smoke == '1')
		PAIRS /= 1000;
	printf("the consumer's CPU time per record, %llu pairs of type1 MAP_DMA + UNMAP_DMA (%d records each):\n",
	       PAIRS, PER_PAIR);
	for (m = 0; m < NMODES; m++)
		if (run(m, path))
			return 1;
	unlink(path);
	return 0;
}
