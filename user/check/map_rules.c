// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Mapping rules: reserved-overlap, map-overlap, unmap-unmapped,
 * unmap-partial, unmap-size-mismatch, domain-freed-with-mappings.
 * Interval checks run only on domains whose every map is in the stream
 * (domain_tracked()); reserved-overlap and unmap-size-mismatch need no
 * history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "event/counters.h"

static void resv_finding(struct model *m, const struct m_group *g, const struct m_resv *r,
			 __u64 domain, __u64 iova, __u64 size, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const char *what = ev->kind == ITR_EV_IOCTL ? "a map request" : "a map";
	struct finding f;
	char b[32];

	finding_init(&f, R_RESERVED_OVERLAP);
	f.o.group = g->id;
	f.o.domain = domain;
	f.o.iova = iova;
	f.o.size = size;
	if (ev->kind == ITR_EV_IOCTL) {
		f.o.fd = h->ctx.fd;
		f.o.file_id = h->ctx.file_id;
	}
	if (g->nmembers)
		snprintf(f.o.dev, sizeof(f.o.dev), "%s", g->members[0]->name);
	if (h->ret)	/* refused: the attempt is the finding, one level down */
		f.sev = SEV_WARNING;
	snprintf(f.msg, sizeof(f.msg), "%s of %s at 0x%llx reaches into group %d's %s region 0x%llx-0x%llx%s%s",
		 what, fmt_bytes(b, sizeof(b), size), (unsigned long long)iova, g->id, r->type,
		 (unsigned long long)r->start, (unsigned long long)r->last,
		 h->ret ? " (refused: " : "", h->ret ? "attempt only)" : "");
	finding_event(&f, m, ev);
	model_report(m, &f);
}

void check_reserved_groups(struct model *m, const __s32 *groups, int n, __u64 iova, __u64 size,
			   const struct itr_event *ev)
{
	int i;

	if (!size || iova + (size - 1) < iova)
		return;
	for (i = 0; i < n; i++) {
		const struct m_group *g = group_find(m, groups[i]);
		const struct m_resv *r = group_resv_hit(g, iova, iova + size - 1);

		if (r)
			resv_finding(m, g, r, 0, iova, size, ev);
	}
}

/*
 * A map in a domain against the reserved regions of the groups on it. The
 * kernel's own MSI doorbell mapping (made outside any user operation, into
 * an "msi" region) is how MSIs work behind an IOMMU, not a finding.
 */
void check_reserved_domain(struct model *m, const struct m_domain *d, const struct itr_event *ev)
{
	const struct itr_ev_map *mp = ev->map;
	__u64 len = ev->kind == ITR_EV_MAP_SG ? mp->done : mp->size;
	int i;

	if (!len || mp->iova + (len - 1) < mp->iova)
		return;
	for (i = 0; i < d->ngroups; i++) {
		const struct m_group *g = group_find(m, d->groups[i]);
		const struct m_resv *r = group_resv_hit(g, mp->iova, mp->iova + len - 1);

		if (!r || (!ev->h->ctx.op_id && !strcmp(r->type, "msi")))
			continue;
		resv_finding(m, g, r, d->id, mp->iova, len, ev);
	}
}

void check_map_overlap(struct model *m, const struct m_domain *d, const struct itr_event *ev,
		       const struct iv *hit)
{
	const struct itr_ev_map *mp = ev->map;
	struct finding f;

	finding_init(&f, R_MAP_OVERLAP);
	f.o.domain = d->id;
	f.o.iova = mp->iova;
	f.o.size = ev->kind == ITR_EV_MAP_SG ? mp->done : mp->size;
	if (ev->h->ret)
		f.sev = SEV_WARNING;
	snprintf(f.msg, sizeof(f.msg), "map 0x%llx+0x%llx overlaps the live mapping 0x%llx-0x%llx%s",
		 (unsigned long long)f.o.iova, (unsigned long long)f.o.size,
		 (unsigned long long)hit->start, (unsigned long long)hit->last,
		 ev->h->ret ? " (refused by the kernel)" : " and the kernel accepted it");
	finding_event(&f, m, ev);
	model_report(m, &f);
}

static void unmap_init(struct finding *f, const struct model *m, enum rule_id rule,
		       const struct m_domain *d, const struct itr_event *ev, const char *msg)
{
	finding_init(f, rule);
	f->o.domain = d->id;
	f->o.iova = ev->map->iova;
	f->o.size = ev->map->size;
	snprintf(f->msg, sizeof(f->msg), "%s", msg);
	finding_event(f, m, ev);
}

static void unmap_finding(struct model *m, enum rule_id rule, const struct m_domain *d,
			  const struct itr_event *ev, const char *msg)
{
	struct finding f;

	unmap_init(&f, m, rule, d, ev, msg);
	model_report(m, &f);
}

void check_unmap(struct model *m, const struct m_domain *d, const struct itr_event *ev,
		 const struct iv_removed *r)
{
	const struct itr_ev_map *mp = ev->map;
	char msg[200];

	if (!ev->h->ret && mp->done != mp->size) {
		snprintf(msg, sizeof(msg), "unmap of 0x%llx bytes at 0x%llx unmapped 0x%llx",
			 (unsigned long long)mp->size, (unsigned long long)mp->iova,
			 (unsigned long long)mp->done);
		unmap_finding(m, R_UNMAP_SIZE_MISMATCH, d, ev, msg);
	}
	if (r->gap_bytes) {
		snprintf(msg, sizeof(msg), "%s0x%llx of the 0x%llx bytes unmapped at 0x%llx were not mapped",
			 r->bytes ? "" : "nothing was mapped: ",
			 (unsigned long long)r->gap_bytes, (unsigned long long)(r->bytes + r->gap_bytes),
			 (unsigned long long)mp->iova);
		unmap_finding(m, R_UNMAP_UNMAPPED, d, ev, msg);
	}
	if (r->cut) {
		struct m_op *op = op_find(m, ev->h->ctx.op_id);

		snprintf(msg, sizeof(msg), "unmap 0x%llx+0x%llx cut the mapping 0x%llx-0x%llx, leaving part of it mapped",
			 (unsigned long long)mp->iova, (unsigned long long)mp->size,
			 (unsigned long long)r->first_cut.start, (unsigned long long)r->first_cut.last);
		if (!op && ev->h->ctx.op_id)
			op = op_get(m, ev->h->ctx.op_id, ev->h->ts_ns);
		if (!op) {	/* the kernel's own: judged now */
			unmap_finding(m, R_UNMAP_PARTIAL, d, ev, msg);
			return;
		}
		if (op->partial || !(op->partial = malloc(sizeof(*op->partial))))
			return;
		unmap_init(op->partial, m, R_UNMAP_PARTIAL, d, ev, msg);
		op->partial_domain = d->id;
		op->partial_iv = r->first_cut;
	}
}

/*
 * An operation that cut a mapping ends: if what it cut is still partly
 * mapped, the cut stands (a piecewise unmap of the whole, as type1's
 * superpage probe at VFIO_SET_IOMMU does, is none).
 */
void check_op_partial(struct model *m, struct m_op *op)
{
	const struct m_domain *d;
	struct iv left;

	if (!op->partial)
		return;
	d = domain_find(m, op->partial_domain);
	if (d && d->maps && ivset_find(d->maps, op->partial_iv.start, op->partial_iv.last, &left) == 1)
		model_report(m, op->partial);
	free(op->partial);
	op->partial = NULL;
}

/*
 * A domain freed with live mappings leaked them (error). One whose last
 * mappings were torn down by the kernel, outside any user operation (the
 * release of the VFIO container or iommufd fd), is the orderly unmap-all
 * of a user who closed with DMA still mapped (info).
 */
void check_domain_free(struct model *m, const struct m_domain *d, const struct itr_event *ev)
{
	__u64 live = d->maps ? ivset_count(d->maps) : 0;
	struct finding f;
	char b[32];

	if (!domain_tracked(m, d) || d->type != ITR_DOM_UNMANAGED)
		return;
	if (!live && !d->kunmap_count)
		return;
	finding_init(&f, R_DOMAIN_FREED_WITH_MAPPINGS);
	f.o.domain = d->id;
	f.o.hwpt = d->hwpt_id;
	f.o.bytes = live ? ivset_bytes(d->maps) : d->kunmap_bytes;
	if (live) {
		snprintf(f.msg, sizeof(f.msg), "leak: domain freed with %llu mappings (%s) still live",
			 (unsigned long long)live, fmt_bytes(b, sizeof(b), ivset_bytes(d->maps)));
	} else {
		f.sev = SEV_INFO;
		snprintf(f.msg, sizeof(f.msg), "orderly unmap-all on release: the kernel unmapped %llu mappings (%s) left live when the owner's fd was closed",
			 (unsigned long long)d->kunmap_count, fmt_bytes(b, sizeof(b), d->kunmap_bytes));
	}
	finding_event(&f, m, ev);
	model_report(m, &f);
}
