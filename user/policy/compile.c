// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The policy compiler: struct policy (as parsed) -> struct itr_enf_policy
 * (what the BPF programs read). It resolves device nodes to kernel device
 * numbers, cgroup directories to cgroup ids and depths, finds this host's
 * VFIO and iommufd device numbers, executables to their inode's identity,
 * and sorts and merges each rule's IOVA
 * ranges (overlapping or touching ranges become one, so a map across two
 * touching allowed ranges is allowed; a forbidden range wins over an
 * allowed one).
 */
#define _GNU_SOURCE /* statx */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include "policy/policy.h"

#define CGROUP2_MAGIC 0x63677270

/* Sorted tables keyed by enum value (operations: up to the implied ones). */
static const char *const op_names[ITR_ENF_OP_SET_MEMLOCK + 1] = {
	[ITR_ENF_OP_OPEN_GROUP]		= "open-group",
	[ITR_ENF_OP_OPEN_CONTAINER]	= "open-container",
	[ITR_ENF_OP_OPEN_DEVICE]	= "open-device",
	[ITR_ENF_OP_OPEN_IOMMUFD]	= "open-iommufd",
	[ITR_ENF_OP_GET_DEVICE_FD]	= "get-device-fd",
	[ITR_ENF_OP_SET_CONTAINER]	= "set-container",
	[ITR_ENF_OP_SET_IOMMU]		= "set-iommu",
	[ITR_ENF_OP_MAP]		= "map",
	[ITR_ENF_OP_UNMAP]		= "unmap",
	[ITR_ENF_OP_BIND]		= "bind",
	[ITR_ENF_OP_ATTACH]		= "attach",
	[ITR_ENF_OP_DETACH]		= "detach",
	[ITR_ENF_OP_HWPT_ALLOC]		= "hwpt-alloc",
	[ITR_ENF_OP_PASID_ATTACH]	= "pasid-attach",
	[ITR_ENF_OP_REPLACE]		= "replace",
	/* implied by max-pinned; no rule names them (policy_op_lookup stops at ITR_ENF_OP_MAX) */
	[ITR_ENF_OP_CAP_IPC_LOCK]	= "cap-ipc-lock",
	[ITR_ENF_OP_SET_MEMLOCK]	= "set-memlock",
};

static const char *const action_names[ITR_ENF_ACTION_MAX] = {
	[ITR_ENF_ALLOW]	= "allow",
	[ITR_ENF_AUDIT]	= "audit",
	[ITR_ENF_DENY]	= "deny",
	[ITR_ENF_KILL]	= "kill",
};

static const char *const tier_names[ITR_ENF_TIER_MAX] = {
	[ITR_ENF_TIER_NONE]		= "none",
	[ITR_ENF_TIER_OPEN]		= "open",
	[ITR_ENF_TIER_RECEIVE]		= "receive",
	[ITR_ENF_TIER_IOCTL]		= "ioctl",
	[ITR_ENF_TIER_IOCTL_COMPAT]	= "ioctl-compat",
	[ITR_ENF_TIER_KERNEL_COPY]	= "kernel-copy",
	[ITR_ENF_TIER_STRICT]		= "strict",
	[ITR_ENF_TIER_CAPABLE]		= "capable",
	[ITR_ENF_TIER_SETRLIMIT]	= "setrlimit",
};

static const char *const verdict_names[] = {
	[ITR_ENF_V_ALLOWED]	= "allowed",
	[ITR_ENF_V_DENIED]	= "denied",
	[ITR_ENF_V_KILLED]	= "killed",
	[ITR_ENF_V_WOULD_DENY]	= "would-deny",
	[ITR_ENF_V_WOULD_KILL]	= "would-kill",
	[ITR_ENF_V_OVER_CAP]	= "over-cap",
	[ITR_ENF_V_LOWERED]	= "lowered",
};

#define NAME_OF(tab, v) ((v) < sizeof(tab) / sizeof(tab[0]) ? (tab)[v] : NULL)

const char *policy_op_name(__u32 op) { return NAME_OF(op_names, op); }
const char *policy_action_name(__u32 a) { return NAME_OF(action_names, a); }
const char *policy_tier_name(__u32 t) { return NAME_OF(tier_names, t); }
const char *policy_verdict_name(__u32 v) { return NAME_OF(verdict_names, v); }

static int lookup(const char *const *tab, int n, const char *name)
{
	int i;

	for (i = 0; i < n; i++)
		if (tab[i] && !strcmp(tab[i], name))
			return i;
	return -1;
}

int policy_op_lookup(const char *name) { return lookup(op_names, ITR_ENF_OP_MAX, name); }

/* What naming an operation in a rule covers beyond itself: attach, every attach. */
static const __u64 op_covers[ITR_ENF_OP_MAX] = {
	[ITR_ENF_OP_ATTACH] = (1ULL << ITR_ENF_OP_PASID_ATTACH) | (1ULL << ITR_ENF_OP_REPLACE),
};

__u64 policy_op_bits(int op)
{
	return op > 0 && op < ITR_ENF_OP_MAX ? (1ULL << op) | op_covers[op] : 0;
}
int policy_action_lookup(const char *name) { return lookup(action_names, ITR_ENF_ACTION_MAX, name); }

static __u32 kdev(dev_t d)
{
	return (major(d) << 20) | minor(d);
}

static int range_cmp(const void *a, const void *b)
{
	const struct itr_enf_range *x = a, *y = b;

	return x->lo < y->lo ? -1 : x->lo > y->lo;
}

/* Sort and merge N ranges of IN into OUT; returns how many remain. */
static __u32 merge_ranges(const struct itr_enf_range *in, unsigned int n, struct itr_enf_range *out)
{
	struct itr_enf_range tmp[ITR_ENF_MAX_RANGES];
	unsigned int i;
	__u32 m = 0;

	memcpy(tmp, in, n * sizeof(*in));
	qsort(tmp, n, sizeof(*tmp), range_cmp);
	for (i = 0; i < n; i++) {
		if (m && (tmp[i].lo <= out[m - 1].hi ||
			  (out[m - 1].hi != ~0ULL && tmp[i].lo == out[m - 1].hi + 1))) {
			if (tmp[i].hi > out[m - 1].hi)
				out[m - 1].hi = tmp[i].hi;
			continue;
		}
		out[m++] = tmp[i];
	}
	return m;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(struct policy_err *err, const char *file, struct policy_mark at,
		   const char *fmt, ...)
{
	va_list ap;
	int len;

	len = snprintf(err->msg, sizeof(err->msg), "%s:%u:%u: ", file, at.line, at.col);
	va_start(ap, fmt);
	if (len >= 0 && (size_t)len < sizeof(err->msg))
		vsnprintf(err->msg + len, sizeof(err->msg) - len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static void join(char *out, size_t size, const char *root, const char *path)
{
	snprintf(out, size, "%s%s", root && strcmp(root, "/") ? root : "", path);
}

static int resolve_node(const struct policy *p, const struct policy_env *env,
			const struct policy_rule *pr, struct itr_enf_rule *r, struct policy_err *err)
{
	char path[2 * POLICY_PATH_LEN];
	struct stat st;

	join(path, sizeof(path), env ? env->dev_root : NULL, pr->node);
	if (stat(path, &st))
		return fail_at(err, p->file, pr->node_at, "expected an existing device node: %s: %s",
			       pr->node, strerror(errno));
	if (!S_ISCHR(st.st_mode))
		return fail_at(err, p->file, pr->node_at, "expected a character device node: %s",
			       pr->node);
	r->node_rdev = kdev(st.st_rdev);
	return 0;
}

static int resolve_cgroup(const struct policy *p, const struct policy_env *env,
			  const struct policy_rule *pr, struct itr_enf_rule *r, struct policy_err *err)
{
	const char *root = env && env->cgroup_root ? env->cgroup_root : "/sys/fs/cgroup";
	size_t rl = strlen(root);
	struct statfs sf;
	struct stat st;
	const char *s;
	__u32 level = 0;

	if (strncmp(pr->cgroup, root, rl) || (pr->cgroup[rl] && pr->cgroup[rl] != '/'))
		return fail_at(err, p->file, pr->cgroup_at, "expected a cgroup directory under %s: %s",
			       root, pr->cgroup);
	if (stat(pr->cgroup, &st) || !S_ISDIR(st.st_mode))
		return fail_at(err, p->file, pr->cgroup_at, "expected an existing cgroup directory: %s",
			       pr->cgroup);
	if (!(env && env->cgroup_root) && (statfs(pr->cgroup, &sf) || sf.f_type != CGROUP2_MAGIC))
		return fail_at(err, p->file, pr->cgroup_at, "expected a cgroup v2 directory: %s",
			       pr->cgroup);
	for (s = pr->cgroup + rl; *s; s++)
		if (*s == '/' && s[1] && s[1] != '/')
			level++;
	r->cgroup_id = st.st_ino;
	r->cgroup_level = level;
	return 0;
}

/* The s_dev of mount MNT_ID's superblock, from MOUNTINFO's "ID PARENT MAJ:MIN"; 0: not found. */
static __u32 mount_sdev(const char *mountinfo, __u64 mnt_id)
{
	char line[4096];
	FILE *f = fopen(mountinfo, "r");
	unsigned long long id;
	unsigned int maj, min;
	__u32 ret = 0;

	if (!f)
		return 0;
	while (!ret && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llu %*u %u:%u", &id, &maj, &min) == 3 && id == mnt_id)
			ret = (maj << 20) | min;
	fclose(f);
	return ret;
}

/*
 * An executable's identity as the programs read it: file_inode(exe_file)
 * ->i_ino and ->i_sb->s_dev. stat's st_ino is i_ino (overlayfs too: its
 * inode takes the number it reports), but st_dev is not always s_dev
 * (overlayfs over layers of several filesystems reports the lower layer's
 * pseudo device; btrfs a subvolume's): the superblock's s_dev is the
 * mount's MAJ:MIN in mountinfo, found by statx's mount id.
 */
static int resolve_exe(const struct policy *p, const struct policy_env *env,
		       const struct policy_rule *pr, struct itr_enf_rule *r, struct policy_err *err)
{
	const char *mountinfo = env && env->mountinfo ? env->mountinfo : "/proc/self/mountinfo";
	struct statx stx;

	if (statx(AT_FDCWD, pr->exe, 0, STATX_INO | STATX_TYPE | STATX_MNT_ID, &stx))
		return fail_at(err, p->file, pr->exe_at, "expected an existing executable: %s: %s",
			       pr->exe, strerror(errno));
	if (!S_ISREG(stx.stx_mode))
		return fail_at(err, p->file, pr->exe_at, "expected a regular file (an executable): %s",
			       pr->exe);
	if (!(stx.stx_mask & STATX_MNT_ID))
		return fail_at(err, p->file, pr->exe_at, "expected a kernel that gives statx's mount id: %s",
			       pr->exe);
	r->exe_ino = stx.stx_ino;
	r->exe_dev = mount_sdev(mountinfo, stx.stx_mnt_id);
	if (!r->exe_dev)
		return fail_at(err, p->file, pr->exe_at, "expected the mount of %s (id %llu) in %s",
			       pr->exe, (unsigned long long)stx.stx_mnt_id, mountinfo);
	return 0;
}

/* The major of NAME in /proc/devices' character devices; 0 if absent. */
static __u32 chr_major(const char *devices, const char *name)
{
	char line[128], n[64];
	FILE *f = fopen(devices, "r");
	unsigned int maj;
	__u32 ret = 0;
	int chr = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "Character devices:", 18))
			chr = 1;
		else if (!strncmp(line, "Block devices:", 14))
			chr = 0;
		else if (chr && sscanf(line, "%u %63s", &maj, n) == 2 && !strcmp(n, name))
			ret = maj;
	}
	fclose(f);
	return ret;
}

static __u32 node_rdev(const struct policy_env *env, const char *node)
{
	char path[2 * POLICY_PATH_LEN];
	struct stat st;

	join(path, sizeof(path), env ? env->dev_root : NULL, node);
	return !stat(path, &st) && S_ISCHR(st.st_mode) ? kdev(st.st_rdev) : 0;
}

int policy_compile(const struct policy *p, const struct policy_env *env, __u32 flags,
		   struct itr_enf_policy *out, struct policy_err *err)
{
	const char *devices = env && env->devices ? env->devices : "/proc/devices";
	unsigned int i;

	memset(out, 0, sizeof(*out));
	err->msg[0] = 0;
	out->nrules = p->nrules;
	out->flags = flags;
	out->default_action = p->default_action;
	out->container_rdev = node_rdev(env, "/dev/vfio/vfio");
	out->iommufd_rdev = node_rdev(env, "/dev/iommu");
	out->group_major = chr_major(devices, "vfio");
	out->device_major = chr_major(devices, "vfio-dev");
	for (i = 0; i < p->nrules; i++) {
		const struct policy_rule *pr = &p->rules[i];
		struct itr_enf_rule *r = &out->rules[i];

		*r = pr->r;
		if ((r->match & ITR_ENF_M_NODE) && resolve_node(p, env, pr, r, err))
			goto fail;
		if ((r->match & ITR_ENF_M_CGROUP) && resolve_cgroup(p, env, pr, r, err))
			goto fail;
		if ((r->match & ITR_ENF_M_EXE) && resolve_exe(p, env, pr, r, err))
			goto fail;
		if (r->match & ITR_ENF_M_EXE)
			out->flags |= ITR_ENF_F_EXE;
		if (r->match & ITR_ENF_M_DEVICE)
			out->flags |= ITR_ENF_F_DEVICE;
		r->nallow = merge_ranges(pr->allow, pr->nallow, r->allow);
		r->nforbid = merge_ranges(pr->forbid, pr->nforbid, r->forbid);
		/* a cap also decides its subject's CAP_IPC_LOCK and memlock raises */
		if (r->match & ITR_ENF_M_MAX_PINNED) {
			r->ops |= (1ULL << ITR_ENF_OP_CAP_IPC_LOCK) | (1ULL << ITR_ENF_OP_SET_MEMLOCK);
			out->flags |= ITR_ENF_F_PINNED;
		}
		if (r->match & ITR_ENF_M_STALE_VIEW)
			out->flags |= ITR_ENF_F_STALE_VIEW;
		if (r->match & ITR_ENF_M_LIMITS)
			out->flags |= ITR_ENF_F_MAP_LIMITS;
		out->ops_any |= r->ops;
	}
	return 0;
fail:
	memset(out, 0, sizeof(*out));
	return -EINVAL;
}

unsigned int policy_decide(const struct itr_enf_policy *p, const struct itr_enf_req *q,
			   const __u64 *cgroup_at, unsigned int ncgroup, __u32 *action)
{
	unsigned int i;

	for (i = 0; i < p->nrules && i < ITR_ENF_MAX_RULES; i++) {
		const struct itr_enf_rule *r = &p->rules[i];
		int cg = cgroup_at && r->cgroup_level < ncgroup &&
			 cgroup_at[r->cgroup_level] == r->cgroup_id;

		if (itr_enf_rule_matches(r, q, cg)) {
			*action = r->action;
			return i + 1;
		}
	}
	*action = p->default_action;
	return 0;
}
