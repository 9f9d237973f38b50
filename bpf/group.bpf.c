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

/* iommu_group_alloc_device(group, dev) -> struct group_device * or ERR_PTR */
SEC("?fentry/iommu_group_alloc_device")
int BPF_PROG(fentry_group_alloc_dev)
{
	return add_enter(itr_arg(ctx, 0), itr_arg(ctx, 1));
}

SEC("?fexit/iommu_group_alloc_device")
int BPF_PROG(fexit_group_alloc_dev)
{
	return add_exit(itr_ptr_err(itr_ret(ctx)));
}

SEC("?kprobe/iommu_group_alloc_device")
int BPF_KPROBE(kprobe_group_alloc_dev, void *grp, void *dev)
{
	return add_enter((__u64)grp, (__u64)dev);
}

SEC("?kretprobe/iommu_group_alloc_device")
int BPF_KRETPROBE(kretprobe_group_alloc_dev, void *gdev)
{
	return add_exit(itr_ptr_err((__u64)gdev));
}

/* iommu_group_add_device(group, dev) -> int */
SEC("?fentry/iommu_group_add_device")
int BPF_PROG(fentry_group_add)
{
	return add_enter(itr_arg(ctx, 0), itr_arg(ctx, 1));
}

SEC("?fexit/iommu_group_add_device")
int BPF_PROG(fexit_group_add)
{
	return add_exit(itr_ret(ctx));
}

SEC("?kprobe/iommu_group_add_device")
int BPF_KPROBE(kprobe_group_add, void *grp, void *dev)
{
	return add_enter((__u64)grp, (__u64)dev);
}

SEC("?kretprobe/iommu_group_add_device")
int BPF_KRETPROBE(kretprobe_group_add, int ret)
{
	return add_exit(ret);
}

/* removal of dev from its group, at entry; nothing to report without a group */
static __always_inline int remove_enter(__u64 dev)
{
	__u64 grp = itr_dev_group(dev);

	return grp ? group_emit(ITR_EV_GROUP_REMOVE, dev, grp, 0, ITR_F_NO_RET) : 0;
}

SEC("?fentry/__iommu_group_remove_device")
int BPF_PROG(fentry_group_remove_int)
{
	return remove_enter(itr_arg(ctx, 0));
}

SEC("?kprobe/__iommu_group_remove_device")
int BPF_KPROBE(kprobe_group_remove_int, void *dev)
{
	return remove_enter((__u64)dev);
}

SEC("?fentry/iommu_group_remove_device")
int BPF_PROG(fentry_group_remove)
{
	return remove_enter(itr_arg(ctx, 0));
}

SEC("?kprobe/iommu_group_remove_device")
int BPF_KPROBE(kprobe_group_remove, void *dev)
{
	return remove_enter((__u64)dev);
}
