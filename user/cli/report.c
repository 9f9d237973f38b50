// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace report: a recording replayed into the report (user/report/),
 * printed to stdout or --output. Formats: docs/report.md.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "lib/log.h"
#include "report/report.h"

static struct {
	const char *file;
	const char *output;
	enum report_format fmt;
	int top;
} env;

static const char doc[] =
	"Replay a recording made by 'iommutrace record' through the model and sum\n"
	"it up: the recording (kernel, duration, events, losses), each domain (maps,\n"
	"unmaps, bytes, live mappings at the end), each device, the processes that\n"
	"map most, log2 histograms of map latency, map size and ioctl latency, and\n"
	"the checker's findings. As text, as one JSON document (--format json), or\n"
	"as a Chrome/Perfetto trace (--format chrome-trace: open it in\n"
	"ui.perfetto.dev or chrome://tracing). A damaged recording is reported up\n"
	"to the damage, then the error (exit 1). Formats: docs/report.md.\n"
	"\n"
	"USAGE: iommutrace report FILE [-f text|json|chrome-trace] [-o OUT] [-n N]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace report vm.itr                             # text report\n"
	"    iommutrace report vm.itr --format json -o vm.json    # one JSON document\n"
	"    iommutrace report vm.itr --format chrome-trace -o vm.trace.json\n"
	"    iommutrace report vm.itr --top 3                     # 3 busiest mappers\n";

static const struct argp_option opts[] = {
	{ "format", 'f', "FORMAT", 0, "text (default), json or chrome-trace", 0 },
	{ "output", 'o', "OUT", 0, "Write the report to OUT instead of stdout", 0 },
	{ "top", 'n', "N", 0, "Show the N processes that map most (default 10; 0: all)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;
	long v;

	switch (key) {
	case 'f':
		if (report_format_parse(arg, &env.fmt))
			argp_error(state, "invalid --format '%s': want text, json or chrome-trace", arg);
		break;
	case 'o':
		env.output = cli_output(state, arg);
		break;
	case 'n':
		errno = 0;
		v = strtol(arg, &end, 10);
		if (errno || end == arg || *end || v < 0 || v > 1000000)
			argp_error(state, "invalid --top '%s': want a number from 0 (all)", arg);
		env.top = v;
		break;
	case ARGP_KEY_ARG:
		if (env.file)
			argp_error(state, "unexpected argument '%s'", arg);
		env.file = arg;
		break;
	case ARGP_KEY_END:
		if (!env.file)
			argp_error(state, "missing FILE: the recording to report on");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, "FILE", doc, NULL, NULL, NULL };
	struct replay_result res;
	struct output out;
	int err;

	memset(&env, 0, sizeof(env));
	env.top = 10;
	if (cli_parse(&argp, argc, argv))
		return 2;
	if (access(env.file, R_OK)) {
		log_err("cannot read recording '%s': %s", env.file, strerror(errno));
		return 1;
	}
	if (cli_output_open(&out, env.output, (const char *const[]){ env.file, NULL }))
		return 1;
	err = report_run(env.file, env.fmt, &out, env.top, &res);
	if (err && err != out.err)	/* a write's failure is cli_output_close()'s to judge */
		log_err("%s", res.why[0] ? res.why : strerror(-err));
	else if (!err && res.why[0])
		log_warn("%s", res.why);
	return cli_output_close(&out, err) ? 1 : 0;
}
