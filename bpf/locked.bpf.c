// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO type1's accounting of pinned pages: vfio_lock_acct(dma, npage,
 * async) -> 0 or -errno (6.1 to 7.x), module vfio_iommu_type1. Each call
 * with npage != 0 (the function returns at once otherwise): the pages
 * charged or released, and the mm's locked_vm after the change. A
 * successful one inside the charged process's own ioctl is folded into
 * that ioctl's record (itr_op_locked); the others are ITR_EV_LOCKED
 * records. h.tgid is the process charged (dma->task), which the
 * asynchronous path (vfio_pin_pages from a driver) is not running as.
 */
#include "common.bpf.h"

/* stash layout: the mm charged, the pages, the task charged */
enum { L_MM, L_NPAGE, L_TASK };

static __always_inline int acct_enter(__u64 dma, __s64 npage)
{
	struct vfio_dma *d = (void *)dma;
	struct itr_stash st = {};

	if (!npage || !itr_task_wanted(1u << ITR_EV_LOCKED))
		return 0;
	/* no st.ts: the exit wants no latency */
	st.args[L_MM] = (__u64)BPF_CORE_READ(d, mm);
	st.args[L_NPAGE] = npage;
	st.args[L_TASK] = (__u64)BPF_CORE_READ(d, task);
	itr_stash_put(ITR_T_LOCK_ACCT, &st);
	return 0;
}

static __always_inline int acct_exit(__s32 ret)
{
	struct task_struct *task;
	struct mm_struct *mm;
	struct itr_stash s;
	struct itr_rec r;
	__u32 tgid;
	__u64 vm;

	if (itr_stash_take(ITR_T_LOCK_ACCT, &s))
		return 0;
	/* plain locals: BPF_CORE_READ would relocate a stash access too */
	mm = (void *)s.args[L_MM];
	task = (void *)s.args[L_TASK];
	vm = mm ? BPF_CORE_READ(mm, locked_vm) : 0;
	tgid = task ? BPF_CORE_READ(task, tgid) : 0;
	/* inside the caller's own MAP_DMA/UNMAP_DMA: its ioctl record carries it */
	if (!ret && itr_op_locked(tgid, (__s64)s.args[L_NPAGE], vm))
		return 0;
	if (itr_rec_start(&r, ITR_EV_LOCKED, 0, ret))
		return 0;
	r.lck.npages = (__s64)s.args[L_NPAGE];
	r.lck.locked_vm = vm;
	if (tgid)
		r.h.tgid = tgid;
	itr_submit(&r);
	return 0;
}

/* vfio_lock_acct(dma, npage, async) -> int */
static __always_inline int lock_acct_enter(struct itr_call c)
{
	return acct_enter(itr_call_arg(c, 0), (__s64)itr_call_arg(c, 1));
}

static __always_inline int lock_acct_exit(struct itr_call c)
{
	return acct_exit((__s32)itr_call_ret(c));
}

ITR_HOOK(lock_acct, vfio_lock_acct, lock_acct_enter, lock_acct_exit)
