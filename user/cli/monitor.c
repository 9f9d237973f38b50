// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace monitor: live events and the findings they cause, as they
 * happen: the sysfs snapshot, then the live source (source/live.c) through
 * the pipeline (user/pipeline.c) with the model on, into a stream sink.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "pipeline.h"
#include "sink/tui.h"

enum { OPT_FINDINGS_ONLY = 'F', OPT_METRICS = 0x100, OPT_PLAIN = 0x600, OPT_REPLAY, OPT_SPEED };

static struct {
	struct live_opts live;
	struct cli_fmt fmt;	/* --json, --output */
	bool findings_only;
	const char *metrics;	/* serve metrics on this address; NULL: no */
	bool plain;
	const char *replay;	/* a recording instead of the kernel */
	double speed;		/* of the replay: 1 recorded, 0 as fast as possible */
	bool speed_set;
} env;

static const char doc[] =
	"Watch the IOMMU, VFIO and iommufd layers live: every event, and a finding\n"
	"(rule, severity, objects, first event) the moment the model sees the kernel's\n"
	"pieces disagree (rules: docs/findings.md). Starts from a sysfs snapshot, so a\n"
	"monitor started after setup knows the groups; it says what it knows only from\n"
	"that. Runs until Ctrl-C, SIGTERM or --duration; a summary goes to stderr.\n"
	"On a terminal it is a live view (devices, domains, rates, findings newest\n"
	"first, losses; keys: q quit, p pause, d device filter, c process filter, a\n"
	"all); piped, with --plain, --json or -o, one line per event or finding.\n"
	"--replay FILE plays a recording (no root needed) at its recorded speed.\n"
	"\n"
	"USAGE: iommutrace monitor [--plain | --json] [-F] [-o FILE] [-d SEC] [FILTERS]\n"
	"       iommutrace monitor --replay FILE [--speed X] [--plain | --json] [-F]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace monitor                  # the live view until q or Ctrl-C\n"
	"    iommutrace monitor -F --plain       # findings only, as lines\n"
	"    iommutrace monitor --json -d 60 -o mon.json\n"
	"    iommutrace monitor --all-domains    # check the DMA API's mappings too\n"
	"    iommutrace monitor --replay vm.itr --speed 0   # a recording, at once\n"
	"    iommutrace monitor -F --metrics 8739  # and serve Prometheus metrics\n";

static const struct argp_option opts[] = {
	{ "findings-only", OPT_FINDINGS_ONLY, NULL, 0, "Print findings, not events", 0 },
	{ "plain", OPT_PLAIN, NULL, 0, "Lines, not the live view, even on a terminal", 0 },
	{ "replay", OPT_REPLAY, "FILE", 0, "Play the recording FILE instead of the kernel", 0 },
	{ "speed", OPT_SPEED, "X", 0, "Replay X times the recorded speed (default 1; 0: as fast as possible)", 0 },
	{ "metrics", OPT_METRICS, "ADDR", 0,
	  "Also serve Prometheus metrics on [HOST:]PORT (docs/metrics.md)", 0 },
	{},
};

/* --speed X: a number >= 0. */
static double parse_speed(struct argp_state *state, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0) || v > 1e6)
		argp_error(state, "invalid --speed '%s': want a factor >= 0 (0: as fast as possible)", arg);
	return v;
}

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
	case OPT_PLAIN:
		env.plain = true;
		break;
	case OPT_REPLAY:
		env.replay = cli_readable(state, "replay", arg);
		break;
	case OPT_SPEED:
		env.speed = parse_speed(state, arg);
		env.speed_set = true;
		break;
	case ARGP_KEY_END:
		if (env.replay && env.live.duration)
			argp_error(state, "--replay and --duration exclude each other");
		if (env.speed_set && !env.replay)
			argp_error(state, "--speed needs --replay FILE");
		if (env.replay && env.metrics)
			argp_error(state, "--metrics serves the kernel's counts: not with --replay");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The live view when stdout is a terminal and lines were not asked for. */
static bool want_view(void)
{
	return !env.plain && !env.fmt.json && !env.fmt.output && isatty(STDOUT_FILENO) &&
	       isatty(STDIN_FILENO);
}

/*
 * While the view has the terminal, stderr (when it is that terminal) goes
 * to a file, shown after; stderr redirected elsewhere is left alone.
 */
static int stderr_hold(void)
{
	FILE *tmp;
	int saved;

	if (!isatty(STDERR_FILENO))
		return -1;
	tmp = tmpfile();
	saved = dup(STDERR_FILENO);

	if (!tmp || saved < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0) {
		if (saved >= 0)
			close(saved);
		if (tmp)
			fclose(tmp);
		return -1;
	}
	fclose(tmp);	/* fd 2 keeps it open */
	return saved;
}

static void stderr_release(int saved)
{
	char buf[4096];
	ssize_t n;

	if (saved < 0)
		return;
	fflush(stderr);
	lseek(STDERR_FILENO, 0, SEEK_SET);
	while ((n = read(STDERR_FILENO, buf, sizeof(buf))) > 0)
		if (write(saved, buf, n) != n)
			break;
	dup2(saved, STDERR_FILENO);
	close(saved);
}

static int run_source(struct pipeline *p, struct metrics *m)
{
	static const char started[] = "Monitoring IOMMU events... Hit Ctrl-C to end.";
	char why[256] = "";
	int err;

	if (!env.replay && env.metrics)
		return cli_run_live_metrics(&env.live, p, started, env.metrics, m);
	if (!env.replay)
		return cli_run_live(&env.live, p, started, NULL, NULL);
	err = cli_run_replay(env.replay, env.speed, p, why, sizeof(why));
	if (err)
		log_err("%s", why[0] ? why : strerror(-err));
	else if (why[0])
		log_warn("%s", why);
	return err;
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
	struct tui_sink tui;
	struct sink *view = NULL;
	struct output out;
	struct pipeline p;
	struct metrics m = {};
	const char *inputs[3];
	int err, saved = -1, n_in = 0;
	char source[160];

	memset(&env, 0, sizeof(env));
	env.speed = 1;
	if (cli_parse(&argp, argc, argv))
		return 2;
	inputs[n_in] = env.live.btf, n_in += !!env.live.btf;
	inputs[n_in] = env.replay, n_in += !!env.replay;
	inputs[n_in] = NULL;
	if (cli_output_open(&out, env.fmt.output, inputs))
		return 1;
	po.mo.all_domains = env.live.cfg.all_domains;
	po.verbose = env.live.verbose;
	err = pipeline_init(&p, &po);
	if (!err) {
		if (!env.replay)
			cli_snapshot(&p, env.live.sysfs_root);
		if (want_view()) {
			saved = stderr_hold();
			snprintf(source, sizeof(source), env.replay ? "replay %s" : "live",
				 env.replay ? (strrchr(env.replay, '/') ? strrchr(env.replay, '/') + 1 : env.replay) : "");
			view = tui_sink_init(&tui, &p.model, source, env.replay != NULL);
			if (!view)
				stderr_release(saved), saved = -1;
		}
		if (view) {
			pipeline_add_sink(&p, view);
			env.live.tick_ms = 100;
		} else {
			pipeline_add_sink(&p, stream_sink_init(&ss, &out, env.fmt.json ? STREAM_JSON : STREAM_TEXT,
							      env.replay ? 0 : now_ns(), !env.findings_only, true));
		}
		if (env.metrics)
			pipeline_add_sink(&p, metrics_init(&m, itr_version, &p.model, &p.checker));
		if (!env.replay)
			pipeline_snapshot_note(&p, stderr);
		err = run_source(&p, &m);
		if (view && env.replay && !err)
			tui_sink_hold_end(&tui);
		err = pipeline_close(&p) ?: err;
		if (view)
			tui_sink_fini(&tui);
		stderr_release(saved);
	}
	err = cli_output_close(&out, err);
	pipeline_summary(&p, stderr);
	pipeline_fini(&p);
	if (env.metrics)
		metrics_fini(&m);
	return err ? 1 : 0;
}
