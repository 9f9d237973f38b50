// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * limits: {stale-hwpt-view: forbid}: its parse errors, the compiler's
 * ITR_ENF_F_STALE_VIEW, and the decision (itr_enf_rule_matches through
 * policy_decide): only an attach the gate found stale (a replace moving
 * another attached device of the group) matches.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "policy/policy.h"

static struct policy p;
static struct itr_enf_policy k;
static struct policy_err err;

static int build(const char *text)
{
	int r = policy_parse("t.yaml", text, &p, &err);

	if (r)
		return r;
	return policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent" }, 0, &k, &err);
}

static __u32 decide(__u32 op, __u32 stale, __u32 *action)
{
	struct itr_enf_req q = { .op = op, .stale = stale };

	strcpy(q.comm, "qemu");
	return policy_decide(&k, &q, NULL, 0, action);
}

Test(policy_stale, only_a_stale_attach_matches)
{
	__u32 a;

	cr_assert_eq(build("default: allow\n"
			   "rules:\n"
			   "  - id: no-stale\n"
			   "    operations: [attach]\n"
			   "    limits: {stale-hwpt-view: forbid}\n"
			   "  - {operations: [attach, detach], action: audit}\n"), 0, "%s", err.msg);
	cr_assert(k.flags & ITR_ENF_F_STALE_VIEW);
	cr_assert(k.rules[0].match & ITR_ENF_M_STALE_VIEW);
	cr_assert_eq(decide(ITR_ENF_OP_ATTACH, 1, &a), 1);
	cr_assert_eq(a, ITR_ENF_DENY);
	/* the gate calls an attached device's attach a replace: judged the same */
	cr_assert_eq(decide(ITR_ENF_OP_REPLACE, 1, &a), 1);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_REPLACE, 0, &a), 2);
	/* a first attach, or a replace in a group with no other attached device */
	cr_assert_eq(decide(ITR_ENF_OP_ATTACH, 0, &a), 2);
	cr_assert_eq(a, ITR_ENF_AUDIT);
	cr_assert_eq(decide(ITR_ENF_OP_DETACH, 1, &a), 2);
	cr_assert_eq(build("rules: [{operations: [attach]}]\n"), 0, "%s", err.msg);
	cr_assert_not(k.flags & ITR_ENF_F_STALE_VIEW);
}

#define REFUSED(text, want)							\
	do {									\
		cr_assert_eq(build(text), -EINVAL, "accepted: %s", text);	\
		cr_assert_str_eq(err.msg, want);					\
	} while (0)

Test(policy_stale, errors)
{
	REFUSED("rules: [{operations: [attach], limits: {stale-hwpt-view: allow}}]\n",
		"t.yaml:1:58: expected stale-hwpt-view: forbid");
	REFUSED("rules: [{operations: [attach], limits: {stale-hwpt-view: [forbid]}}]\n",
		"t.yaml:1:58: expected stale-hwpt-view: forbid");
	REFUSED("rules: [{operations: [attach, detach], limits: {stale-hwpt-view: forbid}}]\n",
		"t.yaml:1:9: expected operations: [attach] only in rule 'rule-1' (stale-hwpt-view judges attaches)");
	REFUSED("rules: [{operations: [attach], limits: {stale-hwpt-view: forbid, max-size: 1}}]\n",
		"t.yaml:1:9: expected operations: [map] only in rule 'rule-1' (limits judge maps)");
}
