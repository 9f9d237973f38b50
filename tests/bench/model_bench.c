// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: the model and checker's speed and memory, as figures.
 *
 * 1. Generate a recording (user/rec/writer.h) of a VMM-like stream: one
 *    UNMANAGED domain, LIVE maps of 4 KiB at allocator-like ascending IOVAs,
 *    then STEADY events of churn (unmap the oldest, map a new one), each map
 *    and unmap inside a MAP_DMA/UNMAP_DMA-like operation.
 * Rates are per second of this process's CPU time (one core).
 *
 * 2. Replay it through the same decoder -> model -> checker path as
 *    `iommutrace check FILE` (user/source/replay.c, user/pipeline.c): events per
 *    second, end to end (zlib and the file included), on one core.
 * 3. The same records from memory straight into the pipeline: the model and
 *    checker alone.
 * 4. Resident bytes per live mapping: VmRSS growth while the model holds
 *    LIVE mappings, divided by LIVE.
 *
 * Goals (issue 10): >= 10 M events/s end to end, < 32 bytes per live mapping.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "pipeline.h"
#include "rec/writer.h"
#include "source/replay.h"

/* The sizes; ITR_BENCH_SMOKE=1 (make test's smoke run) divides them by 1000. */
static unsigned long long LIVE = 1000000ULL, STEADY = 5000000ULL;
#define DOM	0x1234567890abcdefULL

/* CPU time of this process: the figure of one core, whatever else runs. */
static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long rss_kib(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[128];
	long kib = -1;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static void rec_init(struct itr_ev_map *r, unsigned int kind, __u64 seq)
{
	memset(r, 0, sizeof(*r));
	r->h.kind = kind;
	r->h.size = kind == ITR_EV_DOMAIN_ALLOC ? sizeof(struct itr_ev_domain) : sizeof(*r);
	r->h.ts_ns = 1000000000ULL + seq * 200;
	r->h.pid = r->h.tgid = 4242;
	r->h.domain_id = DOM;
	r->h.domain_type = ITR_DOM_UNMANAGED;
	r->h.group_id = -1;
	strcpy(r->h.comm, "qemu-system-x86");
	r->h.ctx = (struct itr_ctx){ seq + 1, 0xc0ffee, 27, ITR_LAYER_VFIO_CONTAINER };
}

/* The i-th record of the stream into r; its size. */
static size_t make(struct itr_ev_map *r, __u64 i)
{
	if (i == 0) {
		rec_init(r, ITR_EV_DOMAIN_ALLOC, i);
		return r->h.size;
	}
	i--;
	if (i < LIVE) {			/* fill */
		rec_init(r, ITR_EV_MAP, i);
		r->iova = 0x100000 + i * 0x1000;
	} else {			/* churn: unmap the oldest, map past the newest */
		__u64 k = (i - LIVE) / 2;

		rec_init(r, (i - LIVE) % 2 ? ITR_EV_MAP : ITR_EV_UNMAP, i);
		r->iova = 0x100000 + ((i - LIVE) % 2 ? LIVE + k : k) * 0x1000;
	}
	r->size = r->done = 0x1000;
	r->paddr = 0x80000000ULL + r->iova;
	r->latency_ns = 800;
	r->prot = 3;
	return r->h.size;
}

struct counter {
	struct pipeline *p;
	__u64 n;
	long rss0, rss_live;
};

/* check FILE's path: the reader's decoded records into pipeline_event() */
static int count_event(void *arg, const struct itr_event *ev)
{
	struct counter *c = arg;
	int err = pipeline_event(c->p, ev);

	if (++c->n == LIVE + 1)	/* the alloc and every fill map: LIVE live */
		c->rss_live = rss_kib();
	return err;
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/iommutrace-bench.itr";
	const char *smoke = getenv("ITR_BENCH_SMOKE");
	__u64 total, i;
	struct replay_ops ops = { pipeline_snapshot, NULL, NULL, count_event };
	struct replay_result res;
	struct itr_ev_map r;
	struct rec_writer *w;
	struct rec_meta meta;
	struct counter c = {};
	struct pipeline p;
	double t0, t;
	int err = 0;

	if (smoke && *smoke == '1') {
		LIVE /= 1000;
		STEADY /= 1000;
	}
	total = 1 + LIVE + STEADY;
	rec_meta_now(&meta);
	w = recw_open(path, &meta, &err);
	if (!w) {
		fprintf(stderr, "bench: cannot create %s: %s\n", path, strerror(-err));
		return 1;
	}
	t0 = now_s();
	for (i = 0; i < total && !err; i++) {
		size_t n = make(&r, i);

		err = recw_event(w, &r, n);
	}
	err = err ?: recw_close(w, NULL);
	if (err) {
		fprintf(stderr, "bench: writing %s: %s\n", path, strerror(-err));
		return 1;
	}
	printf("recording: %llu events (%llu live mappings, then %llu of churn) written in %.2f s\n",
	       (unsigned long long)total, LIVE, STEADY, now_s() - t0);

	/* end to end: file -> zlib -> decoder -> model -> checker */
	pipeline_init(&p, &(struct pipeline_opts){ .model = true });
	c.p = &p;
	ops.arg = &c;
	c.rss0 = rss_kib();
	t0 = now_s();
	err = replay_run(path, &ops, &res);
	t = now_s() - t0;
	if (err || p.model.nevents != total || checker_worst(&p.checker) >= 0) {
		fprintf(stderr, "bench: replay failed: %s (%llu of %llu events, worst finding %d)\n",
			res.why, (unsigned long long)p.model.nevents, (unsigned long long)total,
			checker_worst(&p.checker));
		return 1;
	}
	printf("replay (file, inflate, decoder, model, checker): %.2f M events/s (%.2f s, %llu findings)\n",
	       total / t / 1e6, t, (unsigned long long)(p.checker.nfindings[0] + p.checker.nfindings[1] +
							  p.checker.nfindings[2]));
	printf("memory: %.1f bytes resident per live mapping (%llu live mappings, VmRSS +%ld KiB)\n",
	       (c.rss_live - c.rss0) * 1024.0 / LIVE, LIVE, c.rss_live - c.rss0);
	pipeline_fini(&p);

	/* the model and checker alone: records from memory */
	pipeline_init(&p, &(struct pipeline_opts){ .model = true });
	t0 = now_s();
	for (i = 0; i < total; i++) {
		size_t n = make(&r, i);

		pipeline_record(&p, &r, n);
	}
	t = now_s() - t0;
	printf("model + checker alone (records made in memory): %.2f M events/s\n", total / t / 1e6);
	if (p.model.nevents != total || checker_worst(&p.checker) >= 0) {
		fprintf(stderr, "bench: %llu of %llu events modelled, worst finding %d\n",
			(unsigned long long)p.model.nevents, (unsigned long long)total,
			checker_worst(&p.checker));
		return 1;
	}
	printf("goals: >= 10 M events/s end to end, < 32 bytes per live mapping\n");
	pipeline_fini(&p);
	unlink(path);
	return 0;
}
