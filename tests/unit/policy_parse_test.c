// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The policy parser: valid files, and each error with its line and column. */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include "policy/policy.h"

static struct policy p;
static struct policy_err err;

static int parse(const char *text)
{
	return policy_parse("t.yaml", text, &p, &err);
}

/* TEXT is refused with exactly MSG. */
#define REFUSED(text, want)							\
	do {									\
		cr_assert_eq(parse(text), -EINVAL, "accepted: %s", text);	\
		cr_assert_str_eq(err.msg, want);					\
		cr_assert_eq(p.nrules, 0, "a refused policy keeps no rules");	\
	} while (0)

Test(policy_parse, full_rule)
{
	int r = parse("version: 1\n"
		      "default: deny\n"
		      "rules:\n"
		      "  - id: tenant-low-iova\n"
		      "    subject: {uid: 1000, gid: 100, comm: qemu}\n"
		      "    operations: [map]\n"
		      "    limits:\n"
		      "      max-size: 0x200000\n"
		      "      iova:\n"
		      "        allow: [[0, 0xffffffff]]\n"
		      "        forbid: [[0xfee00000, 0xfeefffff]]\n"
		      "    action: kill\n"
		      "  - operations: open-group\n"
		      "    object: {group: 7}\n");

	cr_assert_eq(r, 0, "%s", err.msg);
	cr_assert_eq(p.default_action, ITR_ENF_DENY);
	cr_assert_eq(p.nrules, 2);
	cr_assert_str_eq(p.rules[0].name, "tenant-low-iova");
	cr_assert_eq(p.rules[0].r.ops, 1ULL << ITR_ENF_OP_MAP);
	cr_assert_eq(p.rules[0].r.match, ITR_ENF_M_UID | ITR_ENF_M_GID | ITR_ENF_M_COMM |
					 ITR_ENF_M_MAX_SIZE | ITR_ENF_M_IOVA);
	cr_assert_eq(p.rules[0].r.uid, 1000);
	cr_assert_eq(p.rules[0].r.gid, 100);
	cr_assert_str_eq(p.rules[0].r.comm, "qemu");
	cr_assert_eq(p.rules[0].r.max_size, 0x200000);
	cr_assert_eq(p.rules[0].nallow, 1);
	cr_assert_eq(p.rules[0].allow[0].hi, 0xffffffff);
	cr_assert_eq(p.rules[0].forbid[0].lo, 0xfee00000);
	cr_assert_eq(p.rules[0].r.action, ITR_ENF_KILL);
	/* defaults: the name from the position, the action deny */
	cr_assert_str_eq(p.rules[1].name, "rule-2");
	cr_assert_eq(p.rules[1].r.action, ITR_ENF_DENY);
	cr_assert_str_eq(p.rules[1].node, "/dev/vfio/7");
	cr_assert_eq(p.rules[1].node_at.line, 14);
	cr_assert_eq(p.rules[1].node_at.col, 21);
}

Test(policy_parse, every_operation_name)
{
	char text[256];
	int op;

	for (op = 1; op < ITR_ENF_OP_MAX; op++) {
		snprintf(text, sizeof(text), "rules: [{operations: [%s]}]\n", policy_op_name(op));
		cr_assert_eq(parse(text), 0, "%s: %s", policy_op_name(op), err.msg);
		cr_assert_eq(p.rules[0].r.ops, op == ITR_ENF_OP_ATTACH ?
			     (1ULL << op) | (1ULL << ITR_ENF_OP_PASID_ATTACH) | (1ULL << ITR_ENF_OP_REPLACE) :
			     1ULL << op);
	}
}

/* attach names every attach; pasid-attach and replace only theirs (docs/enforce.md) */
Test(policy_parse, attach_covers_pasid_attach_and_replace)
{
	cr_assert_eq(parse("rules: [{operations: [pasid-attach]}]\n"), 0, "%s", err.msg);
	cr_assert_eq(p.rules[0].r.ops, 1ULL << ITR_ENF_OP_PASID_ATTACH);
	cr_assert_eq(parse("rules: [{operations: [replace]}]\n"), 0, "%s", err.msg);
	cr_assert_eq(p.rules[0].r.ops, 1ULL << ITR_ENF_OP_REPLACE);
	cr_assert_eq(parse("rules: [{operations: [attach], limits: {stale-hwpt-view: forbid}}]\n"), 0, "%s", err.msg);
	cr_assert_eq(parse("rules: [{operations: [pasid-attach], limits: {stale-hwpt-view: forbid}}]\n"), -EINVAL);
	cr_assert(strstr(err.msg, "expected operations: [attach] only"), "%s", err.msg);
}

Test(policy_parse, unknown_keys)
{
	REFUSED("versoin: 1\n",
		"t.yaml:1:1: unknown key 'versoin' in the policy: expected one of default, rules, version");
	REFUSED("rules:\n  - operations: [map]\n    actoin: deny\n",
		"t.yaml:3:5: unknown key 'actoin' in a rule: expected one of action, id, limits, object, operations, subject");
	REFUSED("rules:\n  - operations: [map]\n    subject: {pid: 1}\n",
		"t.yaml:3:15: unknown key 'pid' in subject: expected one of cgroup, comm, exe, gid, uid");
	REFUSED("rules:\n  - operations: [open-group]\n    object: {pci: x}\n",
		"t.yaml:3:14: unknown key 'pci' in object: expected one of bdf, driver, group, node");
	REFUSED("rules:\n  - operations: [map]\n    limits: {size: 1}\n",
		"t.yaml:3:14: unknown key 'size' in limits: expected one of iova, max-pinned, max-size, stale-hwpt-view");
	REFUSED("rules:\n  - operations: [map]\n    limits: {iova: {deny: [[1, 2]]}}\n",
		"t.yaml:3:21: unknown key 'deny' in iova: expected one of allow, forbid");
}

Test(policy_parse, bad_values)
{
	REFUSED("version: 2\nrules: [{operations: map}]\n", "t.yaml:1:10: expected version 1, not 2");
	REFUSED("default: maybe\nrules: [{operations: map}]\n",
		"t.yaml:1:10: expected an action (allow, audit, deny, kill), not 'maybe'");
	REFUSED("rules: [{operations: [mapp]}]\n",
		"t.yaml:1:23: expected an operation (open-group, open-container, open-device, "
		"open-iommufd, get-device-fd, set-container, set-iommu, map, unmap, bind, attach, "
		"detach, hwpt-alloc, pasid-attach, replace), not 'mapp'");
	REFUSED("rules: [{operations: [map], subject: {uid: -1}}]\n",
		"t.yaml:1:44: expected a uid (a number), not '-1'");
	REFUSED("rules: [{operations: [map], subject: {uid: 4294967296}}]\n",
		"t.yaml:1:44: expected a uid (a number), not '4294967296'");
	REFUSED("rules: [{operations: [map], subject: {comm: averyveryverylongname}}]\n",
		"t.yaml:1:45: expected a command name (1 to 15 characters)");
	REFUSED("rules: [{operations: [map], subject: {cgroup: tenants}}]\n",
		"t.yaml:1:47: expected a cgroup directory (an absolute path), not 'tenants'");
	REFUSED("rules: [{operations: [open-group], object: {group: 1, node: /dev/null}}]\n",
		"t.yaml:1:61: expected one of node or group, not both");
	REFUSED("rules: [{operations: [map], action: deny, action: kill}]\n",
		"t.yaml:1:43: key 'action' given twice in a rule");
	REFUSED("rules: [{id: a, operations: [map]}, {id: a, operations: [unmap]}]\n",
		"t.yaml:1:42: expected a unique rule id ('a' is rule 1's)");
}

Test(policy_parse, bad_structure)
{
	REFUSED("", "t.yaml:1:1: expected a policy (version, default, rules)");
	REFUSED("- 1\n", "t.yaml:1:1: expected the policy (a mapping)");
	REFUSED("version: 1\n", "t.yaml:1:1: expected rules (a list of at least one rule)");
	REFUSED("rules: {a: 1}\n", "t.yaml:1:8: expected a list of rules");
	REFUSED("rules: [{action: deny}]\n", "t.yaml:1:9: expected operations in rule 'rule-1'");
	REFUSED("rules: [{operations: []}]\n", "t.yaml:1:22: expected at least one operation");
	REFUSED("rules: [{operations: [unmap], limits: {max-size: 4096}}]\n",
		"t.yaml:1:9: expected operations: [map] only in rule 'rule-1' (limits judge maps)");
	REFUSED("rules: [{operations: [map], limits: {iova: {allow: [[2, 1]]}}}]\n",
		"t.yaml:1:53: expected first <= last in an IOVA range");
	REFUSED("rules: [{operations: [map], limits: {iova: {allow: [1, 2]}}}]\n",
		"t.yaml:1:53: expected an IOVA range [first, last]");
	REFUSED("rules: [{operations: [map], limits: {iova: {allow: []}}}]\n",
		"t.yaml:1:52: expected at least one IOVA range");
	REFUSED("rules: [{operations: [map]\n", "t.yaml:2:1: expected YAML: did not find expected ',' or '}' while parsing a flow mapping");
}

Test(policy_parse, too_many_rules_and_ranges)
{
	char text[8192] = "rules:\n";
	int i;

	for (i = 0; i <= ITR_ENF_MAX_RULES; i++)
		strcat(text, "  - operations: [map]\n");
	REFUSED(text, "t.yaml:34:5: expected at most 32 rules");
	REFUSED("rules: [{operations: [map], limits: {iova: {forbid: [[1,1],[2,2],[3,3],[4,4],[5,5]]}}}]\n",
		"t.yaml:1:78: expected at most 4 ranges");
}

Test(policy_parse, missing_file)
{
	cr_assert_eq(policy_parse("/nonexistent/p.yaml", NULL, &p, &err), -ENOENT);
	cr_assert_str_eq(err.msg, "/nonexistent/p.yaml: cannot open: No such file or directory");
}
