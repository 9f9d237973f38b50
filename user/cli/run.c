// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Wiring a source to the pipeline (user/cli/run.h). */
#include <argp.h>
#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/httpd.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "source/replay.h"

struct live_wiring {
	struct pipeline *p;
	const char *started;
	struct metrics *m;	/* served meanwhile; NULL: none */
};

static void on_started(void *arg)
{
	fprintf(stderr, "%s\n", ((struct live_wiring *)arg)->started);
}

static int on_record(void *arg, const void *data, size_t size)
{
	return pipeline_record(((struct live_wiring *)arg)->p, data, size);
}

static void on_lost(void *arg, __u64 n, __u64 now)
{
	pipeline_lost(((struct live_wiring *)arg)->p, n, now);
}

static int on_tick(void *arg)
{
	return pipeline_tick(((struct live_wiring *)arg)->p);
}

static void on_kview(void *arg, int (*query)(void *query_arg, struct itr_kview *q), void *query_arg)
{
	struct pipeline *p = ((struct live_wiring *)arg)->p;

	if (p->o.model)
		checker_set_kview(&p->checker, query, query_arg);
}

static void on_loaded(void *arg, const struct loader *l)
{
	struct live_wiring *w = arg;

	if (w->m)
		metrics_set_loader(w->m, l);
}

static int run_live(struct live_opts *o, struct live_wiring *w, struct itr_counters *final,
		    bool *final_ok)
{
	/* only the model's runs ask the kernel: its program pins the shim while loaded */
	struct live_ops ops = { w->started ? on_started : NULL, on_record, on_lost, on_tick, w,
				on_loaded, w->p->o.model ? on_kview : NULL };

	return live_run(o, &ops, final, final_ok);
}

int cli_run_live(struct live_opts *o, struct pipeline *p, const char *started,
		 struct itr_counters *final, bool *final_ok)
{
	struct live_wiring w = { p, started, NULL };

	return run_live(o, &w, final, final_ok);
}

int cli_run_live_metrics(struct live_opts *o, struct pipeline *p, const char *started,
			 const char *addr, struct metrics *m)
{
	struct live_wiring w = { p, started, m };
	struct httpd *h;
	int err;

	h = httpd_start(addr, METRICS_DEFAULT_HOST, "/metrics", metrics_http_render, m);
	if (!h)
		return -errno;
	fprintf(stderr, "Serving metrics on %s (port %u): GET /metrics\n", addr, httpd_port(h));
	err = run_live(o, &w, NULL, NULL);
	httpd_stop(h);
	return err;
}

int cli_metrics_addr_check(const char *addr, struct argp_state *state)
{
	struct sockaddr_storage sa;
	char why[96];

	if (!httpd_parse_addr(addr, METRICS_DEFAULT_HOST, &sa, why, sizeof(why)))
		return 0;
	argp_error(state, "invalid --metrics '%s': %s", addr, why);
	return -EINVAL;
}

void cli_snapshot(struct pipeline *p, const char *root)
{
	int err = model_snapshot(&p->model, root);

	if (err && err != -ENOENT)
		log_err("failed to read the sysfs snapshot: %s", strerror(-err));
}

/* --- a recording, paced ---------------------------------------------------------- */

struct replay_wiring {
	struct pipeline *p;
	double speed;		/* 0: as fast as possible */
	__u64 rec0_ns, wall0_ns;	/* the first record's time, and when it was replayed */
	__u64 next_tick;
	int err;
};

#define REPLAY_TICK_NS 100000000ULL

static int replay_tick_due(struct replay_wiring *w)
{
	__u64 now = now_ns();

	if (now < w->next_tick)
		return 0;
	w->next_tick = now + REPLAY_TICK_NS;
	return pipeline_tick(w->p);
}

static int on_replay_record(void *arg, const void *data, size_t size)
{
	struct replay_wiring *w = arg;
	const struct itr_hdr *h = data;
	__u64 due, now;
	int err;

	if (stop_requested)
		return -ECANCELED;
	if (w->speed > 0 && size >= sizeof(*h)) {
		if (!w->rec0_ns) {
			w->rec0_ns = h->ts_ns;
			w->wall0_ns = now_ns();
		}
		due = w->wall0_ns + (__u64)((h->ts_ns > w->rec0_ns ? h->ts_ns - w->rec0_ns : 0) / w->speed);
		while ((now = now_ns()) < due && !stop_requested) {
			__u64 nap = due - now < REPLAY_TICK_NS ? due - now : REPLAY_TICK_NS;
			struct timespec ts = { nap / 1000000000ULL, nap % 1000000000ULL };

			nanosleep(&ts, NULL);
			if ((err = replay_tick_due(w)))
				return err;
		}
	}
	if ((err = pipeline_record(w->p, data, size)))
		return err;
	return replay_tick_due(w);
}

static int on_replay_snapshot(void *arg, const char *json, size_t len)
{
	return pipeline_snapshot(((struct replay_wiring *)arg)->p, json, len);
}

int cli_run_replay(const char *path, double speed, struct pipeline *p, char *why, size_t whylen)
{
	struct replay_wiring w = { .p = p, .speed = speed };
	struct replay_ops ops = { on_replay_snapshot, on_replay_record, &w, NULL };
	struct replay_result res;
	int err;

	catch_stop_signals();
	err = replay_run(path, &ops, &res);
	if (err == -ECANCELED && stop_requested)
		err = 0;
	if (res.counters_ok && res.counters.v[ITR_CNT_LOST])
		pipeline_lost(p, res.counters.v[ITR_CNT_LOST], 0);
	if (why)
		snprintf(why, whylen, "%s", res.why);
	return pipeline_tick(p) ?: err;
}
