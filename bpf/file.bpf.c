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

/* stash layout of an open: the file, its device (cdev), the layer */
enum { O_FILE, O_DEV, O_LAYER };

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

/*
 * dev: a device file's struct device, read where the vfio module's types
 * are sure to be there (in the vfio module's own hooks and ioctls): the
 * open syscalls' exits must load without it
 */
static __always_inline int file_emit(__u32 kind, __u32 layer, __u64 dev, __u64 file, __s32 fd,
				     __s32 ret, __u32 flags)
{
	struct itr_rec r;

	if (itr_rec_start(&r, kind, flags, ret))
		return 0;
	itr_hdr_dev(&r, dev, 0);
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
	return file_emit(ITR_EV_OPEN, ITR_LAYER_VFIO_DEVICE, itr_vfio_file_dev(file), file, fd, 0, 0);
}

/* vfio_device_fops_cdev_open(inode, file), vfio_fops_open(inode, file) -> int */
static __always_inline int open_enter(struct itr_call c, __u32 layer)
{
	__u64 file = itr_call_arg(c, 1);
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
 * success: the device, if any, read now; the open syscall's exit sends it.
 * Failure: sent now, without fd and without a device.
 */
static __always_inline int open_exit(struct itr_call c, __u32 layer)
{
	__s32 ret = itr_call_ret(c);
	struct itr_stash s;
	__u64 file;

	if (!ret) {
		file = itr_stash_arg(ITR_T_FILE_OPEN, O_FILE);
		if (file && layer == ITR_LAYER_VFIO_DEVICE)
			itr_stash_set(ITR_T_FILE_OPEN, O_DEV, itr_vfio_file_dev(file));
		return 0;
	}
	if (itr_stash_take(ITR_T_FILE_OPEN, &s))
		return 0;
	return file_emit(ITR_EV_OPEN, layer, 0, s.args[O_FILE], -1, ret, 0);
}

ITR_HOOK(container_open, vfio_fops_open, open_enter, open_exit, ITR_LAYER_VFIO_CONTAINER)
ITR_HOOK(devfd_cdev_open, vfio_device_fops_cdev_open, open_enter, open_exit, ITR_LAYER_VFIO_DEVICE)

/* open, openat, openat2 syscalls' exit: the fd of a VFIO file's open, if any */
static __always_inline int sys_open_exit(struct itr_call c)
{
	__s64 ret = itr_call_ret(c);
	struct itr_stash s;
	__s32 fd = -1;

	if (itr_stash_take(ITR_T_FILE_OPEN, &s))
		return 0;
	if (ret >= 0 && fd_file((__s32)ret) == s.args[O_FILE])
		fd = (__s32)ret;
	return file_emit(ITR_EV_OPEN, (__u32)s.args[O_LAYER], s.args[O_DEV], s.args[O_FILE], fd,
			 ret < 0 ? (__s32)ret : 0, 0);
}

ITR_HOOK_EXIT(file_sys_open, __x64_sys_open, sys_open_exit)
ITR_HOOK_EXIT(file_sys_openat, __x64_sys_openat, sys_open_exit)
ITR_HOOK_EXIT(file_sys_openat2, __x64_sys_openat2, sys_open_exit)

/* a VFIO file's release(inode, file), its last close, at entry */
static __always_inline int release_enter(struct itr_call c, __u32 layer)
{
	__u64 file = itr_call_arg(c, 1);
	__u64 dev = layer == ITR_LAYER_VFIO_DEVICE ? itr_vfio_file_dev(file) : 0;

	return file_emit(ITR_EV_CLOSE, layer, dev, file, -1, 0, ITR_F_NO_RET);
}

ITR_HOOK_ENTRY(container_release, vfio_fops_release, release_enter, ITR_LAYER_VFIO_CONTAINER)
ITR_HOOK_ENTRY(devfd_release, vfio_device_fops_release, release_enter, ITR_LAYER_VFIO_DEVICE)
