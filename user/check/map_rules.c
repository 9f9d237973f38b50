// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Mapping rules: reserved-overlap, map-overlap, unmap-unmapped,
 * unmap-partial, unmap-size-mismatch, domain-freed-with-mappings.
 * Interval checks judge only domains whose every map is in the stream
 * (domain_tracked()); reserved-overlap and unmap-size-mismatch need no
 * history.
 */
#include <stdio.h>
#include <string.h>
#include "check/rules.h"
#include "lib/fmt.h"

static void resv_finding(struct checker *c, const struct model *m, const struct m_group *g,
			 const struct m_resv *r, __u64 domain, __u64 iova, __u64 size,
			 const struct itr_event *ev)
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
	checker_report(c, &f);
}

/* A user's map request (MC_MAP_REQUEST) against the reserved regions of its groups. */
static void reserved_request(struct checker *c, const struct model *m, const struct m_change *ch)
{
	int i;

	if (!ch->size || ch->iova + (ch->size - 1) < ch->iova)
		return;
	for (i = 0; i < ch->ngroups; i++) {
		const struct m_group *g = group_find(m, ch->groups[i]);
		const struct m_resv *r = group_resv_hit(g, ch->iova, ch->iova + ch->size - 1);

		if (r)
			resv_finding(c, m, g, r, 0, ch->iova, ch->size, ch->ev);
	}
}

static __u64 map_len(const struct itr_event *ev)
{
	return ev->kind == ITR_EV_MAP_SG ? ev->map->done : ev->map->size;
}

/*
 * reserved-overlap: a map in a domain (MC_MAP) against the reserved regions
 * of the groups on it, or a user's request (MC_MAP_REQUEST). The kernel's
 * own MSI doorbell mapping (made outside any user operation, into an "msi"
 * region) is how MSIs work behind an IOMMU, not a finding.
 */
void rule_reserved_overlap(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_domain *d = ch->domain;
	const struct itr_ev_map *mp;
	__u64 len;
	int i;

	if (ch->kind == MC_MAP_REQUEST) {
		reserved_request(c, m, ch);
		return;
	}
	mp = ch->ev->map;
	len = map_len(ch->ev);
	if (!len || mp->iova + (len - 1) < mp->iova)
		return;
	for (i = 0; i < d->ngroups; i++) {
		const struct m_group *g = group_find(m, d->groups[i]);
		const struct m_resv *r = group_resv_hit(g, mp->iova, mp->iova + len - 1);

		if (!r || (!ch->ev->h->ctx.op_id && !strcmp(r->type, "msi")))
			continue;
		resv_finding(c, m, g, r, d->id, mp->iova, len, ch->ev);
	}
}

void rule_map_overlap(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct itr_event *ev = ch->ev;
	struct finding f;

	if (!domain_tracked(m, ch->domain))
		return;
	finding_init(&f, R_MAP_OVERLAP);
	f.o.domain = ch->domain->id;
	f.o.iova = ev->map->iova;
	f.o.size = map_len(ev);
	if (ev->h->ret)
		f.sev = SEV_WARNING;
	snprintf(f.msg, sizeof(f.msg), "map 0x%llx+0x%llx overlaps the live mapping 0x%llx-0x%llx%s",
		 (unsigned long long)f.o.iova, (unsigned long long)f.o.size,
		 (unsigned long long)ch->hit->start, (unsigned long long)ch->hit->last,
		 ev->h->ret ? " (refused by the kernel)" : " and the kernel accepted it");
	finding_event(&f, m, ev);
	checker_report(c, &f);
}

static void unmap_init(struct finding *f, const struct model *m, enum rule_id rule,
		       const struct m_change *ch, const char *msg)
{
	finding_init(f, rule);
	f->o.domain = ch->domain->id;
	f->o.iova = ch->ev->map->iova;
	f->o.size = ch->ev->map->size;
	snprintf(f->msg, sizeof(f->msg), "%s", msg);
	finding_event(f, m, ch->ev);
}

static void unmap_finding(struct checker *c, const struct model *m, enum rule_id rule,
			  const struct m_change *ch, const char *msg)
{
	struct finding f;

	unmap_init(&f, m, rule, ch, msg);
	checker_report(c, &f);
}

void rule_unmap_size_mismatch(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct itr_ev_map *mp = ch->ev->map;
	char msg[200];

	if (!domain_tracked(m, ch->domain) || ch->ev->h->ret || mp->done == mp->size)
		return;
	snprintf(msg, sizeof(msg), "unmap of 0x%llx bytes at 0x%llx unmapped 0x%llx",
		 (unsigned long long)mp->size, (unsigned long long)mp->iova,
		 (unsigned long long)mp->done);
	unmap_finding(c, m, R_UNMAP_SIZE_MISMATCH, ch, msg);
}

void rule_unmap_unmapped(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct iv_removed *r = ch->removed;
	char msg[200];

	if (!domain_tracked(m, ch->domain) || !r->gap_bytes)
		return;
	snprintf(msg, sizeof(msg), "%s0x%llx of the 0x%llx bytes unmapped at 0x%llx were not mapped",
		 r->bytes ? "" : "nothing was mapped: ",
		 (unsigned long long)r->gap_bytes, (unsigned long long)(r->bytes + r->gap_bytes),
		 (unsigned long long)ch->ev->map->iova);
	unmap_finding(c, m, R_UNMAP_UNMAPPED, ch, msg);
}

/*
 * unmap-partial: an unmap cut a mapping (MC_UNMAP). The kernel's own cut is
 * judged at once; a user operation's at its end (MC_OP_END): if what it cut
 * is still partly mapped, the cut stands (a piecewise unmap of the whole,
 * as type1's superpage probe at VFIO_SET_IOMMU does, is none).
 */
void rule_unmap_partial(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct iv_removed *r = ch->removed;
	struct check_pending *p;
	const struct m_domain *d;
	struct iv left;
	char msg[200];

	if (ch->kind == MC_OP_END) {
		if (!(p = checker_pending(c, ch->op_id, false)))
			return;
		d = domain_find(m, p->domain);
		if (d && d->maps && ivset_find(d->maps, p->iv.start, p->iv.last, &left) == 1)
			checker_report(c, &p->f);
		checker_pending_drop(c, ch->op_id);
		return;
	}
	if (!domain_tracked(m, ch->domain) || !r->cut)
		return;
	snprintf(msg, sizeof(msg), "unmap 0x%llx+0x%llx cut the mapping 0x%llx-0x%llx, leaving part of it mapped",
		 (unsigned long long)ch->ev->map->iova, (unsigned long long)ch->ev->map->size,
		 (unsigned long long)r->first_cut.start, (unsigned long long)r->first_cut.last);
	if (!ch->op_id) {	/* the kernel's own: judged now */
		unmap_finding(c, m, R_UNMAP_PARTIAL, ch, msg);
		return;
	}
	if (checker_pending(c, ch->op_id, false) || !(p = checker_pending(c, ch->op_id, true)))
		return;		/* the operation's first cut is the one judged */
	unmap_init(&p->f, m, R_UNMAP_PARTIAL, ch, msg);
	p->domain = ch->domain->id;
	p->iv = r->first_cut;
}

/*
 * domain-freed-with-mappings: a domain freed with live mappings leaked
 * them (error). One whose last mappings were torn down by the kernel,
 * outside any user operation (the release of the VFIO container or
 * iommufd fd), is the orderly unmap-all of a user who closed with DMA
 * still mapped (info).
 */
void rule_domain_freed_with_mappings(struct checker *c, const struct model *m,
				     const struct m_change *ch)
{
	const struct m_domain *d = ch->domain;
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
	finding_event(&f, m, ch->ev);
	checker_report(c, &f);
}
