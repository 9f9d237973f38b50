/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.11, "iommu: Add iommu_paging_domain_alloc() interface": a paging
 * domain for a device. Before it: iommu_domain_alloc() for its bus.
 */
#ifndef SHIM_COMPAT_PAGING_DOMAIN_ALLOC_H
#define SHIM_COMPAT_PAGING_DOMAIN_ALLOC_H

#include <linux/err.h>
#include <linux/iommu.h>

static inline struct iommu_domain *shim_paging_domain_alloc(struct device *dev)
{
#ifdef SHIM_HAVE_PAGING_DOMAIN_ALLOC
	return iommu_paging_domain_alloc(dev);
#else
	struct iommu_domain *d = iommu_domain_alloc(dev->bus);

	return d ? d : ERR_PTR(-ENOMEM);
#endif
}

#endif
