// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A device joining or leaving an IOMMU group. Records: struct itr_ev_group,
 * h.dev and h.group_id; no domain.
 *
 * Adding: iommu_group_alloc_device(group, dev) (6.12, 7.x: the probe path and
 * iommu_group_add_device both go through it), else iommu_group_add_device
 * (6.1: the one path). Removing: __iommu_group_remove_device(dev) (6.12, 7.x:
 * iommu_group_remove_device and device release), else
 * iommu_group_remove_device (6.1). Removals are reported at entry, while
 * the device still points at its group.
 */
#include "common.bpf.h"

/* stash layout of an add */
enum { G_GRP, G_DEV };

static __always_inline int group_emit(__u32 kind, __u64 dev, __u64 grp, __s32 ret, __u32 flags)
{
	struct itr_rec r;

	if (itr_rec_start(&r, kind, flags, ret))
		return 0;
	itr_hdr_dev(&r, dev, grp);
	itr_submit(&r);
	return 0;
}

static __always_inline int add_enter(__u64 grp, __u64 dev)
{
	struct itr_stash st = {};

	if (!itr_task_wanted(1u << ITR_EV_GROUP_ADD))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[G_GRP] = grp;
	st.args[G_DEV] = dev;
	itr_stash_put(ITR_T_GROUP_ADD, &st);
	return 0;
}

static __always_inline int add_exit(__s32 ret)
{
	struct itr_stash s;

	if (itr_stash_take(ITR_T_GROUP_ADD, &s))
		return 0;
	return group_emit(ITR_EV_GROUP_ADD, s.args[G_DEV], s.args[G_GRP], ret, 0);
}

/* (group, dev) */
static __always_inline int add_hook_enter(struct itr_call c, bool ret_ptr)
{
	return add_enter(itr_call_arg(c, 0), itr_call_arg(c, 1));
}

/* ret_ptr: the return is a pointer or an ERR_PTR, else an int */
static __always_inline int add_hook_exit(struct itr_call c, bool ret_ptr)
{
	__u64 ret = itr_call_ret(c);

	return add_exit(ret_ptr ? itr_ptr_err(ret) : (__s32)ret);
}

/* iommu_group_alloc_device(group, dev) -> struct group_device * or ERR_PTR */
ITR_HOOK(group_alloc_dev, iommu_group_alloc_device, add_hook_enter, add_hook_exit, true)
/* iommu_group_add_device(group, dev) -> int */
ITR_HOOK(group_add, iommu_group_add_device, add_hook_enter, add_hook_exit, false)

/* removal of dev from its group, at entry; nothing to report without a group */
static __always_inline int remove_enter(__u64 dev)
{
	__u64 grp = itr_dev_group(dev);

	return grp ? group_emit(ITR_EV_GROUP_REMOVE, dev, grp, 0, ITR_F_NO_RET) : 0;
}

static __always_inline int remove_hook(struct itr_call c)
{
	return remove_enter(itr_call_arg(c, 0));
}

ITR_HOOK_ENTRY(group_remove_int, __iommu_group_remove_device, remove_hook)
ITR_HOOK_ENTRY(group_remove, iommu_group_remove_device, remove_hook)
