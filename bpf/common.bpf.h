/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What every BPF object of iommutrace shares: the configuration, the ring
 * buffer, the counters, the per-thread entry stash and operation maps, and
 * the helpers that use them. The maps, the configuration and the __hidden
 * global functions live in common.bpf.c; here they are extern. Hooks
 * (lib/hook.bpf.h) and records (lib/emit.bpf.h) come with it.
 *
 * A hook with an entry and an exit works the same in both families:
 * entry (fentry or kprobe) decides whether the call is wanted and stashes
 * the timestamp and the arguments under {thread, target}; exit (fexit or
 * kretprobe) takes them back, adds the return value and emits. Kernel
 * pointers are handled as __u64 scalars (struct itr_call) and read with
 * BPF_CORE_READ, so one inline body serves both families; the global
 * helpers, which the verifier checks on their own, take only scalars (a
 * fentry's typed pointer is not one).
 */
#ifndef ITR_COMMON_BPF_H
#define ITR_COMMON_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include "iommutrace.h"
#include "lib/emit.bpf.h"
#include "lib/hook.bpf.h"

/* errno values the kernel headers would give us */
#define ITR_ENOMEM	12
#define ITR_MAX_ERRNO	4095

/* Targets: the key of a stashed entry (one per hooked function). */
enum itr_tgt {
	ITR_T_ATTACH_DEV = 1,	/* __iommu_attach_device, __iommu_device_set_domain */
	ITR_T_ATTACH_GROUP,	/* __iommu_attach_group */
	ITR_T_DEV_FAULT,	/* iommu_report_device_fault */
	ITR_T_DOM_ALLOC,	/* __iommu_domain_alloc and its successors */
	ITR_T_DOM_ALLOC_API,	/* iommu_domain_alloc, iommu_paging_domain_alloc(_flags) */
	ITR_T_FAULT,		/* report_iommu_fault */
	ITR_T_FILE_OPEN,	/* vfio_device_fops_cdev_open, vfio_fops_open, until the open
				 * syscall's exit */
	ITR_T_GROUP_ADD,	/* iommu_group_alloc_device, iommu_group_add_device */
	ITR_T_GROUP_SET,	/* __iommu_group_set_domain(_internal) */
	ITR_T_HWPT_ALLOC,	/* iommufd_hwpt_paging_alloc */
	ITR_T_LOCK_ACCT,	/* vfio_lock_acct */
	ITR_T_MAP,		/* iommu_map, iommu_map_nosync, iommu_map_atomic */
	ITR_T_MAP_SG,		/* iommu_map_sg, iommu_map_sg_atomic */
	ITR_T_PASID_ATTACH,	/* iommu_attach_device_pasid */
	ITR_T_PASID_REPLACE,	/* iommu_replace_device_pasid */
	ITR_T_UNMAP,		/* iommu_unmap */
	ITR_T_UNMAP_FAST,	/* iommu_unmap_fast */
};

struct itr_stash_key {
	__u32 tid;
	__u32 tgt;		/* enum itr_tgt */
};

/* What an entry leaves for its exit: when, and up to six values. */
struct itr_stash {
	__u64 ts;
	__u64 args[6];
};

/* Map layouts, named so that extern declarations and definitions agree. */
struct itr_events_map {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 24);	/* 16 MiB (~95 000 map records: bursts); user space may resize before load */
};

struct itr_counters_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct itr_counters);
};

/* Operation statistics (include/iommutrace.h: struct itr_stat) */
struct itr_stats_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ITR_ST_MAX);
	__type(key, __u32);
	__type(value, struct itr_stat);
};

struct itr_ioctl_stats_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, ITR_MAX_IOCTL_STATS);
	__type(key, __u64);	/* ITR_IOCTL_STAT_KEY(layer, cmd) */
	__type(value, struct itr_stat);
};

/*
 * A thread's VFIO/iommufd operation: the ioctl syscall's fd, cmd and arg
 * (noted at syscall entry), and, while a dispatcher runs, the operation's
 * context (ctx.op_id != 0) and what its exit needs. Keyed by thread id.
 * Run by ioctl.bpf.c; itr_hdr_init() copies ctx into every record.
 */
struct itr_op {
	struct itr_ctx ctx;	/* ctx.op_id 0: no operation running */
	__u64 ts;		/* dispatcher entry */
	__u64 arg;		/* the dispatcher's user argument */
	__u32 cmd;
	__u32 arg_len;		/* bytes of arg_in read at entry */
	__u64 sys_arg;		/* the ioctl syscall's fd, cmd, arg */
	__u32 sys_cmd;
	__s32 sys_fd;
	__u64 dev;		/* a VFIO device fd's struct device, else 0 */
	__s64 lck_npages;	/* pinned-page accounting folded in (locked.bpf.c) */
	__u64 lck_vm;
	__u32 lck_n;		/* ... how many calls; 0: none */
	__u32 pad;
	__u8 arg_in[ITR_IOCTL_ARG_LEN];
};

struct itr_ops_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, struct itr_op);
};

/* Per-CPU sequence of operation ids */
struct itr_opseq_map {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
};

struct itr_stash_map {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);	/* a lost exit cannot leak entries */
	__uint(max_entries, 8192);
	__type(key, struct itr_stash_key);
	__type(value, struct itr_stash);
};

/*
 * Defined in common.bpf.c. libbpf 1.1's linker (bpftool gen object)
 * mis-relocates an extern map or variable used by an object linked before
 * the one defining it, and objects link in name order ("attach" <
 * "common"): only common.bpf.c and objects named after it ("ioctl", whose
 * operation machine owns itr_ops and itr_opseq) may use them; the others
 * go through the helpers below.
 */
extern const volatile struct itr_config itr_cfg;
extern struct itr_events_map events SEC(".maps");
extern struct itr_counters_map counters SEC(".maps");
extern struct itr_stash_map itr_stash SEC(".maps");
extern struct itr_ops_map itr_ops SEC(".maps");
extern struct itr_opseq_map itr_opseq SEC(".maps");
extern struct itr_stats_map itr_stats SEC(".maps");
extern struct itr_ioctl_stats_map itr_ioctl_stats SEC(".maps");

/*
 * Global helpers (common.bpf.c), verified on their own: they take scalars
 * (kernel addresses as __u64) and the stash on the caller's stack. The
 * record helpers are in lib/emit.bpf.h.
 */
/* add n to counter c */
extern int itr_count(__u32 c, __u64 n);
/*
 * one call of counter c and its bytes in the next counter (ITR_CNT_MAP and
 * _MAP_BYTES, ...), in one lookup: the hot path's count
 */
extern int itr_count_bytes(__u32 c, __u64 bytes);
/*
 * Operation statistics (lib/hist.bpf.h), at an operation's exit: one call
 * of kind k (enum itr_stat_kind) that started at ts0_ns, its -errno (0: ok)
 * or an ITR_RES_ERROR result, bytes done, bytes requested (0: no size).
 */
extern int itr_stat(__u32 k, __s32 err, __u64 ts0_ns, __u64 bytes, __u64 size);
/* The ring buffer's bytes not yet consumed (BPF_RB_AVAIL_DATA). */
extern __u64 itr_ringbuf_used(void);
/* ... of an ioctl command of a layer, in its own row of itr_ioctl_stats */
extern int itr_stat_ioctl(__u32 layer, __u32 cmd, __s64 ret, __u64 ts0_ns);
/*
 * The cheap filters, for an entry to decide whether to stash at all: the
 * kinds the hook may emit (a mask of 1 << kind), the process, the cgroup,
 * the command. 1: wanted; 0: dropped, counted ITR_CNT_FILTERED once.
 */
extern int itr_task_wanted(__u32 kinds);
/* The hot path: 1 when a domain of this type is counted, not sent. */
extern int itr_dma_api(__u32 type);
/*
 * The calling thread's stash for target t: put, test, take (get and
 * empty), read one arg (0 when none), set one arg.
 */
extern int itr_stash_put(__u32 t, const struct itr_stash *st);
extern int itr_stash_has(__u32 t);
extern int itr_stash_take(__u32 t, struct itr_stash *out);
extern __u64 itr_stash_arg(__u32 t, __u32 i);
extern int itr_stash_set(__u32 t, __u32 i, __u64 v);
/*
 * domain.bpf.c: report the allocation of dom now if it is the domain an
 * iommufd HWPT allocation in progress is attaching (see there).
 */
extern int itr_alloc_early(__u64 dom);
/*
 * ioctl.bpf.c: fold a successful pinned-page accounting of process tgid
 * (0: unknown) into the calling thread's running ioctl record, which then
 * carries it instead of an ITR_EV_LOCKED record. 1: folded; 0: send one.
 */
extern int itr_op_locked(__u32 tgid, __s64 npages, __u64 locked_vm);
/*
 * file.bpf.c: a VFIO_GROUP_GET_DEVICE_FD returned fd (still inside the
 * group ioctl, ioctl.bpf.c): send its ITR_EV_OPEN.
 */
extern int itr_devfd_got(__s32 fd);

/* --- small inline pieces (no maps, no configuration) --------------------- */

/* A domain's type (IOMMU_DOMAIN_*), ITR_DOM_UNKNOWN when unreadable. */
static __always_inline __u32 itr_dom_type(__u64 dom)
{
	struct iommu_domain *d = (void *)dom;
	unsigned int type;

	if (!dom || bpf_core_read(&type, sizeof(type), &d->type))
		return ITR_DOM_UNKNOWN;
	return type;
}

/*
 * The type of the domain that is argument 0 of a call (map, unmap): an
 * fentry/fexit reads it through its typed argument (a plain load the
 * verifier guards, no helper call: the DMA API's hot path), a kprobe
 * through itr_dom_type(); a kretprobe has no arguments (ITR_DOM_UNKNOWN).
 */
static __always_inline __u32 itr_call_dom_type(struct itr_call c, bool exit)
{
	struct iommu_domain *d;

	if (c.kp)
		return exit ? ITR_DOM_UNKNOWN : itr_dom_type(itr_kprobe_arg(c.ctx, 0));
	d = (void *)((unsigned long long *)c.ctx)[0];
	return d ? d->type : ITR_DOM_UNKNOWN;
}

/* A returned pointer: its -errno when it is an ERR_PTR, else 0. */
static __always_inline __s32 itr_ptr_err(__u64 p)
{
	return p >= (__u64)-ITR_MAX_ERRNO ? (__s32)p : 0;
}

/* The group of a device (struct device.iommu_group), or 0. */
static __always_inline __u64 itr_dev_group(__u64 dev)
{
	return (__u64)BPF_CORE_READ((struct device *)dev, iommu_group);
}

/*
 * The struct device behind a VFIO device file, or 0. Its private_data is
 * the struct vfio_device (6.1), or a struct vfio_device_file pointing at it
 * (6.2 and later).
 */
static __always_inline __u64 itr_vfio_file_dev(__u64 file)
{
	void *pd = BPF_CORE_READ((struct file *)file, private_data);
	struct vfio_device *vdev = pd;

	if (!pd)
		return 0;
	if (bpf_core_type_exists(struct vfio_device_file))
		vdev = BPF_CORE_READ((struct vfio_device_file *)pd, device);
	return vdev ? (__u64)BPF_CORE_READ(vdev, dev) : 0;
}

#endif /* ITR_COMMON_BPF_H */
