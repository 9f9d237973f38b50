// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck log WORKLOAD.jsonl TRACE
 *   Every successful map and unmap the workload logged that must reach an
 *   IOMMU domain (type1 always; iommufd when its IOAS has a device
 *   attached) must be covered by map/unmap tracepoint events inside its
 *   IOVA range and inside its time window (from the op's ts_ns to the next
 *   op's; TRACE must use trace_clock "mono"), each event used once; every
 *   attaching op must have an attach_device_to_domain event in its window
 *   (unless it joins a group already on that HWPT: groups attach).
 *   Unmap-all is checked by counts only. A log with nothing to compare
 *   fails.
 * tpcheck log WORKLOAD.jsonl EVENTS.jsonl
 *   The same, against `iommutrace trace --json` events (same clock);
 *   attaches must also name a device of the logged device's group, and
 *   every map/unmap used must be on a domain the trace saw attached.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tpcheck.h"

/* The tracepoint kind a logged op must produce. */
static const struct name_kind op_kinds[] = {
	{ "IOMMU_IOAS_MAP",		K_MAP },
	{ "IOMMU_IOAS_UNMAP",		K_UNMAP },
	{ "VFIO_DEVICE_ATTACH_IOMMUFD_PT", K_ATTACH },
	{ "VFIO_IOMMU_MAP_DMA",		K_MAP },
	{ "VFIO_IOMMU_UNMAP_DMA",	K_UNMAP },
	{ "VFIO_SET_IOMMU",		K_ATTACH },
};

/*
 * Use unused events of one kind inside [iova, iova+size) and inside the
 * time window [t0, t1) until size bytes are covered.
 */
static uint64_t cover(struct evs *e, uint64_t t0, uint64_t t1, uint64_t iova, uint64_t size)
{
	uint64_t got = 0;
	size_t i;

	for (i = 0; i < e->n && got < size; i++) {
		struct ev *x = &e->v[i];

		if (!x->used && x->ts >= t0 && x->ts < t1 && x->iova >= iova &&
		    x->iova - iova < size) {
			x->used = true;
			got += x->size;
		}
	}
	return got;
}

/*
 * Use one unused attach event inside [t0, t1) of a device in GROUP (any
 * device when GROUP < 0); false if there is none.
 */
static bool attach_any(struct evs *e, uint64_t t0, uint64_t t1, int group)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!e->v[i].used && e->v[i].ts >= t0 && e->v[i].ts < t1 &&
		    (group < 0 || sysfs_group(e->v[i].dev) == group)) {
			e->v[i].used = true;
			return true;
		}
	return false;
}

/*
 * iommutrace events only: every map/unmap event that covered a logged op
 * must be on a domain that an attach event before it put a device on.
 */
static unsigned long unattached_domains(const struct evs tp[K_NR])
{
	unsigned long bad = 0;
	size_t i, j;
	int k;

	for (k = K_MAP; k <= K_UNMAP; k++)
		for (i = 0; i < tp[k].n; i++) {
			const struct ev *x = &tp[k].v[i];
			bool seen = false;

			for (j = 0; x->used && !seen && j < tp[K_ATTACH].n; j++)
				seen = tp[K_ATTACH].v[j].domain == x->domain && tp[K_ATTACH].v[j].ts <= x->ts;
			if (x->used && !seen) {
				bad++;
				printf("  %s event iova=0x%" PRIx64 " on domain %016" PRIx64
				       " that no attach event put a device on\n", kind_name[k], x->iova, x->domain);
			}
		}
	return bad;
}

struct log_tally {
	unsigned long logged[K_NR], missing[K_NR];
};

/*
 * Line I of the log (op OP, kind K) against TP: 0, or 2 when it lacks a
 * field it needs (said on stderr).
 */
static int log_op(const char *log, const struct jsonl *l, size_t i, const char *op, int k,
		  const struct wlog_state *st, struct evs tp[K_NR], struct log_tally *t)
{
	json_object *o = l->v[i];
	bool ok = true, iommufd = !strncmp(op, "IOMMU_", 6);
	uint64_t t0 = jnum(o, "ts_ns", &ok), t1, iova, size, got;

	t1 = i + 1 < l->n ? jnum(l->v[i + 1], "ts_ns", &ok) : UINT64_MAX;
	if (!ok) {
		fprintf(stderr, "tpcheck: %s:%zu: %s without ts_ns\n", log, i + 1, op);
		return 2;
	}
	/* the trace clock has microseconds */
	t0 -= t0 % 1000;
	if (k == K_ATTACH) {
		t->logged[k]++;
		if (!attach_any(&tp[k], t0, t1, wlog_group(o))) {
			t->missing[k]++;
			printf("  %s:%zu %s: no attach_device_to_domain event\n", log, i + 1, op);
		}
		return 0;
	}
	/* VFIO ops log "size", iommufd ops "len" */
	iova = jnum(o, "iova", &ok);
	size = json_object_object_get_ex(o, "size", NULL) ? jnum(o, "size", &ok) : jnum(o, "len", &ok);
	if (!ok) {
		fprintf(stderr, "tpcheck: %s:%zu: %s without iova and size/len\n", log, i + 1, op);
		return 2;
	}
	/* unmap-all: counts only; iommufd without a device: no domain */
	if (!size || size == UINT64_MAX || (iommufd && !wlog_ioas_attached(st, wlog_id(o, "ioas_id"))))
		return 0;
	t->logged[k]++;
	if ((got = cover(&tp[k], t0, t1, iova, size)) < size) {
		t->missing[k]++;
		printf("  %s:%zu %s iova=0x%" PRIx64 " size=%" PRIu64 ": tracepoints cover only %" PRIu64
		       " bytes\n", log, i + 1, kind_name[k], iova, size, got);
	}
	return 0;
}

static int check_log(const char *log, struct evset *s)
{
	struct log_tally t = {};
	struct wlog_state st = {};
	struct jsonl l;
	size_t i;
	int bad = 0, k, ret = 2;

	if (jsonl_read(log, &l))
		goto cleanup;
	for (i = 0; i < l.n; i++) {
		const char *op = jstr(l.v[i], "op");
		json_object *ret_v;
		bool reaches;

		if (!op)
			continue;
		reaches = strcmp(op, "VFIO_DEVICE_ATTACH_IOMMUFD_PT") || wlog_attach_reaches_iommu(&st, l.v[i]);
		wlog_track(&st, op, l.v[i]);
		/* only successful ops */
		if (!reaches || (k = name_kind(op_kinds, ARRAY_SIZE(op_kinds), op)) < 0 ||
		    !json_object_object_get_ex(l.v[i], "ret", &ret_v) || json_object_get_int64(ret_v))
			continue;
		if (log_op(log, &l, i, op, k, &st, s->k, &t))
			goto cleanup;
	}
	if (!t.logged[K_MAP] && !t.logged[K_UNMAP] && !t.logged[K_ATTACH]) {
		printf("nothing to compare: %s logged no map, unmap or attach that reaches a domain\n", log);
		ret = 1;
		goto cleanup;
	}
	for (k = 0; k < K_NR; k++) {
		bool fine = !t.missing[k] && s->k[k].n >= t.logged[k];

		printf("%-6s logged %lu, traced %zu%s\n", kind_name[k], t.logged[k], s->k[k].n,
		       fine ? "" : t.missing[k] ? ", NOT COVERED" : ", TOO FEW EVENTS");
		bad |= !fine;
	}
	if (s->json && unattached_domains(s->k))
		bad = 1;
	ret = bad;
cleanup:
	jsonl_free(&l);
	return ret;
}

int cmd_log(const char *log, const char *source)
{
	struct evset s = {};
	int ret = 2;

	if (!source_read(source, &s))
		ret = check_log(log, &s);
	evset_free(&s);
	return ret;
}
