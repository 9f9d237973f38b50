// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The metric set (user/sink/metrics.h) rendered from counters, in-kernel
 * statistics and a pipeline snapshot: names, labels, folding of unknown
 * ioctls, findings by rule and severity, and the document's shape (each
 * sample after its family's HELP and TYPE, no series twice).
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <linux/vfio.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "event/stats.h"
#include "lib/ivset.h"
#include "sink/metrics.h"
#include "prom_fixture.h"

static char *render(const struct itr_counters *c, const struct stats *st,
		    const struct metrics_snap *s, bool om)
{
	struct prom p;

	prom_init(&p, om);
	cr_assert_eq(metrics_render_view(&p, "9.9", c, st, s), 0);
	cr_assert_eq(prom_end(&p), 0);
	return p.buf;	/* the caller frees it */
}

static struct stats *stats_new(void)
{
	struct stats *st = calloc(1, sizeof(*st));

	cr_assert_not_null(st);
	st->op[ITR_ST_MAP].calls[ITR_RES_OK] = 3;
	st->op[ITR_ST_MAP].calls[ITR_RES_ERROR] = 1;
	st->op[ITR_ST_MAP].bytes = 3 * 4096;
	st->op[ITR_ST_MAP].latency_ns.slot[10] = 4;	/* 1024..2047 ns */
	st->op[ITR_ST_MAP].latency_ns.sum = 4 * 1500;
	st->op[ITR_ST_MAP].size.slot[12] = 4;		/* 4 KiB */
	st->op[ITR_ST_MAP].size.sum = 4 * 4096;
	st->ioctl[0].key = ITR_IOCTL_STAT_KEY(ITR_LAYER_VFIO_CONTAINER, VFIO_IOMMU_MAP_DMA);
	st->ioctl[0].st.calls[ITR_RES_OK] = 5;
	st->ioctl[0].st.latency_ns.slot[14] = 5;
	st->ioctl[1].key = ITR_IOCTL_STAT_KEY(ITR_LAYER_VFIO_CONTAINER, 0x12345678);
	st->ioctl[1].st.calls[ITR_RES_ERROR] = 2;
	st->ioctl[1].st.latency_ns.slot[3] = 2;
	st->nioctls = 2;
	return st;
}

Test(prom_metrics, counters_statistics_and_ioctls)
{
	struct itr_counters c = {};
	struct stats *st = stats_new();
	char build[96];
	char *doc;

	c.v[ITR_CNT_MAP] = 11;
	c.v[ITR_CNT_LOST] = 2;
	c.v[ITR_CNT_DMA_API_BYTES] = 1 << 20;
	doc = render(&c, st, NULL, false);
	snprintf(build, sizeof(build), "iommutrace_build_info{version=\"9.9\",abi=\"%d\"} 1",
		 ITR_ABI_VERSION);
	assert_line(doc, build);
	assert_line(doc, "iommutrace_counters_up 1");
	assert_line(doc, "iommutrace_kernel_tracepoint_hits_total{tracepoint=\"map\"} 11");
	assert_line(doc, "iommutrace_events_lost_total{reason=\"ringbuf_full\"} 2");
	assert_line(doc, "iommutrace_dma_api_bytes_total 1048576");
	assert_line(doc, "iommutrace_operations_total{op=\"map\",result=\"ok\"} 3");
	assert_line(doc, "iommutrace_operations_total{op=\"map\",result=\"error\"} 1");
	assert_line(doc, "iommutrace_operation_bytes_total{op=\"map\"} 12288");
	assert_line(doc, "iommutrace_operation_duration_seconds_bucket{op=\"map\",le=\"1.023e-06\"} 0");
	assert_line(doc, "iommutrace_operation_duration_seconds_bucket{op=\"map\",le=\"2.047e-06\"} 4");
	assert_line(doc, "iommutrace_operation_duration_seconds_count{op=\"map\"} 4");
	assert_line(doc, "iommutrace_operation_duration_seconds_sum{op=\"map\"} 6e-06");
	assert_line(doc, "iommutrace_operation_size_bytes_bucket{op=\"map\",le=\"8191\"} 4");
	assert_line(doc, "iommutrace_ioctls_total{ioctl=\"VFIO_IOMMU_MAP_DMA\",result=\"ok\"} 5");
	assert_line(doc, "iommutrace_ioctl_duration_seconds_count{ioctl=\"VFIO_IOMMU_MAP_DMA\"} 5");
	/* an unknown command is folded into "other", and said so */
	assert_line(doc, "iommutrace_ioctls_total{ioctl=\"other\",result=\"error\"} 2");
	assert_line(doc, "iommutrace_folded_label_values{label=\"ioctl\"} 1");
	/* no model: no findings */
	cr_assert_null(strstr(doc, "iommutrace_findings_total"));
	free(doc);
	free(st);
}

Test(prom_metrics, findings_by_rule_and_severity)
{
	struct metrics_snap *s = calloc(1, sizeof(*s));
	int r = rule_find("map-overlap");
	char *doc;

	cr_assert_geq(r, 0);
	s->model = true;
	s->findings[r][rule_table[r].sev] = 2;
	s->findings[r][SEV_INFO] = 1;	/* a severity other than the rule's own */
	s->lost = 4;
	s->ngroups = 2;
	s->groups[0] = (struct metrics_group){ 7, 3, 12288 };
	s->groups[1] = (struct metrics_group){ -1, 1, 4096 };
	s->groups_folded = 5;
	doc = render(NULL, NULL, s, false);
	assert_line(doc, "iommutrace_counters_up 0");
	assert_line(doc, "iommutrace_findings_total{rule=\"map-overlap\",severity=\"error\"} 2");
	assert_line(doc, "iommutrace_findings_total{rule=\"map-overlap\",severity=\"info\"} 1");
	/* every rule has its own severity's series, at 0 until it fires */
	assert_line(doc, "iommutrace_findings_total{rule=\"stale-hwpt-view\",severity=\"error\"} 0");
	assert_line(doc, "iommutrace_group_mapped_bytes{group=\"7\"} 12288");
	assert_line(doc, "iommutrace_group_mapped_bytes{group=\"other\"} 4096");
	assert_line(doc, "iommutrace_folded_label_values{label=\"group\"} 5");
	free(doc);
	/* with no group folded, "other" is there all the same (a family never empty) */
	s->ngroups = 0;
	doc = render(NULL, NULL, s, false);
	assert_line(doc, "iommutrace_group_mapped_bytes{group=\"other\"} 0");
	assert_line(doc, "iommutrace_group_mappings{group=\"other\"} 0");
	free(doc);
	free(s);
}

/* The model's groups past the cap fold into one "other" series, counted. */
Test(prom_metrics, groups_are_capped)
{
	struct model_opts mo = {};
	struct model model;
	struct metrics m;
	__u64 other_bytes = 0, all_bytes = 0;
	int i, nother = 0;

	cr_assert_eq(model_init(&model, &mo, NULL, NULL), 0);
	for (i = 0; i < METRICS_MAX_GROUPS + 10; i++) {
		bool created;
		struct m_domain *d = htab_get_or_new(&model.domains, htab_key(i + 1), sizeof(*d),
						     &created);

		cr_assert_not_null(d);
		d->id = i + 1;
		d->type = ITR_DOM_UNMANAGED;
		d->maps = ivset_new();
		cr_assert_not_null(d->maps);
		cr_assert_eq(ivset_insert(d->maps, 0, 4096 * (i + 1), NULL), 0);
		d->ngroups = 1;
		d->groups[0] = 100 + i;
		all_bytes += 4096 * (i + 1);
	}
	metrics_init(&m, "t", &model, NULL);
	metrics_update(&m);
	cr_assert_eq(m.snap.ngroups, METRICS_MAX_GROUPS + 1);
	cr_assert_eq(m.snap.groups_folded, 10);
	cr_assert_eq(m.snap.domains[1], METRICS_MAX_GROUPS + 10);	/* UNMANAGED */
	cr_assert_eq(m.snap.mapped_bytes[1], all_bytes);
	for (i = 0; i < m.snap.ngroups; i++)
		if (m.snap.groups[i].group == -1) {
			nother++;
			other_bytes = m.snap.groups[i].bytes;
		} else {
			all_bytes -= m.snap.groups[i].bytes;
		}
	cr_assert_eq(nother, 1);
	cr_assert_eq(other_bytes, all_bytes);	/* the folded groups' bytes, none lost */
	metrics_fini(&m);
	model_fini(&model);
}

/* Every sample line's family was declared (HELP, TYPE) before it; no series twice. */
static void assert_well_formed(char *doc, bool om)
{
	char family[128] = "", *save = NULL, *line;
	char **seen = calloc(8192, sizeof(*seen));
	int nseen = 0, i;

	cr_assert_not_null(seen);
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[160];
		size_t n;

		if (!strncmp(line, "# TYPE ", 7)) {
			sscanf(line + 7, "%127s", family);
			continue;
		}
		if (line[0] == '#')
			continue;
		n = strcspn(line, "{ ");
		cr_assert_lt(n, sizeof(name));
		memcpy(name, line, n);
		name[n] = 0;
		cr_assert(family[0] && !strncmp(name, family, strlen(family)),
			  "sample '%s' outside its family '%s'", line, family);
		(void)om;
		n = strrchr(line, ' ') - line;
		for (i = 0; i < nseen; i++)
			cr_assert(strncmp(seen[i], line, n) || seen[i][n] != ' ', "series twice: %s", line);
		cr_assert_lt(nseen, 8192);
		seen[nseen++] = line;
	}
	free(seen);
}

Test(prom_metrics, document_is_well_formed_in_both_formats)
{
	struct metrics_snap *s = calloc(1, sizeof(*s));
	struct itr_counters c = {};
	struct stats *st = stats_new();
	int om;

	s->model = true;
	for (om = 0; om < 2; om++) {
		char *doc = render(&c, st, s, om);
		size_t n = strlen(doc);

		cr_assert_eq(om ? !strcmp(doc + n - 6, "# EOF\n") : !strstr(doc, "# EOF"), 1);
		assert_well_formed(doc, om);
		free(doc);
	}
	free(st);
	free(s);
}
