// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace report: a recording replayed through the pipeline and summed
 * up (user/report.h; formats: docs/report.md). Sums are kept here, keyed
 * by domain id and by process, because the model forgets freed domains;
 * the chrome-trace output is written as events replay, never held.
 */
#include <argp.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "event/counters.h"
#include "lib/fmt.h"
#include "lib/util.h"
#include "check/rules.h"
#include "report/report.h"
#include "sink/sink.h"

/* --- small things ------------------------------------------------------- */

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

int report_hist_slot(__u64 v)
{
	return v > 1 ? 63 - __builtin_clzll(v) : 0;
}

void report_hist_add(struct report_hist *h, __u64 v)
{
	h->slot[report_hist_slot(v)]++;
	if (!h->count || v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
	h->count++;
	h->sum += v;
}

/* "d:55667788": the low 32 bits, as the text sink prints a domain. */



/* A NUL-terminated copy of a fixed-size header string. */
static void hdr_str(char *dst, const char *src, size_t len)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

static bool is_map(unsigned int k)
{
	return k == ITR_EV_MAP || k == ITR_EV_MAP_SG;
}

static bool is_unmap(unsigned int k)
{
	return k == ITR_EV_UNMAP || k == ITR_EV_UNMAP_FAST;
}

/* --- sums ----------------------------------------------------------------- */

const struct report_domain *report_domain_find(const struct report *r, __u64 id)
{
	return id ? htab_get(&r->domains, htab_key(id)) : NULL;
}

static struct report_domain *dom_get(struct report *r, __u64 id)
{
	struct report_domain *d = (struct report_domain *)report_domain_find(r, id);

	if (d || !id)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->id = id;
	d->seq = r->ndomains;
	d->type = ITR_DOM_UNKNOWN;
	if (htab_put(&r->domains, htab_key(id), d)) {
		free(d);
		return NULL;
	}
	r->ndomains++;
	return d;
}

static void dom_add_dev(struct report_domain *d, const char *name)
{
	int i;

	for (i = 0; i < d->ndevs; i++)
		if (!strcmp(d->devs[i], name))
			return;
	if (d->ndevs < REPORT_MAX_DEVS)
		snprintf(d->devs[d->ndevs++], ITR_DEV_LEN, "%s", name);
}

/* Copy what the model knows of a live domain: its groups and devices now. */
static void dom_refresh(struct report *r, struct report_domain *d)
{
	const struct model *m = &r->p.model;
	const struct m_domain *md = d ? domain_find(m, d->id) : NULL;
	const struct m_device *dev;
	size_t pos = 0;
	int i;

	if (!md)
		return;
	if (md->type != ITR_DOM_UNKNOWN)
		d->type = md->type;
	if (md->hwpt_id)
		d->hwpt_id = md->hwpt_id;
	d->ngroups = md->ngroups < REPORT_MAX_GROUPS ? md->ngroups : REPORT_MAX_GROUPS;
	memcpy(d->groups, md->groups, d->ngroups * sizeof(d->groups[0]));
	d->ndevs = 0;
	while ((dev = htab_next(&m->devices, &pos, NULL))) {
		bool on = dev->domain_id == d->id;

		for (i = 0; i < dev->npasids && !on; i++)
			on = dev->pasids[i].domain_id == d->id;
		if (on)
			dom_add_dev(d, dev->name);
	}
}

static struct report_proc *proc_get(struct report *r, const struct itr_hdr *h)
{
	char comm[ITR_COMM_LEN];
	struct report_proc *p;
	__u64 k;

	hdr_str(comm, h->comm, sizeof(comm));
	k = htab_str(comm) ^ ((__u64)h->tgid * 0x9e3779b97f4a7c15ULL);
	for (;; k++) {	/* a hash collision moves on to the next key */
		p = htab_get(&r->procs, htab_key(k));
		if (!p)
			break;
		if (p->tgid == h->tgid && !strcmp(p->comm, comm))
			return p;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->tgid = h->tgid;
	memcpy(p->comm, comm, sizeof(comm));
	if (htab_put(&r->procs, htab_key(k), p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int sum_event(struct report *r, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct report_domain *d = NULL;
	struct report_proc *p;

	if (h->domain_id && !(d = dom_get(r, h->domain_id)))
		return -ENOMEM;
	if (d && h->domain_type != ITR_DOM_UNKNOWN && ev->kind != ITR_EV_IOCTL)
		d->type = h->domain_type;
	switch (ev->kind) {
	case ITR_EV_DOMAIN_ALLOC:
		if (d && !h->ret) {
			d->alloc_seen = true;
			d->freed = false;
		}
		break;
	case ITR_EV_DOMAIN_FREE:
		if (d)
			d->freed = true;
		break;
	case ITR_EV_ATTACH ... ITR_EV_PASID_REPLACE:
		dom_refresh(r, d);
		dom_refresh(r, (struct report_domain *)report_domain_find(r, ev->attach->old_domain_id));
		break;
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG: {
		__u64 len = ev->kind == ITR_EV_MAP_SG ? ev->map->done : ev->map->size;

		report_hist_add(&r->map_size, len);
		if (ev->map->latency_ns)
			report_hist_add(&r->map_lat, ev->map->latency_ns);
		if (!(p = proc_get(r, h)))
			return -ENOMEM;
		p->maps++;
		if (!h->ret)
			p->map_bytes += len;
		if (d) {
			d->maps++;
			if (h->ret)
				d->map_errors++;
			else
				d->bytes_mapped += len;
		}
		break;
	}
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		if (!(p = proc_get(r, h)))
			return -ENOMEM;
		p->unmaps++;
		if (!h->ret)
			p->unmap_bytes += ev->map->done;
		if (d) {
			d->unmaps++;
			if (h->ret)
				d->unmap_errors++;
			else
				d->bytes_unmapped += ev->map->done;
		}
		break;
	case ITR_EV_IOCTL:
		report_hist_add(&r->ioctl_lat, ev->ioctl->latency_ns);
		break;
	case ITR_EV_HWPT_DOMAIN:
		if (d && !h->ret)
			d->hwpt_id = ev->join->hwpt_id;
		break;
	default:
		break;
	}
	return 0;
}

/* --- chrome-trace: streamed --------------------------------------------- */

static json_object *ct_us(__u64 ns)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu.%03llu", (unsigned long long)(ns / 1000),
		 (unsigned long long)(ns % 1000));
	return json_object_new_double_s(ns / 1e3, b);
}

static void ct_begin(struct report *r)
{
	if (r->ct_open || r->werr)
		return;
	r->ct_open = true;
	if (fputs("{\"traceEvents\":[\n", r->out) < 0)
		r->werr = errno ?: EIO;
}

/* Write one event (taking o) with the comma the previous one needs. */
static void ct_write(struct report *r, json_object *o)
{
	if (!o) {
		if (!r->werr)
			r->werr = ENOMEM;
		return;
	}
	ct_begin(r);
	if (!r->werr) {
		if (fprintf(r->out, "%s%s", r->ct_n ? ",\n" : "",
			    json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
			r->werr = errno ?: EIO;
		else
			r->ct_n++;
	}
	json_object_put(o);
}

static void ct_meta(struct report *r, const char *what, __u32 pid, __u32 tid, const char *name)
{
	json_object *o = json_object_new_object(), *args = json_object_new_object();

	if (!o || !args) {
		json_object_put(o);
		json_object_put(args);
		ct_write(r, NULL);
		return;
	}
	json_object_object_add(o, "name", json_object_new_string(what));
	json_object_object_add(o, "ph", json_object_new_string("M"));
	json_object_object_add(o, "pid", json_object_new_int64(pid));
	json_object_object_add(o, "tid", json_object_new_int64(tid));
	json_object_object_add(args, "name", json_object_new_string(name));
	json_object_object_add(o, "args", args);
	ct_write(r, o);
}

/* Name each process and thread once (keys: tgid + 1, pid + 1 << 32). */
static void ct_name(struct report *r, const struct itr_hdr *h)
{
	__u64 kp = (__u64)h->tgid + 1, kt = ((__u64)h->pid + 1) << 32;
	char comm[ITR_COMM_LEN];

	hdr_str(comm, h->comm, sizeof(comm));
	if (!htab_get(&r->ct_pids, kp)) {
		if (htab_put(&r->ct_pids, kp, (void *)1))
			r->werr = r->werr ?: ENOMEM;
		ct_meta(r, "process_name", h->tgid, h->tgid, comm);
	}
	if (!htab_get(&r->ct_pids, kt)) {
		if (htab_put(&r->ct_pids, kt, (void *)1))
			r->werr = r->werr ?: ENOMEM;
		ct_meta(r, "thread_name", h->tgid, h->pid, comm);
	}
}

static void ct_event(struct report *r, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const char *name = kind_name(ev->kind);
	__u64 lat = 0, start, end = h->ts_ns;
	bool complete = false;
	json_object *o;
	char b[32];

	if (is_map(ev->kind) || is_unmap(ev->kind)) {
		lat = ev->map->latency_ns;
		complete = true;
	} else if (ev->kind == ITR_EV_IOCTL) {
		const struct ioctl_desc *d = ev->io.desc;

		lat = ev->ioctl->latency_ns;
		complete = true;
		if (d) {
			name = d->name;
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
	o = json_object_new_object();
	if (!o) {
		ct_write(r, NULL);
		return;
	}
	json_object_object_add(o, "name", json_object_new_string(name ?: "unknown"));
	json_object_object_add(o, "cat", json_object_new_string(kind_name(ev->kind) ?: "unknown"));
	json_object_object_add(o, "ph", json_object_new_string(complete ? "X" : "i"));
	json_object_object_add(o, "ts", ct_us(start - r->t0_ns));
	if (complete)
		json_object_object_add(o, "dur", ct_us(end - start));
	else
		json_object_object_add(o, "s", json_object_new_string("t"));
	json_object_object_add(o, "pid", json_object_new_int64(h->tgid));
	json_object_object_add(o, "tid", json_object_new_int64(h->pid));
	json_object_object_add(o, "args", json_event_object(ev));
	ct_write(r, o);
}

static void ct_finding(struct report *r, const struct finding *f)
{
	json_object *o = json_object_new_object();
	__u64 ts = f->ev_ts_ns > r->t0_ns ? f->ev_ts_ns - r->t0_ns : 0;

	if (!o) {
		ct_write(r, NULL);
		return;
	}
	json_object_object_add(o, "name", json_object_new_string(rule_table[f->rule].id));
	json_object_object_add(o, "cat", json_object_new_string("finding"));
	json_object_object_add(o, "ph", json_object_new_string("i"));
	json_object_object_add(o, "s", json_object_new_string("g"));
	json_object_object_add(o, "ts", ct_us(ts));
	json_object_object_add(o, "pid", json_object_new_int64(0));
	json_object_object_add(o, "tid", json_object_new_int64(0));
	json_object_object_add(o, "args", finding_json(f));
	ct_write(r, o);
}

/* --- replay ---------------------------------------------------------------- */

static int on_event(struct sink *s, const struct itr_event *ev)
{
	struct report *r = container_of(s, struct report, sink);

	r->events++;
	r->kinds[ev->kind < ITR_EV_MAX ? ev->kind : 0]++;
	if (!r->first_ns || ev->h->ts_ns < r->first_ns)
		r->first_ns = ev->h->ts_ns;
	if (ev->h->ts_ns > r->last_ns)
		r->last_ns = ev->h->ts_ns;
	if (sum_event(r, ev) && !r->werr)
		r->werr = ENOMEM;
	if (r->fmt == REPORT_CHROME)
		ct_event(r, ev);
	return 0;
}

static int on_finding(struct sink *s, const struct finding *f)
{
	struct report *r = container_of(s, struct report, sink);

	if (r->fmt == REPORT_CHROME)
		ct_finding(r, f);
	return 0;
}

static const struct sink_ops report_sink_ops = {
	.name = "report",
	.event = on_event,
	.finding = on_finding,
};

/*
 * The time origin: the recording's start (CLOCK_MONOTONIC, the records'
 * clock) when it comes before the first event began, else that beginning.
 */
static void set_t0(struct report *r, const struct itr_event *ev)
{
	__u64 lat = 0, start;

	if (is_map(ev->kind) || is_unmap(ev->kind))
		lat = ev->map->latency_ns;
	else if (ev->kind == ITR_EV_IOCTL)
		lat = ev->ioctl->latency_ns;
	start = lat < ev->h->ts_ns ? ev->h->ts_ns - lat : 0;
	r->t0_ns = r->res.mono_ns && r->res.mono_ns <= start ? r->res.mono_ns : start;
	r->have_t0 = true;
}

static int on_record(void *arg, const void *data, size_t size)
{
	struct report *r = arg;
	int err;

	r->header_ok = true;
	r->records++;
	if (!r->have_t0) {
		struct itr_event ev;
		char why[160];

		if (!event_decode(data, size, &ev, why, sizeof(why)))
			set_t0(r, &ev);
	}
	err = pipeline_record(&r->p, data, size);
	if (err)
		return err;
	return r->werr ? -r->werr : 0;
}

static int on_snapshot(void *arg, const char *json, size_t len)
{
	struct report *r = arg;

	r->header_ok = true;
	return pipeline_snapshot(&r->p, json, len);
}

int report_init(struct report *r, enum report_format fmt, FILE *out, int top)
{
	int err;

	memset(r, 0, sizeof(*r));
	err = pipeline_init(&r->p, &(struct pipeline_opts){ .model = true });
	if (err)
		return err;
	r->sink.ops = &report_sink_ops;
	pipeline_add_sink(&r->p, &r->sink);
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
		snprintf(r->res.why, sizeof(r->res.why), "%s: %s", path,
			 r->werr ? strerror(r->werr) : strerror(-r->err));
	return r->err;
}

void report_fini(struct report *r)
{
	void *v;
	size_t pos = 0;

	while ((v = htab_next(&r->domains, &pos, NULL)))
		free(v);
	pos = 0;
	while ((v = htab_next(&r->procs, &pos, NULL)))
		free(v);
	htab_fini(&r->domains);
	htab_fini(&r->procs);
	htab_fini(&r->ct_pids);
	pipeline_fini(&r->p);
}

/* --- the report's parts, sorted -------------------------------------------- */

/* Domains in order of appearance, with their state at the end; NULL, n 0 when none. */
static struct report_domain **domains_sorted(struct report *r, size_t *n)
{
	struct report_domain **a, *d;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->domains.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((d = htab_next(&r->domains, &pos, NULL))) {
		const struct m_domain *md = domain_find(&r->p.model, d->id);

		d->tracked = false;
		d->live_mappings = d->live_bytes = 0;
		if (md && !d->freed) {
			dom_refresh(r, d);
			d->tracked = domain_tracked(&r->p.model, md);
			if (d->tracked && md->maps) {
				d->live_mappings = ivset_count(md->maps);
				d->live_bytes = ivset_bytes(md->maps);
			}
		}
		if (!d->hwpt_id)
			d->hwpt_id = hwpt_of_domain(&r->p.model, d->id);
		a[i++] = d;
	}
	/* seq is unique: order of appearance */
	for (size_t j = 1; j < i; j++) {
		struct report_domain *x = a[j];
		size_t k = j;

		for (; k > 0 && a[k - 1]->seq > x->seq; k--)
			a[k] = a[k - 1];
		a[k] = x;
	}
	*n = i;
	return a;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp((*(const struct m_device *const *)a)->name,
		      (*(const struct m_device *const *)b)->name);
}

static const struct m_device **devices_sorted(const struct report *r, size_t *n)
{
	const struct m_device **a, *d;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->p.model.devices.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((d = htab_next(&r->p.model.devices, &pos, NULL)))
		a[i++] = d;
	qsort(a, i, sizeof(*a), cmp_dev);
	*n = i;
	return a;
}

/* Most map calls first, then most bytes, then by tgid and comm. */
static int cmp_proc(const void *a, const void *b)
{
	const struct report_proc *x = *(const struct report_proc *const *)a;
	const struct report_proc *y = *(const struct report_proc *const *)b;

	if (x->maps != y->maps)
		return x->maps > y->maps ? -1 : 1;
	if (x->map_bytes != y->map_bytes)
		return x->map_bytes > y->map_bytes ? -1 : 1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

/* The top mappers (processes that mapped or unmapped), at most r->top. */
static const struct report_proc **procs_sorted(const struct report *r, size_t *n)
{
	const struct report_proc **a, *p;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->procs.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((p = htab_next(&r->procs, &pos, NULL)))
		a[i++] = p;
	qsort(a, i, sizeof(*a), cmp_proc);
	*n = r->top > 0 && (size_t)r->top < i ? (size_t)r->top : i;
	return a;
}

static int hist_last(const struct report_hist *h)
{
	int i;

	for (i = REPORT_HIST_SLOTS - 1; i >= 0; i--)
		if (h->slot[i])
			return i;
	return -1;
}

static void hist_range(int i, __u64 *low, __u64 *high)
{
	*low = i ? 1ULL << i : 0;
	*high = i == 63 ? ~0ULL : (2ULL << i) - 1;
}

/* --- text ------------------------------------------------------------------- */

static void show_header_plain(FILE *f, const struct report *r)
{
	const struct replay_result *res = &r->res;
	char b[32];

	fprintf(f, "recording: %s\n", r->path);
	fprintf(f, "kernel:    %s\n", res->release[0] ? res->release : "unknown");
	fprintf(f, "duration:  %s", fmt_ns(b, sizeof(b), r->last_ns > r->t0_ns ? r->last_ns - r->t0_ns : 0));
	fprintf(f, " (from the %s to the last event)\n",
		res->mono_ns && r->t0_ns == res->mono_ns ? "recording's start" : "first event");
	fprintf(f, "events:    %llu (records %llu, decode errors %llu)\n",
		(unsigned long long)r->events, (unsigned long long)r->records,
		(unsigned long long)r->p.decode_errors);
	if (res->counters_ok)
		fprintf(f, "lost:      %llu\n", (unsigned long long)res->counters.v[ITR_CNT_LOST]);
	else
		fprintf(f, "lost:      unknown (no counters in the recording)\n");
	if (r->err)
		fprintf(f, "ended:     damaged: report up to the damage\n");
	else if (res->clean_end)
		fprintf(f, "ended:     cleanly\n");
	else
		fprintf(f, "ended:     not closed cleanly (recorder killed?)\n");
}

static void join_groups(char *buf, size_t len, const __s32 *g, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "", g[i]);
	if (!n)
		snprintf(buf, len, "-");
}

static void show_domains_plain(FILE *f, struct report_domain **a, size_t n)
{
	char id[16], type[16], hwpt[16], mapped[32], live[24], lbytes[32], groups[64], devs[160];
	size_t i, off;
	int j;

	fprintf(f, "\nDOMAINS\n");
	if (!n) {
		fprintf(f, "(none)\n");
		return;
	}
	fprintf(f, "%-10s  %-10s %-5s %8s %8s %10s %8s %10s  %-10s %s\n", "DOMAIN", "TYPE", "HWPT",
		"MAPS", "UNMAPS", "MAPPED", "LIVE", "LIVE-BYTES", "GROUPS", "DEVICES");
	for (i = 0; i < n; i++) {
		const struct report_domain *d = a[i];

		snprintf(hwpt, sizeof(hwpt), d->hwpt_id ? "%u" : "-", d->hwpt_id);
		if (d->freed) {
			snprintf(live, sizeof(live), "freed");
			snprintf(lbytes, sizeof(lbytes), "-");
		} else if (!d->tracked) {
			snprintf(live, sizeof(live), "?");
			snprintf(lbytes, sizeof(lbytes), "?");
		} else {
			snprintf(live, sizeof(live), "%llu", (unsigned long long)d->live_mappings);
			fmt_bytes(lbytes, sizeof(lbytes), d->live_bytes);
		}
		join_groups(groups, sizeof(groups), d->groups, d->ngroups);
		devs[0] = '\0';
		for (j = 0, off = 0; j < d->ndevs && off < sizeof(devs); j++)
			off += snprintf(devs + off, sizeof(devs) - off, "%s%s", j ? "," : "", d->devs[j]);
		fprintf(f, "%-10s  %-10s %-5s %8llu %8llu %10s %8s %10s  %-10s %s\n",
			domain_str(d->id, id, sizeof(id)), domain_type_str(d->type, type, sizeof(type)),
			hwpt, (unsigned long long)d->maps, (unsigned long long)d->unmaps,
			fmt_bytes(mapped, sizeof(mapped), d->bytes_mapped), live, lbytes, groups,
			d->ndevs ? devs : "-");
	}
}

static void show_devices_plain(FILE *f, const struct m_device **a, size_t n)
{
	char grp[16], dom[16], type[16], view[32], pasids[160], b[16];
	size_t i, off;
	int j;

	fprintf(f, "\nDEVICES\n");
	if (!n) {
		fprintf(f, "(none)\n");
		return;
	}
	fprintf(f, "%-16s %6s  %-14s %-10s  %-10s %-12s %s\n", "DEVICE", "GROUP", "DRIVER", "DOMAIN",
		"TYPE", "HWPT-VIEW", "PASIDS");
	for (i = 0; i < n; i++) {
		const struct m_device *d = a[i];

		snprintf(grp, sizeof(grp), d->group_id >= 0 ? "%d" : "-", d->group_id);
		if (!d->view_hwpt)
			snprintf(view, sizeof(view), "-");
		else
			snprintf(view, sizeof(view), "%u%s", d->view_hwpt,
				 d->view_domain != d->domain_id ? " (stale)" : "");
		pasids[0] = '\0';
		for (j = 0, off = 0; j < d->npasids && off < sizeof(pasids); j++)
			off += snprintf(pasids + off, sizeof(pasids) - off, "%s%u=%s", j ? "," : "",
					d->pasids[j].pasid, domain_str(d->pasids[j].domain_id, b, sizeof(b)));
		fprintf(f, "%-16s %6s  %-14.14s %-10s  %-10s %-12s %s\n", d->name, grp,
			d->driver[0] ? d->driver : "-", domain_str(d->domain_id, dom, sizeof(dom)),
			d->domain_id ? domain_type_str(d->domain_type, type, sizeof(type)) : "-",
			view, d->npasids ? pasids : "-");
	}
}

static void show_procs_plain(FILE *f, const struct report_proc **a, size_t n, int top)
{
	char b1[32], b2[32];
	size_t i;

	fprintf(f, "\nTOP MAPPERS");
	if (top > 0)
		fprintf(f, " (top %d, by map calls)", top);
	fprintf(f, "\n");
	if (!n) {
		fprintf(f, "(none)\n");
		return;
	}
	fprintf(f, "%-8s %-16s %10s %10s %10s %10s\n", "TGID", "COMM", "MAPS", "MAPPED", "UNMAPS",
		"UNMAPPED");
	for (i = 0; i < n; i++)
		fprintf(f, "%-8u %-16s %10llu %10s %10llu %10s\n", a[i]->tgid, a[i]->comm,
			(unsigned long long)a[i]->maps, fmt_bytes(b1, sizeof(b1), a[i]->map_bytes),
			(unsigned long long)a[i]->unmaps, fmt_bytes(b2, sizeof(b2), a[i]->unmap_bytes));
}

/* As bcc's print_log2_hist: one line per slot up to the last used, 40 stars wide. */
static void show_hist_plain(FILE *f, const char *title, const char *unit, const struct report_hist *h)
{
	int i, last = hist_last(h), width = last <= 32 ? 10 : 20, stars = last <= 32 ? 40 : 20, s;
	__u64 max = 0, low, high;

	fprintf(f, "\n%s\n", title);
	if (last < 0) {
		fprintf(f, "(none)\n");
		return;
	}
	for (i = 0; i <= last; i++)
		if (h->slot[i] > max)
			max = h->slot[i];
	fprintf(f, "%*s%-*s : count    distribution\n", last <= 32 ? 5 : 15, "",
		last <= 32 ? 19 : 29, unit);
	for (i = 0; i <= last; i++) {
		hist_range(i, &low, &high);
		fprintf(f, "%*llu -> %-*llu : %-8llu |", width, (unsigned long long)low, width,
			(unsigned long long)high, (unsigned long long)h->slot[i]);
		for (s = 0; s < stars; s++)
			fputc(s < (int)(h->slot[i] * stars / max) ? '*' : ' ', f);
		fprintf(f, "|\n");
	}
}

static void show_findings_plain(FILE *f, const struct report *r)
{
	size_t i;

	fprintf(f, "\nFINDINGS\n");
	for (i = 0; i < r->p.nall; i++)
		finding_text(f, &r->p.all[i], r->t0_ns);
	fprintf(f, "findings: %llu error, %llu warning, %llu info (%llu repeats not shown)\n",
		(unsigned long long)r->p.checker.nfindings[SEV_ERROR], (unsigned long long)r->p.checker.nfindings[SEV_WARNING],
		(unsigned long long)r->p.checker.nfindings[SEV_INFO], (unsigned long long)r->p.checker.suppressed);
}

static int show_plain(struct report *r)
{
	const struct m_device **devs = NULL;
	const struct report_proc **procs = NULL;
	struct report_domain **doms;
	size_t nd, ndev, np;
	FILE *f = r->out;
	int err = 0;

	doms = domains_sorted(r, &nd);
	devs = devices_sorted(r, &ndev);
	procs = procs_sorted(r, &np);
	if (!doms || !devs || !procs) {
		err = -ENOMEM;
		goto cleanup;
	}
	show_header_plain(f, r);
	show_domains_plain(f, doms, nd);
	show_devices_plain(f, devs, ndev);
	show_procs_plain(f, procs, np, r->top);
	show_hist_plain(f, "MAP LATENCY", "nsecs", &r->map_lat);
	show_hist_plain(f, "MAP SIZE", "bytes", &r->map_size);
	show_hist_plain(f, "IOCTL LATENCY", "nsecs", &r->ioctl_lat);
	show_findings_plain(f, r);
cleanup:
	free(doms);
	free(devs);
	free(procs);
	return err;
}

/* --- JSON ------------------------------------------------------------------- */

#define J_ADD(o, k, v) json_object_object_add(o, k, v)

static json_object *j_u64(__u64 v)
{
	return json_object_new_uint64(v);
}

static json_object *j_str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static json_object *json_recording(const struct report *r)
{
	const struct replay_result *res = &r->res;
	json_object *o = json_object_new_object(), *c = NULL;
	unsigned int i;

	J_ADD(o, "path", json_object_new_string(r->path ?: ""));
	J_ADD(o, "release", j_str_or_null(res->release));
	J_ADD(o, "start_ns", j_u64(res->mono_ns));
	J_ADD(o, "t0_ns", j_u64(r->t0_ns));
	J_ADD(o, "first_ns", j_u64(r->first_ns));
	J_ADD(o, "last_ns", j_u64(r->last_ns));
	J_ADD(o, "duration_ns", j_u64(r->last_ns > r->t0_ns ? r->last_ns - r->t0_ns : 0));
	J_ADD(o, "records", j_u64(r->records));
	J_ADD(o, "events", j_u64(r->events));
	J_ADD(o, "decode_errors", j_u64(r->p.decode_errors));
	J_ADD(o, "lost", res->counters_ok ? j_u64(res->counters.v[ITR_CNT_LOST]) : NULL);
	if (res->counters_ok) {
		c = json_object_new_object();
		for (i = 0; i < ITR_CNT_MAX; i++)
			if (counter_name(i))
				J_ADD(c, counter_name(i), j_u64(res->counters.v[i]));
	}
	J_ADD(o, "counters", c);
	J_ADD(o, "clean_end", json_object_new_boolean(res->clean_end));
	J_ADD(o, "error", r->err ? j_str_or_null(res->why) : NULL);
	J_ADD(o, "warning", !r->err ? j_str_or_null(res->why) : NULL);
	return o;
}

static json_object *json_domain(const struct report_domain *d)
{
	json_object *o = json_object_new_object(), *g = json_object_new_array(),
		    *dv = json_object_new_array();
	char b[32];
	int i;

	J_ADD(o, "id", json_object_new_string(fmt_id(b, sizeof(b), d->id)));
	J_ADD(o, "short", json_object_new_string(domain_str(d->id, b, sizeof(b))));
	J_ADD(o, "type", json_object_new_string(domain_type_str(d->type, b, sizeof(b))));
	J_ADD(o, "hwpt", d->hwpt_id ? j_u64(d->hwpt_id) : NULL);
	J_ADD(o, "alloc_seen", json_object_new_boolean(d->alloc_seen));
	J_ADD(o, "maps", j_u64(d->maps));
	J_ADD(o, "map_errors", j_u64(d->map_errors));
	J_ADD(o, "bytes_mapped", j_u64(d->bytes_mapped));
	J_ADD(o, "unmaps", j_u64(d->unmaps));
	J_ADD(o, "unmap_errors", j_u64(d->unmap_errors));
	J_ADD(o, "bytes_unmapped", j_u64(d->bytes_unmapped));
	J_ADD(o, "freed", json_object_new_boolean(d->freed));
	J_ADD(o, "tracked", json_object_new_boolean(d->tracked));
	J_ADD(o, "live_mappings", d->tracked ? j_u64(d->live_mappings) : NULL);
	J_ADD(o, "live_bytes", d->tracked ? j_u64(d->live_bytes) : NULL);
	for (i = 0; i < d->ngroups; i++)
		json_object_array_add(g, json_object_new_int(d->groups[i]));
	for (i = 0; i < d->ndevs; i++)
		json_object_array_add(dv, json_object_new_string(d->devs[i]));
	J_ADD(o, "groups", g);
	J_ADD(o, "devices", dv);
	return o;
}

static json_object *json_device(const struct m_device *d)
{
	json_object *o = json_object_new_object(), *p = json_object_new_array();
	char b[32];
	int i;

	J_ADD(o, "dev", json_object_new_string(d->name));
	J_ADD(o, "group", d->group_id >= 0 ? json_object_new_int(d->group_id) : NULL);
	J_ADD(o, "driver", j_str_or_null(d->driver));
	J_ADD(o, "domain", d->domain_id ? json_object_new_string(fmt_id(b, sizeof(b), d->domain_id)) : NULL);
	J_ADD(o, "domain_type", d->domain_id ?
	      json_object_new_string(domain_type_str(d->domain_type, b, sizeof(b))) : NULL);
	J_ADD(o, "hwpt_view", d->view_hwpt ? j_u64(d->view_hwpt) : NULL);
	J_ADD(o, "view_domain", d->view_hwpt && d->view_domain ?
	      json_object_new_string(fmt_id(b, sizeof(b), d->view_domain)) : NULL);
	J_ADD(o, "view_stale", json_object_new_boolean(d->view_hwpt && d->view_domain != d->domain_id));
	for (i = 0; i < d->npasids; i++) {
		json_object *e = json_object_new_object();

		J_ADD(e, "pasid", j_u64(d->pasids[i].pasid));
		J_ADD(e, "domain", json_object_new_string(fmt_id(b, sizeof(b), d->pasids[i].domain_id)));
		json_object_array_add(p, e);
	}
	J_ADD(o, "pasids", p);
	return o;
}

static json_object *json_proc(const struct report_proc *p)
{
	json_object *o = json_object_new_object();

	J_ADD(o, "tgid", j_u64(p->tgid));
	J_ADD(o, "comm", json_object_new_string(p->comm));
	J_ADD(o, "maps", j_u64(p->maps));
	J_ADD(o, "map_bytes", j_u64(p->map_bytes));
	J_ADD(o, "unmaps", j_u64(p->unmaps));
	J_ADD(o, "unmap_bytes", j_u64(p->unmap_bytes));
	return o;
}

static json_object *json_hist(const struct report_hist *h, const char *unit)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	int i, last = hist_last(h);
	__u64 low, high;

	J_ADD(o, "unit", json_object_new_string(unit));
	J_ADD(o, "count", j_u64(h->count));
	J_ADD(o, "sum", j_u64(h->sum));
	J_ADD(o, "min", h->count ? j_u64(h->min) : NULL);
	J_ADD(o, "max", h->count ? j_u64(h->max) : NULL);
	for (i = 0; i <= last; i++) {
		json_object *b = json_object_new_object();

		hist_range(i, &low, &high);
		J_ADD(b, "low", j_u64(low));
		J_ADD(b, "high", j_u64(high));
		J_ADD(b, "count", j_u64(h->slot[i]));
		json_object_array_add(a, b);
	}
	J_ADD(o, "buckets", a);
	return o;
}

static json_object *json_findings(const struct report *r)
{
	json_object *o = json_object_new_object(), *c = json_object_new_object(),
		    *a = json_object_new_array();
	size_t i;
	int s;

	for (s = FINDING_NSEV - 1; s >= 0; s--)
		J_ADD(c, sev_str(s), j_u64(r->p.checker.nfindings[s]));
	J_ADD(c, "repeats", j_u64(r->p.checker.suppressed));
	for (i = 0; i < r->p.nall; i++)
		json_object_array_add(a, finding_json(&r->p.all[i]));
	J_ADD(o, "counts", c);
	J_ADD(o, "list", a);
	return o;
}

static int show_json(struct report *r)
{
	const struct m_device **devs = NULL;
	const struct report_proc **procs = NULL;
	struct report_domain **doms;
	json_object *o = NULL, *a, *h;
	size_t nd, ndev, np, i;
	int err = 0;

	doms = domains_sorted(r, &nd);
	devs = devices_sorted(r, &ndev);
	procs = procs_sorted(r, &np);
	o = json_object_new_object();
	if (!doms || !devs || !procs || !o) {
		err = -ENOMEM;
		goto cleanup;
	}
	J_ADD(o, "schema", json_object_new_int(1));
	J_ADD(o, "recording", json_recording(r));
	a = json_object_new_array();
	for (i = 0; i < nd; i++)
		json_object_array_add(a, json_domain(doms[i]));
	J_ADD(o, "domains", a);
	a = json_object_new_array();
	for (i = 0; i < ndev; i++)
		json_object_array_add(a, json_device(devs[i]));
	J_ADD(o, "devices", a);
	a = json_object_new_array();
	for (i = 0; i < np; i++)
		json_object_array_add(a, json_proc(procs[i]));
	J_ADD(o, "top_mappers", a);
	h = json_object_new_object();
	J_ADD(h, "map_latency", json_hist(&r->map_lat, "ns"));
	J_ADD(h, "map_size", json_hist(&r->map_size, "bytes"));
	J_ADD(h, "ioctl_latency", json_hist(&r->ioctl_lat, "ns"));
	J_ADD(o, "histograms", h);
	J_ADD(o, "findings", json_findings(r));
	if (fprintf(r->out, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		err = -(errno ?: EIO);
cleanup:
	json_object_put(o);
	free(doms);
	free(devs);
	free(procs);
	return err;
}

/* Close the streamed document; what the report knows goes in otherData. */
static int show_chrome_end(struct report *r)
{
	json_object *o = json_recording(r);

	ct_begin(r);
	if (!o)
		return -ENOMEM;
	if (!r->werr && fprintf(r->out, "\n],\"displayTimeUnit\":\"ns\",\"otherData\":%s}\n",
				json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		r->werr = errno ?: EIO;
	json_object_put(o);
	return 0;
}

int report_print(struct report *r)
{
	int err;

	if (!r->header_ok)	/* not a recording, or unreadable: nothing to report */
		return 0;
	switch (r->fmt) {
	case REPORT_JSON:
		err = show_json(r);
		break;
	case REPORT_CHROME:
		err = show_chrome_end(r);
		break;
	default:
		err = show_plain(r);
		break;
	}
	if (!err && (fflush(r->out) || ferror(r->out)) && !r->werr)
		r->werr = errno ?: EIO;
	if (!err && r->werr)
		err = -r->werr;
	return err;
}

int report_run(const char *path, enum report_format fmt, FILE *out, int top,
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
	FILE *out;
	int err;

	memset(&env, 0, sizeof(env));
	env.top = 10;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	if (access(env.file, R_OK)) {
		fprintf(stderr, "cannot read recording '%s': %s\n", env.file, strerror(errno));
		return 1;
	}
	out = env.output ? fopen(env.output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "cannot open --output '%s': %s\n", env.output, strerror(errno));
		return 1;
	}
	err = report_run(env.file, env.fmt, out, env.top, &res);
	if (err == -EPIPE)	/* the reader is gone (| head): not a failure */
		err = 0;
	else if (err)
		fprintf(stderr, "%s\n", res.why[0] ? res.why : strerror(-err));
	else if (res.why[0])
		fprintf(stderr, "warning: %s\n", res.why);
	if (out != stdout && fclose(out) && !err) {
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(errno));
		err = -EIO;
	}
	return err ? 1 : 0;
}
