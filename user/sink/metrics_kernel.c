// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The metrics read from the kernel at a scrape (user/sink/metrics_kernel.h):
 * the per-CPU counters, the operation and ioctl statistics with their
 * log2 histograms, and what the live loader knows (probe states, the ring
 * buffer's fill, the programs' run time).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event/ioctl.h"
#include "event/stats.h"
#include "lib/util.h"
#include "sink/metrics_kernel.h"

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

void metrics_render_counters(struct prom *p, const struct itr_counters *c, const __u64 *source_lost)
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
		if (f == CF_LOST && source_lost) {
			l = (struct prom_label){ "reason", "source" };
			prom_sample_u64(p, cfams[f].name, &l, 1, *source_lost);
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

int metrics_render_stats(struct prom *p, const struct stats *st, __u64 *ioctls_folded)
{
	render_ops(p, st);
	return render_ioctls(p, st, ioctls_folded);
}

void metrics_render_loader(struct prom *p, const struct loader *l)
{
	render_probes(p, l);
	render_ringbuf(p, l);
	render_programs(p, l);
}
