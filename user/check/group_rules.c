// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Group rules: stale-hwpt-view, group-split, group-changed-during-attach.
 * An IOMMU group is the unit of isolation: every device in it shares one
 * domain, whichever device's fd asked for the change.
 */
#include <stdio.h>
#include <string.h>
#include "check/rules.h"

/*
 * stale-hwpt-view: device d's VFIO fd attached to HWPT A (d was then on
 * domain A), and the group has since moved to B through another device's
 * attach or replace. iommufd and VFIO still report A for d.
 */
static void stale_hwpt_view(struct model *m, const struct m_group *g, const struct m_device *d,
			    const struct itr_event *ev)
{
	struct finding f;

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
	model_report(m, &f);
}

static void group_split(struct model *m, const struct m_group *g, const struct m_device *a,
			const struct m_device *b, const struct itr_event *ev)
{
	struct finding f;

	finding_init(&f, R_GROUP_SPLIT);
	snprintf(f.o.dev, sizeof(f.o.dev), "%s", a->name);
	snprintf(f.o.dev2, sizeof(f.o.dev2), "%s", b->name);
	f.o.group = g->id;
	f.o.domain = a->domain_id;
	f.o.domain2 = b->domain_id;
	snprintf(f.msg, sizeof(f.msg), "group %d is split: %s and %s are on different domains",
		 g->id, a->name, b->name);
	finding_event(&f, m, ev);
	model_report(m, &f);
}

void check_group_consistent(struct model *m, __s32 group, const struct itr_event *ev)
{
	const struct m_group *g = group_find(m, group);
	const struct m_device *first = NULL;
	int i;

	if (!g)
		return;
	for (i = 0; i < g->nmembers; i++) {
		const struct m_device *d = g->members[i];

		if (!d->domain_id)
			continue;
		if (!first)
			first = d;
		else if (d->domain_id != first->domain_id)
			group_split(m, g, first, d, ev);
		if (d->view_hwpt && d->view_domain && d->view_domain != d->domain_id)
			stale_hwpt_view(m, g, d, ev);
	}
}

static void group_changed(struct model *m, const struct m_group *g, const struct itr_event *ev)
{
	struct finding f;

	finding_init(&f, R_GROUP_CHANGED_DURING_ATTACH);
	snprintf(f.o.dev, sizeof(f.o.dev), "%s", g->changed_dev);
	f.o.group = g->id;
	snprintf(f.msg, sizeof(f.msg), "%s %s group %d while an attach of the group was in flight",
		 g->changed_dev, g->changed_add ? "joined" : "left", g->id);
	finding_event(&f, m, ev);
	model_report(m, &f);
}

static bool op_has_group(const struct m_op *op, __s32 group)
{
	int i;

	for (i = 0; i < op->ngroups; i++)
		if (op->groups[i] == group)
			return true;
	return false;
}

/* A membership change: is an operation attaching this group still open? */
void check_group_changed(struct model *m, const struct m_group *g, const struct itr_event *ev)
{
	const struct m_op *op;
	size_t pos = 0;

	while ((op = htab_next(&m->ops, &pos, NULL)))
		if (op_has_group(op, g->id) && op->id != ev->h->ctx.op_id) {
			group_changed(m, g, ev);
			return;
		}
}

/* At an attach operation's end: did a group it attached change during it? */
void check_op_attach_window(struct model *m, const struct m_op *op, const struct itr_event *ioctl)
{
	__u64 end = ioctl->h->ts_ns, start = end - ioctl->ioctl->latency_ns;
	int i;

	if (op->first_ns < start)
		start = op->first_ns;
	for (i = 0; i < op->ngroups; i++) {
		const struct m_group *g = group_find(m, op->groups[i]);

		if (g && g->changed_ns >= start && g->changed_ns <= end && g->changed_op != op->id)
			group_changed(m, g, ioctl);
	}
}
