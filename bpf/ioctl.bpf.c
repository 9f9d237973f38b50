// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO and iommufd ioctls: the four dispatchers (file, cmd, arg) -> long,
 * one ITR_EV_IOCTL record each at exit, with the user argument's first
 * bytes at entry and at exit. Between entry and exit every record of the
 * thread carries the operation's context (h.ctx, copied by itr_hdr_init()
 * from itr_ops): that is the join of the VFIO and iommufd layers to the
 * core's map, attach and domain records.
 *
 * The operation machine lives here: the per-thread struct itr_op (map
 * itr_ops, defined in common.bpf.c with the other maps), the operation ids
 * (itr_opseq), the syscall's note and the dispatchers' entry and exit.
 *
 * The caller's fd is not an argument of the dispatchers: the ioctl
 * syscall's entry (__x64_sys_ioctl(regs)) notes fd, cmd and arg per thread,
 * and a dispatcher takes the fd when its cmd and arg are the syscall's
 * (else -1: a compat or in-kernel caller).
 */
#include "common.bpf.h"
#include "lib/filter.bpf.h"

/* The thread's operation entry, created empty (fd unknown) when missing. */
static __always_inline struct itr_op *op_get(__u32 tid)
{
	struct itr_op *op = bpf_map_lookup_elem(&itr_ops, &tid);
	struct itr_op empty = { .sys_fd = -1 };

	if (op)
		return op;
	bpf_map_update_elem(&itr_ops, &tid, &empty, BPF_NOEXIST);
	return bpf_map_lookup_elem(&itr_ops, &tid);
}

__noinline __hidden int itr_sys_ioctl(__s32 fd, __u32 cmd, __u64 arg)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct itr_op *op;

	/* every ioctl of the system passes here: filter quietly, no counting */
	if (!itr_want_tgid(&itr_cfg, id))
		return 0;
	op = op_get((__u32)id);
	if (!op)
		return 0;
	op->sys_fd = fd;
	op->sys_cmd = cmd;
	op->sys_arg = arg;
	return 0;
}

/* A new operation id: the CPU (+1) in the top bits, its own sequence below. */
static __always_inline __u64 op_id_next(void)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&itr_opseq, &zero);

	if (!seq)
		return 0;
	*seq += 1;
	return ((__u64)(bpf_get_smp_processor_id() + 1) << 40) | (*seq & ((1ULL << 40) - 1));
}

#define ITR_PAGE_SIZE 4096
#define ITR_VFIO_GROUP_GET_DEVICE_FD 0x3b6a	/* _IO(';', 100 + 6) */

__noinline __hidden int itr_op_enter(__u32 layer, __u64 file, __u32 cmd, __u64 arg)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct itr_op *op;
	__u64 n;

	if (!itr_task_wanted(~0u))
		return 0;
	op = op_get(tid);
	if (!op)
		return 0;
	op->ctx.op_id = op_id_next();
	op->ctx.file_id = itr_domain_id(file);
	/* the syscall's fd, if this dispatcher serves that very syscall */
	op->ctx.fd = op->sys_cmd == cmd && op->sys_arg == arg ? op->sys_fd : -1;
	op->ctx.layer = layer;
	op->dev = layer == ITR_LAYER_VFIO_DEVICE ? itr_vfio_file_dev(file) : 0;
	op->sys_fd = -1;
	op->sys_cmd = 0;
	op->sys_arg = 0;
	op->cmd = cmd;
	op->arg = arg;
	op->arg_len = 0;
	op->lck_npages = 0;
	op->lck_vm = 0;
	op->lck_n = 0;
	if (!bpf_probe_read_user(op->arg_in, ITR_IOCTL_ARG_LEN, (void *)arg)) {
		op->arg_len = ITR_IOCTL_ARG_LEN;
	} else {
		/* the argument may end on the last mapped page: read up to its end */
		n = ITR_PAGE_SIZE - (arg & (ITR_PAGE_SIZE - 1));
		if (n < ITR_IOCTL_ARG_LEN && !bpf_probe_read_user(op->arg_in, n, (void *)arg))
			op->arg_len = n;
	}
	op->ts = bpf_ktime_get_ns();
	return 0;
}

/*
 * One record per MAP_DMA/UNMAP_DMA fewer: type1's vfio_lock_acct inside the
 * ioctl, by its own thread for its own process, is carried by the ioctl's
 * record (the sum, and locked_vm after the last). Only when ioctl records
 * are wanted at all (--kinds), else the locked record goes on its own.
 */
__noinline __hidden int itr_op_locked(__u32 tgid, __s64 npages, __u64 locked_vm)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tid = (__u32)id;
	struct itr_op *op;

	if (tgid && tgid != id >> 32)
		return 0;
	if (itr_cfg.kinds && !(itr_cfg.kinds & (1u << ITR_EV_IOCTL)))
		return 0;
	op = bpf_map_lookup_elem(&itr_ops, &tid);
	if (!op || !op->ctx.op_id)
		return 0;
	op->lck_npages += npages;
	op->lck_vm = locked_vm;
	op->lck_n++;
	return 1;
}

/* The ITR_EV_IOCTL record of op; its own frame (the record is large). */
static __noinline int op_send(struct itr_op *op, __s64 ret)
{
	struct itr_rec r;
	__u32 n;

	if (itr_rec_start(&r, ITR_EV_IOCTL, 0, (__s32)ret))
		return 0;
	r.ioc.cmd = op->cmd;
	r.ioc.latency_ns = r.h.ts_ns - op->ts;
	n = op->arg_len;
	if (n > ITR_IOCTL_ARG_LEN)
		n = ITR_IOCTL_ARG_LEN;
	if (n) {
		__builtin_memcpy(r.ioc.arg_in, op->arg_in, ITR_IOCTL_ARG_LEN);
		if (bpf_probe_read_user(r.ioc.arg_out, n, (void *)op->arg))
			n = 0;
	}
	r.ioc.arg_len = n;
	if (op->lck_n) {
		r.h.flags |= ITR_F_LOCKED;
		r.ioc.locked_npages = op->lck_npages;
		r.ioc.locked_vm = op->lck_vm;
	}
	itr_hdr_dev(&r, op->dev, 0);
	itr_submit(&r);
	return 0;
}

__noinline __hidden int itr_op_exit(__s64 ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct itr_op *op = bpf_map_lookup_elem(&itr_ops, &tid);

	if (!op || !op->ctx.op_id)
		return 0;
	itr_stat_ioctl(op->ctx.layer, op->cmd, ret, op->ts);
	/* a new device fd: its device_open, inside the ioctl, before the ioctl's record */
	if (op->ctx.layer == ITR_LAYER_VFIO_GROUP && op->cmd == ITR_VFIO_GROUP_GET_DEVICE_FD &&
	    ret >= 0)
		itr_devfd_got((__s32)ret);
	op_send(op, ret);
	__builtin_memset(&op->ctx, 0, sizeof(op->ctx));
	return 0;
}

/* __x64_sys_ioctl(regs): the syscall's own arguments are in *regs */
static __always_inline int sys_ioctl_enter(struct itr_call c)
{
	struct pt_regs *regs = (void *)itr_call_arg(c, 0);

	return itr_sys_ioctl((__s32)PT_REGS_PARM1_CORE_SYSCALL(regs),
			     (__u32)PT_REGS_PARM2_CORE_SYSCALL(regs),
			     PT_REGS_PARM3_CORE_SYSCALL(regs));
}

ITR_HOOK_ENTRY(sys_ioctl, __x64_sys_ioctl, sys_ioctl_enter)

/* A dispatcher (struct file *, unsigned int cmd, unsigned long arg) -> long */
static __always_inline int dispatch_enter(struct itr_call c, __u32 layer)
{
	return itr_op_enter(layer, itr_call_arg(c, 0), (__u32)itr_call_arg(c, 1),
			    itr_call_arg(c, 2));
}

static __always_inline int dispatch_exit(struct itr_call c, __u32 layer)
{
	return itr_op_exit((__s64)itr_call_ret(c));
}

ITR_HOOK(ioctl_iommufd, iommufd_fops_ioctl, dispatch_enter, dispatch_exit, ITR_LAYER_IOMMUFD)
ITR_HOOK(ioctl_vfio_container, vfio_fops_unl_ioctl, dispatch_enter, dispatch_exit,
	 ITR_LAYER_VFIO_CONTAINER)
ITR_HOOK(ioctl_vfio_device, vfio_device_fops_unl_ioctl, dispatch_enter, dispatch_exit,
	 ITR_LAYER_VFIO_DEVICE)
ITR_HOOK(ioctl_vfio_group, vfio_group_fops_unl_ioctl, dispatch_enter, dispatch_exit,
	 ITR_LAYER_VFIO_GROUP)
