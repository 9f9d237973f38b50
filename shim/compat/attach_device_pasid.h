/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.2, "iommu: Add attach/detach_dev_pasid iommu interfaces": a domain on
 * a device's PASID. 6.11, "iommu: Add attach handle to struct iopf_group":
 * iommu_attach_device_pasid() takes a handle. Before 6.2 there is no
 * PASID attach at all: the shim refuses with EOPNOTSUPP and says so.
 */
#ifndef SHIM_COMPAT_ATTACH_DEVICE_PASID_H
#define SHIM_COMPAT_ATTACH_DEVICE_PASID_H

#include <linux/iommu.h>

#ifdef SHIM_HAVE_ATTACH_DEVICE_PASID
#define SHIM_NO_PASID_API NULL
static inline int shim_attach_device_pasid(struct iommu_domain *d, struct device *dev,
					   ioasid_t pasid, struct iommu_attach_handle *h)
{
#ifdef SHIM_HAVE_PASID_ATTACH_HANDLE
	return iommu_attach_device_pasid(d, dev, pasid, h);
#else
	return iommu_attach_device_pasid(d, dev, pasid);
#endif
}

static inline void shim_detach_device_pasid(struct iommu_domain *d, struct device *dev,
					    ioasid_t pasid)
{
	iommu_detach_device_pasid(d, dev, pasid);
}
#else
#define SHIM_NO_PASID_API "this kernel has no PASID attach API (iommu_attach_device_pasid, 6.2)"
static inline int shim_attach_device_pasid(struct iommu_domain *d, struct device *dev,
					   ioasid_t pasid, void *h)
{
	return -EOPNOTSUPP;
}

static inline void shim_detach_device_pasid(struct iommu_domain *d, struct device *dev,
					    ioasid_t pasid)
{
}
#endif

/* Can domain d go on a PASID (its driver's set_dev_pasid)? */
static inline bool shim_domain_pasid_capable(const struct iommu_domain *d)
{
#ifdef SHIM_HAVE_ATTACH_DEVICE_PASID
	return d->ops->set_dev_pasid;
#else
	return false;
#endif
}

/* The device's PASID space (6.2 added max_pasids with the API); 0: none. */
static inline u32 shim_dev_max_pasids(struct device *dev)
{
#ifdef SHIM_HAVE_ATTACH_DEVICE_PASID
	return dev->iommu ? dev->iommu->max_pasids : 0;
#else
	return 0;
#endif
}

#ifndef SHIM_HAVE_PASID_ATTACH_HANDLE
/* Before 6.11 the core keeps no handle: the shim's is only its own record. */
struct iommu_attach_handle {
	struct iommu_domain *domain;
};
#endif

#endif
