// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO_GROUP_GET_DEVICE_FD decided again on the device the kernel
 * resolved from its own copy of the name: the gate (gate.bpf.c) read the
 * name from the caller's memory, the kernel copies it afterwards
 * (strndup_user) and looks the device up; a second thread can rewrite the
 * name in between. The device fd is made by
 *   anon_inode_getfile("[vfio-device]", &vfio_device_fops, priv, O_RDWR)
 *     (6.1: priv is the vfio_device; 6.6 to 6.12: its vfio_device_file)
 *   anon_inode_getfile_fmode("[vfio-device]", ..., priv, ...)  (7.x)
 * called only there (a cdev's file is its inode's), after the device was
 * resolved and opened, before the file and its fd exist. If the policy
 * refuses that device to the subject, the gate judged another name: a
 * race; the caller gets SIGKILL (pending before the fd is installed, so no
 * user code of the process runs again with it) and the race is audited.
 * Both functions are global vmlinux functions on every kernel we run;
 * the hook returns at once for every other anonymous file.
 */
#include "enforce/enforce.bpf.h"
#include "enforce/vdev.bpf.h"
#include "lib/hook.bpf.h"

static __always_inline int enf_devfd(struct itr_call c)
{
	static const char want[] = "[vfio-device]";
	struct enf_req r = { .tier = ITR_ENF_TIER_KERNEL_COPY, .kernel = 1 };
	const struct itr_enf_policy *p = enf_policy_get(&r);
	struct vfio_device *vd;
	char name[sizeof(want)] = {};
	int i;

	if (!p || !(p->ops_any & (1ULL << ITR_ENF_OP_GET_DEVICE_FD)) || !(p->flags & ITR_ENF_F_DEVICE))
		return 0;
	if (bpf_probe_read_kernel_str(name, sizeof(name), (void *)itr_call_arg(c, 0)) != sizeof(want))
		return 0;
	for (i = 0; i < (int)sizeof(want); i++)
		if (name[i] != want[i])
			return 0;
	if (!bpf_core_type_exists(struct vfio_device))
		return 0;
	vd = enf_priv_vdev((void *)itr_call_arg(c, 2));
	r.q.op = ITR_ENF_OP_GET_DEVICE_FD;
	/* the file the gate judged: the device's group node */
	r.class = ITR_ENF_CLASS_GROUP;
	if (bpf_core_field_exists(struct vfio_device, group) && bpf_core_field_exists(struct vfio_group, dev))
		r.q.rdev = BPF_CORE_READ(vd, group, dev.devt);
	enf_vdev_fill(&r, vd);
	enf_subject(&r);
	enf_decide(p, &r);
	enf_verdict(p, &r, NULL);
	return 0;
}

ITR_HOOK_ENTRY(enf_devfd, anon_inode_getfile, enf_devfd)
ITR_HOOK_ENTRY(enf_devfd_fmode, anon_inode_getfile_fmode, enf_devfd)
