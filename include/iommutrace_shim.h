/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * The shim's misc device (/dev/iommutrace_shim, root only): ioctls that
 * drive the auxiliary-domain helpers of shim/aux.c. Shared by the module
 * and user space (user/cli/aux.c): fixed-width types, no pointers, size
 * asserts. docs/shim.md describes each command.
 *
 * Every command but LIST and STATUS takes struct itr_shim_cmd; which of
 * its fields it reads and writes:
 *
 *   ALLOC    dev, flags (TRANSIENT, CORE_ONLY) -> domain
 *   ATTACH   domain, flags (RID)             -> pasid (allocated by the shim;
 *                                               given by the caller on a CORE_ONLY domain)
 *   DETACH   domain, pasid | flags (RID)
 *   REPLACE  domain (the one on pasid), domain2 (the new one), pasid
 *   MAP      domain, iova, length            (module-owned zeroed pages)
 *   UNMAP    domain, iova, length            (one whole mapping)
 *   FREE     domain                          (detaches and unmaps first)
 *
 * On failure msg says why in one line (also for EOPNOTSUPP: what lacks
 * PASID support). Domains die with the fd that made them when
 * ITR_SHIM_TRANSIENT was given, else at FREE or when the module unloads.
 */
#ifndef ITR_SHIM_UAPI_H
#define ITR_SHIM_UAPI_H

#ifndef __VMLINUX_H__	/* BPF programs (bpf/enforce/strict.bpf.c) have vmlinux.h */
#include <linux/types.h>
#include <linux/ioctl.h>
#endif

#define ITR_SHIM_NAME		"iommutrace_shim"	/* module and /dev node */
#define ITR_SHIM_ABI		1
#define ITR_SHIM_DEV_LEN	64	/* a device's name, as in /sys/bus/BUS/devices/ */
#define ITR_SHIM_MSG_LEN	128
#define ITR_SHIM_MAP_MAX	(2u << 20)	/* bytes in one MAP */
#define ITR_SHIM_MAPS_MAX	64	/* mappings in one domain */
#define ITR_SHIM_ATTACH_MAX	8	/* PASIDs one domain is attached to */
#define ITR_SHIM_LIST_MAX	16

enum itr_shim_flags {
	ITR_SHIM_RID		= 1u << 0,	/* ATTACH, DETACH: the device's RID, not a PASID */
	ITR_SHIM_TRANSIENT	= 1u << 1,	/* ALLOC: undone when this fd closes */
	/*
	 * ALLOC: a device without PASID support, where the kernel's core
	 * takes a PASID anyway (7.x records it for the group and programs no
	 * device): ATTACH then takes `pasid` from the caller. A test aid for
	 * a PASID the core holds on a device VFIO also serves (docs/shim.md).
	 */
	ITR_SHIM_CORE_ONLY	= 1u << 2,
};

/* A domain's type, as the kernel says it (IOMMU_DOMAIN_*). */
enum itr_shim_dom {
	ITR_SHIM_DOM_NONE = 0,
	ITR_SHIM_DOM_BLOCKED,
	ITR_SHIM_DOM_IDENTITY,
	ITR_SHIM_DOM_UNMANAGED,
	ITR_SHIM_DOM_DMA,
	ITR_SHIM_DOM_DMA_FQ,
	ITR_SHIM_DOM_SVA,
	ITR_SHIM_DOM_NESTED,
	ITR_SHIM_DOM_OTHER,
};

struct itr_shim_cmd {
	__u32 size;			/* sizeof(struct itr_shim_cmd) */
	__u32 flags;			/* enum itr_shim_flags */
	char dev[ITR_SHIM_DEV_LEN];	/* ALLOC: the device, NUL-terminated */
	__u32 domain;			/* the shim's domain id (from 1) */
	__u32 domain2;			/* REPLACE: the new domain */
	__u32 pasid;
	__u32 pad;			/* must be 0 */
	__u64 iova;
	__u64 length;
	char msg[ITR_SHIM_MSG_LEN];	/* out: why it failed */
};
_Static_assert(sizeof(struct itr_shim_cmd) == 232, "itr_shim_cmd layout");

/* One attachment of a device, from the kernel's own state. */
struct itr_shim_entry {
	__u32 pasid;		/* 0: the RID */
	__u32 domain;		/* the shim's id, 0: a domain not the shim's */
	__u32 type;		/* enum itr_shim_dom */
	__u32 kernel;		/* 1: the kernel has this domain there now */
};

/* LIST: the device's RID domain, then the PASIDs the shim attached. */
struct itr_shim_list {
	__u32 size;			/* sizeof(struct itr_shim_list) */
	__u32 n;			/* out: entries */
	char dev[ITR_SHIM_DEV_LEN];
	struct itr_shim_entry e[ITR_SHIM_LIST_MAX];
	__u32 max_pasids;		/* out: the device's PASID space (0: none) */
	__u32 pad;
	char msg[ITR_SHIM_MSG_LEN];
};
_Static_assert(sizeof(struct itr_shim_list) == 464, "itr_shim_list layout");

/* STATUS: what the module holds now. */
struct itr_shim_status {
	__u32 size;			/* sizeof(struct itr_shim_status) */
	__u32 abi;			/* ITR_SHIM_ABI */
	__u32 domains;
	__u32 attachments;
	__u32 maps;
	__u32 kfuncs;			/* 1: the kfuncs are registered */
	__u64 mapped_bytes;
};
_Static_assert(sizeof(struct itr_shim_status) == 32, "itr_shim_status layout");

/*
 * The strict enforcement tier (shim/strict.c, docs/strict.md): a kprobe on
 * each function that receives the kernel's own copy of a map calls
 * itr_shim_strict_decide(call) with the function's raw arguments; a BPF
 * program of the enforcement skeleton (bpf/enforce/strict.bpf.c) attached
 * there judges them and gives its verdict through the kfunc
 * itr_shim_strict_verdict(0 or -EPERM); on -EPERM the probed function
 * returns -EPERM at once. Targets, keyed by kind (bit n of `kinds`):
 */
#define ITR_SHIM_STRICT_TARGETS(X)					\
	X(ITR_SHIM_STRICT_TYPE1_PIN, "vfio_pin_pages_remote")	/* type1: each chunk of a new vfio_dma */ \
	X(ITR_SHIM_STRICT_IOPT_MAP, "iopt_map_pages")		/* iommufd: every IOAS map, the VFIO compat */
#define ITR_SHIM_STRICT_KIND(k, name) k,
enum itr_shim_strict_kind { ITR_SHIM_STRICT_TARGETS(ITR_SHIM_STRICT_KIND) ITR_SHIM_STRICT_NKINDS };
#undef ITR_SHIM_STRICT_KIND
#define ITR_SHIM_STRICT_ALL	((1u << ITR_SHIM_STRICT_NKINDS) - 1)

/* What itr_shim_strict_decide() hands the BPF side: the probed call. */
struct itr_shim_strict_call {
	__u32 kind;			/* enum itr_shim_strict_kind */
	__u32 pad;
	__u64 arg[6];			/* the function's arguments, raw */
};
_Static_assert(sizeof(struct itr_shim_strict_call) == 56, "itr_shim_strict_call layout");

/* STRICT_ARM (kinds: all of them or nothing), STRICT_DISARM, STRICT_STATUS. */
struct itr_shim_strict {
	__u32 size;			/* sizeof(struct itr_shim_strict) */
	__u32 kinds;			/* ARM: the targets to arm; out: those armed now */
	__u32 missing;			/* out (ARM): the targets that cannot be probed */
	__u32 pad;			/* must be 0 */
	__u64 decided;			/* out: calls judged since the module loaded */
	__u64 denied;			/* out: of which returned -EPERM */
	__u64 undecided;		/* out: of which no BPF verdict came (denied: fail closed) */
	__u64 missed;			/* out: calls the kprobes missed (another kprobe running) */
	char msg[ITR_SHIM_MSG_LEN];	/* out: why it failed (the missing targets by name) */
};
_Static_assert(sizeof(struct itr_shim_strict) == 176, "itr_shim_strict layout");

#define ITR_SHIM_IOC		0xB7
enum {
	ITR_SHIM_NR_STATUS = 0x40,
	ITR_SHIM_NR_ALLOC,
	ITR_SHIM_NR_ATTACH,
	ITR_SHIM_NR_DETACH,
	ITR_SHIM_NR_REPLACE,
	ITR_SHIM_NR_MAP,
	ITR_SHIM_NR_UNMAP,
	ITR_SHIM_NR_LIST,
	ITR_SHIM_NR_FREE,
	ITR_SHIM_NR_STRICT_ARM,
	ITR_SHIM_NR_STRICT_DISARM,
	ITR_SHIM_NR_STRICT_STATUS,
	ITR_SHIM_NR_END,
};
#define ITR_SHIM_STATUS		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_STATUS, struct itr_shim_status)
#define ITR_SHIM_ALLOC		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_ALLOC, struct itr_shim_cmd)
#define ITR_SHIM_ATTACH		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_ATTACH, struct itr_shim_cmd)
#define ITR_SHIM_DETACH		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_DETACH, struct itr_shim_cmd)
#define ITR_SHIM_REPLACE	_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_REPLACE, struct itr_shim_cmd)
#define ITR_SHIM_MAP		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_MAP, struct itr_shim_cmd)
#define ITR_SHIM_UNMAP		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_UNMAP, struct itr_shim_cmd)
#define ITR_SHIM_LIST		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_LIST, struct itr_shim_list)
#define ITR_SHIM_FREE		_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_FREE, struct itr_shim_cmd)
#define ITR_SHIM_STRICT_ARM	_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_STRICT_ARM, struct itr_shim_strict)
#define ITR_SHIM_STRICT_DISARM	_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_STRICT_DISARM, struct itr_shim_strict)
#define ITR_SHIM_STRICT_STATUS	_IOWR(ITR_SHIM_IOC, ITR_SHIM_NR_STRICT_STATUS, struct itr_shim_strict)

#endif
