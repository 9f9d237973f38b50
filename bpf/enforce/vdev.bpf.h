/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A VFIO device as the audit and the device rules see it, from the
 * kernel's own objects read with CO-RE: its name, driver and IOMMU group
 * (docs/enforce.md "Device objects"). No globals: included by the gates
 * (device.bpf.h) and by the device fd's kernel-copy tier (devfd.bpf.c).
 */
#ifndef ITR_ENFORCE_VDEV_BPF_H
#define ITR_ENFORCE_VDEV_BPF_H

#include "enforce/enforce.bpf.h"

/* R's IOMMU group from G (NULL: not known) */
static __always_inline void enf_iommu_group_fill(struct enf_req *r, struct iommu_group *g)
{
	r->group = g ? BPF_CORE_READ(g, id) + 1 : 0;
}

/* R's IOMMU group from vfio_group G (NULL: not known) */
static __always_inline void enf_vgroup_fill(struct enf_req *r, struct vfio_group *g)
{
	enf_iommu_group_fill(r, g ? BPF_CORE_READ(g, iommu_group) : NULL);
}

/* Fill R's device from VD (NULL: unknown), and its IOMMU group. */
static __always_inline void enf_vdev_fill(struct enf_req *r, struct vfio_device *vd)
{
	struct device *dev = BPF_CORE_READ(vd, dev);
	const char *name = BPF_CORE_READ(dev, kobj.name);
	const char *drv = BPF_CORE_READ(dev, driver, name);

	r->q.dev_state = ITR_ENF_DEV_UNKNOWN;
	if (!vd || !dev || !name)
		return;
	enf_iommu_group_fill(r, BPF_CORE_READ(dev, iommu_group));
	if (bpf_probe_read_kernel_str(r->q.dev_name, sizeof(r->q.dev_name), name) < 0)
		return;
	r->q.driver[0] = 0;
	if (drv)
		bpf_probe_read_kernel_str(r->q.driver, sizeof(r->q.driver), drv);
	r->q.dev_state = ITR_ENF_DEV_KNOWN;
}

/*
 * The vfio_device of a device file's private data PRIV (a cdev opened
 * already, a group's device fd, or the one being made for it).
 */
static __always_inline struct vfio_device *enf_priv_vdev(void *priv)
{
	if (!priv)
		return NULL;
	if (bpf_core_type_exists(struct vfio_device_file))
		return BPF_CORE_READ((struct vfio_device_file *)priv, device);
	return priv;	/* 6.1: the device fd's private_data is the vfio_device */
}

/* The vfio_device of a device file opened already (cdev or a group's device fd). */
static __always_inline struct vfio_device *enf_file_vdev(struct file *f)
{
	return enf_priv_vdev(BPF_CORE_READ(f, private_data));
}

#endif
