// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The pipeline (user/pipeline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "lib/log.h"
#include "pipeline.h"

#define FOR_SINKS(p, s) for (struct sink *s = (p)->sinks; s; s = s->next)

static int sink_failed(struct pipeline *p, int err)
{
	if (err && !p->err)
		p->err = err;
	return err;
}

static void deliver_finding(struct pipeline *p, const struct finding *f)
{
	FOR_SINKS(p, s)
		if (s->ops->finding)
			sink_failed(p, s->ops->finding(s, f));
}

/* The checker's callback: keep it; it is delivered after its event. */
static void on_finding(void *arg, const struct finding *f)
{
	struct pipeline *p = arg;

	if (p->nall == p->capall) {
		size_t cap = p->capall ? p->capall * 2 : 16;
		struct finding *a = realloc(p->all, cap * sizeof(*a));

		if (a) {
			p->all = a;
			p->capall = cap;
		}
	}
	if (p->nall < p->capall) {
		p->all[p->nall++] = *f;
	} else {
		p->findings_unkept++;
		deliver_finding(p, f);	/* at once, as it cannot wait */
	}
}

int pipeline_init(struct pipeline *p, const struct pipeline_opts *o)
{
	int err;

	memset(p, 0, sizeof(*p));
	if (o)
		p->o = *o;
	err = checker_init(&p->checker, on_finding, p);
	if (!err)
		err = model_init(&p->model, &p->o.mo, checker_changed, &p->checker);
	return err;
}

void pipeline_add_sink(struct pipeline *p, struct sink *s)
{
	struct sink **t = &p->sinks;

	while (*t)
		t = &(*t)->next;
	s->next = NULL;
	*t = s;
}

int pipeline_close(struct pipeline *p)
{
	FOR_SINKS(p, s)
		if (s->ops->close)
			sink_failed(p, s->ops->close(s));
	return p->err;
}

void pipeline_fini(struct pipeline *p)
{
	model_fini(&p->model);
	checker_fini(&p->checker);
	free(p->all);
	p->all = NULL;
	p->nall = p->capall = 0;
}

/* The gaps printed as they come; the rest are in the summary. */
#define GAPS_SHOWN 5

/* A loss record: count it, tell the model, say so (the first few times). */
static void on_gap(struct pipeline *p, const struct itr_event *ev)
{
	struct lost_diff d;
	char b[200];

	lost_diff(&p->lost_seen, ev->lost, &d);
	if (!d.total)
		return;
	p->lost += d.total;
	if (++p->gaps <= GAPS_SHOWN)
		fprintf(stderr, "lost %llu events (ring buffer full): %s%s%s\n",
			(unsigned long long)d.total, lost_kinds_str(&d, b, sizeof(b)),
			p->o.model ? "; checks needing them are suspended where they may matter" : "",
			p->gaps == GAPS_SHOWN ? " (further losses: in the summary)" : "");
	if (p->o.model)
		model_gap(&p->model, &d, ev->h->ts_ns);
	else
		p->model.lost += d.total;
}

int pipeline_record(void *arg, const void *data, size_t size)
{
	struct pipeline *p = arg;
	struct itr_event ev;
	char why[160];

	if (event_decode(data, size, &ev, why, sizeof(why))) {
		p->decode_errors++;
		if (p->o.verbose)
			fprintf(stderr, "decode error: %s\n", why);
		return 0;
	}
	return pipeline_event(p, &ev);
}

int pipeline_event(void *arg, const struct itr_event *ev)
{
	struct pipeline *p = arg;
	size_t first = p->nall, i;
	int err;

	if (ev->kind == ITR_EV_LOST)
		on_gap(p, ev);
	FOR_SINKS(p, s)
		if (s->ops->learn)
			s->ops->learn(s, ev);
	if (p->o.model && (err = model_feed(&p->model, ev))) {
		log_err("the model ran out of memory");
		return err;
	}
	if (p->o.filter && !opfilter_match(p->o.filter, ev)) {
		p->filtered++;
	} else {
		p->shown[ev->kind]++;
		FOR_SINKS(p, s)
			if (s->ops->event)
				sink_failed(p, s->ops->event(s, ev));
	}
	for (i = first; i < p->nall; i++)
		deliver_finding(p, &p->all[i]);
	return p->err;
}

int pipeline_snapshot(void *arg, const char *json, size_t len)
{
	struct pipeline *p = arg;
	char why[160];
	int err = model_snapshot_text(&p->model, json, len, why, sizeof(why));

	if (err && err != -ENOMEM)
		log_warn("the recording's snapshot: %s", why);
	return err == -ENOMEM ? err : 0;
}

void pipeline_lost(void *arg, __u64 total, __u64 now_ns)
{
	struct pipeline *p = arg;
	__u64 n = total > p->lost ? total - p->lost : 0;

	if (!n)
		return;
	fprintf(stderr, "lost %llu events (ring buffer full) that no loss record reported\n",
		(unsigned long long)n);
	p->lost += n;
	model_lost(&p->model, n, now_ns);
	FOR_SINKS(p, s)
		if (s->ops->lost)
			s->ops->lost(s, n, now_ns);
}

int pipeline_tick(void *arg)
{
	struct pipeline *p = arg;

	FOR_SINKS(p, s)
		if (s->ops->tick)
			sink_failed(p, s->ops->tick(s));
	return p->err;
}

int pipeline_worst(const struct pipeline *p)
{
	return checker_worst(&p->checker);
}

void pipeline_snapshot_note(const struct pipeline *p, FILE *f)
{
	const struct model *m = &p->model;

	if (!m->snapshot_taken) {
		fprintf(f, "snapshot: none (no IOMMU groups in sysfs): the model starts empty\n");
		return;
	}
	fprintf(f, "snapshot: %d groups, %d devices; known only from it until an event: group types, "
		"members, reserved regions, drivers; unknown: domains and mappings made before start\n",
		m->snap_groups, m->snap_devices);
}

/* What the gaps lost, and what the checker suspended because of them. */
static void gaps_summary(const struct pipeline *p, FILE *f)
{
	const struct m_gaps *g = &p->model.gaps;
	const struct checker *c = &p->checker;
	struct lost_diff d = { .total = g->lost, .unknown = g->unknown };
	char b[300];
	int r, n = 0;

	if (!g->n)
		return;
	memcpy(d.by_kind, g->by_kind, sizeof(d.by_kind));
	fprintf(f, "gaps: %llu in the stream, %llu events lost (%s)\n", (unsigned long long)g->n,
		(unsigned long long)g->lost, lost_kinds_str(&d, b, sizeof(b)));
	fprintf(f, "suspended after gaps (state the lost events may have changed): mapping checks of %llu domains "
		"until freed, attachment checks of %llu groups and %llu devices until attached again, "
		"PASID checks of %llu devices until they leave their group, %llu operations in flight\n",
		(unsigned long long)g->domains, (unsigned long long)g->groups,
		(unsigned long long)g->devices, (unsigned long long)g->pasid_devices,
		(unsigned long long)g->ops);
	for (r = 0; r < R_NRULES; r++)
		if (c->suspended[r])
			fprintf(f, "%s%s %llu", n++ ? ", " : "judgments not made: ", rule_table[r].id,
				(unsigned long long)c->suspended[r]);
	fprintf(f, "%s\n", n ? "" : "judgments not made: none");
}

void pipeline_summary(const struct pipeline *p, FILE *f)
{
	const struct model *m = &p->model;
	const struct checker *c = &p->checker;
	int d, n = 0;

	fprintf(f, "findings: %llu error, %llu warning, %llu info (%llu repeats not shown); "
		"%llu events modelled, %llu lost, %llu decode errors\n",
		(unsigned long long)c->nfindings[SEV_ERROR], (unsigned long long)c->nfindings[SEV_WARNING],
		(unsigned long long)c->nfindings[SEV_INFO], (unsigned long long)c->suppressed,
		(unsigned long long)m->nevents, (unsigned long long)m->lost,
		(unsigned long long)p->decode_errors);
	for (d = 0; d < MD_NDROPS; d++)
		if (m->dropped[d])
			fprintf(f, "%s%s %llu", n++ ? ", " : "not kept (bounded sets full): ",
				model_drop_name(d), (unsigned long long)m->dropped[d]);
	if (c->dropped)
		fprintf(f, "%sfindings %llu", n++ ? ", " : "not kept (out of memory): ",
			(unsigned long long)c->dropped);
	if (n)
		fprintf(f, "\n");
	gaps_summary(p, f);
}
