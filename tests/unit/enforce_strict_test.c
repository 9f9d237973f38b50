// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The strict tier's user-space rules (user/enforce/strict.c,
 * docs/strict.md): which rules it decides, the policies --strict refuses
 * (a map rule with an object), and its audit records' tier.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "enforce/enforce.h"
#include "policy/policy.h"

static struct policy p;
static struct itr_enf_policy k;

static void build(const char *text, __u32 flags)
{
	struct policy_err err;

	cr_assert_eq(policy_parse("t.yaml", text, &p, &err), 0, "%s", err.msg);
	cr_assert_eq(policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent" }, flags, &k, &err),
		     0, "%s", err.msg);
}

static const char two_rules[] =
	"rules:\n"
	"  - id: tenant-maps\n"
	"    subject: {uid: 1000}\n"
	"    operations: [map, unmap]\n"
	"  - id: no-open\n"
	"    operations: [open-group]\n";

Test(enforce_strict, tier_of_rules)
{
	build(two_rules, ITR_ENF_F_STRICT);
	cr_assert(enforce_strict_tier(&k, &k.rules[0]), "a map rule: strict");
	cr_assert_not(enforce_strict_tier(&k, &k.rules[1]), "an open rule stays with the gates");
	cr_assert(enforce_strict_tier(&k, NULL), "the default decides maps too");
	build(two_rules, 0);
	cr_assert_not(enforce_strict_tier(&k, &k.rules[0]), "without --strict: the gates");
	cr_assert_not(enforce_strict_tier(&k, NULL));
}

Test(enforce_strict, map_rule_with_object_refused)
{
	static const char text[] =
		"rules:\n"
		"  - id: on-a-node\n"
		"    operations: [map]\n"
		"    object: {node: /dev/null}\n";

	build(text, ITR_ENF_F_STRICT);
	cr_assert_eq(enforce_strict_check(&p, &k), -EINVAL);
	build(text, 0);
	cr_assert_eq(enforce_strict_check(&p, &k), 0, "the gates know the file");
	build(two_rules, ITR_ENF_F_STRICT);
	cr_assert_eq(enforce_strict_check(&p, &k), 0);
}

Test(enforce_strict, audit_tier)
{
	struct itr_enf_audit a = { .op = ITR_ENF_OP_MAP, .tier = ITR_ENF_TIER_STRICT,
				   .action = ITR_ENF_DENY, .verdict = ITR_ENF_V_DENIED, .rule_id = 1,
				   .iova = 0x40000000, .size = 0x1000 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *j, *v;

	cr_assert_not_null(f);
	cr_assert_eq(enforce_audit_line(f, &a, "low-iova"), 0);
	fclose(f);
	j = json_tokener_parse(buf);
	cr_assert_not_null(j, "not JSON: %s", buf);
	cr_assert(json_object_object_get_ex(j, "tier", &v));
	cr_assert_str_eq(json_object_get_string(v), "strict");
	cr_assert(json_object_object_get_ex(j, "race", &v));
	cr_assert_not(json_object_get_boolean(v), "a strict denial is no race");
	json_object_put(j);
	free(buf);
}
