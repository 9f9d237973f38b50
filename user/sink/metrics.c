// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace's metrics (user/sink/metrics.h; docs/metrics.md). */
#include <stdio.h>
#include "check/rules.h"
#include "lib/util.h"
#include "sink/metrics.h"

/* The BPF counters, by number: family, and the label that tells them apart. */
static const struct {
	const char *family;
	const char *label, *value;	/* NULL: none */
} counter_metric[ITR_CNT_MAX] = {
	[ITR_CNT_ATTACH]	= { "iommutrace_operations_total", "op", "attach" },
	[ITR_CNT_GROUP_ADD]	= { "iommutrace_operations_total", "op", "group_add" },
	[ITR_CNT_GROUP_REMOVE]	= { "iommutrace_operations_total", "op", "group_remove" },
	[ITR_CNT_MAP]		= { "iommutrace_operations_total", "op", "map" },
	[ITR_CNT_MAP_BYTES]	= { "iommutrace_mapped_bytes_total", NULL, NULL },
	[ITR_CNT_UNMAP]		= { "iommutrace_operations_total", "op", "unmap" },
	[ITR_CNT_UNMAP_BYTES]	= { "iommutrace_unmapped_bytes_total", NULL, NULL },
	[ITR_CNT_EMITTED]	= { "iommutrace_events_emitted_total", NULL, NULL },
	[ITR_CNT_LOST]		= { "iommutrace_events_lost_total", "reason", "ringbuf_full" },
	[ITR_CNT_FILTERED]	= { "iommutrace_events_filtered_total", NULL, NULL },
	[ITR_CNT_DMA_API]	= { "iommutrace_dma_api_operations_total", NULL, NULL },
	[ITR_CNT_DMA_API_BYTES]	= { "iommutrace_dma_api_bytes_total", NULL, NULL },
};

/* The families, in the order they are shown. */
static const struct {
	const char *name;
	enum prom_type type;
	const char *help;
} families[] = {
	{ "iommutrace_operations_total", PROM_COUNTER,
	  "IOMMU core operations, counted per CPU in the kernel at the iommu tracepoints, by kind" },
	{ "iommutrace_mapped_bytes_total", PROM_COUNTER, "Bytes mapped (iommu:map sizes)" },
	{ "iommutrace_unmapped_bytes_total", PROM_COUNTER, "Bytes unmapped (iommu:unmap unmapped sizes)" },
	{ "iommutrace_dma_api_operations_total", PROM_COUNTER,
	  "Maps and unmaps of the kernel's own DMA-API domains, counted and not sent" },
	{ "iommutrace_dma_api_bytes_total", PROM_COUNTER, "Bytes of the DMA-API domains' maps and unmaps" },
	{ "iommutrace_events_emitted_total", PROM_COUNTER, "Records written to the ring buffer" },
	{ "iommutrace_events_lost_total", PROM_COUNTER, "Records lost, by reason" },
	{ "iommutrace_events_filtered_total", PROM_COUNTER, "Records dropped by a BPF filter" },
};

static void render_counters(struct prom *p, const struct itr_counters *c)
{
	int f, k;

	for (f = 0; f < ARRAY_SIZE(families); f++) {
		prom_family(p, families[f].name, families[f].type, families[f].help);
		for (k = 0; k < ITR_CNT_MAX; k++) {
			if (counter_metric[k].family != families[f].name)
				continue;
			if (counter_metric[k].label)
				prom_sample(p, families[f].name, c->v[k], 1, counter_metric[k].label,
					    counter_metric[k].value);
			else
				prom_sample(p, families[f].name, c->v[k], 0);
		}
	}
}

static void render_probes(struct prom *p, const struct loader *l)
{
	int i;

	prom_family(p, "iommutrace_probe_attached", PROM_GAUGE,
		    "1 when the probe-table row is attached, by row and method (docs/targets.md)");
	for (i = 0; i < itr_ntargets; i++) {
		const struct target_state *s = &l->targets[i];

		if (s->method == METHOD_SUPERSEDED || s->method == METHOD_OFF)
			continue;
		prom_sample(p, "iommutrace_probe_attached", s->method != METHOD_NONE, 2,
			    "probe", s->t->name, "method", method_name(s->method));
	}
}

static void render_findings(struct prom *p, const struct checker *c)
{
	int s;

	prom_family(p, "iommutrace_findings_total", PROM_COUNTER,
		    "Findings of the checker (first occurrences; repeats are counted apart), by severity");
	for (s = 0; s < FINDING_NSEV; s++)
		prom_sample(p, "iommutrace_findings_total", c->nfindings[s], 1, "severity", sev_str(s));
	prom_family(p, "iommutrace_finding_repeats_total", PROM_COUNTER,
		    "Repeats of findings already reported");
	prom_sample(p, "iommutrace_finding_repeats_total", c->suppressed, 0);
}

int metrics_render(struct prom *p, const struct metrics_view *v)
{
	char abi[16];

	snprintf(abi, sizeof(abi), "%d", ITR_ABI_VERSION);
	prom_family(p, "iommutrace_build_info", PROM_GAUGE, "iommutrace's version and event ABI");
	prom_sample(p, "iommutrace_build_info", 1, 2, "version", v->version, "abi", abi);
	prom_family(p, "iommutrace_counters_up", PROM_GAUGE,
		    "1 when the in-kernel counters could be read for this scrape");
	prom_sample(p, "iommutrace_counters_up", v->counters != NULL, 0);
	if (v->counters)
		render_counters(p, v->counters);
	if (v->loader && v->loader->targets)
		render_probes(p, v->loader);
	if (v->checker)
		render_findings(p, v->checker);
	return prom_end(p);
}
