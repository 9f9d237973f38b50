// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommufd device bindings: ITR_EV_UNBIND at the entry of
 * iommufd_device_unbind(idev) (void; 6.2 and later, kernels with iommufd).
 * VFIO calls it when a device file bound to an iommufd context (a cdev's
 * VFIO_DEVICE_BIND_IOMMUFD, or a group's device fd in an iommufd compat
 * container) has its last close; the iommufd selftest when a mock device
 * is destroyed. Read before the object goes: the device (h.dev,
 * h.group_id), its object id (dev_id, what VFIO_DEVICE_BIND_IOMMUFD
 * returned as out_devid) and the iommufd context's file.
 */
#include "common.bpf.h"

static __always_inline int unbind_enter(__u64 idev)
{
	struct iommufd_device *d = (void *)idev;
	struct itr_rec r;

	if (!idev || itr_rec_start(&r, ITR_EV_UNBIND, ITR_F_NO_RET, 0))
		return 0;
	itr_hdr_dev(&r, (__u64)BPF_CORE_READ(d, dev), 0);
	r.unb.dev_id = BPF_CORE_READ(d, obj.id);
	r.unb.iommufd_file_id = itr_domain_id((__u64)BPF_CORE_READ(d, ictx, file));
	itr_submit(&r);
	return 0;
}

static __always_inline int unbind_hook(struct itr_call c)
{
	return unbind_enter(itr_call_arg(c, 0));
}

ITR_HOOK_ENTRY(unbind, iommufd_device_unbind, unbind_hook)
