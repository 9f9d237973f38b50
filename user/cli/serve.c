// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace serve: the Prometheus exporter alone. The live source runs
 * through the pipeline with the model on (findings, live mappings) into
 * the metrics sink only; scrapes read the in-kernel counters at that
 * moment (sink/metrics.c, lib/httpd.c; docs/metrics.md).
 */
#include <argp.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/run.h"
#include "pipeline.h"

enum { OPT_METRICS = 'm' };

static struct {
	struct live_opts live;
	const char *addr;
} env;

static const char doc[] =
	"Serve Prometheus metrics (text format 0.0.4, or OpenMetrics when the scraper\n"
	"asks for it) on GET /metrics: exact per-CPU counts of IOMMU operations, bytes,\n"
	"latency and size histograms counted in the kernel, findings by rule and\n"
	"severity, losses, probe states (docs/metrics.md). Binds " METRICS_DEFAULT_ADDR " by\n"
	"default. Runs until Ctrl-C, SIGTERM or --duration.\n"
	"\n"
	"USAGE: iommutrace serve [--metrics [HOST:]PORT] [-d SEC] [FILTERS]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace serve                      # http://127.0.0.1:8739/metrics\n"
	"    iommutrace serve --metrics 0.0.0.0:8739\n"
	"    curl -s localhost:8739/metrics | grep iommutrace_operations_total\n";

static const struct argp_option opts[] = {
	{ "metrics", OPT_METRICS, "ADDR", 0,
	  "Listen on [HOST:]PORT or [IPV6]:PORT (default " METRICS_DEFAULT_ADDR ")", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.live.cfg;
		break;
	case OPT_METRICS:
		if (cli_metrics_addr_check(arg, state))
			return EINVAL;
		env.addr = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		return EINVAL;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_serve(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters (--pid, --comm, --cgroup also narrow the statistics):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct pipeline_opts po = { .model = true };
	struct pipeline p;
	struct metrics m;
	int err;

	memset(&env, 0, sizeof(env));
	env.addr = METRICS_DEFAULT_ADDR;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	po.mo.all_domains = env.live.cfg.all_domains;
	po.verbose = env.live.verbose;
	err = pipeline_init(&p, &po);
	if (err)
		return 1;
	pipeline_add_sink(&p, metrics_init(&m, itr_version, &p.model, &p.checker));
	cli_snapshot(&p, env.live.sysfs_root);
	err = cli_run_live_metrics(&env.live, &p, "Exporting metrics... Hit Ctrl-C to end.",
				   env.addr, &m);
	err = pipeline_close(&p) ?: err;
	pipeline_fini(&p);
	metrics_fini(&m);
	return err ? 1 : 0;
}
