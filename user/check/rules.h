/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The rule table: one row per rule, sorted by id (the index is enum
 * rule_id, check/finding.h). A rule is a judge function that reads the
 * model (const) and the change it watches, and reports findings through
 * the checker. Adding a rule: an enum rule_id entry, one function, one row
 * in check/rules.c, its unit tests (tests/unit/check_*_test.c) and its
 * entry in docs/findings.md.
 */
#ifndef ITR_RULES_H
#define ITR_RULES_H

#include "check/checker.h"

/*
 * The history a rule needs (struct rule.needs): after a gap in the stream
 * the checker suspends the rule for the objects whose state of that kind
 * the model no longer trusts (model/gap.c).
 */
enum rule_needs {
	NEED_MAPS = MG_MAPS,		/* the domain's mappings */
	NEED_ATTACH = MG_ATTACH,	/* groups' and devices' domains */
	NEED_PASID = MG_PASID,		/* the device's PASIDs */
	NEED_OPS = 1u << 3,		/* every record of the operation */
};

typedef void (*rule_judge_fn)(struct checker *c, const struct model *m, const struct m_change *ch);

struct rule {
	const char *id;		/* "stale-hwpt-view" */
	enum finding_sev sev;	/* default severity */
	const char *summary;	/* what it means (check --list-rules, docs) */
	__u32 watches;		/* bits (1 << MC_*) of the changes it judges */
	rule_judge_fn judge;
	__u32 needs;		/* enum rule_needs bits */
};

extern const struct rule rule_table[R_NRULES];

/* Must rule judging change ch wait, as it needs state a gap may have touched? (gate.c) */
bool rule_suspended(const struct model *m, __u32 needs, const struct m_change *ch);

/* rule id -> index; -ENOENT. */
int rule_find(const char *id);
/* "map, unmap": the changes a rule watches, for --list-rules. */
const char *rule_watches_str(const struct rule *r, char *buf, size_t len);

/* Fill a finding's "first event" from ev (the model's current event). */
void finding_event(struct finding *f, const struct model *m, const struct itr_event *ev);

/* The judges, by family. group_rules.c: */
void rule_group_changed_during_attach(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_group_split(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_stale_hwpt_view(struct checker *c, const struct model *m, const struct m_change *ch);
/* map_rules.c */
void rule_domain_freed_with_mappings(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_map_overlap(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_reserved_overlap(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_unmap_partial(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_unmap_size_mismatch(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_unmap_unmapped(struct checker *c, const struct model *m, const struct m_change *ch);
/* pasid_rules.c */
void rule_detach_ambiguous(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_detach_not_propagated(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_pasid_reuse(struct checker *c, const struct model *m, const struct m_change *ch);
void rule_pasid_without_parent(struct checker *c, const struct model *m, const struct m_change *ch);

#endif
