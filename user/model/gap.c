// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Gaps in the stream (user/model/model.h, struct m_gaps): which state the
 * lost records may have touched, by kind, and the objects whose state the
 * model stops trusting until it is known again.
 */
#include "model/model.h"

/* What a lost record of each kind may leave wrong, by kind. */
static const __u32 kind_what[ITR_LOST_KINDS] = {
	[ITR_EV_DOMAIN_ALLOC]	= MG_MAPS | MG_ATTACH,
	[ITR_EV_DOMAIN_FREE]	= MG_MAPS | MG_ATTACH,
	[ITR_EV_ATTACH]		= MG_ATTACH,
	[ITR_EV_DETACH]		= MG_ATTACH,
	[ITR_EV_PASID_ATTACH]	= MG_PASID,
	[ITR_EV_PASID_DETACH]	= MG_PASID,
	[ITR_EV_PASID_REPLACE]	= MG_PASID,
	[ITR_EV_MAP]		= MG_MAPS,
	[ITR_EV_MAP_SG]		= MG_MAPS,
	[ITR_EV_UNMAP]		= MG_MAPS,
	[ITR_EV_UNMAP_FAST]	= MG_MAPS,
	[ITR_EV_GROUP_ADD]	= MG_ATTACH,
	[ITR_EV_GROUP_REMOVE]	= MG_ATTACH,
	[ITR_EV_FAULT]		= 0,	/* no state */
	[ITR_EV_IOCTL]		= 0,	/* operations: every gap suspends those in flight */
	[ITR_EV_LOCKED]		= 0,	/* no rule reads it */
	[ITR_EV_HWPT_DOMAIN]	= MG_ATTACH,
	[ITR_EV_OPEN]		= MG_ATTACH,
	[ITR_EV_CLOSE]		= MG_ATTACH,
	[ITR_EV_UNBIND]		= MG_ATTACH,
};

bool group_gap(const struct m_group *g)
{
	int i;

	if (g->gap)
		return true;
	for (i = 0; i < g->nmembers; i++)
		if (g->members[i]->gap)
			return true;
	return false;
}

void model_gap(struct model *m, const struct lost_diff *d, __u64 ts_ns)
{
	struct m_gaps *gp = &m->gaps;
	__u32 what = d->unknown ? MG_MAPS | MG_ATTACH | MG_PASID : 0;
	struct m_domain *dom;
	struct m_device *dev;
	struct m_group *g;
	struct m_op *op;
	size_t pos;
	int k;

	if (!d->total)
		return;
	gp->n++;
	gp->lost += d->total;
	gp->unknown += d->unknown;
	m->lost += d->total;
	for (k = 0; k < ITR_LOST_KINDS; k++) {
		gp->by_kind[k] += d->by_kind[k];
		if (d->by_kind[k])
			what |= kind_what[k];
	}
	gp->what |= what;
	gp->last_ns = ts_ns ?: 1;
	/* operations in flight: their windows and objects may lack records */
	for (pos = 0; (op = htab_next(&m->ops, &pos, NULL));)
		if (!op->gap && (op->gap = true))
			gp->ops++;
	if (what & MG_MAPS)
		for (pos = 0; (dom = htab_next(&m->domains, &pos, NULL));)
			if (!dom->gap && (dom->gap = true))
				gp->domains++;
	if (what & MG_ATTACH)
		for (pos = 0; (g = htab_next(&m->groups, &pos, NULL));)
			if (!g->gap && (g->gap = true))
				gp->groups++;
	for (pos = 0; (dev = htab_next(&m->devices, &pos, NULL));) {
		if ((what & MG_ATTACH) && !dev->gap && (dev->gap = true))
			gp->devices++;
		if ((what & MG_PASID) && !dev->pasid_gap && (dev->pasid_gap = true))
			gp->pasid_devices++;
	}
}
