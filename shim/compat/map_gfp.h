/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.3, "iommu: Add a gfp parameter to iommu_map()".
 */
#ifndef SHIM_COMPAT_MAP_GFP_H
#define SHIM_COMPAT_MAP_GFP_H

#include <linux/iommu.h>

static inline int shim_iommu_map(struct iommu_domain *d, unsigned long iova, phys_addr_t pa,
				 size_t size, int prot)
{
#ifdef SHIM_HAVE_MAP_GFP
	return iommu_map(d, iova, pa, size, prot, GFP_KERNEL);
#else
	return iommu_map(d, iova, pa, size, prot);
#endif
}

#endif
