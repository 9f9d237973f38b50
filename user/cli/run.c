// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Wiring a source to the pipeline (user/cli/run.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/run.h"
#include "lib/log.h"

struct live_wiring {
	struct pipeline *p;
	const char *started;
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

int cli_run_live(struct live_opts *o, struct pipeline *p, const char *started,
		 struct itr_counters *final, bool *final_ok)
{
	struct live_wiring w = { p, started };
	/* only the model's runs ask the kernel: its program pins the shim while loaded */
	struct live_ops ops = { started ? on_started : NULL, on_record, on_lost, on_tick, &w,
				p->o.model ? on_kview : NULL };

	return live_run(o, &ops, final, final_ok);
}

void cli_snapshot(struct pipeline *p, const char *root)
{
	int err = model_snapshot(&p->model, root);

	if (err && err != -ENOENT)
		log_err("failed to read the sysfs snapshot: %s", strerror(-err));
}
