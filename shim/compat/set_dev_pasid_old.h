/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.14, "iommu: Make set_dev_pasid op support domain replacement": a PASID
 * detach is the IOMMU driver's blocked domain set on the PASID; before it,
 * the driver's remove_dev_pasid op. Either way the driver must have it,
 * and the domain must have set_dev_pasid, for a PASID attach to work.
 */
#ifndef SHIM_COMPAT_SET_DEV_PASID_OLD_H
#define SHIM_COMPAT_SET_DEV_PASID_OLD_H

#include <linux/iommu.h>

/* NULL when dev's IOMMU driver can put domains on PASIDs, else why not. */
static inline const char *shim_driver_pasid_why(struct device *dev)
{
#ifdef SHIM_HAVE_ATTACH_DEVICE_PASID
	const struct iommu_ops *ops = dev->iommu->iommu_dev->ops;	/* dev_iommu_ops() is private */

#ifdef SHIM_HAVE_SET_DEV_PASID_OLD
	if (!ops->blocked_domain || !ops->blocked_domain->ops->set_dev_pasid)
		return "its IOMMU driver cannot detach PASIDs (no blocked domain set_dev_pasid)";
#else
	if (!ops->remove_dev_pasid)
		return "its IOMMU driver cannot detach PASIDs (no remove_dev_pasid)";
#endif
	return NULL;
#else
	return "this kernel has no PASID attach API (iommu_attach_device_pasid, 6.2)";
#endif
}

#endif
