// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace monitor: live events and the findings they cause, as they
 * happen: the sysfs snapshot, then the live source (user/live.c) through
 * the decoder -> model -> checker pipeline (user/pipeline.c).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "source/filter.h"
#include "source/live.h"
#include "pipeline.h"

enum { OPT_FINDINGS_ONLY = 'F', OPT_SYSFS = 0x400 };

static struct {
	struct live_opts live;
	const char *output;
	const char *sysfs;
	bool json;
	bool findings_only;
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
	"    iommutrace monitor --all-domains    # check the DMA API's mappings too\n";

static const struct argp_option opts[] = {
	{ "json", 'j', NULL, 0, "JSON lines: events as in trace, findings with \"type\":\"finding\"", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE instead of stdout", 0 },
	{ "findings-only", OPT_FINDINGS_ONLY, NULL, 0, "Print findings, not events", 0 },
	{ "sysfs-root", OPT_SYSFS, "DIR", OPTION_HIDDEN, "Read the snapshot under DIR (tests)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.live.cfg;
		break;
	case 'j':
		env.json = true;
		break;
	case 'o':
		env.output = cli_output(state, arg);
		break;
	case OPT_FINDINGS_ONLY:
		env.findings_only = true;
		break;
	case OPT_SYSFS:
		env.sysfs = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void on_started(void *arg)
{
	(void)arg;
	fprintf(stderr, "Monitoring IOMMU events... Hit Ctrl-C to end.\n");
}

int cmd_monitor(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters (what they drop, the model does not see):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct live_ops ops = { on_started, pipeline_record, pipeline_lost, pipeline_tick, NULL };
	struct model_opts mo = {};
	struct pipeline p;
	FILE *out;
	int err;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	out = env.output ? fopen(env.output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "cannot open --output '%s': %s\n", env.output, strerror(errno));
		return 1;
	}
	mo.all_domains = env.live.cfg.all_domains;
	pipeline_init(&p, &mo);
	p.out = out;
	p.json = env.json;
	p.events = !env.findings_only;
	p.findings = true;
	p.t0_ns = p.text.t0_ns = cli_now_ns();
	p.text.f = out;
	p.verbose = env.live.verbose;
	ops.arg = &p;
	err = model_snapshot(&p.model, env.sysfs);
	if (err && err != -ENOENT)
		fprintf(stderr, "failed to read the sysfs snapshot: %s\n", strerror(-err));
	pipeline_snapshot_note(&p, stderr);
	err = live_run(&env.live, &ops, NULL, NULL);
	if (p.werr && p.werr != EPIPE)
		fprintf(stderr, "failed to write %s: %s\n", env.output ?: "stdout", strerror(p.werr));
	else if (p.werr == EPIPE)
		err = 0;
	pipeline_summary(&p, stderr);
	pipeline_fini(&p);
	if (out != stdout && fclose(out) && !err) {
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(errno));
		err = -EIO;
	}
	return err ? 1 : 0;
}
