// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace's metrics (user/sink/metrics.h; docs/metrics.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "event/event.h"
#include "event/ioctl.h"
#include "event/stats.h"
#include "lib/httpd.h"
#include "lib/ivset.h"
#include "lib/util.h"
#include "sink/metrics.h"

#define NS_PER_S 1e9
/*
 * The log2 slots shown as buckets (the rest fold into their neighbours,
 * exactly): latency 1 us (slot 9: up to 1023 ns) to 17 s (slot 33), sizes
 * 4 KiB (slot 11: up to 4095) to 8 GiB (slot 32).
 */
#define LAT_LO 9
#define LAT_HI 34
#define SIZE_LO 11
#define SIZE_HI 33

/* --- the in-kernel counters ------------------------------------------------ */

/* The families of the per-CPU counters, in the order they are shown. */
enum cfam {
	CF_TRACEPOINT,
	CF_TP_MAP_BYTES,
	CF_TP_UNMAP_BYTES,
	CF_DMA_API,
	CF_DMA_API_BYTES,
	CF_EMITTED,
	CF_LOST,
	CF_FILTERED,
	CF_N,
};

static const struct {
	const char *name, *help;
} cfams[CF_N] = {
	[CF_TRACEPOINT] = { "iommutrace_kernel_tracepoint_hits_total",
			    "Hits of the kernel's iommu tracepoints (every domain, DMA-API ones included)" },
	[CF_TP_MAP_BYTES] = { "iommutrace_kernel_mapped_bytes_total",
			      "Bytes mapped, from the iommu:map tracepoint (every domain)" },
	[CF_TP_UNMAP_BYTES] = { "iommutrace_kernel_unmapped_bytes_total",
				"Bytes unmapped, from the iommu:unmap tracepoint (every domain)" },
	[CF_DMA_API] = { "iommutrace_dma_api_operations_total",
			 "Maps and unmaps on the kernel's DMA-API domains: counted, not sent" },
	[CF_DMA_API_BYTES] = { "iommutrace_dma_api_bytes_total",
			       "Bytes of the maps and unmaps on DMA-API domains" },
	[CF_EMITTED] = { "iommutrace_events_emitted_total", "Records written to the ring buffer" },
	[CF_LOST] = { "iommutrace_events_lost_total",
		      "Records lost, by reason (ringbuf_full: in the kernel; source: as user space saw it)" },
	[CF_FILTERED] = { "iommutrace_events_filtered_total", "Records dropped by a BPF filter" },
};

/* Each counter: its family and its one label (NULL: none). */
static const struct {
	enum cfam fam;
	const char *label, *value;
} cmetric[ITR_CNT_MAX] = {
	[ITR_CNT_ATTACH]	= { CF_TRACEPOINT, "tracepoint", "attach_device_to_domain" },
	[ITR_CNT_GROUP_ADD]	= { CF_TRACEPOINT, "tracepoint", "add_device_to_group" },
	[ITR_CNT_GROUP_REMOVE]	= { CF_TRACEPOINT, "tracepoint", "remove_device_from_group" },
	[ITR_CNT_MAP]		= { CF_TRACEPOINT, "tracepoint", "map" },
	[ITR_CNT_MAP_BYTES]	= { CF_TP_MAP_BYTES, NULL, NULL },
	[ITR_CNT_UNMAP]		= { CF_TRACEPOINT, "tracepoint", "unmap" },
	[ITR_CNT_UNMAP_BYTES]	= { CF_TP_UNMAP_BYTES, NULL, NULL },
	[ITR_CNT_EMITTED]	= { CF_EMITTED, NULL, NULL },
	[ITR_CNT_LOST]		= { CF_LOST, "reason", "ringbuf_full" },
	[ITR_CNT_FILTERED]	= { CF_FILTERED, NULL, NULL },
	[ITR_CNT_DMA_API]	= { CF_DMA_API, NULL, NULL },
	[ITR_CNT_DMA_API_BYTES]	= { CF_DMA_API_BYTES, NULL, NULL },
};

static void render_counters(struct prom *p, const struct itr_counters *c,
			    const struct metrics_snap *snap)
{
	struct prom_label l;
	int f, k;

	for (f = 0; f < CF_N; f++) {
		prom_family(p, cfams[f].name, PROM_COUNTER, cfams[f].help);
		for (k = 0; k < ITR_CNT_MAX; k++) {
			if (cmetric[k].fam != (enum cfam)f)
				continue;
			l.name = cmetric[k].label;
			l.value = cmetric[k].value;
			prom_sample_u64(p, cfams[f].name, &l, l.name ? 1 : 0, c->v[k]);
		}
		if (f == CF_LOST && snap) {
			l = (struct prom_label){ "reason", "source" };
			prom_sample_u64(p, cfams[f].name, &l, 1, snap->lost);
		}
	}
}

/* --- the operation statistics ---------------------------------------------- */

static void render_ops(struct prom *p, const struct stats *st)
{
	struct prom_label l[2];
	int k, r;

	prom_family(p, "iommutrace_operations_total", PROM_COUNTER,
		    "IOMMU operations by kind and result, counted per CPU in the kernel (DMA-API domains apart)");
	for (k = 0; k < ITR_ST_MAX; k++) {
		if (k == ITR_ST_IOCTL_FOLDED)
			continue;	/* shown as ioctl="other" */
		for (r = 0; r < ITR_RES_MAX; r++) {
			l[0] = (struct prom_label){ "op", stats_kind_name(k) };
			l[1] = (struct prom_label){ "result", stats_result_name(r) };
			prom_sample_u64(p, "iommutrace_operations_total", l, 2, st->op[k].calls[r]);
		}
	}
	prom_family(p, "iommutrace_operation_bytes_total", PROM_COUNTER,
		    "Bytes mapped (op=map) and unmapped (op=unmap), counted in the kernel");
	for (k = 0; k < ITR_ST_MAX; k++) {
		if (k != ITR_ST_MAP && k != ITR_ST_UNMAP)
			continue;
		l[0] = (struct prom_label){ "op", stats_kind_name(k) };
		prom_sample_u64(p, "iommutrace_operation_bytes_total", l, 1, st->op[k].bytes);
	}
	prom_family(p, "iommutrace_operation_duration_seconds", PROM_HISTOGRAM,
		    "Latency of IOMMU operations, log2 buckets counted in the kernel");
	for (k = 0; k < ITR_ST_MAX; k++) {
		if (k == ITR_ST_IOCTL_FOLDED)
			continue;
		l[0] = (struct prom_label){ "op", stats_kind_name(k) };
		prom_hist_log2(p, "iommutrace_operation_duration_seconds", l, 1,
			       st->op[k].latency_ns.slot, ITR_HIST_SLOTS, LAT_LO, LAT_HI,
			       st->op[k].latency_ns.sum,
			       NS_PER_S);
	}
	prom_family(p, "iommutrace_operation_size_bytes", PROM_HISTOGRAM,
		    "Sizes requested of maps and unmaps, log2 buckets counted in the kernel");
	for (k = 0; k < ITR_ST_MAX; k++) {
		if (k != ITR_ST_MAP && k != ITR_ST_UNMAP)
			continue;
		l[0] = (struct prom_label){ "op", stats_kind_name(k) };
		prom_hist_log2(p, "iommutrace_operation_size_bytes", l, 1, st->op[k].size.slot,
			       ITR_HIST_SLOTS, SIZE_LO, SIZE_HI, st->op[k].size.sum, 1);
	}
}

/* The ioctl rows by name (rows of one name summed); "other": folded. */
struct ioctl_row {
	const char *name;
	struct itr_stat st;
};

static int ioctl_rows(const struct stats *st, struct ioctl_row *rows, __u64 *folded)
{
	int n = 0, i, j;

	*folded = 0;
	rows[n].name = "other";
	rows[n++].st = st->op[ITR_ST_IOCTL_FOLDED];
	if (st->op[ITR_ST_IOCTL_FOLDED].calls[ITR_RES_OK] + st->op[ITR_ST_IOCTL_FOLDED].calls[ITR_RES_ERROR])
		*folded += 1;
	for (i = 0; i < (int)st->nioctls; i++) {
		const struct stats_ioctl *io = &st->ioctl[i];
		const struct ioctl_desc *d = ioctl_lookup((__u32)io->key, io->key >> 32);
		const char *name = d ? d->name : "other";

		if (!d)
			*folded += 1;
		for (j = 0; j < n && strcmp(rows[j].name, name); j++)
			;
		if (j == n) {
			memset(&rows[n], 0, sizeof(rows[n]));
			rows[n++].name = name;
		}
		stats_add(&rows[j].st, &io->st);
	}
	return n;
}

static int render_ioctls(struct prom *p, const struct stats *st, __u64 *folded)
{
	struct ioctl_row *rows = calloc(ITR_MAX_IOCTL_STATS + 1, sizeof(*rows));
	struct prom_label l[2];
	int n, i, r;

	if (!rows)
		return -ENOMEM;
	n = ioctl_rows(st, rows, folded);
	prom_family(p, "iommutrace_ioctls_total", PROM_COUNTER,
		    "VFIO and iommufd ioctls by name and result, counted per CPU in the kernel");
	for (i = 0; i < n; i++)
		for (r = 0; r < ITR_RES_MAX; r++) {
			l[0] = (struct prom_label){ "ioctl", rows[i].name };
			l[1] = (struct prom_label){ "result", stats_result_name(r) };
			prom_sample_u64(p, "iommutrace_ioctls_total", l, 2, rows[i].st.calls[r]);
		}
	prom_family(p, "iommutrace_ioctl_duration_seconds", PROM_HISTOGRAM,
		    "Latency of VFIO and iommufd ioctls, log2 buckets counted in the kernel");
	for (i = 0; i < n; i++) {
		l[0] = (struct prom_label){ "ioctl", rows[i].name };
		prom_hist_log2(p, "iommutrace_ioctl_duration_seconds", l, 1,
			       rows[i].st.latency_ns.slot, ITR_HIST_SLOTS, LAT_LO, LAT_HI,
			       rows[i].st.latency_ns.sum, NS_PER_S);
	}
	free(rows);
	return 0;
}

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
		render_counters(p, c, snap);
	if (st) {
		render_ops(p, st);
		err = render_ioctls(p, st, &folded);
		if (err)
			return err;
	}
	if (snap)
		render_snap(p, snap);
	render_folded(p, snap, st != NULL, folded);
	return p->err;
}

/* --- what only a live loader knows ---------------------------------------------- */

static void render_probes(struct prom *p, const struct loader *l)
{
	struct prom_label lab[3];
	int i;

	prom_family(p, "iommutrace_probe_attached", PROM_GAUGE,
		    "1 when the probe-table row is attached, by row, method and whether it is required (docs/targets.md)");
	for (i = 0; i < itr_ntargets; i++) {
		const struct target_state *s = &l->targets[i];

		if (s->method == METHOD_SUPERSEDED || s->method == METHOD_OFF)
			continue;
		lab[0] = (struct prom_label){ "probe", s->t->name };
		lab[1] = (struct prom_label){ "method", method_name(s->method) };
		lab[2] = (struct prom_label){ "required", s->t->flags & TGT_REQUIRED ? "true" : "false" };
		prom_sample_u64(p, "iommutrace_probe_attached", lab, 3,
				s->method != METHOD_NONE && s->links[0]);
	}
}

static void render_ringbuf(struct prom *p, const struct loader *l)
{
	__u64 used, size;

	if (loader_ringbuf_used(l, &used, &size))
		return;
	prom_family(p, "iommutrace_ringbuf_used_bytes", PROM_GAUGE,
		    "Bytes in the ring buffer not yet read by user space, at the scrape");
	prom_sample_u64(p, "iommutrace_ringbuf_used_bytes", NULL, 0, used);
	prom_family(p, "iommutrace_ringbuf_size_bytes", PROM_GAUGE, "The ring buffer's size");
	prom_sample_u64(p, "iommutrace_ringbuf_size_bytes", NULL, 0, size);
}

static bool bpf_stats_enabled(void)
{
	FILE *f = fopen("/proc/sys/kernel/bpf_stats_enabled", "r");
	int v = 0;

	if (!f)
		return false;
	if (fscanf(f, "%d", &v) != 1)
		v = 0;
	fclose(f);
	return v != 0;
}

struct prog_pass {
	struct prom *p;
	bool time;		/* run time, else run count */
};

static void prog_sample(void *arg, const char *prog, __u64 run_ns, __u64 run_cnt)
{
	struct prog_pass *pp = arg;
	struct prom_label l = { "program", prog };

	if (pp->time)
		prom_sample(pp->p, "iommutrace_bpf_program_run_seconds_total", &l, 1,
			    run_ns * NS_PER_S);
	else
		prom_sample_u64(pp->p, "iommutrace_bpf_program_runs_total", &l, 1, run_cnt);
}

static void render_programs(struct prom *p, const struct loader *l)
{
	struct prog_pass pp = { .p = p };
	bool on = bpf_stats_enabled();

	prom_family(p, "iommutrace_bpf_stats_enabled", PROM_GAUGE,
		    "1 when kernel.bpf_stats_enabled is on (the programs' run time is measured)");
	prom_sample_u64(p, "iommutrace_bpf_stats_enabled", NULL, 0, on);
	if (!on)
		return;
	prom_family(p, "iommutrace_bpf_program_run_seconds_total", PROM_COUNTER,
		    "Time the kernel spent in each of iommutrace's BPF programs");
	pp.time = true;
	loader_prog_stats(l, prog_sample, &pp);
	prom_family(p, "iommutrace_bpf_program_runs_total", PROM_COUNTER,
		    "Runs of each of iommutrace's BPF programs");
	pp.time = false;
	loader_prog_stats(l, prog_sample, &pp);
}

/*
 * Counters of other processes, pinned under /sys/fs/bpf/iommutrace.
 * ENFORCEMENT HOOK (issue 11): the enforcement daemon pins per-rule per-CPU
 * decision counters there; its row renders iommutrace_enforcement_decisions_total
 * {rule, action, tier} from them. The lead wires it when enforce/ lands:
 * { "enforce", enforce_metrics_render } with int fn(struct prom *p).
 */
static const struct {
	const char *name;
	int (*render)(struct prom *p);
} pinned_sources[] = {
	{ NULL, NULL },		/* { "enforce", enforce_metrics_render }: issue 11 */
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
	struct stats *st = malloc(sizeof(*st));
	struct itr_counters live;
	int err;

	if (!st)
		return -ENOMEM;
	pthread_mutex_lock(&m->mu);
	m->scrapes++;
	if (m->loader) {
		c = loader_counters(m->loader, &live) ? NULL : &live;
		if (loader_stats(m->loader, st)) {
			free(st);
			st = NULL;
		}
	} else {
		free(st);
		st = NULL;
	}
	err = metrics_render_view(p, m->version, c, st, &m->snap);
	if (!err && m->loader && m->loader->targets) {
		render_probes(p, m->loader);
		render_ringbuf(p, m->loader);
		render_programs(p, m->loader);
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
	bool om = prom_wants_openmetrics(accept);
	struct prom p;
	int err;

	prom_init(&p, om);
	err = metrics_render(arg, &p);
	if (err) {
		prom_fini(&p);
		return err;
	}
	out->body = p.buf;	/* the server frees it */
	out->len = p.len;
	out->ctype = om ? PROM_OM_CTYPE : PROM_TEXT_CTYPE;
	return 0;
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
