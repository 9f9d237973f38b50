// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The shared definitions: configuration, maps, and the global helpers that
 * count, stash, fill a record's header, filter it and send it (see
 * common.bpf.h, lib/emit.bpf.h). The helpers are global functions:
 * verified once each, called from every hook, and given only scalars and
 * the record.
 */
#include "common.bpf.h"
#include "lib/filter.bpf.h"

const volatile struct itr_config itr_cfg = {};

struct itr_events_map events SEC(".maps");
struct itr_counters_map counters SEC(".maps");
struct itr_stash_map itr_stash SEC(".maps");
struct itr_ops_map itr_ops SEC(".maps");
struct itr_opseq_map itr_opseq SEC(".maps");

__hidden int itr_count(__u32 c, __u64 n)
{
	__u32 zero = 0;
	struct itr_counters *cs = bpf_map_lookup_elem(&counters, &zero);

	if (cs && c < ITR_CNT_MAX)
		cs->v[c] += n;
	return 0;
}

static __always_inline int drop(void)
{
	itr_count(ITR_CNT_FILTERED, 1);
	return 1;
}

__hidden int itr_task_wanted(__u32 kinds)
{
	if (!itr_want_task(&itr_cfg, kinds, bpf_get_current_pid_tgid(), NULL, NULL))
		return !drop();
	return 1;
}

__hidden int itr_dma_api(__u32 type)
{
	return type != ITR_DOM_UNKNOWN && (type & ITR_DOM_DMA_API_BIT) && !itr_cfg.all_domains;
}

static __always_inline struct itr_stash_key stash_key(__u32 t)
{
	struct itr_stash_key k = { .tid = (__u32)bpf_get_current_pid_tgid(), .tgt = t };

	return k;
}

__hidden int itr_stash_put(__u32 t, const struct itr_stash *st)
{
	struct itr_stash_key k = stash_key(t);

	return st ? bpf_map_update_elem(&itr_stash, &k, st, BPF_ANY) : -1;
}

__hidden int itr_stash_has(__u32 t)
{
	struct itr_stash_key k = stash_key(t);

	return bpf_map_lookup_elem(&itr_stash, &k) != NULL;
}

__hidden int itr_stash_take(__u32 t, struct itr_stash *out)
{
	struct itr_stash_key k = stash_key(t);
	struct itr_stash *st = bpf_map_lookup_elem(&itr_stash, &k);

	if (!st || !out)
		return -1;
	*out = *st;
	bpf_map_delete_elem(&itr_stash, &k);
	return 0;
}

__hidden __u64 itr_stash_arg(__u32 t, __u32 i)
{
	struct itr_stash_key k = stash_key(t);
	struct itr_stash *st = bpf_map_lookup_elem(&itr_stash, &k);

	return st && i < 6 ? st->args[i] : 0;
}

__hidden int itr_stash_set(__u32 t, __u32 i, __u64 v)
{
	struct itr_stash_key k = stash_key(t);
	struct itr_stash *st = bpf_map_lookup_elem(&itr_stash, &k);

	if (!st || i >= 6)
		return -1;
	st->args[i] = v;
	return 0;
}

__hidden int itr_hdr_init(struct itr_rec *r, __u32 kind, __u32 flags, __s32 ret)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u16 size = itr_kind_size(kind);
	__u32 tid = (__u32)id;
	struct itr_op *op;

	if (!r || !size)
		return 1;
	if (!itr_want_task(&itr_cfg, 1u << kind, id, &r->h.cgroup_id, r->h.comm))
		return drop();
	r->h.kind = kind;
	r->h.size = size;
	r->h.cpu = bpf_get_smp_processor_id();
	r->h.ts_ns = bpf_ktime_get_ns();
	r->h.pid = (__u32)id;
	r->h.tgid = id >> 32;
	r->h.domain_type = ITR_DOM_UNKNOWN;
	r->h.group_id = -1;
	r->h.ret = ret;
	r->h.flags = flags;
	/* the thread's operation, if one is running */
	op = bpf_map_lookup_elem(&itr_ops, &tid);
	if (op && op->ctx.op_id)
		r->h.ctx = op->ctx;
	return 0;
}

__hidden __u64 itr_domain_id(__u64 dom)
{
	__u64 k = itr_cfg.domain_key, x;

	if (!dom)
		return 0;
	/* splitmix64's finaliser, keyed before and between the rounds */
	x = dom ^ k;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x += (k << 32) | (k >> 32);
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x ? x : 1;
}

__hidden int itr_hdr_domain(struct itr_rec *r, __u64 dom)
{
	if (!r)
		return 1;
	r->h.domain_id = itr_domain_id(dom);
	r->h.domain_type = itr_dom_type(dom);
	return 0;
}

__hidden int itr_hdr_dev(struct itr_rec *r, __u64 dev, __u64 grp)
{
	const char *name;

	if (!r)
		return 1;
	if (dev) {
		name = BPF_CORE_READ((struct device *)dev, kobj.name);
		if (name)
			bpf_probe_read_kernel_str(r->h.dev, sizeof(r->h.dev), name);
		if (!grp)
			grp = itr_dev_group(dev);
	}
	if (grp)
		r->h.group_id = BPF_CORE_READ((struct iommu_group *)grp, id);
	return 0;
}

__hidden int itr_submit(struct itr_rec *r)
{
	__u32 size;

	if (!r)
		return 1;
	if (r->h.domain_id && !itr_want_domain_type(&itr_cfg, r->h.domain_type))
		return drop();
	if (!itr_want_dev(&itr_cfg, r->h.dev))
		return drop();
	if (!itr_want_group(&itr_cfg, r->h.group_id))
		return drop();
	size = r->h.size;
	if (size < sizeof(struct itr_hdr) || size > sizeof(*r))
		return 1;
	if (bpf_ringbuf_output(&events, r, size, 0)) {
		itr_count(ITR_CNT_LOST, 1);
		return 1;
	}
	itr_count(ITR_CNT_EMITTED, 1);
	return 0;
}

/* --- VFIO and iommufd operations ---------------------------------------- */

/* The thread's operation entry, created empty (fd unknown) when missing. */
static __always_inline struct itr_op *op_get(__u32 tid)
{
	struct itr_op *op = bpf_map_lookup_elem(&itr_ops, &tid);
	struct itr_op empty = { .sys_fd = -1 };

	if (op)
		return op;
	bpf_map_update_elem(&itr_ops, &tid, &empty, BPF_NOEXIST);
	return bpf_map_lookup_elem(&itr_ops, &tid);
}

__hidden int itr_sys_ioctl(__s32 fd, __u32 cmd, __u64 arg)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct itr_op *op;

	/* every ioctl of the system passes here: filter quietly, no counting */
	if (!itr_want_tgid(&itr_cfg, id))
		return 0;
	op = op_get((__u32)id);
	if (!op)
		return 0;
	op->sys_fd = fd;
	op->sys_cmd = cmd;
	op->sys_arg = arg;
	return 0;
}

/* A new operation id: the CPU (+1) in the top bits, its own sequence below. */
static __always_inline __u64 op_id_next(void)
{
	__u32 zero = 0;
	__u64 *seq = bpf_map_lookup_elem(&itr_opseq, &zero);

	if (!seq)
		return 0;
	*seq += 1;
	return ((__u64)(bpf_get_smp_processor_id() + 1) << 40) | (*seq & ((1ULL << 40) - 1));
}

#define ITR_PAGE_SIZE 4096
#define ITR_VFIO_GROUP_GET_DEVICE_FD 0x3b6a	/* _IO(';', 100 + 6) */

__hidden int itr_op_enter(__u32 layer, __u64 file, __u32 cmd, __u64 arg)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct itr_op *op;
	__u64 n;

	if (!itr_task_wanted(~0u))
		return 0;
	op = op_get(tid);
	if (!op)
		return 0;
	op->ctx.op_id = op_id_next();
	op->ctx.file_id = itr_domain_id(file);
	/* the syscall's fd, if this dispatcher serves that very syscall */
	op->ctx.fd = op->sys_cmd == cmd && op->sys_arg == arg ? op->sys_fd : -1;
	op->ctx.layer = layer;
	op->dev = layer == ITR_LAYER_VFIO_DEVICE ? itr_vfio_file_dev(file) : 0;
	op->sys_fd = -1;
	op->sys_cmd = 0;
	op->sys_arg = 0;
	op->cmd = cmd;
	op->arg = arg;
	op->arg_len = 0;
	if (!bpf_probe_read_user(op->arg_in, ITR_IOCTL_ARG_LEN, (void *)arg)) {
		op->arg_len = ITR_IOCTL_ARG_LEN;
	} else {
		/* the argument may end on the last mapped page: read up to its end */
		n = ITR_PAGE_SIZE - (arg & (ITR_PAGE_SIZE - 1));
		if (n < ITR_IOCTL_ARG_LEN && !bpf_probe_read_user(op->arg_in, n, (void *)arg))
			op->arg_len = n;
	}
	op->ts = bpf_ktime_get_ns();
	return 0;
}

/* The ITR_EV_IOCTL record of op; its own frame (the record is large). */
static __noinline int op_send(struct itr_op *op, __s64 ret)
{
	struct itr_rec r;
	__u32 n;

	if (itr_rec_start(&r, ITR_EV_IOCTL, 0, (__s32)ret))
		return 0;
	r.ioc.cmd = op->cmd;
	r.ioc.latency_ns = r.h.ts_ns - op->ts;
	n = op->arg_len;
	if (n > ITR_IOCTL_ARG_LEN)
		n = ITR_IOCTL_ARG_LEN;
	if (n) {
		__builtin_memcpy(r.ioc.arg_in, op->arg_in, ITR_IOCTL_ARG_LEN);
		if (bpf_probe_read_user(r.ioc.arg_out, n, (void *)op->arg))
			n = 0;
	}
	r.ioc.arg_len = n;
	itr_hdr_dev(&r, op->dev, 0);
	itr_submit(&r);
	return 0;
}

__hidden int itr_op_exit(__s64 ret)
{
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct itr_op *op = bpf_map_lookup_elem(&itr_ops, &tid);

	if (!op || !op->ctx.op_id)
		return 0;
	/* a new device fd: its device_open, inside the ioctl, before the ioctl's record */
	if (op->ctx.layer == ITR_LAYER_VFIO_GROUP && op->cmd == ITR_VFIO_GROUP_GET_DEVICE_FD &&
	    ret >= 0)
		itr_devfd_got((__s32)ret);
	op_send(op, ret);
	__builtin_memset(&op->ctx, 0, sizeof(op->ctx));
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
