// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace report (user/report/report.h; formats: docs/report.md): a
 * recording replayed through the pipeline into the sums' sink and, for
 * chrome-trace, the stream's sink; then printed in the format asked for.
 */
#include <errno.h>
#include <string.h>
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

static int on_replayed(void *arg, const struct itr_event *ev)
{
	struct report *r = arg;

	r->header_ok = true;
	r->records++;
	if (!r->have_t0)
		set_t0(r, ev);
	return pipeline_event(&r->p, ev);
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
	struct replay_ops ops = { on_snapshot, NULL, r, on_replayed };

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
