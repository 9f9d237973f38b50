/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.15, "iommu: Introduce a replace API for device pasid": a PASID moves
 * from one domain to another at once (exported to IOMMUFD_INTERNAL only).
 * Before it: detach, then attach the new domain, re-attaching the old one
 * if that fails; DMA tagged with the PASID is blocked in between.
 */
#ifndef SHIM_COMPAT_REPLACE_DEVICE_PASID_H
#define SHIM_COMPAT_REPLACE_DEVICE_PASID_H

#include "compat/attach_device_pasid.h"

#ifdef SHIM_HAVE_REPLACE_DEVICE_PASID
#define SHIM_REPLACE_ATOMIC true
/* drivers/iommu/iommu-priv.h */
int iommu_replace_device_pasid(struct iommu_domain *domain, struct device *dev,
			       ioasid_t pasid, struct iommu_attach_handle *handle);

static inline int shim_replace_device_pasid(struct iommu_domain *old, struct iommu_domain *new,
					    struct device *dev, ioasid_t pasid,
					    struct iommu_attach_handle *h)
{
	return iommu_replace_device_pasid(new, dev, pasid, h);
}
#else
#define SHIM_REPLACE_ATOMIC false
static inline int shim_replace_device_pasid(struct iommu_domain *old, struct iommu_domain *new,
					    struct device *dev, ioasid_t pasid,
					    struct iommu_attach_handle *h)
{
	int ret;

	shim_detach_device_pasid(old, dev, pasid);
	ret = shim_attach_device_pasid(new, dev, pasid, h);
	if (ret && shim_attach_device_pasid(old, dev, pasid, NULL))
		pr_warn("%s: PASID %u lost its domain in a failed replace\n",
			dev_name(dev), pasid);
	return ret;
}
#endif

#endif
