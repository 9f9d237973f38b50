// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Group rules: stale-hwpt-view, group-split, group-changed-during-attach.
 * An IOMMU group is the unit of isolation: every device in it shares one
 * domain, whichever device's fd asked for the change.
 */
#include <stdio.h>
#include <string.h>
#include "check/rules.h"
#include "lib/set.h"

/*
 * stale-hwpt-view: device d's VFIO fd attached to HWPT A (d was then on
 * domain A), and the group has since moved to B through another device's
 * attach or replace. iommufd and VFIO still report A for d.
 */
void rule_stale_hwpt_view(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_group *g = ch->group;
	const struct itr_event *ev = ch->ev;
	struct finding f;
	int i;

	for (i = 0; i < g->nmembers; i++) {
		const struct m_device *d = g->members[i];

		if (!d->domain_id || !d->view_hwpt || !d->view_domain || d->view_domain == d->domain_id)
			continue;
		finding_init(&f, R_STALE_HWPT_VIEW);
		snprintf(f.o.dev, sizeof(f.o.dev), "%s", d->name);
		if (ev->h->dev[0] && strcmp(ev->h->dev, d->name))
			snprintf(f.o.dev2, sizeof(f.o.dev2), "%s", ev->h->dev);
		f.o.group = g->id;
		f.o.hwpt = d->view_hwpt;
		f.o.hwpt2 = hwpt_of_domain(m, d->domain_id);
		f.o.domain = d->view_domain;
		f.o.domain2 = d->domain_id;
		f.o.fd = d->fd;
		f.o.file_id = d->file_id;
		if (f.o.hwpt2)
			snprintf(f.msg, sizeof(f.msg), "%s's fd still attaches it to HWPT %u, but group %d moved to HWPT %u%s%s",
				 d->name, d->view_hwpt, g->id, f.o.hwpt2, f.o.dev2[0] ? " by " : "", f.o.dev2);
		else
			snprintf(f.msg, sizeof(f.msg), "%s's fd still attaches it to HWPT %u, but group %d moved to another domain%s%s",
				 d->name, d->view_hwpt, g->id, f.o.dev2[0] ? " by " : "", f.o.dev2);
		finding_event(&f, m, ev);
		checker_report(c, &f);
	}
}

/* group-split: members with a known domain that differs from the first one's. */
void rule_group_split(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_group *g = ch->group;
	const struct m_device *first = NULL;
	struct finding f;
	int i;

	for (i = 0; i < g->nmembers; i++) {
		const struct m_device *d = g->members[i];

		if (!d->domain_id)
			continue;
		if (!first) {
			first = d;
			continue;
		}
		if (d->domain_id == first->domain_id)
			continue;
		finding_init(&f, R_GROUP_SPLIT);
		snprintf(f.o.dev, sizeof(f.o.dev), "%s", first->name);
		snprintf(f.o.dev2, sizeof(f.o.dev2), "%s", d->name);
		f.o.group = g->id;
		f.o.domain = first->domain_id;
		f.o.domain2 = d->domain_id;
		snprintf(f.msg, sizeof(f.msg), "group %d is split: %s and %s are on different domains",
			 g->id, first->name, d->name);
		finding_event(&f, m, ch->ev);
		checker_report(c, &f);
	}
}

static void group_changed(struct checker *c, const struct model *m, const struct m_group *g,
			  const struct itr_event *ev)
{
	struct finding f;

	finding_init(&f, R_GROUP_CHANGED_DURING_ATTACH);
	snprintf(f.o.dev, sizeof(f.o.dev), "%s", g->changed_dev);
	f.o.group = g->id;
	snprintf(f.msg, sizeof(f.msg), "%s %s group %d while an attach of the group was in flight",
		 g->changed_dev, g->changed_add ? "joined" : "left", g->id);
	finding_event(&f, m, ev);
	checker_report(c, &f);
}

/*
 * group-changed-during-attach: a membership change while another operation
 * attaching the group is open (MC_GROUP_MEMBERS), or found at such an
 * operation's end within its window (MC_OP_END).
 */
void rule_group_changed_during_attach(struct checker *c, const struct model *m,
				      const struct m_change *ch)
{
	const struct itr_event *ev = ch->ev;
	const struct m_op *op;
	__u64 start, end;
	size_t pos = 0;
	int i;

	if (ch->kind == MC_GROUP_MEMBERS) {
		while ((op = htab_next(&m->ops, &pos, NULL)))
			if (SET_HAS(op->groups, op->ngroups, ch->group->id) && op->id != ev->h->ctx.op_id) {
				group_changed(c, m, ch->group, ev);
				return;
			}
		return;
	}
	if (!(op = ch->op))
		return;
	end = ev->h->ts_ns;
	start = end - ev->ioctl->latency_ns;
	if (op->first_ns < start)
		start = op->first_ns;
	for (i = 0; i < op->ngroups; i++) {
		const struct m_group *g = group_find(m, op->groups[i]);

		if (g && g->changed_ns >= start && g->changed_ns <= end && g->changed_op != op->id)
			group_changed(c, m, g, ev);
	}
}
