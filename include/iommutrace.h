/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one ABI between iommutrace's BPF programs and user space: event
 * kinds, record layouts, configuration, counters. Fixed-width types, no
 * pointers, explicit padding, size asserts. Any change here is a schema
 * change: bump ITR_ABI_VERSION (and docs/events.md).
 *
 * One ring buffer carries every record; each starts with struct itr_hdr
 * whose `kind` says which struct follows and `size` how long the record is.
 */
#ifndef IOMMUTRACE_H
#define IOMMUTRACE_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define ITR_ABI_VERSION 7

#define ITR_COMM_LEN	16
#define ITR_DEV_LEN	32	/* dev_name(): a PCI BDF "0000:00:06.0" fits */
#define ITR_MAX_FILTER_DEVS 4

/* Record kinds, sorted by value; 0 is never used. */
enum itr_kind {
	ITR_EV_DOMAIN_ALLOC = 1,	/* struct itr_ev_domain */
	ITR_EV_DOMAIN_FREE,		/* struct itr_ev_domain */
	ITR_EV_ATTACH,			/* struct itr_ev_attach: device (or group) to domain, or replace */
	ITR_EV_DETACH,			/* struct itr_ev_attach: explicit detach */
	ITR_EV_PASID_ATTACH,		/* struct itr_ev_attach, with pasid */
	ITR_EV_PASID_DETACH,		/* struct itr_ev_attach, with pasid */
	ITR_EV_PASID_REPLACE,		/* struct itr_ev_attach, with pasid */
	ITR_EV_MAP,			/* struct itr_ev_map */
	ITR_EV_MAP_SG,			/* struct itr_ev_map (nents set) */
	ITR_EV_UNMAP,			/* struct itr_ev_map */
	ITR_EV_UNMAP_FAST,		/* struct itr_ev_map: iommu_unmap_fast */
	ITR_EV_GROUP_ADD,		/* struct itr_ev_group */
	ITR_EV_GROUP_REMOVE,		/* struct itr_ev_group */
	ITR_EV_FAULT,			/* struct itr_ev_fault */
	ITR_EV_IOCTL,			/* struct itr_ev_ioctl: a VFIO or iommufd ioctl, at exit */
	ITR_EV_LOCKED,			/* struct itr_ev_locked: VFIO pinned-page accounting */
	ITR_EV_HWPT_DOMAIN,		/* struct itr_ev_join: an iommufd HWPT and its iommu_domain */
	ITR_EV_OPEN,			/* struct itr_ev_file: a VFIO file opened (h.ctx.layer: which) */
	ITR_EV_CLOSE,			/* struct itr_ev_file: a VFIO file released (its last close) */
	ITR_EV_UNBIND,			/* struct itr_ev_unbind: a device unbound from an iommufd */
	ITR_EV_LOST,			/* struct itr_ev_lost: records were lost before this one */
	ITR_EV_MAX,
};

/*
 * Domain types: the kernel's IOMMU_DOMAIN_* values (a bit set; stable
 * since 6.1). ITR_DOM_UNKNOWN when the domain could not be read.
 */
enum itr_domain_type {
	ITR_DOM_BLOCKED		= 0x0,
	ITR_DOM_UNMANAGED	= 0x1,	/* __IOMMU_DOMAIN_PAGING */
	ITR_DOM_DMA		= 0x3,	/* PAGING | DMA_API */
	ITR_DOM_IDENTITY	= 0x4,	/* __IOMMU_DOMAIN_PT */
	ITR_DOM_DMA_FQ		= 0xb,	/* PAGING | DMA_API | DMA_FQ */
	ITR_DOM_SVA		= 0x10,
	ITR_DOM_PLATFORM	= 0x20,
	ITR_DOM_NESTED		= 0x40,
	ITR_DOM_UNKNOWN		= 0xffffffff,
};

/* The DMA-API bit: domains the kernel's own DMA API drives (hot path). */
#define ITR_DOM_DMA_API_BIT 0x2

/*
 * A domain type's bit in itr_config.domain_types: one bit per type, the
 * same on both sides of the ABI; unknown types share bit 31.
 */
static inline __u32 itr_type_bit(__u32 type)
{
	switch (type) {
	case ITR_DOM_BLOCKED:	return 1u << 0;
	case ITR_DOM_UNMANAGED:	return 1u << 1;
	case ITR_DOM_DMA:	return 1u << 2;
	case ITR_DOM_IDENTITY:	return 1u << 3;
	case ITR_DOM_DMA_FQ:	return 1u << 4;
	case ITR_DOM_SVA:	return 1u << 5;
	case ITR_DOM_PLATFORM:	return 1u << 6;
	case ITR_DOM_NESTED:	return 1u << 7;
	default:		return 1u << 31;
	}
}

/* itr_hdr.flags */
#define ITR_F_FROM_TP		(1u << 0)	/* taken from a tracepoint, not a function hook */
#define ITR_F_NO_RET		(1u << 1)	/* no return value (void function or entry only) */
#define ITR_F_GROUP		(1u << 2)	/* the operation was on a whole group */
#define ITR_F_LOCKED		(1u << 3)	/* an ioctl record carries locked_npages/locked_vm (ABI 7) */

/* The layer an operation came through (itr_ctx.layer). */
enum itr_layer {
	ITR_LAYER_NONE = 0,
	ITR_LAYER_VFIO_CONTAINER,	/* /dev/vfio/vfio */
	ITR_LAYER_VFIO_GROUP,		/* /dev/vfio/N */
	ITR_LAYER_VFIO_DEVICE,		/* a device fd: from a group or a cdev */
	ITR_LAYER_IOMMUFD,		/* /dev/iommu (including its VFIO compat ioctls) */
};

/*
 * Which VFIO/iommufd operation a record belongs to: set on every record
 * made while a traced ioctl runs (the ioctl's own record included), zeros
 * otherwise. User space joins records by op_id.
 */
struct itr_ctx {
	__u64 op_id;		/* unique id of the enclosing ioctl; 0: none */
	__u64 file_id;		/* keyed hash of the ioctl's struct file: the container,
				 * group, device fd or iommufd context */
	__s32 fd;		/* the caller's fd number; -1: unknown */
	__u32 layer;		/* enum itr_layer */
};

/* Common header of every record. 128 bytes. */
struct itr_hdr {
	__u16 kind;		/* enum itr_kind */
	__u16 size;		/* bytes of the whole record */
	__u32 cpu;
	__u64 ts_ns;		/* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u32 pid;		/* thread id */
	__u32 tgid;		/* process id */
	__u64 cgroup_id;
	__u64 domain_id;	/* stable id of the domain (keyed hash, never a pointer); 0: none */
	__u32 domain_type;	/* enum itr_domain_type */
	__s32 group_id;		/* IOMMU group id; -1: unknown */
	__s32 ret;		/* 0 or -errno (map/unmap: see itr_ev_map) */
	__u32 flags;		/* ITR_F_* */
	char comm[ITR_COMM_LEN];
	char dev[ITR_DEV_LEN];	/* device name; "" when none */
	struct itr_ctx ctx;
};

/* ITR_EV_DOMAIN_ALLOC, ITR_EV_DOMAIN_FREE */
struct itr_ev_domain {
	struct itr_hdr h;
	__u64 pgsize_bitmap;
	__u64 aperture_start;
	__u64 aperture_end;
};

/* ITR_EV_ATTACH, ITR_EV_DETACH, ITR_EV_PASID_* (h.domain_*: the new domain) */
struct itr_ev_attach {
	struct itr_hdr h;
	__u64 old_domain_id;	/* what the device/group was on before; 0: none or unknown */
	__u32 old_domain_type;
	__u32 pasid;		/* PASID events; 0 otherwise */
	__u32 is_default;	/* the new domain is the group's default domain */
	__u32 pad;
};

/* ITR_EV_MAP, ITR_EV_MAP_SG, ITR_EV_UNMAP, ITR_EV_UNMAP_FAST */
struct itr_ev_map {
	struct itr_hdr h;
	__u64 iova;
	__u64 paddr;		/* map: physical address (first segment for map_sg) */
	__u64 size;		/* bytes requested */
	__u64 done;		/* bytes actually mapped or unmapped */
	__u64 latency_ns;	/* entry to exit; 0 when unknown */
	__u32 prot;		/* IOMMU_READ 1, IOMMU_WRITE 2, IOMMU_CACHE 4, ... */
	__u32 nents;		/* map_sg: scatterlist entries */
};

/* ITR_EV_GROUP_ADD, ITR_EV_GROUP_REMOVE: h.group_id and h.dev say it all */
struct itr_ev_group {
	struct itr_hdr h;
};

/*
 * ITR_EV_OPEN, ITR_EV_CLOSE: a VFIO file, a container (/dev/vfio/vfio) or
 * a device fd. h.ctx is the file: file_id as on its ioctls, fd the new fd
 * or -1, layer vfio-container or vfio-device; op_id the enclosing ioctl's
 * (a device fd's VFIO_GROUP_GET_DEVICE_FD) or 0. h.dev and h.group_id: a
 * device file's device.
 */
struct itr_ev_file {
	struct itr_hdr h;
};

/*
 * ITR_EV_UNBIND: a device's binding to an iommufd context undone
 * (iommufd_device_unbind: a VFIO device file's last close, or a selftest
 * mock device destroyed). h.dev, h.group_id: the device; h.ctx: the
 * enclosing ioctl, if any.
 */
struct itr_ev_unbind {
	struct itr_hdr h;
	__u64 iommufd_file_id;	/* the iommufd context: the file_id of its /dev/iommu ioctls */
	__u32 dev_id;		/* the iommufd device object id (VFIO_DEVICE_BIND_IOMMUFD's out_devid) */
	__u32 pad;
};

/* Where a fault was seen. */
enum itr_fault_source {
	ITR_FAULT_REPORT = 1,	/* report_iommu_fault() */
	ITR_FAULT_TP,		/* iommu:io_page_fault tracepoint */
	ITR_FAULT_DEVICE,	/* iommu_report_device_fault() (PRI/IOPF) */
	ITR_FAULT_DMAR,		/* Intel DMAR fault handler */
};

/* ITR_EV_FAULT */
struct itr_ev_fault {
	struct itr_hdr h;
	__u64 iova;
	__u32 fault_flags;	/* IOMMU_FAULT_READ 0, IOMMU_FAULT_WRITE 1 */
	__u32 source;		/* enum itr_fault_source */
	__u32 reason;		/* driver's fault reason code where known */
	__u32 pad;
};

/* Bytes of an ioctl's user argument captured at entry and at exit. */
#define ITR_IOCTL_ARG_LEN 64

/*
 * ITR_EV_IOCTL: one VFIO or iommufd ioctl, sent at its exit. The argument
 * is captured raw (user space decodes it by cmd from the uapi layouts);
 * arg_len < the command's struct size means the caller passed less, or
 * the read failed.
 */
struct itr_ev_ioctl {
	struct itr_hdr h;	/* h.ret: the ioctl's return; h.ctx: this ioctl */
	__u32 cmd;
	__u32 arg_len;		/* bytes valid in arg_in/arg_out */
	__u64 latency_ns;
	__u8 arg_in[ITR_IOCTL_ARG_LEN];		/* the user's argument at entry */
	__u8 arg_out[ITR_IOCTL_ARG_LEN];	/* ... at exit (output fields) */
	/*
	 * ABI 7: VFIO type1's pinned-page accounting done by this ioctl's own
	 * thread for its own process (successful vfio_lock_acct calls), folded
	 * here instead of ITR_EV_LOCKED records; valid when h.flags has
	 * ITR_F_LOCKED. An ABI 6 ioctl record ends before these fields
	 * (ITR_IOCTL_ABI6_SIZE).
	 */
	__s64 locked_npages;	/* their sum: pages charged (> 0) or released (< 0) */
	__u64 locked_vm;	/* locked_vm after the last one, pages; 0: unknown */
};

/* An ABI 6 ioctl record's size (no folded accounting), read in old recordings. */
#define ITR_IOCTL_ABI6_SIZE 272

/*
 * ITR_EV_LOCKED: VFIO type1 accounting of pinned pages (locked_vm). Since
 * ABI 7 only what no ioctl record carries: a failed charge, a charge of
 * another process (a driver's vfio_pin_pages), one outside an ioctl (the
 * container's release), or with --kinds naming locked but not ioctl.
 */
struct itr_ev_locked {
	struct itr_hdr h;	/* h.tgid: the process charged */
	__s64 npages;		/* pages charged (> 0) or released (< 0) */
	__u64 locked_vm;	/* the process's locked_vm after the change, pages; 0: unknown */
};

/* ITR_EV_HWPT_DOMAIN: iommufd object id -> kernel domain (h.domain_*) */
struct itr_ev_join {
	struct itr_hdr h;
	__u32 hwpt_id;		/* iommufd HWPT object id */
	__u32 ioas_id;		/* its IOAS; 0: none (nested) */
};

/* Kinds a loss record counts (ITR_EV_MAX rounded up). */
#define ITR_LOST_KINDS 24

/*
 * ITR_EV_LOST: the ring buffer was full and records were lost. Sent by the
 * next record that finds room (on any CPU), before that record, so that a
 * consumer learns of a gap where it is in the stream. The counts are
 * cumulative since load (a consumer takes the difference from the last
 * loss record it saw; a duplicate adds nothing); by_kind may lag total by
 * records lost while this one was made (the next one has them).
 */
struct itr_ev_lost {
	struct itr_hdr h;	/* kind, size, cpu, ts_ns, pid, tgid, comm of the sender; no domain, dev, group */
	__u64 total;		/* records lost since load */
	__u32 by_kind[ITR_LOST_KINDS];	/* ... of each kind (wraps at 2^32) */
};

/*
 * The size of a record of each kind, for both sides: BPF sets itr_hdr.size
 * from it, user space checks a record against it. 0: not a kind.
 */
static inline __u16 itr_kind_size(__u32 kind)
{
	switch (kind) {
	case ITR_EV_DOMAIN_ALLOC:
	case ITR_EV_DOMAIN_FREE:
		return sizeof(struct itr_ev_domain);
	case ITR_EV_ATTACH:
	case ITR_EV_DETACH:
	case ITR_EV_PASID_ATTACH:
	case ITR_EV_PASID_DETACH:
	case ITR_EV_PASID_REPLACE:
		return sizeof(struct itr_ev_attach);
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG:
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		return sizeof(struct itr_ev_map);
	case ITR_EV_GROUP_ADD:
	case ITR_EV_GROUP_REMOVE:
		return sizeof(struct itr_ev_group);
	case ITR_EV_FAULT:
		return sizeof(struct itr_ev_fault);
	case ITR_EV_IOCTL:
		return sizeof(struct itr_ev_ioctl);
	case ITR_EV_LOCKED:
		return sizeof(struct itr_ev_locked);
	case ITR_EV_HWPT_DOMAIN:
		return sizeof(struct itr_ev_join);
	case ITR_EV_OPEN:
	case ITR_EV_CLOSE:
		return sizeof(struct itr_ev_file);
	case ITR_EV_UNBIND:
		return sizeof(struct itr_ev_unbind);
	case ITR_EV_LOST:
		return sizeof(struct itr_ev_lost);
	default:
		return 0;
	}
}

/* The largest record: what BPF reserves for scratch space. */
#define ITR_MAX_RECORD 288

/*
 * Configuration, set in .rodata before load (const volatile). Filters are
 * applied in BPF; a zero field means "no filter".
 */
struct itr_config {
	__u64 domain_key;	/* per-run key of the domain id hash */
	__u64 cgroup_id;
	__u32 tgid;
	__u32 kinds;		/* bit (1 << kind): kinds to emit; 0: all */
	__u32 domain_types;	/* itr_type_bit() of the types to emit; 0: all */
	__s32 group_id;		/* -1: any */
	__u8 all_domains;	/* also emit events of DMA-API (DMA, DMA_FQ) domains */
	__u8 ndevs;		/* number of device names in devs[] */
	__u8 pad[6];
	char comm[ITR_COMM_LEN];
	char devs[ITR_MAX_FILTER_DEVS][ITR_DEV_LEN];
};

/*
 * Exact per-CPU totals, counted in BPF for every occurrence whether or not
 * an event reaches user space. ITR_CNT_MAX last.
 */
enum itr_counter {
	ITR_CNT_ATTACH = 0,	/* iommu:attach_device_to_domain */
	ITR_CNT_GROUP_ADD,	/* iommu:add_device_to_group */
	ITR_CNT_GROUP_REMOVE,	/* iommu:remove_device_from_group */
	ITR_CNT_MAP,		/* iommu:map */
	ITR_CNT_MAP_BYTES,	/* sum of iommu:map sizes */
	ITR_CNT_UNMAP,		/* iommu:unmap */
	ITR_CNT_UNMAP_BYTES,	/* sum of iommu:unmap unmapped sizes */
	ITR_CNT_EMITTED,	/* records written to the ring buffer */
	ITR_CNT_LOST,		/* records lost: ring buffer full */
	ITR_CNT_FILTERED,	/* records dropped by a filter */
	ITR_CNT_DMA_API,	/* map/unmap of DMA-API domains counted, not sent */
	ITR_CNT_DMA_API_BYTES,	/* their bytes */
	ITR_CNT_MAX,
};

struct itr_counters {
	__u64 v[ITR_CNT_MAX];
};

/*
 * Operation statistics, counted in BPF per CPU at each operation's exit
 * (after the task filters --pid/--comm/--cgroup, before the device, group
 * and domain-type filters and the ring buffer, so losses and those filters
 * do not change them): calls by result, bytes, and log2 histograms of the
 * latency and of the size. Slot i of a histogram counts the values v with
 * floor(log2(v)) == i (0 in slot 0), the last slot everything beyond.
 * Calls on DMA-API domains are only counted (ITR_CNT_DMA_API*), not timed.
 * Map itr_stats is indexed by enum itr_stat_kind; map itr_ioctl_stats is
 * keyed by ITR_IOCTL_STAT_KEY(layer, command) (VFIO reuses numbers across
 * its files), ITR_MAX_IOCTL_STATS rows; an ioctl that finds
 * it full is folded into ITR_ST_IOCTL_FOLDED.
 */
#define ITR_HIST_SLOTS 40
#define ITR_MAX_IOCTL_STATS 128
#define ITR_IOCTL_STAT_KEY(layer, cmd) ((__u64)(layer) << 32 | (__u32)(cmd))

struct itr_hist {
	__u64 slot[ITR_HIST_SLOTS];
	__u64 sum;
};

/* ITR_ST_MAX last; names in user/event/stats.c */
enum itr_stat_kind {
	ITR_ST_ATTACH = 0,	/* device or group attach (and replace) */
	ITR_ST_DETACH,		/* back to the default or blocking domain */
	ITR_ST_DOMAIN_ALLOC,
	ITR_ST_IOCTL_FOLDED,	/* ioctls with no row of their own in itr_ioctl_stats */
	ITR_ST_MAP,		/* iommu_map* and iommu_map_sg* (bytes: mapped) */
	ITR_ST_PASID_ATTACH,
	ITR_ST_PASID_REPLACE,
	ITR_ST_UNMAP,		/* iommu_unmap, iommu_unmap_fast (bytes: unmapped) */
	ITR_ST_MAX,
};

enum itr_stat_result {
	ITR_RES_OK = 0,
	ITR_RES_ERROR,		/* -errno, or an unmap short of its request */
	ITR_RES_MAX,
};

struct itr_stat {
	__u64 calls[ITR_RES_MAX];
	__u64 bytes;
	struct itr_hist latency_ns;
	struct itr_hist size;	/* map and unmap: bytes requested */
};

/*
 * The kernel's own view, asked by the syscall program itr_kview
 * (bpf/kview.bpf.c) through the kernel shim's kfuncs (shim/kfunc.c) and
 * run with BPF_PROG_TEST_RUN: the argument in, the answers written back.
 * Domains are ids as records carry them (this run's keyed hash); 0: none.
 * Not a record: the schema version does not change with it.
 */
struct itr_kview {
	char dev[ITR_DEV_LEN];	/* in: the device, "" for none */
	__u32 pasid;		/* in: its PASID to ask about; 0: none */
	__s32 group;		/* in: a group to ask about; -1: none */
	__u64 dev_domain;	/* out: the domain dev is on */
	__u64 pasid_domain;	/* out: the domain on dev's pasid */
	__u64 group_domain;	/* out: group's domain */
	__s32 dev_group;	/* out: dev's group; -1: none */
	__u32 done;		/* out: 1 once the kfuncs ran */
};

_Static_assert(sizeof(struct itr_kview) == 72, "itr_kview layout");
_Static_assert(sizeof(struct itr_ctx) == 24, "itr_ctx layout");
_Static_assert(sizeof(struct itr_hdr) == 128, "itr_hdr layout");
_Static_assert(sizeof(struct itr_ev_domain) == 152, "itr_ev_domain layout");
_Static_assert(sizeof(struct itr_ev_attach) == 152, "itr_ev_attach layout");
_Static_assert(sizeof(struct itr_ev_map) == 176, "itr_ev_map layout");
_Static_assert(sizeof(struct itr_ev_group) == 128, "itr_ev_group layout");
_Static_assert(sizeof(struct itr_ev_file) == 128, "itr_ev_file layout");
_Static_assert(sizeof(struct itr_ev_unbind) == 144, "itr_ev_unbind layout");
_Static_assert(sizeof(struct itr_ev_fault) == 152, "itr_ev_fault layout");
_Static_assert(sizeof(struct itr_ev_ioctl) == 288, "itr_ev_ioctl layout");
_Static_assert(ITR_IOCTL_ABI6_SIZE == __builtin_offsetof(struct itr_ev_ioctl, locked_npages), "ABI 6 ioctl");
_Static_assert(sizeof(struct itr_ev_locked) == 144, "itr_ev_locked layout");
_Static_assert(sizeof(struct itr_ev_join) == 136, "itr_ev_join layout");
_Static_assert(sizeof(struct itr_ev_lost) == 232, "itr_ev_lost layout");
_Static_assert(ITR_LOST_KINDS >= ITR_EV_MAX, "ITR_LOST_KINDS");
_Static_assert(sizeof(struct itr_config) == 184, "itr_config layout");
_Static_assert(sizeof(struct itr_counters) == ITR_CNT_MAX * 8, "itr_counters layout");
_Static_assert(sizeof(struct itr_stat) == (ITR_RES_MAX + 1 + 2 * (ITR_HIST_SLOTS + 1)) * 8,
	       "itr_stat layout");
_Static_assert(ITR_MAX_RECORD >= sizeof(struct itr_ev_ioctl), "ITR_MAX_RECORD");

#endif /* IOMMUTRACE_H */
