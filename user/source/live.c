// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live source (user/live.h). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <bpf/libbpf.h>
#include "cli/cli.h"
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

/* Tell the callback about new losses; 0 or -errno (counters unreadable). */
static int poll_lost(const struct loader *l, const struct live_ops *ops, __u64 *lost)
{
	struct itr_counters c;
	int err = loader_counters(l, &c);

	if (err)
		return err;
	if (c.v[ITR_CNT_LOST] > *lost && ops->lost)
		ops->lost(ops->arg, c.v[ITR_CNT_LOST] - *lost, cli_now_ns());
	*lost = c.v[ITR_CNT_LOST];
	return 0;
}

int live_run(struct live_opts *o, const struct live_ops *ops, struct itr_counters *final,
	     bool *final_ok)
{
	struct live_ctx c = { .ops = ops };
	__u64 end, lost = 0, next_tick, tick = (o->tick_ms ?: 100) * 1000000ULL;
	struct loader_opts lo = {};
	struct ring_buffer *rb = NULL;
	struct loader l = {};
	bool started = false;
	int err;

	if (final_ok)
		*final_ok = false;
	if (!o->have_key && getrandom(&o->cfg.domain_key, sizeof(o->cfg.domain_key), 0) !=
	    sizeof(o->cfg.domain_key)) {
		fprintf(stderr, "failed to get a random domain key: %s\n", strerror(errno));
		return -EIO;
	}
	cli_catch_signals();
	signal(SIGPIPE, SIG_IGN);
	loader_set_verbose(o->verbose);
	lo.verbose = o->verbose;
	lo.no_fentry = o->no_fentry;
	lo.ringbuf_size = o->ringbuf_size;
	lo.btf_path = o->btf;
	err = loader_start(&l, &o->cfg, &lo);
	if (err)
		return err;
	started = true;
	rb = ring_buffer__new(loader_events_fd(&l), on_record, &c, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create the ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	if (ops->started)
		ops->started(ops->arg);
	end = cli_deadline_ns(o->duration);
	next_tick = cli_now_ns() + tick;
	while (!cli_done(end)) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR)
			err = 0;
		if (err < 0)
			break;
		err = 0;
		if (cli_now_ns() >= next_tick) {
			next_tick += tick;
			if (ops->tick && (err = ops->tick(ops->arg)))
				break;
		}
		err = poll_lost(&l, ops, &lost);
		if (err) {
			fprintf(stderr, "failed to read the counters: %s\n", strerror(-err));
			goto cleanup;
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
		fprintf(stderr, "failed to read the ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	poll_lost(&l, ops, &lost);
	if (ops->tick)
		err = ops->tick(ops->arg);
cleanup:
	if (started && final && !loader_counters(&l, final) && final_ok)
		*final_ok = true;
	ring_buffer__free(rb);
	loader_stop(&l);
	return err;
}

enum { LIVE_BTF = 0x300, LIVE_NO_FENTRY, LIVE_RINGBUF, LIVE_KEY };

static const struct argp_option live_options[] = {
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages and decode errors", 0 },
	{ "btf", LIVE_BTF, "PATH", 0, "Kernel BTF file (when /sys/kernel/btf/vmlinux is missing)", 0 },
	{ "no-fentry", LIVE_NO_FENTRY, NULL, 0, "Use kprobes, not fentry/fexit", 0 },
	{ "ringbuf-size", LIVE_RINGBUF, "BYTES", OPTION_HIDDEN, "Ring buffer size (tests)", 0 },
	{ "domain-key", LIVE_KEY, "KEY", OPTION_HIDDEN, "Domain id hash key (tests)", 0 },
	{},
};

static error_t live_parse(int key, char *arg, struct argp_state *state)
{
	struct live_opts *o = state->input;
	unsigned long long v;
	char *end;

	switch (key) {
	case 'd':
		o->duration = cli_seconds(state, "duration", arg);
		break;
	case 'v':
		o->verbose = true;
		break;
	case LIVE_BTF:
		o->btf = cli_readable(state, "btf", arg);
		break;
	case LIVE_NO_FENTRY:
		o->no_fentry = true;
		break;
	case LIVE_RINGBUF:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
			argp_error(state, "invalid --ringbuf-size '%s': want a power of 2 from 4096", arg);
		o->ringbuf_size = v;
		break;
	case LIVE_KEY:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || *arg == '-')
			argp_error(state, "invalid --domain-key '%s': want a 64-bit number", arg);
		o->cfg.domain_key = v;
		o->have_key = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp live_argp = { live_options, live_parse, NULL, NULL, NULL, NULL, NULL };
