// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO and iommufd ioctls: the four dispatchers (file, cmd, arg) -> long,
 * one ITR_EV_IOCTL record each at exit, with the user argument's first
 * bytes at entry and at exit. Between entry and exit every record of the
 * thread carries the operation's context (h.ctx): that is the join of the
 * VFIO and iommufd layers to the core's map, attach and domain records.
 *
 * The caller's fd is not an argument of the dispatchers: the ioctl
 * syscall's entry (__x64_sys_ioctl(regs)) notes fd, cmd and arg per thread,
 * and a dispatcher takes the fd when its cmd and arg are the syscall's
 * (else -1: a compat or in-kernel caller).
 */
#include "common.bpf.h"

static __always_inline int sys_ioctl(__u64 regs)
{
	struct pt_regs *r = (void *)regs;

	return itr_sys_ioctl((__s32)BPF_CORE_READ(r, di), (__u32)BPF_CORE_READ(r, si),
			     BPF_CORE_READ(r, dx));
}

SEC("?fentry/__x64_sys_ioctl")
int BPF_PROG(fentry_sys_ioctl)
{
	return sys_ioctl(itr_arg(ctx, 0));
}

SEC("?kprobe/__x64_sys_ioctl")
int BPF_KPROBE(kprobe_sys_ioctl, void *regs)
{
	return sys_ioctl((__u64)regs);
}

/* IOCTL_HOOK: a dispatcher (struct file *, unsigned int cmd, unsigned long arg) */
#define IOCTL_HOOK(base, func, layer)							\
SEC("?fentry/" #func)									\
int BPF_PROG(fentry_##base)								\
{											\
	return itr_op_enter(layer, itr_arg(ctx, 0), (__u32)itr_arg(ctx, 1),		\
			    itr_arg(ctx, 2));						\
}											\
SEC("?fexit/" #func)									\
int BPF_PROG(fexit_##base)								\
{											\
	return itr_op_exit((__s64)itr_ret(ctx));					\
}											\
SEC("?kprobe/" #func)									\
int BPF_KPROBE(kprobe_##base, void *file, unsigned int cmd, unsigned long arg)		\
{											\
	return itr_op_enter(layer, (__u64)file, cmd, arg);				\
}											\
SEC("?kretprobe/" #func)								\
int BPF_KRETPROBE(kretprobe_##base, long ret)						\
{											\
	return itr_op_exit(ret);							\
}

IOCTL_HOOK(ioctl_iommufd, iommufd_fops_ioctl, ITR_LAYER_IOMMUFD)
IOCTL_HOOK(ioctl_vfio_container, vfio_fops_unl_ioctl, ITR_LAYER_VFIO_CONTAINER)
IOCTL_HOOK(ioctl_vfio_device, vfio_device_fops_unl_ioctl, ITR_LAYER_VFIO_DEVICE)
IOCTL_HOOK(ioctl_vfio_group, vfio_group_fops_unl_ioctl, ITR_LAYER_VFIO_GROUP)
