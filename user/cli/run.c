// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Wiring a source to the pipeline (user/cli/run.h). */
#include <argp.h>
#include <errno.h>
#include <sys/socket.h>
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/httpd.h"
#include "lib/log.h"

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

static void on_loaded(void *arg, const struct loader *l)
{
	struct live_wiring *w = arg;

	if (w->m)
		metrics_set_loader(w->m, l);
}

static int run_live(struct live_opts *o, struct live_wiring *w, struct itr_counters *final,
		    bool *final_ok)
{
	struct live_ops ops = { w->started ? on_started : NULL, on_record, on_lost, on_tick, w,
				on_loaded };

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
