// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The join of iommufd's objects to the core's domains: at the exit of
 * iommufd_hwpt_paging_alloc(ictx, ioas, idev, ...) -> struct
 * iommufd_hwpt_paging * or ERR_PTR, one ITR_EV_HWPT_DOMAIN record with the
 * HWPT's object id (allocated with the object, before it is finalized),
 * its IOAS's id and its domain (h.domain_*). Auto domains (VFIO compat,
 * IOMMU_DEVICE_ATTACH to an IOAS) and IOMMU_HWPT_ALLOC both come here.
 * Failed allocations have no object: nothing is sent.
 */
#include "common.bpf.h"

static __always_inline int hwpt_join(__u64 hwpt)
{
	struct iommufd_hwpt_paging *h = (void *)hwpt;
	struct itr_rec r;

	if (!hwpt || itr_ptr_err(hwpt))
		return 0;
	if (itr_rec_start(&r, ITR_EV_HWPT_DOMAIN, ITR_F_NO_RET, 0))
		return 0;
	itr_hdr_domain(&r, (__u64)BPF_CORE_READ(h, common.domain));
	r.join.hwpt_id = BPF_CORE_READ(h, common.obj.id);
	r.join.ioas_id = BPF_CORE_READ(h, ioas, obj.id);
	itr_submit(&r);
	return 0;
}

static __always_inline int hwpt_join_exit(struct itr_call c)
{
	return hwpt_join(itr_call_ret(c));
}

ITR_HOOK_EXIT(hwpt_join, iommufd_hwpt_paging_alloc, hwpt_join_exit)
