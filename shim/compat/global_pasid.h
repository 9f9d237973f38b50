/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.6, "iommu: Add a helper to allocate global PASIDs": the PASID an aux
 * domain gets comes from the kernel's global space, within the device's
 * max_pasids. Before it, the shim keeps its own IDA over the same range.
 */
#ifndef SHIM_COMPAT_GLOBAL_PASID_H
#define SHIM_COMPAT_GLOBAL_PASID_H

#include <linux/idr.h>
#include <linux/iommu.h>
#include "compat/attach_device_pasid.h"

#ifndef IOMMU_PASID_INVALID
#define IOMMU_PASID_INVALID (-1U)
#endif
#ifndef IOMMU_NO_PASID
#define IOMMU_NO_PASID 0U
#endif

#ifdef SHIM_HAVE_GLOBAL_PASID
static inline u32 shim_pasid_alloc(struct device *dev)
{
	return iommu_alloc_global_pasid(dev);
}

static inline void shim_pasid_free(u32 pasid)
{
	iommu_free_global_pasid(pasid);
}
#else
extern struct ida shim_pasid_ida;
static inline u32 shim_pasid_alloc(struct device *dev)
{
	int ret;

	if (shim_dev_max_pasids(dev) < 2)
		return IOMMU_PASID_INVALID;
	ret = ida_alloc_range(&shim_pasid_ida, 1, shim_dev_max_pasids(dev) - 1, GFP_KERNEL);
	return ret < 0 ? IOMMU_PASID_INVALID : ret;
}

static inline void shim_pasid_free(u32 pasid)
{
	ida_free(&shim_pasid_ida, pasid);
}
#endif

#endif
