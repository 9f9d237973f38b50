// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Suspension after a gap (check/rules.h, enum rule_needs): may a rule
 * judge a change, or does it need state the model stopped trusting when
 * records were lost (model/gap.c)? The checker asks before every judge.
 */
#include "check/rules.h"

/* Any group of a set whose domain may be wrong. */
static bool groups_gap(const struct model *m, const __s32 *groups, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct m_group *g = group_find(m, groups[i]);

		if (g && group_gap(g))
			return true;
	}
	return false;
}

static bool attach_gap(const struct model *m, const struct m_change *ch)
{
	if (ch->dev && ch->dev->gap)
		return true;
	if (ch->group && group_gap(ch->group))
		return true;
	if (ch->domain && groups_gap(m, ch->domain->groups, ch->domain->ngroups))
		return true;
	return ch->groups && groups_gap(m, ch->groups, ch->ngroups);
}

/* The operation began before the latest gap was seen, or was in flight at one. */
static bool ops_gap(const struct model *m, const struct m_change *ch)
{
	const struct itr_event *ev = ch->ev;
	const struct m_op *op;
	size_t pos = 0;
	__u64 start;

	if (!m->gaps.last_ns)
		return false;
	if (ch->op && ch->op->gap)
		return true;
	if (ch->kind == MC_OP_END) {
		start = ev->h->ts_ns;
		if (ev->kind == ITR_EV_IOCTL && ev->ioctl->latency_ns < start)
			start -= ev->ioctl->latency_ns;
		if (ch->op && ch->op->first_ns < start)
			start = ch->op->first_ns;
		return start <= m->gaps.last_ns;
	}
	if (ch->kind == MC_GROUP_MEMBERS)	/* judged against the operations in flight */
		while ((op = htab_next(&m->ops, &pos, NULL)))
			if (op->gap)
				return true;
	return false;
}

bool rule_suspended(const struct model *m, __u32 needs, const struct m_change *ch)
{
	if (!m->gaps.n)
		return false;
	if ((needs & NEED_MAPS) && ch->domain && ch->domain->gap)
		return true;
	if ((needs & NEED_ATTACH) && attach_gap(m, ch))
		return true;
	if ((needs & NEED_PASID) && ch->dev && ch->dev->pasid_gap)
		return true;
	return (needs & NEED_OPS) && ops_gap(m, ch);
}
