// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The policy compiler and the decision the BPF programs make
 * (itr_enf_rule_matches, through policy_decide): first match wins,
 * overlapping ranges, resolution errors.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "policy/policy.h"

static struct policy p;
static struct itr_enf_policy k;
static struct policy_err err;

static int build(const char *text)
{
	int r = policy_parse("t.yaml", text, &p, &err);

	cr_assert_eq(r, 0, "%s", err.msg);
	return policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent" }, 0, &k, &err);
}

static __u32 decide(__u32 op, __u32 uid, __u64 iova, __u64 size, __u32 *action)
{
	struct itr_enf_req q = { .op = op, .uid = uid, .iova = iova, .size = size };

	strcpy(q.comm, "qemu");
	return policy_decide(&k, &q, NULL, 0, action);
}

Test(policy_compile, first_match_wins)
{
	__u32 a, id;

	cr_assert_eq(build("default: deny\n"
			   "rules:\n"
			   "  - {operations: [map], subject: {uid: 0}, action: allow}\n"
			   "  - {operations: [map], limits: {iova: {allow: [[0, 0xfffff]]}}, action: kill}\n"
			   "  - {operations: [map, unmap], action: audit}\n"), 0, "%s", err.msg);
	/* root: rule 1 allows even what rule 2 would kill */
	id = decide(ITR_ENF_OP_MAP, 0, 0x200000, 4096, &a);
	cr_assert_eq(id, 1);
	cr_assert_eq(a, ITR_ENF_ALLOW);
	/* others: a map outside the range is rule 2's */
	id = decide(ITR_ENF_OP_MAP, 1000, 0x200000, 4096, &a);
	cr_assert_eq(id, 2);
	cr_assert_eq(a, ITR_ENF_KILL);
	/* inside: rule 2 does not match (limits kept), rule 3 does */
	id = decide(ITR_ENF_OP_MAP, 1000, 0x1000, 4096, &a);
	cr_assert_eq(id, 3);
	cr_assert_eq(a, ITR_ENF_AUDIT);
	/* no rule for open-group: the default */
	id = decide(ITR_ENF_OP_OPEN_GROUP, 1000, 0, 0, &a);
	cr_assert_eq(id, 0);
	cr_assert_eq(a, ITR_ENF_DENY);
}

Test(policy_compile, overlapping_and_touching_ranges_merge)
{
	__u32 a;

	cr_assert_eq(build("rules:\n"
			   "  - operations: [map]\n"
			   "    limits: {iova: {allow: [[0x3000, 0x4fff], [0x0, 0x1fff], [0x1000, 0x2fff], [0x8000, 0x8fff]]}}\n"),
		     0, "%s", err.msg);
	cr_assert_eq(k.rules[0].nallow, 2);
	cr_assert_eq(k.rules[0].allow[0].lo, 0);
	cr_assert_eq(k.rules[0].allow[0].hi, 0x4fff);
	cr_assert_eq(k.rules[0].allow[1].lo, 0x8000);
	/* across the touching ranges: allowed; across the gap: denied */
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0x1000, 0x3000, &a), 0);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0x4000, 0x5000, &a), 1);
	cr_assert_eq(a, ITR_ENF_DENY);
}

Test(policy_compile, forbidden_wins_over_allowed)
{
	__u32 a;

	cr_assert_eq(build("rules:\n"
			   "  - operations: [map]\n"
			   "    limits: {iova: {allow: [[0, 0xffffffff]], forbid: [[0xfee00000, 0xfeefffff], [0xfee80000, 0xfef0ffff]]}}\n"),
		     0, "%s", err.msg);
	cr_assert_eq(k.rules[0].nforbid, 1);
	cr_assert_eq(k.rules[0].forbid[0].hi, 0xfef0ffff);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0xfeeff000, 0x1000, &a), 1);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0xfef0f000, 0x2000, &a), 1, "overlaps the end");
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0xfef10000, 0x1000, &a), 0);
}

Test(policy_compile, limits_edges)
{
	__u32 a;

	cr_assert_eq(build("rules:\n"
			   "  - operations: [map]\n"
			   "    limits: {max-size: 0x10000, iova: {forbid: [[0x0, 0xfff]]}}\n"),
		     0, "%s", err.msg);
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0x1000, 0x10000, &a), 0, "size at the cap");
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, 0x1000, 0x10001, &a), 1, "size over the cap");
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, ITR_ENF_IOVA_ANY, 0x1000, &a), 1,
		     "an IOVA the kernel chooses cannot be judged");
	cr_assert_eq(decide(ITR_ENF_OP_MAP, 1, ~0ULL - 0xfff, 0x2000, &a), 1, "a wrapping range");
	cr_assert_eq(decide(ITR_ENF_OP_UNMAP, 1, 0, 0x1000, &a), 0, "limits judge maps only");
}

Test(policy_compile, subject_and_object)
{
	struct itr_enf_req q = { .op = ITR_ENF_OP_OPEN_GROUP };
	__u64 cg[2] = { 1, 77 };
	__u32 a;

	cr_assert_eq(build("rules:\n"
			   "  - {operations: [open-group], object: {node: /dev/null}, subject: {comm: qemu}}\n"),
		     0, "%s", err.msg);
	cr_assert_eq(k.rules[0].node_rdev, (1u << 20) | 3, "/dev/null is 1:3 in kernel dev_t");
	q.rdev = (1u << 20) | 3;
	strcpy(q.comm, "qemu");
	cr_assert_eq(policy_decide(&k, &q, NULL, 0, &a), 1);
	strcpy(q.comm, "qemu-kvm");
	cr_assert_eq(policy_decide(&k, &q, NULL, 0, &a), 0, "comm is exact");
	strcpy(q.comm, "qemu");
	q.rdev = 5;
	cr_assert_eq(policy_decide(&k, &q, NULL, 0, &a), 0, "another node");

	/* cgroup: matched at the rule's level */
	memset(&k, 0, sizeof(k));
	k.nrules = 1;
	k.rules[0].ops = 1ULL << ITR_ENF_OP_MAP;
	k.rules[0].match = ITR_ENF_M_CGROUP;
	k.rules[0].cgroup_id = 77;
	k.rules[0].cgroup_level = 1;
	k.rules[0].action = ITR_ENF_DENY;
	q.op = ITR_ENF_OP_MAP;
	cr_assert_eq(policy_decide(&k, &q, cg, 2, &a), 1);
	cr_assert_eq(policy_decide(&k, &q, cg, 1, &a), 0, "the caller is not that deep");
}

Test(policy_compile, resolution_errors)
{
	cr_assert_eq(build("rules:\n  - {operations: [open-group], object: {node: /nonexistent}}\n"),
		     -EINVAL);
	cr_assert_str_eq(err.msg, "t.yaml:2:47: expected an existing device node: /nonexistent: "
				  "No such file or directory");
	cr_assert_eq(build("rules:\n  - {operations: [open-group], object: {node: /tmp}}\n"), -EINVAL);
	cr_assert_str_eq(err.msg, "t.yaml:2:47: expected a character device node: /tmp");
	cr_assert_eq(build("rules:\n  - {operations: [map], subject: {cgroup: /tmp}}\n"), -EINVAL);
	cr_assert_str_eq(err.msg, "t.yaml:2:43: expected a cgroup directory under /sys/fs/cgroup: /tmp");
	cr_assert_eq(k.nrules, 0, "nothing half-compiled");
}

Test(policy_compile, cgroup_depth)
{
	struct policy_env env = { .cgroup_root = "/tmp", .devices = "/nonexistent" };
	char dir[] = "/tmp/itr-cg-XXXXXX", sub[64];
	struct stat st;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/a", dir);
	cr_assert_eq(mkdir(sub, 0700), 0);
	cr_assert_eq(policy_parse("t.yaml", "rules: [{operations: [map], subject: {cgroup: X}}]\n",
				  &p, &err), -EINVAL, "a relative path");
	cr_assert_eq(policy_parse("t.yaml", "rules: [{operations: [map]}]\n", &p, &err), 0);
	p.rules[0].r.match |= ITR_ENF_M_CGROUP;
	strcpy(p.rules[0].cgroup, sub);
	cr_assert_eq(policy_compile(&p, &env, ITR_ENF_F_DRY_RUN, &k, &err), 0, "%s", err.msg);
	cr_assert_eq(stat(sub, &st), 0);
	cr_assert_eq(k.rules[0].cgroup_id, st.st_ino);
	cr_assert_eq(k.rules[0].cgroup_level, 2);
	cr_assert_eq(k.flags, ITR_ENF_F_DRY_RUN);
	rmdir(sub);
	rmdir(dir);
}

Test(policy_compile, ioctl_table)
{
	struct itr_enf_map_layout l;

	cr_assert_eq(itr_enf_ioctl_op(0x3b71, ITR_ENF_CLASS_CONTAINER), ITR_ENF_OP_MAP, "VFIO_IOMMU_MAP_DMA");
	cr_assert_eq(itr_enf_ioctl_op(0x3b71, ITR_ENF_CLASS_IOMMUFD), ITR_ENF_OP_MAP, "its iommufd compat");
	cr_assert_eq(itr_enf_ioctl_op(0x3b71, ITR_ENF_CLASS_DEVICE_FD), ITR_ENF_OP_NONE,
		     "VFIO_DEVICE_PCI_HOT_RESET on a device is no map");
	cr_assert_eq(itr_enf_ioctl_op(0x3b71, ITR_ENF_CLASS_DEVICE), ITR_ENF_OP_NONE);
	cr_assert_eq(itr_enf_ioctl_op(0x3b85, ITR_ENF_CLASS_IOMMUFD), ITR_ENF_OP_MAP, "IOMMU_IOAS_MAP");
	cr_assert_eq(itr_enf_ioctl_op(0x3b85, ITR_ENF_CLASS_CONTAINER), ITR_ENF_OP_NONE);
	cr_assert_eq(itr_enf_ioctl_op(0x3b6a, ITR_ENF_CLASS_GROUP), ITR_ENF_OP_GET_DEVICE_FD);
	cr_assert_eq(itr_enf_ioctl_op(0x3b77, ITR_ENF_CLASS_DEVICE), ITR_ENF_OP_ATTACH);
	cr_assert_eq(itr_enf_ioctl_op(0x3b64, ITR_ENF_CLASS_CONTAINER), ITR_ENF_OP_NONE,
		     "VFIO_GET_API_VERSION");
	cr_assert_eq(itr_enf_map_layout(0x3b71, &l), 0);
	cr_assert_eq(l.iova_off, 16);
	cr_assert_eq(itr_enf_map_layout(0x3b72, &l), -1);
}

/* What lets the programs skip work: the union of the rules' operations, and whether any has map limits. */
Test(policy_compile, fast_path_summary)
{
	cr_assert_eq(build("rules:\n"
			   "  - {operations: [open-group], subject: {uid: 1}}\n"
			   "  - {operations: [map, unmap], subject: {uid: 2}}\n"), 0, "%s", err.msg);
	cr_assert_eq(k.ops_any, (1ULL << ITR_ENF_OP_OPEN_GROUP) | (1ULL << ITR_ENF_OP_MAP) |
				(1ULL << ITR_ENF_OP_UNMAP));
	cr_assert_not(k.flags & ITR_ENF_F_MAP_LIMITS);
	cr_assert_eq(build("rules:\n"
			   "  - {operations: [map], limits: {max-size: 4096}}\n"), 0, "%s", err.msg);
	cr_assert_eq(k.ops_any, 1ULL << ITR_ENF_OP_MAP);
	cr_assert(k.flags & ITR_ENF_F_MAP_LIMITS);
}
