// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO_DEVICE_ATTACH_IOMMUFD_PT decided again on the kernel's own copy of
 * its flags: the gate (gate.bpf.c) read VFIO_DEVICE_ATTACH_PASID from the
 * caller's memory and judged `attach` or `pasid-attach`; the kernel copies
 * the struct once afterwards (vfio_df_ioctl_attach_pt, 7.x) and calls
 *   device->ops->pasid_attach_ioas(vdev, pasid, &pt_id)  with the flag,
 *   device->ops->attach_ioas(vdev, &pt_id)               without it;
 * for vfio-pci these are vfio_iommufd_physical_pasid_attach_ioas and
 * vfio_iommufd_physical_attach_ioas (exported from vfio.ko, so never
 * inlined). A second thread that flipped the flag in between makes the
 * kernel do the operation the gate did not judge: if the policy refuses
 * it to the subject, the caller gets SIGKILL before the attach and the race
 * is audited (tier kernel-copy). Each hook's operation is its own, so an
 * honest call is decided here as at the gate. A RID's attach of a device
 * already attached is a replace, here and at the gate: a second thread
 * attaching in between makes the kernel replace what the gate judged an
 * attach, and a replace the policy refuses is killed the same way. (The
 * stale-view limit is judged at the gate only.)
 */
#include "enforce/enforce.bpf.h"
#include "enforce/vdev.bpf.h"
#include "enforce/stale.bpf.h"
#include "lib/hook.bpf.h"

static __always_inline int enf_attach_kernel(struct itr_call c, __u32 op)
{
	struct enf_req r = { .tier = ITR_ENF_TIER_KERNEL_COPY, .kernel = 1 };
	const struct itr_enf_policy *p = enf_policy_get(&r);
	struct vfio_device *vd = (void *)itr_call_arg(c, 0);

	/* the RID of an attached device: a replace (dev_set->lock held: no change under us) */
	if (op == ITR_ENF_OP_ATTACH && enf_vdev_attached(vd))
		op = ITR_ENF_OP_REPLACE;
	if (!p || !(p->ops_any & (1ULL << op)) || !bpf_core_type_exists(struct vfio_device))
		return 0;
	r.q.op = op;
	/* the file the gate judged: the device's cdev */
	r.class = ITR_ENF_CLASS_DEVICE;
	r.q.rdev = BPF_CORE_READ(vd, device.devt);
	enf_vdev_fill(&r, vd);
	enf_subject(&r);
	enf_decide(p, &r);
	enf_verdict(p, &r, NULL);
	return 0;
}

ITR_HOOK_ENTRY(enf_pasid_attach, vfio_iommufd_physical_pasid_attach_ioas, enf_attach_kernel,
	       ITR_ENF_OP_PASID_ATTACH)
ITR_HOOK_ENTRY(enf_rid_attach, vfio_iommufd_physical_attach_ioas, enf_attach_kernel, ITR_ENF_OP_ATTACH)
