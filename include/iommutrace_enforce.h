/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The ABI of enforcement mode (bpf/enforce/ <-> user/policy, user/enforce,
 * and any reader of the pinned maps, such as a metrics exporter). A second
 * header beside iommutrace.h because it is a second skeleton with its own
 * pinned, long-lived maps: its layout is versioned on its own
 * (ITR_ENF_ABI_VERSION) so that a tracing schema change does not invalidate
 * a running enforcement, and the reverse. Fixed-width types, no pointers,
 * explicit padding, size asserts.
 *
 * Pinned under ITR_ENF_PIN_DIR (docs/enforce.md):
 *   policy    ARRAY[2] of struct itr_enf_policy: two slots
 *   active    ARRAY[1] of __u32: the slot in force (0 or 1)
 *   counters  PERCPU_ARRAY[ITR_ENF_NCOUNTERS] of struct itr_enf_counts,
 *             key = slot * (ITR_ENF_MAX_RULES + 1) + rule index, where
 *             rule index 0 is "no rule matched" (the default action) and
 *             index i (1..nrules) is rules[i - 1], whose id is i. Sum the
 *             per-CPU values; read the slot that `active` names.
 *   audit     RINGBUF of struct itr_enf_audit: the gates' records
 *   alert     RINGBUF of struct itr_enf_audit: kills and races only, so that
 *             a flood of denials never crowds out a race
 *   prog_*, link_*: the programs and their links
 */
#ifndef IOMMUTRACE_ENFORCE_H
#define IOMMUTRACE_ENFORCE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ITR_ENF_ABI_VERSION	4	/* 2: itr_enf_rule.max_pinned; 3: exe subject, bdf/driver objects;
					   4: the object in itr_enf_audit (class, device, IOMMU group),
					   the pasid-attach and replace operations, the over-cap and
					   lowered verdicts */
#define ITR_ENF_PIN_DIR		"/sys/fs/bpf/iommutrace"
#define ITR_ENF_MAX_RULES	32
#define ITR_ENF_MAX_RANGES	4
#define ITR_ENF_COMM_LEN	16
#define ITR_ENF_NAME_LEN	32
#define ITR_ENF_NCOUNTERS	(2 * (ITR_ENF_MAX_RULES + 1))
#define ITR_ENF_AUDIT_SIZE	(4 * 1024 * 1024)	/* ~30 000 records while no one reads */
#define ITR_ENF_ALERT_SIZE	(256 * 1024)
#define ITR_ENF_DEV_NAME_LEN	48	/* a device's name: a PCI address, an mdev UUID */
#define ITR_ENF_DRIVER_LEN	32

/* Operations a rule names (bit n of itr_enf_rule.ops), sorted by value. */
enum itr_enf_op {
	ITR_ENF_OP_NONE = 0,
	ITR_ENF_OP_OPEN_GROUP,		/* open (or receive) /dev/vfio/N */
	ITR_ENF_OP_OPEN_CONTAINER,	/* open (or receive) /dev/vfio/vfio */
	ITR_ENF_OP_OPEN_DEVICE,		/* open (or receive) /dev/vfio/devices/vfioN */
	ITR_ENF_OP_OPEN_IOMMUFD,	/* open (or receive) /dev/iommu */
	ITR_ENF_OP_GET_DEVICE_FD,	/* VFIO_GROUP_GET_DEVICE_FD; receiving a group's device fd */
	ITR_ENF_OP_SET_CONTAINER,	/* VFIO_GROUP_SET_CONTAINER */
	ITR_ENF_OP_SET_IOMMU,		/* VFIO_SET_IOMMU */
	ITR_ENF_OP_MAP,			/* VFIO_IOMMU_MAP_DMA, IOMMU_IOAS_MAP(_FILE), IOMMU_IOAS_COPY */
	ITR_ENF_OP_UNMAP,		/* VFIO_IOMMU_UNMAP_DMA, IOMMU_IOAS_UNMAP */
	ITR_ENF_OP_BIND,		/* VFIO_DEVICE_BIND_IOMMUFD */
	ITR_ENF_OP_ATTACH,		/* VFIO_DEVICE_ATTACH_IOMMUFD_PT of a detached device (a rule's
					   attach also names REPLACE and PASID_ATTACH: policy_op_bits()) */
	ITR_ENF_OP_DETACH,		/* VFIO_DEVICE_DETACH_IOMMUFD_PT */
	ITR_ENF_OP_HWPT_ALLOC,		/* IOMMU_HWPT_ALLOC */
	ITR_ENF_OP_PASID_ATTACH,	/* VFIO_DEVICE_ATTACH_IOMMUFD_PT with VFIO_DEVICE_ATTACH_PASID (7.x) */
	ITR_ENF_OP_REPLACE,		/* VFIO_DEVICE_ATTACH_IOMMUFD_PT of an attached device (its RID) */
	ITR_ENF_OP_MAX,
};

/*
 * Operations no rule names: decided by the rules with a pinned-bytes cap
 * (ITR_ENF_M_MAX_PINNED) alone, for their subject; when none matches, they
 * are allowed whatever the default (docs/enforce.md, "The pinned-bytes
 * cap"). High bits of itr_enf_rule.ops, beyond the named operations.
 */
#define ITR_ENF_OP_CAP_IPC_LOCK	62	/* capable(CAP_IPC_LOCK) */
#define ITR_ENF_OP_SET_MEMLOCK	63	/* setrlimit/prlimit RLIMIT_MEMLOCK above the cap */

/* What a matching rule does. */
enum itr_enf_action {
	ITR_ENF_ALLOW = 0,	/* allow, no record (unless --audit-all) */
	ITR_ENF_AUDIT,		/* allow, one audit record */
	ITR_ENF_DENY,		/* EPERM, one audit record */
	ITR_ENF_KILL,		/* EPERM and SIGKILL, one audit record */
	ITR_ENF_ACTION_MAX,
};

/* Where a decision was made (itr_enf_audit.tier). */
enum itr_enf_tier {
	ITR_ENF_TIER_NONE = 0,
	ITR_ENF_TIER_OPEN,		/* lsm/file_open */
	ITR_ENF_TIER_RECEIVE,		/* lsm/file_receive (SCM_RIGHTS, pidfd_getfd) */
	ITR_ENF_TIER_IOCTL,		/* lsm/file_ioctl, on user memory */
	ITR_ENF_TIER_IOCTL_COMPAT,	/* lsm/file_ioctl_compat (32-bit callers), on user memory */
	ITR_ENF_TIER_KERNEL_COPY,	/* the kernel's own copy of a map (race check) */
	ITR_ENF_TIER_STRICT,		/* the shim's strict tier: the kernel's copy, EPERM (docs/strict.md) */
	ITR_ENF_TIER_CAPABLE,		/* lsm/capable: CAP_IPC_LOCK of a capped subject */
	ITR_ENF_TIER_SETRLIMIT,		/* lsm/task_setrlimit: RLIMIT_MEMLOCK of a capped subject */
	ITR_ENF_TIER_MAX,
};

/* The object class of a file (from its device number). */
enum itr_enf_class {
	ITR_ENF_CLASS_NONE = 0,
	ITR_ENF_CLASS_GROUP,
	ITR_ENF_CLASS_CONTAINER,
	ITR_ENF_CLASS_DEVICE,
	ITR_ENF_CLASS_IOMMUFD,
	ITR_ENF_CLASS_DEVICE_FD,	/* a group's anonymous device fd ("[vfio-device]") */
};

/* itr_enf_rule.match: which fields of the rule apply. */
#define ITR_ENF_M_UID		(1u << 0)
#define ITR_ENF_M_GID		(1u << 1)
#define ITR_ENF_M_CGROUP	(1u << 2)
#define ITR_ENF_M_COMM		(1u << 3)
#define ITR_ENF_M_NODE		(1u << 4)	/* object: node (device number) */
#define ITR_ENF_M_MAX_SIZE	(1u << 5)	/* limit: max size */
#define ITR_ENF_M_IOVA		(1u << 6)	/* limit: allowed and/or forbidden IOVA ranges */
#define ITR_ENF_M_LIMITS	(ITR_ENF_M_MAX_SIZE | ITR_ENF_M_IOVA)
#define ITR_ENF_M_MAX_PINNED	(1u << 7)	/* limit: the subject's pinned bytes (max_pinned) */
#define ITR_ENF_M_STALE_VIEW	(1u << 8)	/* limit: an attach that leaves a stale HWPT view */
#define ITR_ENF_M_EXE		(1u << 9)	/* subject: the executable (exe_dev, exe_ino) */
#define ITR_ENF_M_BDF		(1u << 10)	/* object: the VFIO device's name (dev_name) */
#define ITR_ENF_M_DRIVER	(1u << 11)	/* object: the VFIO device's driver */
#define ITR_ENF_M_DEVICE	(ITR_ENF_M_BDF | ITR_ENF_M_DRIVER)

/* The operations a device object (bdf, driver) can judge: those made on one device. */
#define ITR_ENF_DEVICE_OPS	((1ULL << ITR_ENF_OP_OPEN_DEVICE) | (1ULL << ITR_ENF_OP_GET_DEVICE_FD) | \
				 (1ULL << ITR_ENF_OP_BIND) | (1ULL << ITR_ENF_OP_ATTACH) | \
				 (1ULL << ITR_ENF_OP_DETACH) | (1ULL << ITR_ENF_OP_PASID_ATTACH) | \
				 (1ULL << ITR_ENF_OP_REPLACE))

/* VFIO_DEVICE_ATTACH_IOMMUFD_PT's flags (struct vfio_device_attach_iommufd_pt, at offset 4) */
#define ITR_ENF_ATTACH_PASID	(1u << 0)	/* VFIO_DEVICE_ATTACH_PASID */

/* itr_enf_policy.flags */
#define ITR_ENF_F_DRY_RUN	(1u << 0)	/* audit what would be denied, deny nothing */
#define ITR_ENF_F_AUDIT_ALL	(1u << 1)	/* audit allowed decisions too */
#define ITR_ENF_F_PINNED	(1u << 2)	/* a rule has max_pinned: the memlock hooks decide */
#define ITR_ENF_F_STALE_VIEW	(1u << 3)	/* a rule has stale-hwpt-view: the attach gate looks */
#define ITR_ENF_F_MAP_LIMITS	(1u << 4)	/* a rule has map limits: payloads are read and judged again */
#define ITR_ENF_F_STRICT	(1u << 5)	/* maps are decided by the strict tier (the shim's kprobes) */
#define ITR_ENF_F_EXE		(1u << 6)	/* a rule has an exe subject: the programs read mm->exe_file */
#define ITR_ENF_F_DEVICE	(1u << 7)	/* a rule has a device object: the gates find the vfio_device */

/* [lo, hi], inclusive */
struct itr_enf_range {
	__u64 lo;
	__u64 hi;
};

/*
 * A compiled rule. With limits (ITR_ENF_M_LIMITS), the rule matches only
 * a map that breaks them; without, every operation it names.
 */
struct itr_enf_rule {
	__u64 ops;		/* bit (1 << enum itr_enf_op) */
	__u32 action;		/* enum itr_enf_action */
	__u32 match;		/* ITR_ENF_M_* */
	__u32 uid;
	__u32 gid;
	__u64 cgroup_id;	/* the cgroup (v2) or an ancestor of the caller's */
	__u32 cgroup_level;	/* its depth (root: 0) */
	__u32 node_rdev;	/* kernel dev_t (major << 20 | minor) */
	char comm[ITR_ENF_COMM_LEN];
	__u64 max_size;
	__u32 nallow;
	__u32 nforbid;
	struct itr_enf_range allow[ITR_ENF_MAX_RANGES];		/* sorted, merged */
	struct itr_enf_range forbid[ITR_ENF_MAX_RANGES];	/* sorted, merged */
	__u64 max_pinned;	/* ITR_ENF_M_MAX_PINNED: RLIMIT_MEMLOCK may not exceed it */
	/* ABI 3 */
	__u64 exe_ino;		/* ITR_ENF_M_EXE: i_ino of file_inode(mm->exe_file) */
	__u32 exe_dev;		/* ITR_ENF_M_EXE: its i_sb->s_dev (kernel dev_t) */
	__u32 pad3;
	char dev_name[ITR_ENF_DEV_NAME_LEN];	/* ITR_ENF_M_BDF: dev_name(vfio_device.dev) */
	char driver[ITR_ENF_DRIVER_LEN];	/* ITR_ENF_M_DRIVER: vfio_device.dev->driver->name */
};

/* One policy slot: the device numbers it was compiled against, the rules. */
struct itr_enf_policy {
	__u32 nrules;
	__u32 flags;		/* ITR_ENF_F_* */
	__u32 default_action;	/* when no rule matches */
	__u32 generation;	/* increases with each load or reload */
	__u32 container_rdev;	/* /dev/vfio/vfio; 0: absent */
	__u32 iommufd_rdev;	/* /dev/iommu; 0: absent */
	__u32 group_major;	/* /dev/vfio/N; 0: absent */
	__u32 device_major;	/* /dev/vfio/devices/vfioN; 0: absent */
	struct itr_enf_rule rules[ITR_ENF_MAX_RULES];
	__u64 ops_any;		/* the union of the rules' ops: an operation none names gets the default, unwalked */
};

/* Per-rule counters (per CPU). */
struct itr_enf_counts {
	__u64 allowed;		/* matched and allowed (allow rules, the default) */
	__u64 denied;		/* EPERM returned */
	__u64 audited;		/* audit records written */
	__u64 killed;		/* SIGKILL sent */
	__u64 raced;		/* the kernel's copy broke the policy that user memory kept */
	__u64 missed;		/* audit records lost (ring full) */
};

/* itr_enf_audit.verdict */
enum itr_enf_verdict {
	ITR_ENF_V_ALLOWED = 0,
	ITR_ENF_V_DENIED,
	ITR_ENF_V_KILLED,
	ITR_ENF_V_WOULD_DENY,	/* dry run */
	ITR_ENF_V_WOULD_KILL,	/* dry run */
	ITR_ENF_V_OVER_CAP,	/* a capped subject's file open with RLIMIT_MEMLOCK above its cap
				   (the daemon lowers it: then the record says LOWERED) */
	ITR_ENF_V_LOWERED,	/* written by the daemon: the limit set to the cap (size: the cap) */
};

/* One audit record. 224 bytes. */
struct itr_enf_audit {
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;		/* thread */
	__u32 tgid;		/* process */
	__u32 uid;
	__u32 gid;
	__u64 cgroup_id;
	char comm[ITR_ENF_COMM_LEN];
	__u32 op;		/* enum itr_enf_op */
	__u32 tier;		/* enum itr_enf_tier */
	__u32 action;		/* the rule's enum itr_enf_action */
	__u32 verdict;		/* enum itr_enf_verdict */
	__u32 rule_id;		/* 1..nrules; 0: the default */
	__u32 generation;	/* of the policy that decided */
	__u32 rdev;		/* the file's kernel dev_t; 0: none */
	__u32 cmd;		/* the ioctl command; 0: none */
	__u64 iova;		/* map: IOVA (ITR_ENF_IOVA_ANY: the kernel chooses) */
	__u64 size;		/* map: bytes */
	__u32 flags;		/* map: the ioctl's flags */
	__u32 slot;		/* the policy slot that decided (rule names: enf_names) */
	char name[ITR_ENF_NAME_LEN];	/* the file's name ("12", "vfio0", "[vfio-device]") */
	/* ABI 4: the object, where the hook knows it */
	__u32 class;		/* enum itr_enf_class of the file; 0: no file */
	__s32 iommu_group;	/* the group's or the device's IOMMU group id; -1: not known */
	char dev_name[ITR_ENF_DEV_NAME_LEN];	/* the VFIO device's name (a BDF); "": not known */
	char driver[ITR_ENF_DRIVER_LEN];	/* its driver; "": not known */
};

#define ITR_ENF_IOVA_ANY (~0ULL)

_Static_assert(sizeof(struct itr_enf_rule) == 304, "itr_enf_rule layout");
_Static_assert(sizeof(struct itr_enf_policy) == 32 + ITR_ENF_MAX_RULES * 304 + 8, "itr_enf_policy layout");
_Static_assert(sizeof(struct itr_enf_counts) == 48, "itr_enf_counts layout");
_Static_assert(sizeof(struct itr_enf_audit) == 224, "itr_enf_audit layout");

/* A request as the rules see it. */
struct itr_enf_req {
	__u32 op;		/* enum itr_enf_op */
	__u32 uid;
	__u32 gid;
	__u32 rdev;
	__u64 iova;		/* ITR_ENF_IOVA_ANY: chosen by the kernel */
	__u64 size;
	char comm[ITR_ENF_COMM_LEN];
	__u64 memlock;		/* map: the caller's RLIMIT_MEMLOCK; set-memlock: the new one */
	__u32 stale;		/* attach: a replace that moves another attached device of the group */
	__u32 pad;
	/* ABI 3 */
	__u64 exe_ino;		/* the subject's executable (file_inode(mm->exe_file)); 0: none */
	__u32 exe_dev;
	__u32 dev_state;	/* enum itr_enf_dev_state: is the device below known */
	char dev_name[ITR_ENF_DEV_NAME_LEN];
	char driver[ITR_ENF_DRIVER_LEN];
};

/* itr_enf_req.dev_state */
enum itr_enf_dev_state {
	ITR_ENF_DEV_NONE = 0,	/* the operation has no device, or no rule asks */
	ITR_ENF_DEV_KNOWN,	/* dev_name and driver are the kernel's */
	ITR_ENF_DEV_UNKNOWN,	/* a device operation whose device could not be found: fail closed */
};

/*
 * The ioctl commands a rule can name, by the class of the file they are
 * made on: VFIO and iommufd share type ';', and VFIO reuses numbers across
 * files (VFIO_IOMMU_MAP_DMA on a container is VFIO_DEVICE_PCI_HOT_RESET on
 * a device). /dev/iommu serves the VFIO container's commands too (compat).
 */
#define ITR_ENF_IOC(nr)	(0x3b00u | (nr))
static inline __u32 itr_enf_ioctl_op(__u32 cmd, __u32 class)
{
	switch (class) {
	case ITR_ENF_CLASS_GROUP:
		switch (cmd) {
		case ITR_ENF_IOC(100 + 4):	return ITR_ENF_OP_SET_CONTAINER;
		case ITR_ENF_IOC(100 + 6):	return ITR_ENF_OP_GET_DEVICE_FD;
		}
		return ITR_ENF_OP_NONE;
	case ITR_ENF_CLASS_DEVICE:
		switch (cmd) {
		case ITR_ENF_IOC(100 + 18):	return ITR_ENF_OP_BIND;
		case ITR_ENF_IOC(100 + 19):	return ITR_ENF_OP_ATTACH;
		case ITR_ENF_IOC(100 + 20):	return ITR_ENF_OP_DETACH;
		}
		return ITR_ENF_OP_NONE;
	case ITR_ENF_CLASS_IOMMUFD:
		switch (cmd) {
		case ITR_ENF_IOC(0x83):		return ITR_ENF_OP_MAP;		/* IOMMU_IOAS_COPY */
		case ITR_ENF_IOC(0x85):		return ITR_ENF_OP_MAP;		/* IOMMU_IOAS_MAP */
		case ITR_ENF_IOC(0x86):		return ITR_ENF_OP_UNMAP;	/* IOMMU_IOAS_UNMAP */
		case ITR_ENF_IOC(0x89):		return ITR_ENF_OP_HWPT_ALLOC;
		case ITR_ENF_IOC(0x8f):		return ITR_ENF_OP_MAP;		/* IOMMU_IOAS_MAP_FILE */
		}
		/* fall through - the VFIO container commands */
	case ITR_ENF_CLASS_CONTAINER:
		switch (cmd) {
		case ITR_ENF_IOC(100 + 2):	return ITR_ENF_OP_SET_IOMMU;
		case ITR_ENF_IOC(100 + 13):	return ITR_ENF_OP_MAP;		/* VFIO_IOMMU_MAP_DMA */
		case ITR_ENF_IOC(100 + 14):	return ITR_ENF_OP_UNMAP;	/* VFIO_IOMMU_UNMAP_DMA */
		}
		return ITR_ENF_OP_NONE;
	default:
		return ITR_ENF_OP_NONE;
	}
}

/*
 * Where a map command keeps its IOVA, its size and its flags in user
 * memory (offsets), and the flag that makes the IOVA the caller's.
 */
struct itr_enf_map_layout {
	__u16 iova_off;
	__u16 size_off;
	__u32 fixed_flag;	/* 0: the IOVA is always the caller's */
};

static inline int itr_enf_map_layout(__u32 cmd, struct itr_enf_map_layout *l)
{
	switch (cmd) {
	case ITR_ENF_IOC(100 + 13):	/* vfio_iommu_type1_dma_map */
		l->iova_off = 16; l->size_off = 24; l->fixed_flag = 0;
		return 0;
	case ITR_ENF_IOC(0x83):		/* iommu_ioas_copy: dst_iova */
		l->iova_off = 24; l->size_off = 16; l->fixed_flag = 1;
		return 0;
	case ITR_ENF_IOC(0x85):		/* iommu_ioas_map */
	case ITR_ENF_IOC(0x8f):		/* iommu_ioas_map_file */
		l->iova_off = 32; l->size_off = 24; l->fixed_flag = 1;
		return 0;
	default:
		return -1;
	}
}

/* Does [iova, iova + size) break the rule's limits? */
static inline int itr_enf_limits_broken(const struct itr_enf_rule *r, __u64 iova, __u64 size)
{
	__u64 last = iova + size - 1;
	__u32 i;
	int inside = 0;

	if ((r->match & ITR_ENF_M_MAX_SIZE) && size > r->max_size)
		return 1;
	if (!(r->match & ITR_ENF_M_IOVA))
		return 0;
	/* an IOVA the kernel chooses, or a wrapping range, cannot be judged */
	if (iova == ITR_ENF_IOVA_ANY || size == 0 || last < iova)
		return 1;
	for (i = 0; i < ITR_ENF_MAX_RANGES; i++) {
		if (i >= r->nforbid)
			break;
		if (iova <= r->forbid[i].hi && last >= r->forbid[i].lo)
			return 1;
	}
	if (!r->nallow)
		return 0;
	for (i = 0; i < ITR_ENF_MAX_RANGES; i++) {
		if (i >= r->nallow)
			break;
		if (iova >= r->allow[i].lo && last <= r->allow[i].hi)
			inside = 1;
	}
	return !inside;
}

/* Equal strings of at most N bytes (a 0 ends both). */
static inline int itr_enf_str_eq(const char *a, const char *b, __u32 n)
{
	__u32 i;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return 0;
		if (!a[i])
			break;
	}
	return 1;
}

/*
 * Does device rule R match the device of Q? A device that could not be
 * found matches the rules that refuse (deny, kill) and no other: it can
 * be neither let through by a deny nor granted by an allow.
 */
static inline int itr_enf_device_matches(const struct itr_enf_rule *r, const struct itr_enf_req *q)
{
	if (q->dev_state == ITR_ENF_DEV_UNKNOWN)
		return r->action == ITR_ENF_DENY || r->action == ITR_ENF_KILL;
	if (q->dev_state != ITR_ENF_DEV_KNOWN)
		return 0;
	if ((r->match & ITR_ENF_M_BDF) && !itr_enf_str_eq(r->dev_name, q->dev_name, ITR_ENF_DEV_NAME_LEN))
		return 0;
	if ((r->match & ITR_ENF_M_DRIVER) && !itr_enf_str_eq(r->driver, q->driver, ITR_ENF_DRIVER_LEN))
		return 0;
	return 1;
}

/*
 * Does rule R match request Q? The cgroup test is the caller's
 * (cgroup_ok: the caller's cgroup at R's level is R's cgroup).
 */
static inline int itr_enf_rule_matches(const struct itr_enf_rule *r, const struct itr_enf_req *q,
				       int cgroup_ok)
{
	__u32 i;

	if (q->op >= 64 || !(r->ops & (1ULL << q->op)))
		return 0;
	if ((r->match & ITR_ENF_M_UID) && r->uid != q->uid)
		return 0;
	if ((r->match & ITR_ENF_M_GID) && r->gid != q->gid)
		return 0;
	if ((r->match & ITR_ENF_M_CGROUP) && !cgroup_ok)
		return 0;
	if ((r->match & ITR_ENF_M_NODE) && r->node_rdev != q->rdev)
		return 0;
	if ((r->match & ITR_ENF_M_EXE) && (r->exe_ino != q->exe_ino || r->exe_dev != q->exe_dev))
		return 0;
	if ((r->match & ITR_ENF_M_DEVICE) && !itr_enf_device_matches(r, q))
		return 0;
	if (r->match & ITR_ENF_M_COMM) {
		for (i = 0; i < ITR_ENF_COMM_LEN; i++) {
			if (r->comm[i] != q->comm[i])
				return 0;
			if (!r->comm[i])
				break;
		}
	}
	/* a replace that moves the group under another device's iommufd view */
	if (r->match & ITR_ENF_M_STALE_VIEW)
		return (q->op == ITR_ENF_OP_ATTACH || q->op == ITR_ENF_OP_REPLACE) && q->stale;
	if (r->match & ITR_ENF_M_MAX_PINNED) {
		/* CAP_IPC_LOCK would lift the cap: a capped subject never has it */
		if (q->op == ITR_ENF_OP_CAP_IPC_LOCK)
			return 1;
		/* a limit above the cap, being set or in force at a map, breaks it */
		if (q->op == ITR_ENF_OP_SET_MEMLOCK)
			return q->memlock > r->max_pinned;
		if (q->op == ITR_ENF_OP_MAP && q->memlock > r->max_pinned)
			return 1;
	}
	if (r->match & ITR_ENF_M_LIMITS)
		return q->op == ITR_ENF_OP_MAP && itr_enf_limits_broken(r, q->iova, q->size);
	return !(r->match & ITR_ENF_M_MAX_PINNED);
}

#endif /* IOMMUTRACE_ENFORCE_H */
