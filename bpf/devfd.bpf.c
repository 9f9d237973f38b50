// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO device files: ITR_EV_DEVICE_OPEN and ITR_EV_DEVICE_CLOSE, with the
 * device (h.dev, h.group_id) and the file (h.ctx.file_id, the same keyed
 * hash as on the file's ioctls; h.ctx.fd; layer vfio-device).
 *
 * A device fd comes from VFIO_GROUP_GET_DEVICE_FD (every version: the
 * group ioctl's exit in common.bpf.c calls itr_devfd_got() with the fd it
 * returns) or from opening /dev/vfio/devices/vfioN
 * (vfio_device_fops_cdev_open, 6.6 and later). The open function does not
 * know the fd: it is stashed for the thread and sent at the open syscall's
 * exit, whose return is the fd. Either way the fd is checked against the
 * task's fd table: the record has the fd only if it is that file's.
 * vfio_device_fops_release is the last close (fd -1: no fd is left).
 */
#include "common.bpf.h"

/* stash layout of a cdev open */
enum { O_FILE, O_DEV };

/* The calling task's struct file at fd, or 0. */
static __always_inline __u64 fd_file(__s32 fd)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds;
	__u64 f = 0;

	if (!fdt || fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	if (!fds || bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]))
		return 0;
	return f;
}

static __always_inline int devfd_emit(__u32 kind, __u64 dev, __u64 file, __s32 fd, __s32 ret,
				      __u32 flags)
{
	struct itr_rec r;

	__builtin_memset(&r, 0, sizeof(r));
	if (itr_hdr_init(&r, kind, flags, ret))
		return 0;
	itr_hdr_dev(&r, dev, 0);
	r.h.ctx.file_id = itr_domain_id(file);
	r.h.ctx.fd = fd;
	r.h.ctx.layer = ITR_LAYER_VFIO_DEVICE;
	itr_submit(&r);
	return 0;
}

__hidden int itr_devfd_got(__s32 fd)
{
	__u64 file = fd_file(fd);

	if (!file)
		return 0;
	return devfd_emit(ITR_EV_DEVICE_OPEN, itr_vfio_file_dev(file), file, fd, 0, 0);
}

/* vfio_device_fops_cdev_open(inode, file) -> int */
static __always_inline int cdev_open_enter(__u64 file)
{
	struct itr_stash st = {};

	if (!itr_task_wanted(1u << ITR_EV_DEVICE_OPEN))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[O_FILE] = file;
	itr_stash_put(ITR_T_DEV_OPEN, &st);
	return 0;
}

/* success: the open syscall's exit sends it; failure: now, without fd */
static __always_inline int cdev_open_exit(__s32 ret)
{
	struct itr_stash s;
	__u64 file;

	if (!ret) {
		file = itr_stash_arg(ITR_T_DEV_OPEN, O_FILE);
		if (file)
			itr_stash_set(ITR_T_DEV_OPEN, O_DEV, itr_vfio_file_dev(file));
		return 0;
	}
	if (itr_stash_take(ITR_T_DEV_OPEN, &s))
		return 0;
	return devfd_emit(ITR_EV_DEVICE_OPEN, 0, s.args[O_FILE], -1, ret, 0);
}

SEC("?fentry/vfio_device_fops_cdev_open")
int BPF_PROG(fentry_devfd_cdev_open)
{
	return cdev_open_enter(itr_arg(ctx, 1));
}

SEC("?fexit/vfio_device_fops_cdev_open")
int BPF_PROG(fexit_devfd_cdev_open)
{
	return cdev_open_exit((__s32)itr_ret(ctx));
}

SEC("?kprobe/vfio_device_fops_cdev_open")
int BPF_KPROBE(kprobe_devfd_cdev_open, void *inode, void *file)
{
	return cdev_open_enter((__u64)file);
}

SEC("?kretprobe/vfio_device_fops_cdev_open")
int BPF_KRETPROBE(kretprobe_devfd_cdev_open, int ret)
{
	return cdev_open_exit(ret);
}

/* open, openat, openat2 syscalls' exit: the fd of a cdev open, if any */
static __always_inline int sys_open_exit(__s64 ret)
{
	struct itr_stash s;
	__s32 fd = -1;

	if (itr_stash_take(ITR_T_DEV_OPEN, &s))
		return 0;
	if (ret >= 0 && fd_file((__s32)ret) == s.args[O_FILE])
		fd = (__s32)ret;
	return devfd_emit(ITR_EV_DEVICE_OPEN, s.args[O_DEV], s.args[O_FILE], fd,
			  ret < 0 ? (__s32)ret : 0, 0);
}

#define SYS_OPEN_EXIT(base, func)							\
SEC("?fexit/" #func)									\
int BPF_PROG(fexit_##base)								\
{											\
	return sys_open_exit((__s64)itr_ret(ctx));					\
}											\
SEC("?kretprobe/" #func)								\
int BPF_KRETPROBE(kretprobe_##base, long ret)						\
{											\
	return sys_open_exit(ret);							\
}

SYS_OPEN_EXIT(devfd_sys_open, __x64_sys_open)
SYS_OPEN_EXIT(devfd_sys_openat, __x64_sys_openat)
SYS_OPEN_EXIT(devfd_sys_openat2, __x64_sys_openat2)

/* vfio_device_fops_release(inode, file): the file's last close, at entry */
static __always_inline int release_enter(__u64 file)
{
	return devfd_emit(ITR_EV_DEVICE_CLOSE, itr_vfio_file_dev(file), file, -1, 0,
			  ITR_F_NO_RET);
}

SEC("?fentry/vfio_device_fops_release")
int BPF_PROG(fentry_devfd_release)
{
	return release_enter(itr_arg(ctx, 1));
}

SEC("?kprobe/vfio_device_fops_release")
int BPF_KPROBE(kprobe_devfd_release, void *inode, void *file)
{
	return release_enter((__u64)file);
}
