/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The checker's rules, called by the model (user/model.c) once its state
 * reflects an event. One file per family; each rule is a function named
 * after its id; the table of ids, severities and summaries is user/rules.c.
 */
#ifndef ITR_RULES_H
#define ITR_RULES_H

#include "model/model.h"

/* check_group.c: stale-hwpt-view, group-split, group-changed-during-attach */
void check_group_consistent(struct model *m, __s32 group, const struct itr_event *ev);
void check_group_changed(struct model *m, const struct m_group *g, const struct itr_event *ev);
void check_op_attach_window(struct model *m, const struct m_op *op, const struct itr_event *ioctl);

/* check_map.c: reserved-overlap, map-overlap, unmap-*, domain-freed-with-mappings */
void check_reserved_domain(struct model *m, const struct m_domain *d, const struct itr_event *ev);
void check_reserved_groups(struct model *m, const __s32 *groups, int n, __u64 iova, __u64 size,
			   const struct itr_event *ev);
void check_map_overlap(struct model *m, const struct m_domain *d, const struct itr_event *ev,
		       const struct iv *hit);
void check_unmap(struct model *m, const struct m_domain *d, const struct itr_event *ev,
		 const struct iv_removed *r);
void check_op_partial(struct model *m, struct m_op *op);
void check_domain_free(struct model *m, const struct m_domain *d, const struct itr_event *ev);

/* check_pasid.c: pasid-reuse, pasid-without-parent, detach-ambiguous, detach-not-propagated */
void check_pasid_attach(struct model *m, struct m_device *d, const struct itr_event *ev);
void check_detach(struct model *m, const struct m_device *d, const struct itr_event *ev);
void check_pasid_detach_op(struct model *m, const struct m_device *d, const struct m_op *op,
			   __u32 pasid, const struct itr_event *ioctl);

/* Fill a finding's "first event" from ev (the model's current event). */
void finding_event(struct finding *f, const struct model *m, const struct itr_event *ev);

#endif
