// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO files opened and released (ITR_EV_OPEN, ITR_EV_CLOSE): containers
 * (layer vfio-container) and device fds (layer vfio-device, with the
 * device in h.dev, h.group_id). h.ctx is the file: file_id, the same keyed
 * hash as on the file's ioctls; fd; layer.
 *
 * A device fd comes from VFIO_GROUP_GET_DEVICE_FD (every version: the
 * group ioctl's exit in common.bpf.c calls itr_devfd_got() with the fd it
 * returns) or from opening /dev/vfio/devices/vfioN
 * (vfio_device_fops_cdev_open, 6.6 and later); a container from opening
 * /dev/vfio/vfio (vfio_fops_open). An open function does not know the fd:
 * it is stashed for the thread and sent at the open syscall's exit, whose
 * return is the fd. Either way the fd is checked against the task's fd
 * table: the record has the fd only if it is that file's. A release is
 * the file's last close (fd -1: no fd is left).
 */
#include "common.bpf.h"

/* stash layout of an open: the file, the layer */
enum { O_FILE, O_LAYER };

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

/* live: the file is open (its device can be read from it) */
static __always_inline int file_emit(__u32 kind, __u32 layer, __u64 file, bool live, __s32 fd,
				     __s32 ret, __u32 flags)
{
	struct itr_rec r;

	__builtin_memset(&r, 0, sizeof(r));
	if (itr_hdr_init(&r, kind, flags, ret))
		return 0;
	if (layer == ITR_LAYER_VFIO_DEVICE && live)
		itr_hdr_dev(&r, itr_vfio_file_dev(file), 0);
	r.h.ctx.file_id = itr_domain_id(file);
	r.h.ctx.fd = fd;
	r.h.ctx.layer = layer;
	itr_submit(&r);
	return 0;
}

__hidden int itr_devfd_got(__s32 fd)
{
	__u64 file = fd_file(fd);

	if (!file)
		return 0;
	return file_emit(ITR_EV_OPEN, ITR_LAYER_VFIO_DEVICE, file, true, fd, 0, 0);
}

/* vfio_device_fops_cdev_open(inode, file), vfio_fops_open(inode, file) -> int */
static __always_inline int open_enter(__u64 file, __u32 layer)
{
	struct itr_stash st = {};

	if (!itr_task_wanted(1u << ITR_EV_OPEN))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[O_FILE] = file;
	st.args[O_LAYER] = layer;
	itr_stash_put(ITR_T_FILE_OPEN, &st);
	return 0;
}

/*
 * success: the open syscall's exit sends it; failure: now, without fd and
 * without a device (a failed open leaves no private_data to read)
 */
static __always_inline int open_exit(__s32 ret)
{
	struct itr_stash s;

	if (!ret)
		return 0;
	if (itr_stash_take(ITR_T_FILE_OPEN, &s))
		return 0;
	return file_emit(ITR_EV_OPEN, (__u32)s.args[O_LAYER], s.args[O_FILE], false, -1, ret, 0);
}

/* OPEN_HOOK: a file_operations open(inode, file) of a VFIO file */
#define OPEN_HOOK(base, func, layer)							\
SEC("?fentry/" #func)									\
int BPF_PROG(fentry_##base)								\
{											\
	return open_enter(itr_arg(ctx, 1), layer);					\
}											\
SEC("?fexit/" #func)									\
int BPF_PROG(fexit_##base)								\
{											\
	return open_exit((__s32)itr_ret(ctx));						\
}											\
SEC("?kprobe/" #func)									\
int BPF_KPROBE(kprobe_##base, void *inode, void *file)					\
{											\
	return open_enter((__u64)file, layer);						\
}											\
SEC("?kretprobe/" #func)								\
int BPF_KRETPROBE(kretprobe_##base, int ret)						\
{											\
	return open_exit(ret);								\
}

OPEN_HOOK(container_open, vfio_fops_open, ITR_LAYER_VFIO_CONTAINER)
OPEN_HOOK(devfd_cdev_open, vfio_device_fops_cdev_open, ITR_LAYER_VFIO_DEVICE)

/* open, openat, openat2 syscalls' exit: the fd of a VFIO file's open, if any */
static __always_inline int sys_open_exit(__s64 ret)
{
	struct itr_stash s;
	__s32 fd = -1;

	if (itr_stash_take(ITR_T_FILE_OPEN, &s))
		return 0;
	if (ret >= 0 && fd_file((__s32)ret) == s.args[O_FILE])
		fd = (__s32)ret;
	/* fd -1: the file may be gone (the syscall failed after the open) */
	return file_emit(ITR_EV_OPEN, (__u32)s.args[O_LAYER], s.args[O_FILE], fd >= 0, fd,
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

SYS_OPEN_EXIT(file_sys_open, __x64_sys_open)
SYS_OPEN_EXIT(file_sys_openat, __x64_sys_openat)
SYS_OPEN_EXIT(file_sys_openat2, __x64_sys_openat2)

/* RELEASE_HOOK: a VFIO file's release(inode, file), its last close, at entry */
#define RELEASE_HOOK(base, func, layer)							\
SEC("?fentry/" #func)									\
int BPF_PROG(fentry_##base)								\
{											\
	return file_emit(ITR_EV_CLOSE, layer, itr_arg(ctx, 1), true, -1, 0, ITR_F_NO_RET); \
}											\
SEC("?kprobe/" #func)									\
int BPF_KPROBE(kprobe_##base, void *inode, void *file)					\
{											\
	return file_emit(ITR_EV_CLOSE, layer, (__u64)file, true, -1, 0, ITR_F_NO_RET);	\
}

RELEASE_HOOK(container_release, vfio_fops_release, ITR_LAYER_VFIO_CONTAINER)
RELEASE_HOOK(devfd_release, vfio_device_fops_release, ITR_LAYER_VFIO_DEVICE)
