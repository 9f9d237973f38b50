/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A replace that would leave a stale HWPT view (docs/enforce.md, "A
 * replace that leaves a stale HWPT view"), decided from the kernel's own
 * objects at the attach gate: the attachment is per IOMMU group, so
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT on a device cdev that is attached already
 * (a replace) moves every device of its group; another device of the group
 * attached through iommufd keeps naming its old HWPT (its VFIO fd's pt,
 * iommufd's view) while the group is on the new one.
 *
 * The path, read with CO-RE (7.3.4; the cdev and these fields exist where
 * iommufd does, 6.6+; absent on kernels without iommufd, where the answer
 * is "not stale"):
 *   file->private_data: struct vfio_device_file -> device (struct vfio_device)
 *   vfio_device.iommufd_attached (bit): this device is attached (a replace)
 *   vfio_device.dev->iommu_group->devices: struct group_device list -> dev
 *   another dev with the same driver: its drvdata is the driver's device
 *   struct, whose first member is its struct vfio_device (vfio-pci:
 *   struct vfio_pci_core_device.vdev) -> iommufd_attached
 */
#ifndef ITR_ENFORCE_STALE_BPF_H
#define ITR_ENFORCE_STALE_BPF_H

#include "enforce/enforce.bpf.h"

#define ENF_GROUP_MAX_DEVICES	16

/* Is VD attached through iommufd (its RID)? 0 where the kernel has no such bit (6.x: no cdev). */
static __always_inline int enf_vdev_attached(struct vfio_device *vd)
{
	if (!bpf_core_field_exists(struct vfio_device, iommufd_attached))
		return 0;
	return vd && BPF_CORE_READ_BITFIELD_PROBED(vd, iommufd_attached);
}

/* Would an attach through device file F leave another device's HWPT view stale? */
static __always_inline __u32 enf_attach_stale(struct file *f)
{
	struct vfio_device_file *df;
	struct vfio_device *vd;
	struct iommu_group *g;
	struct list_head *head, *pos;
	struct device *dev;
	void *drv;
	int i;

	if (!bpf_core_type_exists(struct vfio_device_file) ||
	    !bpf_core_field_exists(struct vfio_device, iommufd_attached))
		return 0;
	df = BPF_CORE_READ(f, private_data);
	vd = BPF_CORE_READ(df, device);
	/* a first attach joins the group's domain; only a replace moves it */
	if (!enf_vdev_attached(vd))
		return 0;
	dev = BPF_CORE_READ(vd, dev);
	drv = BPF_CORE_READ(dev, driver);
	g = BPF_CORE_READ(dev, iommu_group);
	if (!g)
		return 0;
	head = __builtin_preserve_access_index(&g->devices);
	pos = BPF_CORE_READ(g, devices.next);
	for (i = 0; i < ENF_GROUP_MAX_DEVICES && pos && pos != head; i++) {
		struct group_device *gd = (void *)pos - bpf_core_field_offset(struct group_device, list);
		struct device *od = BPF_CORE_READ(gd, dev);

		if (od != dev && BPF_CORE_READ(od, driver) == drv &&
		    enf_vdev_attached(BPF_CORE_READ(od, driver_data)))
			return 1;
		pos = BPF_CORE_READ(pos, next);
	}
	return 0;
}

#endif
