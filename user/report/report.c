// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace report (user/report/report.h; formats: docs/report.md): a
 * recording replayed through the pipeline into the sums' sink and, for
 * chrome-trace, the stream's sink; then printed in the format asked for.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "lib/log.h"
#include "lib/util.h"
#include "report/internal.h"

int report_format_parse(const char *s, enum report_format *out)
{
	if (!strcmp(s, "text"))
		*out = REPORT_TEXT;
	else if (!strcmp(s, "json"))
		*out = REPORT_JSON;
	else if (!strcmp(s, "chrome-trace"))
		*out = REPORT_CHROME;
	else
		return -EINVAL;
	return 0;
}

const char *report_format_str(enum report_format f)
{
	switch (f) {
	case REPORT_TEXT:	return "text";
	case REPORT_JSON:	return "json";
	case REPORT_CHROME:	return "chrome-trace";
	}
	return "?";
}

/* The sums' sink: every event counted, timed and summed (sums.c). */
static int on_event(struct sink *s, const struct itr_event *ev)
{
	struct report *r = container_of(s, struct report, sink);

	r->events++;
	r->kinds[ev->kind < ITR_EV_MAX ? ev->kind : 0]++;
	if (!r->first_ns || ev->h->ts_ns < r->first_ns)
		r->first_ns = ev->h->ts_ns;
	if (ev->h->ts_ns > r->last_ns)
		r->last_ns = ev->h->ts_ns;
	return report_sum_event(r, ev);
}

static const struct sink_ops sums_ops = {
	.name = "report",
	.event = on_event,
};

/*
 * The time origin: the recording's start (CLOCK_MONOTONIC, the records'
 * clock) when it comes before the first event began, else that beginning.
 */
static void set_t0(struct report *r, const struct itr_event *ev)
{
	__u64 lat, start;

	report_call(ev, &lat);
	start = lat < ev->h->ts_ns ? ev->h->ts_ns - lat : 0;
	r->t0_ns = r->res.mono_ns && r->res.mono_ns <= start ? r->res.mono_ns : start;
	r->have_t0 = true;
}

static int on_record(void *arg, const void *data, size_t size)
{
	struct report *r = arg;

	r->header_ok = true;
	r->records++;
	if (!r->have_t0) {
		struct itr_event ev;
		char why[160];

		if (!event_decode(data, size, &ev, why, sizeof(why)))
			set_t0(r, &ev);
	}
	return pipeline_record(&r->p, data, size);
}

static int on_snapshot(void *arg, const char *json, size_t len)
{
	struct report *r = arg;

	r->header_ok = true;
	return pipeline_snapshot(&r->p, json, len);
}

int report_init(struct report *r, enum report_format fmt, struct output *out, int top)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = pipeline_init(&r->p, &(struct pipeline_opts){ .model = true });
	if (err)
		return err;
	r->sink.ops = &sums_ops;
	pipeline_add_sink(&r->p, &r->sink);
	if (fmt == REPORT_CHROME)
		pipeline_add_sink(&r->p, report_chrome_init(&r->chrome));
	r->fmt = fmt;
	r->out = out;
	r->top = top;
	return 0;
}

int report_replay(struct report *r, const char *path)
{
	struct replay_ops ops = { on_snapshot, on_record, r };

	r->path = path;
	r->err = replay_run(path, &ops, &r->res);
	if (r->res.release[0] || r->res.mono_ns)
		r->header_ok = true;
	if (r->err && !r->res.why[0])
		snprintf(r->res.why, sizeof(r->res.why), "%s: %s", path, strerror(-r->err));
	return r->err;
}

int report_print(struct report *r)
{
	int err, ferr;

	if (!r->header_ok)	/* not a recording, or unreadable: nothing to report */
		return 0;
	switch (r->fmt) {
	case REPORT_JSON:
		err = report_json(r);
		break;
	case REPORT_CHROME:	/* the stream's end: its sink's close */
		err = pipeline_close(&r->p);
		break;
	default:
		err = report_text(r);
		break;
	}
	ferr = output_flush(r->out);
	return err ?: r->p.err ?: ferr;
}

void report_fini(struct report *r)
{
	report_sums_fini(r);
	report_chrome_fini(&r->chrome);
	pipeline_fini(&r->p);
}

int report_run(const char *path, enum report_format fmt, struct output *out, int top,
	       struct replay_result *res)
{
	struct report r;
	int err, perr;

	err = report_init(&r, fmt, out, top);
	if (err) {
		if (res) {
			memset(res, 0, sizeof(*res));
			snprintf(res->why, sizeof(res->why), "out of memory");
		}
		return err;
	}
	err = report_replay(&r, path);
	perr = report_print(&r);
	if (!err && perr) {
		err = perr;
		snprintf(r.res.why, sizeof(r.res.why), "failed to write the report: %s", strerror(-perr));
	}
	if (res)
		*res = r.res;
	report_fini(&r);
	return err;
}

/* --- the command ------------------------------------------------------------ */

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
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (access(env.file, R_OK)) {
		log_err("cannot read recording '%s': %s", env.file, strerror(errno));
		return 1;
	}
	if (cli_output_open(&out, env.output))
		return 1;
	err = report_run(env.file, env.fmt, &out, env.top, &res);
	if (err && err != out.err)	/* a write's failure is cli_output_close()'s to judge */
		log_err("%s", res.why[0] ? res.why : strerror(-err));
	else if (!err && res.why[0])
		log_warn("%s", res.why);
	return cli_output_close(&out, err) ? 1 : 0;
}
