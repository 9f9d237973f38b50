// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Findings against the kernel's own state, at the moment they are made:
 * for each rule with a kernel check, what to ask (struct itr_kview: a
 * device's domain, its PASID's, a group's) and how the answer confirms or
 * refutes the finding. Asked through the checker's kview (the kernel
 * shim's kfuncs); without the shim: unavailable.
 */
#include <string.h>
#include "check/checker.h"

/* Fill the question from f; the judge reads the answer. */
struct kcheck {
	void (*ask)(const struct finding *f, struct itr_kview *q);
	enum finding_kernel (*judge)(const struct finding *f, const struct itr_kview *q);
};

static void ask_dev(const struct finding *f, struct itr_kview *q)
{
	memcpy(q->dev, f->o.dev, sizeof(q->dev));
}

static void ask_dev_pasid(const struct finding *f, struct itr_kview *q)
{
	ask_dev(f, q);
	q->pasid = f->o.pasid;
}

/* stale-hwpt-view: the device is no longer on the domain its fd's HWPT has. */
static enum finding_kernel judge_stale(const struct finding *f, const struct itr_kview *q)
{
	return q->dev_domain && q->dev_domain != f->o.domain ? FK_CONFIRMED : FK_REFUTED;
}

/* detach-ambiguous: the RID left the domain, the PASID still has it. */
static enum finding_kernel judge_ambiguous(const struct finding *f, const struct itr_kview *q)
{
	return q->pasid_domain == f->o.domain && q->dev_domain != f->o.domain ?
	       FK_CONFIRMED : FK_REFUTED;
}

/* detach-not-propagated: the PASID still has its domain. */
static enum finding_kernel judge_not_propagated(const struct finding *f, const struct itr_kview *q)
{
	return q->pasid_domain && q->pasid_domain == f->o.domain ? FK_CONFIRMED : FK_REFUTED;
}

static const struct kcheck kchecks[R_NRULES] = {
	[R_DETACH_AMBIGUOUS] = { ask_dev_pasid, judge_ambiguous },
	[R_DETACH_NOT_PROPAGATED] = { ask_dev_pasid, judge_not_propagated },
	[R_STALE_HWPT_VIEW] = { ask_dev, judge_stale },
};

void checker_confirm(struct checker *c, struct finding *f)
{
	const struct kcheck *k = &kchecks[f->rule];
	struct itr_kview q = { .group = -1 };

	if (!k->ask)
		return;
	if (!c->kview) {
		f->kernel = FK_UNAVAILABLE;
		return;
	}
	k->ask(f, &q);
	f->kernel = c->kview(c->kview_arg, &q) ? FK_UNAVAILABLE : k->judge(f, &q);
}
