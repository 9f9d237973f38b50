/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.11, "iommu: Add attach handle to struct iopf_group": the core keeps a
 * handle per attached PASID, and iommu_attach_handle_get() (exported to
 * IOMMUFD_INTERNAL) reads the domain on a group's PASID. Before it the
 * kernel's own view of a PASID cannot be read from a module: NULL.
 */
#ifndef SHIM_COMPAT_ATTACH_HANDLE_GET_H
#define SHIM_COMPAT_ATTACH_HANDLE_GET_H

#include <linux/err.h>
#include <linux/iommu.h>

#ifdef SHIM_HAVE_ATTACH_HANDLE_GET
#define SHIM_CAN_READ_PASID true
/* drivers/iommu/iommu-priv.h */
struct iommu_attach_handle *iommu_attach_handle_get(struct iommu_group *group,
						    ioasid_t pasid, unsigned int type);

static inline struct iommu_domain *shim_group_pasid_domain(struct iommu_group *g, u32 pasid)
{
	struct iommu_attach_handle *h = iommu_attach_handle_get(g, pasid, 0);

	return IS_ERR(h) ? NULL : h->domain;
}
#else
#define SHIM_CAN_READ_PASID false
static inline struct iommu_domain *shim_group_pasid_domain(struct iommu_group *g, u32 pasid)
{
	return NULL;
}
#endif

#endif
