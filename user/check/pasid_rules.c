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

static void dev_finding(struct finding *f, const struct m_device *d, __u32 pasid)
{
	snprintf(f->o.dev, sizeof(f->o.dev), "%s", d->name);
	f->o.group = d->group_id;
	f->o.pasid = pasid;
}

void check_pasid_attach(struct model *m, struct m_device *d, const struct itr_event *ev)
{
	const struct itr_ev_attach *a = ev->attach;
	const struct m_pasid *p = device_pasid(d, a->pasid);
	struct finding f;

	if (p && p->domain_id != ev->h->domain_id) {
		finding_init(&f, R_PASID_REUSE);
		dev_finding(&f, d, a->pasid);
		f.o.domain = p->domain_id;
		f.o.domain2 = ev->h->domain_id;
		if (ev->h->ret)
			f.sev = SEV_WARNING;
		snprintf(f.msg, sizeof(f.msg), "PASID %u of %s attached to a second domain without a detach%s",
			 a->pasid, d->name, ev->h->ret ? " (refused by the kernel)" : "");
		finding_event(&f, m, ev);
		model_report(m, &f);
	}
	/* a RID known to be blocked or detached; unknown (0) is not judged */
	if (ev->h->ret || !(d->known & M_EVENT) || !d->domain_id || d->domain_type != ITR_DOM_BLOCKED)
		return;
	finding_init(&f, R_PASID_WITHOUT_PARENT);
	dev_finding(&f, d, a->pasid);
	f.o.domain = ev->h->domain_id;
	f.o.domain2 = d->domain_id;
	snprintf(f.msg, sizeof(f.msg), "PASID %u of %s attached while its RID is on a blocking domain",
		 a->pasid, d->name);
	finding_event(&f, m, ev);
	model_report(m, &f);
}

/* A RID detach (re-attach of the default or blocking domain). */
void check_detach(struct model *m, const struct m_device *d, const struct itr_event *ev)
{
	__u64 old = ev->attach->old_domain_id;
	struct finding f;
	int i;

	for (i = 0; old && i < d->npasids; i++) {
		if (d->pasids[i].domain_id != old)
			continue;
		finding_init(&f, R_DETACH_AMBIGUOUS);
		dev_finding(&f, d, d->pasids[i].pasid);
		f.o.domain = old;
		snprintf(f.msg, sizeof(f.msg), "detach of %s from a domain also attached to its PASID %u: the RID was detached, the PASID stays",
			 d->name, d->pasids[i].pasid);
		finding_event(&f, m, ev);
		model_report(m, &f);
	}
}

/*
 * At the end of a successful VFIO_DEVICE_DETACH_IOMMUFD_PT with a PASID:
 * the core must have detached that PASID within the operation.
 */
void check_pasid_detach_op(struct model *m, const struct m_device *d, const struct m_op *op,
			   __u32 pasid, const struct itr_event *ioctl)
{
	const struct m_pasid *p;
	struct finding f;
	int i;

	for (i = 0; op && i < op->npasid_det; i++)
		if (op->pasid_det[i] == pasid)
			return;
	p = device_pasid((struct m_device *)d, pasid);
	if (!p)	/* never seen attached: the PASID hooks may be missing here */
		return;
	finding_init(&f, R_DETACH_NOT_PROPAGATED);
	dev_finding(&f, d, pasid);
	f.o.domain = p ? p->domain_id : 0;
	f.o.fd = ioctl->h->ctx.fd;
	snprintf(f.msg, sizeof(f.msg), "detach of PASID %u of %s returned success but never reached the IOMMU core%s",
		 pasid, d->name, op && op->rid_detach ? ": the driver saw a re-attach of the default domain instead" : "");
	finding_event(&f, m, ioctl);
	model_report(m, &f);
}
