// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * PASID rules: pasid-reuse, pasid-without-parent, detach-ambiguous,
 * detach-not-propagated. A PASID domain is what the old auxiliary-domain
 * API attached; a RID detach cannot say which of a device's attachments
 * it meant, and a PASID detach that never reaches the core leaves DMA
 * tagged with that PASID translated.
 */
#include <stdio.h>
#include <string.h>
#include "check/rules.h"
#include "lib/set.h"

static void dev_finding(struct finding *f, enum rule_id r, const struct m_device *d, __u32 pasid)
{
	finding_init(f, r);
	snprintf(f->o.dev, sizeof(f->o.dev), "%s", d->name);
	f->o.group = d->group_id;
	f->o.pasid = pasid;
}

/* pasid-reuse: a PASID attached to a second domain without a detach. */
void rule_pasid_reuse(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct itr_event *ev = ch->ev;
	const struct m_pasid *p = device_pasid(ch->dev, ch->pasid);
	struct finding f;

	if (!p || p->domain_id == ev->h->domain_id)
		return;
	dev_finding(&f, R_PASID_REUSE, ch->dev, ch->pasid);
	f.o.domain = p->domain_id;
	f.o.domain2 = ev->h->domain_id;
	if (ev->h->ret)
		f.sev = SEV_WARNING;
	snprintf(f.msg, sizeof(f.msg), "PASID %u of %s attached to a second domain without a detach%s",
		 ch->pasid, ch->dev->name, ev->h->ret ? " (refused by the kernel)" : "");
	finding_event(&f, m, ev);
	checker_report(c, &f);
}

/* pasid-without-parent: a RID known to be blocked (unknown, 0, is not judged). */
void rule_pasid_without_parent(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_device *d = ch->dev;
	const struct itr_event *ev = ch->ev;
	struct finding f;

	if (ev->h->ret || !(d->known & M_EVENT) || !d->domain_id || d->domain_type != ITR_DOM_BLOCKED)
		return;
	dev_finding(&f, R_PASID_WITHOUT_PARENT, d, ch->pasid);
	f.o.domain = ev->h->domain_id;
	f.o.domain2 = d->domain_id;
	snprintf(f.msg, sizeof(f.msg), "PASID %u of %s attached while its RID is on a blocking domain",
		 ch->pasid, d->name);
	finding_event(&f, m, ev);
	checker_report(c, &f);
}

/* detach-ambiguous: a RID detach (re-attach of the default or blocking domain). */
void rule_detach_ambiguous(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_device *d = ch->dev;
	__u64 old = ch->ev->attach->old_domain_id;
	struct finding f;
	int i;

	for (i = 0; old && i < d->npasids; i++) {
		if (d->pasids[i].domain_id != old)
			continue;
		dev_finding(&f, R_DETACH_AMBIGUOUS, d, d->pasids[i].pasid);
		f.o.domain = old;
		snprintf(f.msg, sizeof(f.msg), "detach of %s from a domain also attached to its PASID %u: the RID was detached, the PASID stays",
			 d->name, d->pasids[i].pasid);
		finding_event(&f, m, ch->ev);
		checker_report(c, &f);
	}
}

/*
 * detach-not-propagated: at the end of a successful
 * VFIO_DEVICE_DETACH_IOMMUFD_PT with a PASID, the core must have detached
 * that PASID within the operation.
 */
void rule_detach_not_propagated(struct checker *c, const struct model *m, const struct m_change *ch)
{
	const struct m_op *op = ch->op;
	const struct m_pasid *p;
	struct finding f;

	if (op && SET_HAS(op->pasid_det, op->npasid_det, ch->pasid))
		return;
	p = device_pasid(ch->dev, ch->pasid);
	if (!p)	/* never seen attached: the PASID hooks may be missing here */
		return;
	dev_finding(&f, R_DETACH_NOT_PROPAGATED, ch->dev, ch->pasid);
	f.o.domain = p->domain_id;
	f.o.fd = ch->ev->h->ctx.fd;
	snprintf(f.msg, sizeof(f.msg), "detach of PASID %u of %s returned success but never reached the IOMMU core%s",
		 ch->pasid, ch->dev->name, op && op->rid_detach ? ": the driver saw a re-attach of the default domain instead" : "");
	finding_event(&f, m, ch->ev);
	checker_report(c, &f);
}
