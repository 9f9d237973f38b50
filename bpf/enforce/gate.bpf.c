// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The gates (BPF LSM): opening or receiving a VFIO or iommufd file, and
 * each VFIO/iommufd ioctl, native or compat (a 32-bit caller is decided
 * the same way, never waved through). Map payloads (IOVA, size, flags)
 * are read from user memory here; what the kernel really copies is
 * judged again in copy.bpf.c. A device operation's device, for rules with
 * a device object: device.bpf.h.
 */
#include "enforce/enforce.bpf.h"
#include "enforce/stale.bpf.h"
#include "enforce/device.bpf.h"

#define ENF_S_IFMT	0170000
#define ENF_S_IFCHR	0020000
#define ENF_MINORBITS	20

/* The file's class under P; *rdev its device number (0: none). */
static __always_inline __u32 enf_class(const struct itr_enf_policy *p, struct file *f, __u32 *rdev)
{
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	__u32 mode = BPF_CORE_READ(ino, i_mode);
	__u32 rd = BPF_CORE_READ(ino, i_rdev), maj = rd >> ENF_MINORBITS;
	static const char devfd[] = "[vfio-device]";
	char name[16] = {};
	int i;

	*rdev = 0;
	if ((mode & ENF_S_IFMT) == ENF_S_IFCHR && rd) {
		*rdev = rd;
		if (rd == p->container_rdev)
			return ITR_ENF_CLASS_CONTAINER;
		if (rd == p->iommufd_rdev)
			return ITR_ENF_CLASS_IOMMUFD;
		if (p->group_major && maj == p->group_major)
			return ITR_ENF_CLASS_GROUP;
		if (p->device_major && maj == p->device_major)
			return ITR_ENF_CLASS_DEVICE;
		return ITR_ENF_CLASS_NONE;
	}
	/* a group's device fd: an anonymous inode named "[vfio-device]" */
	bpf_probe_read_kernel_str(name, sizeof(name), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	for (i = 0; i < (int)sizeof(devfd); i++)
		if (name[i] != devfd[i])
			return ITR_ENF_CLASS_NONE;
	return ITR_ENF_CLASS_DEVICE_FD;
}

static __always_inline __u32 enf_open_op(__u32 class)
{
	switch (class) {
	case ITR_ENF_CLASS_GROUP:	return ITR_ENF_OP_OPEN_GROUP;
	case ITR_ENF_CLASS_CONTAINER:	return ITR_ENF_OP_OPEN_CONTAINER;
	case ITR_ENF_CLASS_DEVICE:	return ITR_ENF_OP_OPEN_DEVICE;
	case ITR_ENF_CLASS_IOMMUFD:	return ITR_ENF_OP_OPEN_IOMMUFD;
	case ITR_ENF_CLASS_DEVICE_FD:	return ITR_ENF_OP_GET_DEVICE_FD;
	default:			return ITR_ENF_OP_NONE;
	}
}

/* open and receive: the file's class names the operation */
static __always_inline int enf_file_gate(struct file *f, __u32 tier)
{
	struct enf_req r = { .tier = tier };
	const struct itr_enf_policy *p = enf_policy_get(&r);
	__u32 class;
	int ret;

	if (!p)
		return 0;
	class = enf_class(p, f, &r.q.rdev);
	r.q.op = enf_open_op(class);
	/* opening by path never yields a device fd; receiving one does */
	if (r.q.op == ITR_ENF_OP_NONE || (tier == ITR_ENF_TIER_OPEN && class == ITR_ENF_CLASS_DEVICE_FD))
		return 0;
	enf_device(p, &r, f, class, tier == ITR_ENF_TIER_OPEN, 0);
	enf_subject(&r);
	enf_decide(p, &r);
	enf_audit_object(p, &r, f, class, tier == ITR_ENF_TIER_OPEN, 0);
	ret = enf_verdict(p, &r, f);
	if (!ret)
		enf_over_cap(p, &r, f);
	return ret;
}

/* Read a map's IOVA, size and flags from user memory (fail closed). */
static __always_inline void enf_map_payload(struct enf_req *r, __u64 arg)
{
	struct itr_enf_map_layout l;
	__u64 iova = ITR_ENF_IOVA_ANY, size = ~0ULL;
	__u32 flags = 0;

	r->q.iova = ITR_ENF_IOVA_ANY;
	r->q.size = ~0ULL;
	if (itr_enf_map_layout(r->cmd, &l))
		return;
	if (bpf_probe_read_user(&flags, sizeof(flags), (void *)(arg + 4)) ||
	    bpf_probe_read_user(&iova, sizeof(iova), (void *)(arg + l.iova_off)) ||
	    bpf_probe_read_user(&size, sizeof(size), (void *)(arg + l.size_off)))
		return;
	r->flags = flags;
	r->q.size = size;
	r->q.iova = l.fixed_flag && !(flags & l.fixed_flag) ? ITR_ENF_IOVA_ANY : iova;
}

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT's flags in user memory (0 when unreadable:
 * the kernel's own copy then fails with EFAULT) */
static __always_inline __u32 enf_attach_flags(__u64 arg)
{
	__u32 flags = 0;

	bpf_probe_read_user(&flags, sizeof(flags), (void *)(arg + 4));
	return flags;
}

static __always_inline int enf_ioctl_gate(struct file *f, __u32 cmd, __u64 arg, __u32 tier)
{
	struct enf_req r = { .tier = tier, .cmd = cmd };
	const struct itr_enf_policy *p;
	__u32 class;

	/* every ioctl of the system passes here: the command first, cheaply */
	if ((cmd & 0xff00) != ITR_ENF_IOC(0))
		return 0;
	p = enf_policy_get(&r);
	if (!p)
		return 0;
	class = enf_class(p, f, &r.q.rdev);
	r.q.op = itr_enf_ioctl_op(cmd, class);
	if (r.q.op == ITR_ENF_OP_NONE)
		return 0;
	/* a PASID's attach, by its flags in user memory (attach.bpf.c judges the
	 * kernel's copy); a RID's attach of an attached device is a replace */
	if (r.q.op == ITR_ENF_OP_ATTACH && (enf_attach_flags(arg) & ITR_ENF_ATTACH_PASID))
		r.q.op = ITR_ENF_OP_PASID_ATTACH;
	else if (r.q.op == ITR_ENF_OP_ATTACH && enf_vdev_attached(enf_file_vdev(f)))
		r.q.op = ITR_ENF_OP_REPLACE;
	/* the strict tier decides maps on the kernel's copy (strict.bpf.c) */
	if (r.q.op == ITR_ENF_OP_MAP && (p->flags & ITR_ENF_F_STRICT))
		return 0;
	/* the payload only matters to map limits */
	if (r.q.op == ITR_ENF_OP_MAP && (p->flags & ITR_ENF_F_MAP_LIMITS))
		enf_map_payload(&r, arg);
	/* a capped subject maps only while its limit is within the cap (memlock.bpf.c) */
	if (r.q.op == ITR_ENF_OP_MAP && (p->flags & ITR_ENF_F_PINNED))
		r.q.memlock = enf_task_memlock(bpf_get_current_task_btf());
	/* a replace that moves another device of the group (stale.bpf.h) */
	if (r.q.op == ITR_ENF_OP_REPLACE && (p->flags & ITR_ENF_F_STALE_VIEW))
		r.q.stale = enf_attach_stale(f);
	enf_device(p, &r, f, class, 0, arg);
	enf_subject(&r);
	enf_decide(p, &r);
	enf_audit_object(p, &r, f, class, 0, arg);
	/* no limit read it: the payload is read for the audit record alone */
	if (r.q.op == ITR_ENF_OP_MAP && !(p->flags & ITR_ENF_F_MAP_LIMITS) &&
	    (r.action != ITR_ENF_ALLOW || (p->flags & ITR_ENF_F_AUDIT_ALL)))
		enf_map_payload(&r, arg);
	return enf_verdict(p, &r, f);
}

SEC("lsm/file_open")
int BPF_PROG(enf_file_open, struct file *file, int ret)
{
	if (ret)
		return ret;
	return enf_file_gate(file, ITR_ENF_TIER_OPEN);
}

SEC("lsm/file_receive")
int BPF_PROG(enf_file_receive, struct file *file, int ret)
{
	if (ret)
		return ret;
	return enf_file_gate(file, ITR_ENF_TIER_RECEIVE);
}

SEC("lsm/file_ioctl")
int BPF_PROG(enf_file_ioctl, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	if (ret)
		return ret;
	return enf_ioctl_gate(file, cmd, arg, ITR_ENF_TIER_IOCTL);
}

/* 6.8+, and backported to 6.1.76+: the loader refuses to run without it */
SEC("?lsm/file_ioctl_compat")
int BPF_PROG(enf_file_ioctl_compat, struct file *file, unsigned int cmd, unsigned long arg, int ret)
{
	if (ret)
		return ret;
	return enf_ioctl_gate(file, cmd, arg, ITR_ENF_TIER_IOCTL_COMPAT);
}

/*
 * Does BPF LSM run at all? Where /sys/kernel/security/lsm cannot be read
 * (no securityfs), the loader attaches this alone, opens a file and looks.
 */
__u32 enf_probe_tgid;
__u32 enf_probe_hits;

SEC("?lsm/file_open")
int BPF_PROG(enf_lsm_probe, struct file *file, int ret)
{
	if (bpf_get_current_pid_tgid() >> 32 == enf_probe_tgid)
		__sync_fetch_and_add(&enf_probe_hits, 1);
	return ret;
}
