// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace's metrics (user/sink/metrics.h; docs/metrics.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "event/event.h"
#include "event/stats.h"
#include "lib/httpd.h"
#include "lib/ivset.h"
#include "lib/util.h"
#include "sink/metrics.h"
#include "sink/metrics_enforce.h"
#include "sink/metrics_kernel.h"

/* --- the pipeline's side ------------------------------------------------------ */

static const char *domtype_name(int i)
{
	return i < itr_ndomain_type_names ? itr_domain_type_names[i].name : "UNKNOWN";
}

/* A per-group family; group="other" always (0 until the cap folds groups). */
static void render_groups(struct prom *p, const struct metrics_snap *s, const char *name,
			  const char *help, bool bytes)
{
	struct prom_label l;
	bool other = false;
	char num[16];
	int i;

	prom_family(p, name, PROM_GAUGE, help);
	for (i = 0; i < s->ngroups; i++) {
		const struct metrics_group *g = &s->groups[i];

		if (g->group < 0)
			other = true;
		snprintf(num, sizeof(num), g->group < 0 ? "other" : "%d", g->group);
		l = (struct prom_label){ "group", num };
		prom_sample_u64(p, name, &l, 1, bytes ? g->bytes : g->mappings);
	}
	if (!other) {
		l = (struct prom_label){ "group", "other" };
		prom_sample_u64(p, name, &l, 1, 0);
	}
}

static void render_snap(struct prom *p, const struct metrics_snap *s)
{
	struct prom_label l[2];
	int r, v, i;

	if (!s->model)
		return;
	prom_family(p, "iommutrace_findings_total", PROM_COUNTER,
		    "Findings of the checker (first occurrences), by rule and severity");
	for (r = 0; r < R_NRULES; r++)
		for (v = 0; v < FINDING_NSEV; v++) {
			/* a rule's own severity always, others once seen */
			if (v != (int)rule_table[r].sev && !s->findings[r][v])
				continue;
			l[0] = (struct prom_label){ "rule", rule_table[r].id };
			l[1] = (struct prom_label){ "severity", sev_str(v) };
			prom_sample_u64(p, "iommutrace_findings_total", l, 2, s->findings[r][v]);
		}
	prom_family(p, "iommutrace_finding_repeats_total", PROM_COUNTER,
		    "Repeats of findings already reported (deduplicated)");
	prom_sample_u64(p, "iommutrace_finding_repeats_total", NULL, 0, s->repeats);
	prom_family(p, "iommutrace_model_dropped_total", PROM_COUNTER,
		    "Members the model's bounded sets could not keep, by reason");
	for (i = 0; i < MD_NDROPS; i++) {
		l[0] = (struct prom_label){ "reason", model_drop_name(i) };
		prom_sample_u64(p, "iommutrace_model_dropped_total", l, 1, s->dropped[i]);
	}
	prom_family(p, "iommutrace_domains", PROM_GAUGE, "Live IOMMU domains the model knows, by type");
	for (i = 0; i < METRICS_NDOMTYPES; i++) {
		l[0] = (struct prom_label){ "domain_type", domtype_name(i) };
		prom_sample_u64(p, "iommutrace_domains", l, 1, s->domains[i]);
	}
	prom_family(p, "iommutrace_mappings", PROM_GAUGE, "Live mappings (IOVA ranges), by domain type");
	for (i = 0; i < METRICS_NDOMTYPES; i++) {
		l[0] = (struct prom_label){ "domain_type", domtype_name(i) };
		prom_sample_u64(p, "iommutrace_mappings", l, 1, s->mappings[i]);
	}
	prom_family(p, "iommutrace_mapped_bytes", PROM_GAUGE, "Live mapped bytes, by domain type");
	for (i = 0; i < METRICS_NDOMTYPES; i++) {
		l[0] = (struct prom_label){ "domain_type", domtype_name(i) };
		prom_sample_u64(p, "iommutrace_mapped_bytes", l, 1, s->mapped_bytes[i]);
	}
	render_groups(p, s, "iommutrace_group_mappings",
		      "Live mappings of the domains attached to each IOMMU group (capped; \"other\": the rest)",
		      false);
	render_groups(p, s, "iommutrace_group_mapped_bytes",
		      "Live mapped bytes of the domains attached to each IOMMU group (capped)", true);
}

static void render_folded(struct prom *p, const struct metrics_snap *s, bool have_ioctls,
			  __u64 ioctls_folded)
{
	struct prom_label l;

	prom_family(p, "iommutrace_folded_label_values", PROM_GAUGE,
		    "Label values folded into an \"other\" series to bound cardinality, by label");
	if (s && s->model) {
		l = (struct prom_label){ "label", "group" };
		prom_sample_u64(p, "iommutrace_folded_label_values", &l, 1, s->groups_folded);
	}
	if (have_ioctls) {
		l = (struct prom_label){ "label", "ioctl" };
		prom_sample_u64(p, "iommutrace_folded_label_values", &l, 1, ioctls_folded);
	}
}

int metrics_render_view(struct prom *p, const char *version, const struct itr_counters *c,
			const struct stats *st, const struct metrics_snap *snap)
{
	struct prom_label l[2];
	__u64 folded = 0;
	char abi[16];
	int err;

	snprintf(abi, sizeof(abi), "%d", ITR_ABI_VERSION);
	prom_family(p, "iommutrace_build_info", PROM_GAUGE, "iommutrace's version and event ABI");
	l[0] = (struct prom_label){ "version", version };
	l[1] = (struct prom_label){ "abi", abi };
	prom_sample_u64(p, "iommutrace_build_info", l, 2, 1);
	prom_family(p, "iommutrace_counters_up", PROM_GAUGE,
		    "1 when the in-kernel counters could be read for this scrape");
	prom_sample_u64(p, "iommutrace_counters_up", NULL, 0, c != NULL);
	if (c)
		metrics_render_counters(p, c, snap ? &snap->lost : NULL);
	if (st) {
		err = metrics_render_stats(p, st, &folded);
		if (err)
			return err;
	}
	if (snap)
		render_snap(p, snap);
	render_folded(p, snap, st != NULL, folded);
	return p->err;
}

/*
 * Counters of other processes, pinned under /sys/fs/bpf/iommutrace: the
 * enforcement daemon's decisions (sink/metrics_enforce.c, which reads the
 * pins through source/enforce_pins.c).
 */
static const struct {
	const char *name;
	int (*render)(struct prom *p);
} pinned_sources[] = {
	{ "enforce", metrics_enforce_pinned },
};

static void render_pinned(struct prom *p)
{
	int i;

	for (i = 0; i < (int)ARRAY_SIZE(pinned_sources) && pinned_sources[i].render; i++)
		pinned_sources[i].render(p);
}

int metrics_render(struct metrics *m, struct prom *p)
{
	const struct itr_counters *c = m->fixed;
	struct stats *st = NULL;
	struct itr_counters live;
	int err;

	pthread_mutex_lock(&m->mu);
	m->scrapes++;
	if (m->loader) {
		c = loader_counters(m->loader, &live) ? NULL : &live;
		st = malloc(sizeof(*st));	/* ~90 KiB: not on a server thread's stack */
		if (st && loader_stats(m->loader, st)) {
			free(st);
			st = NULL;
		}
	}
	err = metrics_render_view(p, m->version, c, st, &m->snap);
	if (!err && m->loader && m->loader->targets) {
		metrics_render_loader(p, m->loader);
	}
	pthread_mutex_unlock(&m->mu);
	free(st);
	if (err)
		return err;
	render_pinned(p);
	return prom_end(p);
}

int metrics_http_render(void *arg, const char *accept, struct httpd_reply *out)
{
	struct prom p;

	prom_init(&p, prom_wants_openmetrics(accept));
	return prom_reply(&p, metrics_render(arg, &p), out);
}

void metrics_set_loader(struct metrics *m, const struct loader *l)
{
	pthread_mutex_lock(&m->mu);
	m->loader = l;
	pthread_mutex_unlock(&m->mu);
}

/* --- the sink --------------------------------------------------------------------- */

static int domtype_index(__u32 type)
{
	int i;

	for (i = 0; i < itr_ndomain_type_names && i < METRICS_NDOMTYPES; i++)
		if (itr_domain_type_names[i].value == type)
			return i;
	return METRICS_NDOMTYPES - 1;	/* UNKNOWN, the table's last */
}

static void group_add(struct metrics_snap *s, __s32 group, __u64 mappings, __u64 bytes)
{
	int i;

	for (i = 0; i < s->ngroups && s->groups[i].group != group; i++)
		;
	if (i == s->ngroups) {
		if (s->ngroups >= METRICS_MAX_GROUPS) {
			/* the cap: the rest go to "other" (the last row) */
			for (i = 0; i < s->ngroups && s->groups[i].group != -1; i++)
				;
			if (i == s->ngroups) {
				s->groups[i].group = -1;
				s->ngroups++;
			}
			s->groups_folded++;
		} else {
			s->groups[i].group = group;
			s->ngroups++;
		}
	}
	s->groups[i].mappings += mappings;
	s->groups[i].bytes += bytes;
}

void metrics_update(struct metrics *m)
{
	struct metrics_snap s = {};
	const struct m_domain *d;
	size_t pos = 0;
	__u64 key;
	int i;

	if (!m->model)
		return;
	s.model = true;
	memcpy(s.dropped, m->model->dropped, sizeof(s.dropped));
	while ((d = htab_next(&m->model->domains, &pos, &key))) {
		__u64 n, b;
		int t;

		if (d->freed)
			continue;
		t = domtype_index(d->type);
		n = d->maps ? ivset_count(d->maps) : 0;
		b = d->maps ? ivset_bytes(d->maps) : 0;
		s.domains[t]++;
		s.mappings[t] += n;
		s.mapped_bytes[t] += b;
		for (i = 0; n && i < d->ngroups && i < (int)ARRAY_SIZE(d->groups); i++)
			group_add(&s, d->groups[i], n, b);
	}
	if (m->checker)
		s.repeats = m->checker->suppressed;
	pthread_mutex_lock(&m->mu);
	memcpy(s.findings, m->snap.findings, sizeof(s.findings));
	s.lost = m->snap.lost;
	m->snap = s;
	pthread_mutex_unlock(&m->mu);
}

static struct metrics *of(struct sink *s)
{
	return (struct metrics *)s;
}

static int metrics_finding(struct sink *s, const struct finding *f)
{
	struct metrics *m = of(s);

	if (f->rule >= R_NRULES || f->sev >= FINDING_NSEV)
		return 0;
	pthread_mutex_lock(&m->mu);
	m->snap.findings[f->rule][f->sev]++;
	pthread_mutex_unlock(&m->mu);
	return 0;
}

/* A loss record in the stream: its running total is what the source lost. */
static int metrics_event(struct sink *s, const struct itr_event *ev)
{
	struct metrics *m = of(s);

	if (ev->kind != ITR_EV_LOST)
		return 0;
	pthread_mutex_lock(&m->mu);
	if (ev->lost->total > m->snap.lost)
		m->snap.lost = ev->lost->total;
	pthread_mutex_unlock(&m->mu);
	return 0;
}

/* Losses no loss record reported (pipeline_lost): on top of the stream's. */
static void metrics_lost(struct sink *s, __u64 n, __u64 now_ns)
{
	struct metrics *m = of(s);

	(void)now_ns;
	pthread_mutex_lock(&m->mu);
	m->snap.lost += n;
	pthread_mutex_unlock(&m->mu);
}

static int metrics_tick(struct sink *s)
{
	metrics_update(of(s));
	return 0;
}

static const struct sink_ops metrics_ops = {
	.name = "metrics",
	.event = metrics_event,
	.finding = metrics_finding,
	.lost = metrics_lost,
	.tick = metrics_tick,
	.close = metrics_tick,
};

struct sink *metrics_init(struct metrics *m, const char *version, const struct model *model,
			  const struct checker *checker)
{
	memset(m, 0, sizeof(*m));
	m->sink.ops = &metrics_ops;
	pthread_mutex_init(&m->mu, NULL);
	m->version = version;
	m->model = model;
	m->checker = checker;
	m->snap.model = model != NULL;
	return &m->sink;
}

void metrics_fini(struct metrics *m)
{
	if (!m->sink.ops)
		return;		/* never initialised */
	pthread_mutex_destroy(&m->mu);
}
