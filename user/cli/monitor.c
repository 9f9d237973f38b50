// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace monitor: live events and the findings they cause, as they
 * happen: the sysfs snapshot, then the live source (source/live.c) through
 * the pipeline (user/pipeline.c) with the model on, into a stream sink.
 */
#include <argp.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/clock.h"
#include "pipeline.h"

enum { OPT_FINDINGS_ONLY = 'F', OPT_METRICS = 0x100 };

static struct {
	struct live_opts live;
	struct cli_fmt fmt;	/* --json, --output */
	bool findings_only;
	const char *metrics;	/* serve metrics on this address; NULL: no */
} env;

static const char doc[] =
	"Watch the IOMMU, VFIO and iommufd layers live: every event, and a finding\n"
	"(rule, severity, objects, first event) the moment the model sees the kernel's\n"
	"pieces disagree (rules: docs/findings.md). Starts from a sysfs snapshot, so a\n"
	"monitor started after setup knows the groups; it says what it knows only from\n"
	"that. Runs until Ctrl-C, SIGTERM or --duration; a summary goes to stderr.\n"
	"\n"
	"USAGE: iommutrace monitor [--json] [-F] [-o FILE] [-d SEC] [FILTERS]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace monitor                  # events and findings until Ctrl-C\n"
	"    iommutrace monitor -F               # findings only\n"
	"    iommutrace monitor --json -d 60 -o mon.json\n"
	"    iommutrace monitor --all-domains    # check the DMA API's mappings too\n"
	"    iommutrace monitor -F --metrics 8739  # and serve Prometheus metrics\n";

static const struct argp_option opts[] = {
	{ "findings-only", OPT_FINDINGS_ONLY, NULL, 0, "Print findings, not events", 0 },
	{ "metrics", OPT_METRICS, "ADDR", 0,
	  "Also serve Prometheus metrics on [HOST:]PORT (docs/metrics.md)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.live.cfg;
		state->child_inputs[2] = &env.fmt;
		break;
	case OPT_FINDINGS_ONLY:
		env.findings_only = true;
		break;
	case OPT_METRICS:
		if (cli_metrics_addr_check(arg, state))
			return EINVAL;
		env.metrics = arg;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_monitor(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters (what they drop, the model does not see):", 0 },
		{ &output_argp, 0, "Output (JSON lines: events as in trace, findings with \"type\":\"finding\"):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct pipeline_opts po = { .model = true };
	struct stream_sink ss;
	struct output out;
	struct pipeline p;
	struct metrics m = {};
	int err;

	memset(&env, 0, sizeof(env));
	if (cli_parse(&argp, argc, argv))
		return 2;
	if (cli_output_open(&out, env.fmt.output, (const char *const[]){ env.live.btf, NULL }))
		return 1;
	po.mo.all_domains = env.live.cfg.all_domains;
	po.verbose = env.live.verbose;
	err = pipeline_init(&p, &po);
	if (!err) {
		pipeline_add_sink(&p, stream_sink_init(&ss, &out, env.fmt.json ? STREAM_JSON : STREAM_TEXT,
						      now_ns(), !env.findings_only, true));
		cli_snapshot(&p, env.live.sysfs_root);
		pipeline_snapshot_note(&p, stderr);
		if (env.metrics) {
			pipeline_add_sink(&p, metrics_init(&m, itr_version, &p.model, &p.checker));
			err = cli_run_live_metrics(&env.live, &p, "Monitoring IOMMU events... Hit Ctrl-C to end.",
						   env.metrics, &m);
		} else {
			err = cli_run_live(&env.live, &p, "Monitoring IOMMU events... Hit Ctrl-C to end.",
					   NULL, NULL);
		}
		err = pipeline_close(&p) ?: err;
	}
	err = cli_output_close(&out, err);
	pipeline_summary(&p, stderr);
	pipeline_fini(&p);
	if (env.metrics)
		metrics_fini(&m);
	return err ? 1 : 0;
}
