// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Attach, detach and replace, per device and per group, and the PASID
 * variants. Records: struct itr_ev_attach, h.domain_* the new domain,
 * old_domain_* what the device or group had before.
 *
 * Per device (no ITR_F_GROUP): __iommu_attach_device, the one place every
 * version changes a device's domain (probe, attach, replace, detach, DMA
 * ownership), with __iommu_device_set_domain (6.12, 7.x) as its fallback.
 * Per group (ITR_F_GROUP): __iommu_attach_group and the group set-domain
 * funnel (__iommu_group_set_domain_internal, 6.1: __iommu_group_set_domain);
 * a set-domain call nested in __iommu_attach_group is part of that attach
 * and is not reported again.
 *
 * A detach is a re-attach of the group's default or blocking domain: it is
 * reported as ITR_EV_DETACH when the new domain is one of those and the old
 * one is a domain of its own (not NULL, not the default or blocking domain);
 * every other change is ITR_EV_ATTACH (a replace: old and new both set).
 */
#include "common.bpf.h"

#define ATTACH_KINDS ((1u << ITR_EV_ATTACH) | (1u << ITR_EV_DETACH))

/* stash layout of an attach */
enum { A_NEW, A_DEV, A_GRP, A_OLD, A_KIND, A_DEFAULT };

/*
 * Entry of a per-device (dev != 0) or per-group change to domain `new`.
 * old: the previous domain when the kernel passes it (7.x), else ~0: read
 * the group's current domain, which is the previous one in every version
 * except during an error revert.
 */
static __always_inline int attach_enter(enum itr_tgt t, __u64 new, __u64 dev, __u64 grp, __u64 old)
{
	struct iommu_group *g;
	struct itr_stash st = {};
	__u64 def, blk;

	if (!itr_task_wanted(ATTACH_KINDS))
		return 0;
	if (!grp && dev)
		grp = itr_dev_group(dev);
	g = (void *)grp;
	if (old == ~0ULL)
		old = (__u64)BPF_CORE_READ(g, domain);
	def = (__u64)BPF_CORE_READ(g, default_domain);
	blk = (__u64)BPF_CORE_READ(g, blocking_domain);
	if (old == new)
		old = 0;	/* first attach of a device, or unknown */
	itr_alloc_early(new);
	st.ts = bpf_ktime_get_ns();
	st.args[A_NEW] = new;
	st.args[A_DEV] = dev;
	st.args[A_GRP] = grp;
	st.args[A_OLD] = old;
	st.args[A_KIND] = (new == def || new == blk) && old && old != def && old != blk ?
			  ITR_EV_DETACH : ITR_EV_ATTACH;
	st.args[A_DEFAULT] = new && new == def;
	itr_stash_put(t, &st);
	return 0;
}

/* The exit of every attach hook: flags ITR_F_GROUP for a group's. */
static __always_inline int attach_exit(struct itr_call c, enum itr_tgt t, __u32 flags)
{
	__s32 ret = itr_call_ret(c);
	struct itr_stash s;
	struct itr_rec r;

	if (itr_stash_take(t, &s))
		return 0;
	itr_stat(s.args[A_KIND] == ITR_EV_DETACH ? ITR_ST_DETACH : ITR_ST_ATTACH, ret, s.ts, 0, 0);
	if (itr_rec_start(&r, s.args[A_KIND], flags, ret))
		return 0;
	itr_hdr_domain(&r, s.args[A_NEW]);
	itr_hdr_dev(&r, s.args[A_DEV], s.args[A_GRP]);
	r.att.old_domain_id = itr_domain_id(s.args[A_OLD]);
	r.att.old_domain_type = s.args[A_OLD] ? itr_dom_type(s.args[A_OLD]) : ITR_DOM_UNKNOWN;
	r.att.is_default = s.args[A_DEFAULT];
	itr_submit(&r);
	return 0;
}

/*
 * A group-level set-domain inside __iommu_attach_group belongs to it; one
 * to the domain the group already has is a no-op.
 */
static __always_inline int group_set_enter(__u64 grp, __u64 new)
{
	struct iommu_group *g = (void *)grp;

	if (itr_stash_has(ITR_T_ATTACH_GROUP))
		return 0;
	if ((__u64)BPF_CORE_READ(g, domain) == new)
		return 0;	/* already there: the kernel returns at once */
	return attach_enter(ITR_T_GROUP_SET, new, 0, grp, ~0ULL);
}

/* __iommu_attach_device(domain, dev[, old (7.x)]); kprobes: no old */
static __always_inline int attach_dev_enter(struct itr_call c, enum itr_tgt t, __u32 flags)
{
	__u64 old = itr_call_nargs(c) >= 3 ? itr_call_arg(c, 2) : ~0ULL;

	return attach_enter(t, itr_call_arg(c, 0), itr_call_arg(c, 1), 0, old);
}

/* __iommu_device_set_domain(group, dev, new[, old (7.x)], flags): 6.12, 7.x */
static __always_inline int attach_dev_set_enter(struct itr_call c, enum itr_tgt t, __u32 flags)
{
	__u64 old = itr_call_nargs(c) >= 5 ? itr_call_arg(c, 3) : ~0ULL;

	return attach_enter(t, itr_call_arg(c, 2), itr_call_arg(c, 1), itr_call_arg(c, 0), old);
}

/* __iommu_attach_group(domain, group) */
static __always_inline int attach_group_enter(struct itr_call c, enum itr_tgt t, __u32 flags)
{
	return attach_enter(t, itr_call_arg(c, 0), 0, itr_call_arg(c, 1), ~0ULL);
}

/*
 * The group set-domain funnel: (group, new_domain[, flags]). Two rows of
 * one alternative: __iommu_group_set_domain_internal (6.12, 7.x) and
 * __iommu_group_set_domain (6.1; an inline wrapper later).
 */
static __always_inline int group_set_hook(struct itr_call c, enum itr_tgt t, __u32 flags)
{
	return group_set_enter(itr_call_arg(c, 0), itr_call_arg(c, 1));
}

ITR_HOOK(attach_dev, __iommu_attach_device, attach_dev_enter, attach_exit, ITR_T_ATTACH_DEV, 0)
ITR_HOOK(attach_dev_set, __iommu_device_set_domain, attach_dev_set_enter, attach_exit,
	 ITR_T_ATTACH_DEV, 0)
ITR_HOOK(attach_group, __iommu_attach_group, attach_group_enter, attach_exit,
	 ITR_T_ATTACH_GROUP, ITR_F_GROUP)
ITR_HOOK(group_set_internal, __iommu_group_set_domain_internal, group_set_hook, attach_exit,
	 ITR_T_GROUP_SET, ITR_F_GROUP)
ITR_HOOK(group_set, __iommu_group_set_domain, group_set_hook, attach_exit,
	 ITR_T_GROUP_SET, ITR_F_GROUP)

/* --- PASID (6.12, 7.x; replace 7.x) ----------------------------------- */

/* stash layout of a PASID operation */
enum { P_DOM, P_DEV, P_PASID, P_OLD };

static __always_inline int pasid_enter(enum itr_tgt t, __u32 kind, __u64 dom, __u64 dev, __u64 pasid)
{
	struct itr_stash st = {};

	if (!itr_task_wanted(1u << kind))
		return 0;
	itr_alloc_early(dom);
	st.ts = bpf_ktime_get_ns();
	st.args[P_DOM] = dom;
	st.args[P_DEV] = dev;
	st.args[P_PASID] = pasid;
	itr_stash_put(t, &st);
	return 0;
}

/*
 * Emit a PASID record. attach, replace: h.domain is the new domain, old
 * the replaced one (replace only); detach: no new domain, old the one
 * detached.
 */
static __always_inline int pasid_emit(__u32 kind, __u64 new, __u64 old, __u64 dev, __u64 pasid,
				      __s32 ret, __u32 flags)
{
	struct itr_rec r;

	if (itr_rec_start(&r, kind, flags, ret))
		return 0;
	itr_hdr_domain(&r, new);
	itr_hdr_dev(&r, dev, 0);
	r.att.old_domain_id = itr_domain_id(old);
	r.att.old_domain_type = old ? itr_dom_type(old) : ITR_DOM_UNKNOWN;
	r.att.pasid = pasid;
	itr_submit(&r);
	return 0;
}

/* (domain, dev, pasid[, handle]) -> int: attach, replace */
static __always_inline int pasid_hook_enter(struct itr_call c, enum itr_tgt t, __u32 kind)
{
	return pasid_enter(t, kind, itr_call_arg(c, 0), itr_call_arg(c, 1),
			   (__u32)itr_call_arg(c, 2));
}

static __always_inline int pasid_exit(struct itr_call c, enum itr_tgt t, __u32 kind)
{
	struct itr_stash s;

	if (itr_stash_take(t, &s))
		return 0;
	itr_stat(kind == ITR_EV_PASID_REPLACE ? ITR_ST_PASID_REPLACE : ITR_ST_PASID_ATTACH,
		 itr_call_ret(c), s.ts, 0, 0);
	return pasid_emit(kind, s.args[P_DOM], s.args[P_OLD], s.args[P_DEV], s.args[P_PASID],
			  itr_call_ret(c), 0);
}

ITR_HOOK(pasid_attach, iommu_attach_device_pasid, pasid_hook_enter, pasid_exit,
	 ITR_T_PASID_ATTACH, ITR_EV_PASID_ATTACH)
ITR_HOOK(pasid_replace, iommu_replace_device_pasid, pasid_hook_enter, pasid_exit,
	 ITR_T_PASID_REPLACE, ITR_EV_PASID_REPLACE)

/*
 * __iommu_set_group_pasid(domain, group, pasid, old) (7.x): the domain a
 * replace replaces. Entry only; it only completes a pending replace, which
 * there is only on kernels whose 4th argument is old.
 */
static __always_inline int pasid_set_enter(struct itr_call c)
{
	if (itr_stash_has(ITR_T_PASID_REPLACE))
		itr_stash_set(ITR_T_PASID_REPLACE, P_OLD, itr_call_arg(c, 3));
	return 0;
}

ITR_HOOK_ENTRY(pasid_set, __iommu_set_group_pasid, pasid_set_enter)

/* iommu_detach_device_pasid(domain, dev, pasid): void, reported at entry */
static __always_inline int pasid_detach_enter(struct itr_call c)
{
	return pasid_emit(ITR_EV_PASID_DETACH, 0, itr_call_arg(c, 0), itr_call_arg(c, 1),
			  (__u32)itr_call_arg(c, 2), 0, ITR_F_NO_RET);
}

ITR_HOOK_ENTRY(pasid_detach, iommu_detach_device_pasid, pasid_detach_enter)
