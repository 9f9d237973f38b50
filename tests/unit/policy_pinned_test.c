// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The pinned-bytes cap (limits: {max-pinned: BYTES}): its parse errors,
 * what the compiler adds (the implied CAP_IPC_LOCK and set-memlock
 * operations, the policy's ITR_ENF_F_PINNED), and the decisions the BPF
 * programs make through itr_enf_rule_matches: a capped subject's
 * CAP_IPC_LOCK, a raise above the cap, a map while the limit in force is
 * above the cap; other subjects untouched.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "policy/policy.h"

static struct policy p;
static struct itr_enf_policy k;
static struct policy_err err;

#define CAP 0x100000ULL

static int build(const char *text)
{
	int r = policy_parse("t.yaml", text, &p, &err);

	if (r)
		return r;
	return policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent" }, 0, &k, &err);
}

static __u32 decide(__u32 op, const char *comm, __u64 memlock, __u32 *action)
{
	struct itr_enf_req q = { .op = op, .uid = 0, .iova = 0x100000, .size = 4096,
				 .memlock = memlock };

	strcpy(q.comm, comm);
	return policy_decide(&k, &q, NULL, 0, action);
}

static const char *const capped =
	"default: deny\n"
	"rules:\n"
	"  - {operations: [open-container], action: allow}\n"
	"  - id: cap\n"
	"    subject: {comm: tenant}\n"
	"    operations: [map]\n"
	"    limits: {max-pinned: 0x100000}\n"
	"  - {operations: [map], action: allow}\n";

Test(policy_pinned, compiles_with_implied_operations)
{
	cr_assert_eq(build(capped), 0, "%s", err.msg);
	cr_assert(k.flags & ITR_ENF_F_PINNED);
	cr_assert(k.rules[1].match & ITR_ENF_M_MAX_PINNED);
	cr_assert_eq(k.rules[1].max_pinned, CAP);
	cr_assert_eq(k.rules[1].ops, (1ULL << ITR_ENF_OP_MAP) | (1ULL << ITR_ENF_OP_CAP_IPC_LOCK) |
				     (1ULL << ITR_ENF_OP_SET_MEMLOCK));
	/* the other rules are untouched, and a policy without a cap has no flag */
	cr_assert_eq(k.rules[2].ops, 1ULL << ITR_ENF_OP_MAP);
	cr_assert_eq(build("rules: [{operations: [map], limits: {max-size: 4096}}]\n"), 0, "%s", err.msg);
	cr_assert_not(k.flags & ITR_ENF_F_PINNED);
	cr_assert_str_eq(policy_op_name(ITR_ENF_OP_CAP_IPC_LOCK), "cap-ipc-lock");
	cr_assert_str_eq(policy_op_name(ITR_ENF_OP_SET_MEMLOCK), "set-memlock");
	cr_assert_str_eq(policy_tier_name(ITR_ENF_TIER_CAPABLE), "capable");
	cr_assert_str_eq(policy_tier_name(ITR_ENF_TIER_SETRLIMIT), "setrlimit");
}

Test(policy_pinned, capped_subject)
{
	__u32 a;

	cr_assert_eq(build(capped), 0, "%s", err.msg);
	/* CAP_IPC_LOCK: refused to the capped subject, whatever its limit */
	cr_assert_eq(decide(ITR_ENF_OP_CAP_IPC_LOCK, "tenant", 0, &a), 2);
	cr_assert_eq(a, ITR_ENF_DENY);
	/* a limit up to the cap may be set; above it, not */
	cr_assert_eq(decide(ITR_ENF_OP_SET_MEMLOCK, "tenant", CAP, &a), 0);
	cr_assert_eq(decide(ITR_ENF_OP_SET_MEMLOCK, "tenant", CAP + 1, &a), 2);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_SET_MEMLOCK, "tenant", ~0ULL, &a), 2);
	/* a map while the limit in force is above the cap: the cap rule; within: the next rule */
	cr_assert_eq(decide(ITR_ENF_OP_MAP, "tenant", CAP * 2, &a), 2);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, "tenant", CAP, &a), 3);
	cr_assert_eq(a, ITR_ENF_ALLOW);
	/* the cap's implied operations are no other rule's */
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_CONTAINER, "tenant", CAP * 2, &a), 1);
}

Test(policy_pinned, other_subjects_untouched)
{
	__u32 a;

	cr_assert_eq(build(capped), 0, "%s", err.msg);
	/* no cap rule matches: rule 0 (the programs then allow, whatever the default) */
	cr_assert_eq(decide(ITR_ENF_OP_CAP_IPC_LOCK, "qemu", 0, &a), 0);
	cr_assert_eq(decide(ITR_ENF_OP_SET_MEMLOCK, "qemu", ~0ULL, &a), 0);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, "qemu", ~0ULL, &a), 3);
	cr_assert_eq(a, ITR_ENF_ALLOW);
}

Test(policy_pinned, with_other_limits)
{
	__u32 a;

	/* max-size and max-pinned in one rule: breaking either matches */
	cr_assert_eq(build("rules:\n"
			   "  - operations: [map]\n"
			   "    limits: {max-size: 0x2000, max-pinned: 0x100000}\n"), 0, "%s", err.msg);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, "x", CAP, &a), 0);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, "x", CAP + 1, &a), 1);
	cr_assert_eq(decide(ITR_ENF_OP_SET_MEMLOCK, "x", CAP + 1, &a), 1);
	cr_assert_eq(decide(ITR_ENF_OP_CAP_IPC_LOCK, "x", 0, &a), 1);
}

/* TEXT is refused with exactly MSG. */
#define REFUSED(text, want)							\
	do {									\
		cr_assert_eq(build(text), -EINVAL, "accepted: %s", text);	\
		cr_assert_str_eq(err.msg, want);					\
	} while (0)

Test(policy_pinned, errors)
{
	REFUSED("rules: [{operations: [map], limits: {max-pinned: lots}}]\n",
		"t.yaml:1:50: expected a number of pinned bytes, not 'lots'");
	REFUSED("rules: [{operations: [map, unmap], limits: {max-pinned: 4096}}]\n",
		"t.yaml:1:9: expected operations: [map] only in rule 'rule-1' (limits judge maps)");
	REFUSED("rules: [{operations: [map], object: {node: /dev/null}, limits: {max-pinned: 4096}}]\n",
		"t.yaml:1:9: expected no object in rule 'rule-1' (max-pinned caps a subject)");
	REFUSED("rules: [{operations: [map], limits: {max-pinned: 4096}, action: kill}]\n",
		"t.yaml:1:9: expected action deny or audit in rule 'rule-1' (max-pinned), not kill");
	REFUSED("rules: [{operations: [map], limits: {max-pinned: 4096}, action: allow}]\n",
		"t.yaml:1:9: expected action deny or audit in rule 'rule-1' (max-pinned), not allow");
	/* the implied operations cannot be named */
	REFUSED("rules: [{operations: [cap-ipc-lock]}]\n",
		"t.yaml:1:23: expected an operation (open-group, open-container, open-device, "
		"open-iommufd, get-device-fd, set-container, set-iommu, map, unmap, bind, attach, "
		"detach, hwpt-alloc, pasid-attach, replace), not 'cap-ipc-lock'");
}
