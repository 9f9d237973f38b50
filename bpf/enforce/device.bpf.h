/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The device of a device operation, for the rules whose object is a
 * device (`bdf`, `driver`; docs/enforce.md "Device objects"), found from
 * the kernel's own struct vfio_device and read with CO-RE:
 *   name   dev_name(vfio_device.dev): the parent device (vfio-pci: its
 *          PCI address; an mdev: its UUID), its kobj.name
 *   driver vfio_device.dev->driver->name
 * and the vfio_device reached, by file:
 *   cdev at file_open     inode->i_cdev, the cdev embedded in the
 *                         vfio_device; before the inode's first open
 *                         completes it is NULL, and the cdev is the one the
 *                         kernel's cdev_map holds for the device number
 *                         (what chrdev_open will find: kobj_lookup)
 *   cdev after its open   file->private_data: struct vfio_device_file ->
 *                         device (6.6+: ioctl, receive)
 *   a group's device fd   file->private_data: struct vfio_device_file ->
 *                         device where that type exists, else (6.1) the
 *                         vfio_device itself (receive)
 *   VFIO_GROUP_GET_DEVICE_FD  the group file's private_data, struct
 *                         vfio_group -> device_list (vfio_device.group_next),
 *                         the one whose name the caller's argument names
 *                         (read from user memory: racy, docs)
 * A device operation whose device is not found is ITR_ENF_DEV_UNKNOWN:
 * the rules that refuse match it. So is every device where vfio.ko's BTF
 * was absent when the programs were loaded (start the daemon after vfio).
 */
#ifndef ITR_ENFORCE_DEVICE_BPF_H
#define ITR_ENFORCE_DEVICE_BPF_H

#include "enforce/enforce.bpf.h"
#include "enforce/vdev.bpf.h"

#define ENF_GROUP_MAX_VDEVS	8

/* the kernel's cdev_map (struct kobj_map *), from kallsyms; 0: unknown */
const volatile __u64 enf_cdev_map;

/*
 * drivers/base/map.c's struct probe, a layout unchanged since 2.6 (no
 * CO-RE: its name is too common to be matched safely in every BTF).
 */
struct enf_kobj_probe {
	void *next;
	__u32 dev;
	__u64 range;
	void *owner, *get, *lock;
	void *data;		/* cdev_add: the struct cdev */
};

#define ENF_KOBJ_PROBES		255
#define ENF_KOBJ_CHAIN		32

/* kobj_lookup(cdev_map, RDEV): the struct cdev chrdev_open will find; NULL: none. */
static __always_inline void *enf_cdev_lookup(__u32 rdev)
{
	struct enf_kobj_probe pr;
	void *map = NULL, *p = NULL;
	__u32 idx = (rdev >> 20) % ENF_KOBJ_PROBES;
	int i;

	if (!enf_cdev_map || bpf_probe_read_kernel(&map, sizeof(map), (void *)enf_cdev_map) || !map)
		return NULL;
	if (bpf_probe_read_kernel(&p, sizeof(p), map + idx * sizeof(void *)))
		return NULL;
	/* sorted by range, smallest first: the first that covers RDEV */
	for (i = 0; i < ENF_KOBJ_CHAIN && p; i++) {
		if (bpf_probe_read_kernel(&pr, sizeof(pr), p))
			return NULL;
		if (pr.dev <= rdev && rdev - pr.dev < pr.range)
			return pr.data;
		p = pr.next;
	}
	return NULL;
}

/* The vfio_device of a cdev being opened (file_open): from its inode's cdev. */
static __always_inline struct vfio_device *enf_cdev_vdev(struct file *f)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	struct cdev *cd = BPF_CORE_READ(ino, i_cdev);

	if (!bpf_core_field_exists(struct vfio_device, cdev))
		return NULL;
	if (!cd)
		cd = enf_cdev_lookup(BPF_CORE_READ(ino, i_rdev));
	if (!cd)
		return NULL;
	return (void *)cd - bpf_core_field_offset(struct vfio_device, cdev);
}

/* Does the caller's argument ARG (a C string) name device name NAME? */
static __always_inline int enf_name_is(const char *arg, const char *name)
{
	int i;

	/* vfio-pci takes "BDF" or "BDF vf_token=UUID" */
	for (i = 0; i < ITR_ENF_DEV_NAME_LEN; i++) {
		if (!name[i])
			return !arg[i] || arg[i] == ' ';
		if (arg[i] != name[i])
			return 0;
	}
	return 0;
}

/* VFIO_GROUP_GET_DEVICE_FD on group file F: the group's device that ARG names. */
static __always_inline void enf_group_vdev(struct enf_req *r, struct file *f, __u64 arg)
{
	struct vfio_group *g = BPF_CORE_READ(f, private_data);
	struct list_head *head, *pos;
	char want[ITR_ENF_DEV_NAME_LEN] = {};
	int i;

	r->q.dev_state = ITR_ENF_DEV_UNKNOWN;
	enf_vgroup_fill(r, g);
	if (!g || bpf_probe_read_user_str(want, sizeof(want), (void *)arg) <= 0)
		return;
	head = __builtin_preserve_access_index(&g->device_list);
	pos = BPF_CORE_READ(g, device_list.next);
	for (i = 0; i < ENF_GROUP_MAX_VDEVS && pos && pos != head; i++) {
		struct vfio_device *vd = (void *)pos - bpf_core_field_offset(struct vfio_device, group_next);

		enf_vdev_fill(r, vd);
		if (r->q.dev_state == ITR_ENF_DEV_KNOWN && enf_name_is(want, r->q.dev_name))
			return;
		pos = BPF_CORE_READ(pos, next);
	}
	r->q.dev_state = ITR_ENF_DEV_UNKNOWN;
	r->q.dev_name[0] = 0;
	r->q.driver[0] = 0;
}

/* The vfio_group of group file F; AT_OPEN: in lsm/file_open (its cdev, as for a device's). */
static __always_inline struct vfio_group *enf_file_vgroup(struct file *f, int at_open)
{
	struct inode *ino;
	struct cdev *cd;

	if (!at_open)
		return BPF_CORE_READ(f, private_data);
	if (!bpf_core_field_exists(struct vfio_group, cdev))
		return NULL;
	ino = BPF_CORE_READ(f, f_inode);
	cd = BPF_CORE_READ(ino, i_cdev);
	if (!cd)
		cd = enf_cdev_lookup(BPF_CORE_READ(ino, i_rdev));
	if (!cd)
		return NULL;
	return (void *)cd - bpf_core_field_offset(struct vfio_group, cdev);
}

/*
 * The object of R, made on file F of class CLASS (AT_OPEN: in
 * lsm/file_open; ARG: the ioctl's argument): its device for a device
 * operation or a device file, else the group's IOMMU group. One
 * subprogram for the two callers below.
 */
static __noinline int enf_object_find(struct enf_req *r, struct file *f, __u32 class, int at_open,
				      __u64 arg)
{
	/*
	 * vfio.ko's types, as its BTF was when the programs loaded: absent
	 * (vfio not loaded yet), every device is unknown, and the code that
	 * reads them is dead for the verifier
	 */
	if (!bpf_core_type_exists(struct vfio_device) || !bpf_core_type_exists(struct vfio_group)) {
		r->q.dev_state = ITR_ENF_DEV_UNKNOWN;
		return 0;
	}
	if (class == ITR_ENF_CLASS_GROUP && r->q.op == ITR_ENF_OP_GET_DEVICE_FD)
		enf_group_vdev(r, f, arg);
	else if (class == ITR_ENF_CLASS_GROUP)
		enf_vgroup_fill(r, enf_file_vgroup(f, at_open));
	else if (class == ITR_ENF_CLASS_DEVICE && at_open)
		enf_vdev_fill(r, enf_cdev_vdev(f));
	else if (class == ITR_ENF_CLASS_DEVICE || class == ITR_ENF_CLASS_DEVICE_FD)
		enf_vdev_fill(r, enf_file_vdev(f));
	else
		r->q.dev_state = ITR_ENF_DEV_UNKNOWN;
	return 0;
}

/*
 * Find R's device for a device operation under P, before the decision:
 * only when a rule has a device object. CLASS is F's; AT_OPEN: in
 * lsm/file_open.
 */
static __always_inline void enf_device(const struct itr_enf_policy *p, struct enf_req *r,
				       struct file *f, __u32 class, int at_open, __u64 arg)
{
	r->class = class;
	if (!(p->flags & ITR_ENF_F_DEVICE) || r->q.op >= 64 ||
	    !(ITR_ENF_DEVICE_OPS & p->ops_any & (1ULL << r->q.op)))
		return;
	enf_object_find(r, f, class, at_open, arg);
}

/*
 * After the decision, for the audit record alone: the object of a
 * decision that will be recorded (enf_verdict), where the decision did
 * not need it. Container and /dev/iommu files have none beyond their node.
 */
static __always_inline void enf_audit_object(const struct itr_enf_policy *p, struct enf_req *r,
					     struct file *f, __u32 class, int at_open, __u64 arg)
{
	if (r->q.dev_state != ITR_ENF_DEV_NONE || r->group ||
	    (r->action == ITR_ENF_ALLOW && !(p->flags & ITR_ENF_F_AUDIT_ALL)))
		return;
	if (class == ITR_ENF_CLASS_GROUP || class == ITR_ENF_CLASS_DEVICE ||
	    class == ITR_ENF_CLASS_DEVICE_FD)
		enf_object_find(r, f, class, at_open, arg);
}

#endif
