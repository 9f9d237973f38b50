// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report as a Chrome/Perfetto trace (Trace Event Format; docs/report.md):
 * a sink that writes each event and finding as the recording replays,
 * holding nothing but the names of the processes and threads it has
 * written; its close writes the document's end (user/report/internal.h).
 */
#include <errno.h>
#include "check/rules.h"
#include "lib/jsonw.h"
#include "lib/util.h"
#include "report/internal.h"

static struct report *report_of(struct sink *s)
{
	return container_of(s, struct report, chrome.sink);
}

/* The first failure sticks: nothing is written after it. */
static int ct_fail(struct report_chrome *ct, int err)
{
	if (err && !ct->err)
		ct->err = err;
	return ct->err;
}

/* A failed write: the output's error. */
static void ct_write_failed(struct report *r)
{
	ct_fail(&r->chrome, output_check(r->out) ?: -EIO);
}

/* Microseconds with nanosecond precision: "12.345". */
static json_object *ct_us(__u64 ns)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
	return json_object_new_double_s(ns / 1e3, b);
}

static void ct_begin(struct report *r)
{
	struct report_chrome *ct = &r->chrome;

	if (ct->open || ct->err)
		return;
	ct->open = true;
	if (fputs("{\"traceEvents\":[\n", r->out->f) < 0)
		ct_write_failed(r);
}

/* Write one event (taking o) with the comma the previous one needs. */
static void ct_write(struct report *r, json_object *o)
{
	struct report_chrome *ct = &r->chrome;

	if (!o) {
		ct_fail(ct, -ENOMEM);
		return;
	}
	ct_begin(r);
	if (!ct->err) {
		if (fprintf(r->out->f, "%s%s", ct->n ? ",\n" : "",
			    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
			ct_write_failed(r);
		else
			ct->n++;
	}
	json_object_put(o);
}

/* A new event: "name", "cat" (unless NULL), "ph"; NULL when out of memory. */
static json_object *ct_new(const char *name, const char *cat, const char *ph)
{
	json_object *o = json_object_new_object();

	if (o) {
		jw_str(o, "name", name);
		if (cat)
			jw_str(o, "cat", cat);
		jw_str(o, "ph", ph);
	}
	return o;
}

static void ct_meta(struct report *r, const char *what, __u32 pid, __u32 tid, const char *name)
{
	json_object *o = ct_new(what, NULL, "M"), *args = json_object_new_object();

	if (!o || !args) {
		json_object_put(o);
		json_object_put(args);
		ct_write(r, NULL);
		return;
	}
	jw_int(o, "pid", pid);
	jw_int(o, "tid", tid);
	jw_str(args, "name", name);
	jw_obj(o, "args", args);
	ct_write(r, o);
}

/* Name each process and thread once (keys: tgid + 1, pid + 1 << 32). */
static void ct_name(struct report *r, const struct itr_hdr *h)
{
	struct htab *pids = &r->chrome.pids;
	__u64 kp = (__u64)h->tgid + 1, kt = ((__u64)h->pid + 1) << 32;
	char comm[ITR_COMM_LEN];

	report_comm(comm, h);
	if (!htab_get(pids, kp)) {
		if (htab_put(pids, kp, (void *)1))
			ct_fail(&r->chrome, -ENOMEM);
		ct_meta(r, "process_name", h->tgid, h->tgid, comm);
	}
	if (!htab_get(pids, kt)) {
		if (htab_put(pids, kt, (void *)1))
			ct_fail(&r->chrome, -ENOMEM);
		ct_meta(r, "thread_name", h->tgid, h->pid, comm);
	}
}

static int ct_event(struct sink *s, const struct itr_event *ev)
{
	struct report *r = report_of(s);
	const struct itr_hdr *h = ev->h;
	const char *name = kind_name(ev->kind);
	__u64 lat, start, end = h->ts_ns;
	bool complete = report_call(ev, &lat);
	json_object *o;
	char b[32];

	if (ct_fail(&r->chrome, r->p.err))	/* the sums failed */
		return r->chrome.err;
	if (ev->kind == ITR_EV_IOCTL) {
		if (ev->io.desc) {
			name = ev->io.desc->name;
		} else {
			snprintf(b, sizeof(b), "ioctl 0x%08x", ev->ioctl->cmd);
			name = b;
		}
	}
	ct_name(r, h);
	/* records come at the exit: a call began latency_ns earlier; nothing before t0 */
	start = lat < end ? end - lat : 0;
	if (start < r->t0_ns)
		start = r->t0_ns;
	if (end < start)
		end = start;
	o = ct_new(name ?: "unknown", kind_name(ev->kind) ?: "unknown", complete ? "X" : "i");
	if (o) {
		jw_obj(o, "ts", ct_us(start - r->t0_ns));
		if (complete)
			jw_obj(o, "dur", ct_us(end - start));
		else
			jw_str(o, "s", "t");
		jw_int(o, "pid", h->tgid);
		jw_int(o, "tid", h->pid);
		jw_obj(o, "args", json_event_object(ev));
	}
	ct_write(r, o);
	return r->chrome.err;
}

/* A finding: a global instant at the time of the event that made it true. */
static int ct_finding(struct sink *s, const struct finding *f)
{
	struct report *r = report_of(s);
	json_object *o = ct_new(rule_table[f->rule].id, "finding", "i");

	if (o) {
		jw_str(o, "s", "g");
		jw_obj(o, "ts", ct_us(f->ev_ts_ns > r->t0_ns ? f->ev_ts_ns - r->t0_ns : 0));
		jw_int(o, "pid", 0);
		jw_int(o, "tid", 0);
		jw_obj(o, "args", finding_json(f));
	}
	ct_write(r, o);
	return r->chrome.err;
}

/* The document's end; what the report knows goes in otherData. */
static int ct_close(struct sink *s)
{
	struct report *r = report_of(s);
	json_object *o;

	ct_fail(&r->chrome, r->p.err);
	ct_begin(r);
	o = report_json_recording(r);
	if (!o)
		return ct_fail(&r->chrome, -ENOMEM);
	if (!r->chrome.err && fprintf(r->out->f, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":%s}\n",
				      json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		ct_write_failed(r);
	json_object_put(o);
	return r->chrome.err;
}

static const struct sink_ops chrome_ops = {
	.name = "chrome-trace",
	.event = ct_event,
	.finding = ct_finding,
	.close = ct_close,
};

struct sink *report_chrome_init(struct report_chrome *ct)
{
	*ct = (struct report_chrome){ .sink.ops = &chrome_ops };
	return &ct->sink;
}

void report_chrome_fini(struct report_chrome *ct)
{
	htab_fini(&ct->pids);
}
