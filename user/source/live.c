// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live source (user/live.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <bpf/libbpf.h>
#include "lib/clock.h"
#include "lib/log.h"
#include "source/kview.h"
#include "source/live.h"
#include "source/loader.h"

struct live_ctx {
	const struct live_ops *ops;
	int err;	/* the record callback's stop value */
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct live_ctx *c = ctx;
	int err = c->ops->record(c->ops->arg, data, size);

	if (err && !c->err)
		c->err = err;
	return err;
}

/*
 * The kernel's count of lost records at the end: losses after the last
 * record sent no loss record into the stream.
 */
static int final_lost(const struct loader *l, const struct live_ops *ops)
{
	struct itr_counters c;
	int err = loader_counters(l, &c);

	if (err)
		return err;
	if (ops->lost)
		ops->lost(ops->arg, c.v[ITR_CNT_LOST], now_ns());
	return 0;
}

void live_loader_opts(const struct live_opts *o, struct loader_opts *lo)
{
	lo->verbose = o->verbose;
	lo->no_fentry = o->no_fentry;
	lo->ringbuf_size = o->ringbuf_size;
	lo->wakeup_bytes = o->wakeup_bytes;
	lo->btf_path = o->btf;
}

int live_run(struct live_opts *o, const struct live_ops *ops, struct itr_counters *final,
	     bool *final_ok)
{
	struct live_ctx c = { .ops = ops };
	__u64 end, next_tick, tick = (o->tick_ms ?: 100) * 1000000ULL;
	struct loader_opts lo = {};
	struct ring_buffer *rb = NULL;
	struct loader l = {};
	bool started = false;
	int err;

	if (final_ok)
		*final_ok = false;
	if (!o->have_key && getrandom(&o->cfg.domain_key, sizeof(o->cfg.domain_key), 0) !=
	    sizeof(o->cfg.domain_key)) {
		log_err("failed to get a random domain key: %s", strerror(errno));
		return -EIO;
	}
	catch_stop_signals();
	signal(SIGPIPE, SIG_IGN);
	loader_set_verbose(o->verbose);
	live_loader_opts(o, &lo);
	lo.kview = ops->kview != NULL;
	err = loader_start(&l, &o->cfg, &lo);
	if (err)
		return err;
	started = true;
	if (ops->loaded)
		ops->loaded(ops->arg, &l);
	if (ops->kview)
		ops->kview(ops->arg, l.kview ? kview_query : NULL, &l);
	rb = ring_buffer__new(loader_events_fd(&l), on_record, &c, NULL);
	if (!rb) {
		err = -errno;
		log_err("failed to create the ring buffer: %s", strerror(-err));
		goto cleanup;
	}
	if (ops->started)
		ops->started(ops->arg);
	end = deadline_ns(o->duration);
	next_tick = now_ns() + tick;
	/*
	 * BPF wakes us only when the ring holds wakeup_bytes (loader.c): the
	 * timed poll drains what is there in batches, and loss records in the
	 * stream say where records were lost.
	 */
	while (!run_done(end)) {
		err = ring_buffer__poll(rb, o->poll_ms ?: LIVE_POLL_MS);
		if (err >= 0)
			err = ring_buffer__consume(rb);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			break;
		err = 0;
		if (now_ns() >= next_tick) {
			next_tick += tick;
			if (ops->tick && (err = ops->tick(ops->arg)))
				break;
		}
	}
	if (!err)
		err = ring_buffer__consume(rb);
	if (err > 0)
		err = 0;
	if (c.err) {
		err = c.err;	/* the callback said why */
		goto cleanup;
	}
	if (err < 0) {
		log_err("failed to read the ring buffer: %s", strerror(-err));
		goto cleanup;
	}
	err = final_lost(&l, ops);
	if (err)
		log_err("failed to read the counters: %s", strerror(-err));
	if (!err && ops->tick)
		err = ops->tick(ops->arg);
cleanup:
	if (started && final && !loader_counters(&l, final) && final_ok)
		*final_ok = true;
	ring_buffer__free(rb);
	if (started && ops->loaded)
		ops->loaded(ops->arg, NULL);
	loader_stop(&l);
	return err;
}
