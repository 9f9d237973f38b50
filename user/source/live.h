/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The live source: load and attach (user/loader.c), then hand every ring
 * buffer record to a callback until a signal, the duration or a failure;
 * losses and a periodic tick on the side. trace, monitor, record and check
 * all read the kernel through it.
 */
#ifndef ITR_LIVE_H
#define ITR_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include "iommutrace.h"

struct loader;

struct live_opts {
	struct itr_config cfg;	/* filters; domain_key is set by live_run unless have_key */
	bool have_key;
	double duration;	/* seconds; 0: until a signal */
	bool verbose;
	bool no_fentry;
	const char *btf;
	unsigned int ringbuf_size;
	unsigned int tick_ms;	/* tick period; 0: 100 ms */
	unsigned int poll_ms;	/* the ring buffer's timed poll; 0: LIVE_POLL_MS */
	int wakeup_bytes;	/* wake the consumer at this fill; 0: a quarter of the ring; -1: every record */
	const char *sysfs_root;	/* where the model's snapshot reads sysfs (tests); NULL: / */
};

/* The consumer's timed poll (ms): the latest a record waits when BPF does not wake it. */
#define LIVE_POLL_MS 50

struct live_ops {
	/* Attached: events flow from now on (tests wait for what this prints). */
	void (*started)(void *arg);
	/* One raw record; non-zero stops the run (its value is returned). */
	int (*record)(void *arg, const void *data, size_t size);
	/*
	 * At the end: the kernel's count of records lost since load (the
	 * stream's loss records said where; this says whether any came too
	 * late for one).
	 */
	void (*lost)(void *arg, __u64 total, __u64 now_ns);
	/* Every tick_ms and at the end: flush outputs; non-zero stops the run. */
	int (*tick)(void *arg);
	void *arg;
	/* The loader once attached, and NULL before it stops (the metrics read it). */
	void (*loaded)(void *arg, const struct loader *l);
	/*
	 * Loaded: how to ask the kernel's own view (source/kview.h), query NULL
	 * when the kernel shim is not there; query_arg goes with it.
	 */
	void (*kview)(void *arg, int (*query)(void *query_arg, struct itr_kview *q), void *query_arg);
};

/*
 * Run. 0, or -errno after printing what failed. final (may be NULL): the
 * BPF counters at the end; final_ok says whether they could be read.
 */
int live_run(struct live_opts *o, const struct live_ops *ops, struct itr_counters *final,
	     bool *final_ok);


struct loader_opts;
/* The loader's options from the run's (stat and probe load without a run). */
void live_loader_opts(const struct live_opts *o, struct loader_opts *lo);

#endif
