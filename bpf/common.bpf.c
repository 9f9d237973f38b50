// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The shared definitions: configuration, maps, and the global helpers that
 * count, stash, fill a record's header, filter it and send it (see
 * common.bpf.h, lib/emit.bpf.h). The helpers are global functions:
 * verified once each, called from every hook, and given only scalars and
 * the record. They call nothing in the objects that use them.
 */
#include "common.bpf.h"
#include "lib/filter.bpf.h"
#include "lib/hist.bpf.h"

const volatile struct itr_config itr_cfg = {};
/*
 * Wake the consumer only once this many bytes wait in the ring buffer
 * (it also polls on a timer); 0: wake it for every record.
 */
const volatile __u32 itr_wakeup_bytes = 0;

struct itr_events_map events SEC(".maps");
struct itr_counters_map counters SEC(".maps");
struct itr_stash_map itr_stash SEC(".maps");
struct itr_ops_map itr_ops SEC(".maps");
struct itr_opseq_map itr_opseq SEC(".maps");
struct itr_stats_map itr_stats SEC(".maps");
struct itr_ioctl_stats_map itr_ioctl_stats SEC(".maps");

__hidden int itr_count(__u32 c, __u64 n)
{
	__u32 zero = 0;
	struct itr_counters *cs = bpf_map_lookup_elem(&counters, &zero);

	if (cs && c < ITR_CNT_MAX)
		cs->v[c] += n;
	return 0;
}

/* itr_count_bytes(): a count's bytes are the next counter */
_Static_assert(ITR_CNT_MAP_BYTES == ITR_CNT_MAP + 1 && ITR_CNT_UNMAP_BYTES == ITR_CNT_UNMAP + 1 &&
	       ITR_CNT_DMA_API_BYTES == ITR_CNT_DMA_API + 1, "a count's bytes follow it");

__hidden int itr_count_bytes(__u32 c, __u64 bytes)
{
	__u32 zero = 0;
	struct itr_counters *cs = bpf_map_lookup_elem(&counters, &zero);

	if (cs && c + 1 < ITR_CNT_MAX) {
		cs->v[c] += 1;
		cs->v[c + 1] += bytes;
	}
	return 0;
}

static __always_inline void stat_add(struct itr_stat *st, __s32 err, __u64 ts0_ns, __u64 bytes,
				     __u64 size)
{
	st->calls[err ? ITR_RES_ERROR : ITR_RES_OK] += 1;
	st->bytes += bytes;
	itr_hist_add(&st->latency_ns, bpf_ktime_get_ns() - ts0_ns);
	if (size)
		itr_hist_add(&st->size, size);
}

__hidden int itr_stat(__u32 k, __s32 err, __u64 ts0_ns, __u64 bytes, __u64 size)
{
	struct itr_stat *st = bpf_map_lookup_elem(&itr_stats, &k);

	if (st)
		stat_add(st, err, ts0_ns, bytes, size);
	return 0;
}

__hidden int itr_stat_ioctl(__u32 layer, __u32 cmd, __s64 ret, __u64 ts0_ns)
{
	static const struct itr_stat zero_stat;
	__s32 err = ret < 0 ? (__s32)ret : 0;
	__u64 key = ITR_IOCTL_STAT_KEY(layer, cmd);
	struct itr_stat *st = bpf_map_lookup_elem(&itr_ioctl_stats, &key);

	if (!st) {
		/* a new command's row; a full map folds it into one row */
		bpf_map_update_elem(&itr_ioctl_stats, &key, &zero_stat, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&itr_ioctl_stats, &key);
	}
	if (st)
		stat_add(st, err, ts0_ns, 0, 0);
	else
		itr_stat(ITR_ST_IOCTL_FOLDED, err, ts0_ns, 0, 0);
	return 0;
}

__hidden __u64 itr_ringbuf_used(void)
{
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA);
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

/*
 * A thread's slot for a target stays in the map once made (the LRU bounds
 * them): put overwrites it in place and take empties it (ts 0), so that
 * the hot path neither allocates nor frees a map element. ts 0 is stored
 * as 1: 0 marks an empty slot.
 */
static __always_inline struct itr_stash *stash_slot(__u32 t)
{
	struct itr_stash_key k = stash_key(t);
	struct itr_stash *st = bpf_map_lookup_elem(&itr_stash, &k);

	return st && st->ts ? st : NULL;
}

__hidden int itr_stash_put(__u32 t, const struct itr_stash *st)
{
	struct itr_stash_key k = stash_key(t);
	struct itr_stash *cur, v;

	if (!st)
		return -1;
	v = *st;
	if (!v.ts)
		v.ts = 1;
	cur = bpf_map_lookup_elem(&itr_stash, &k);
	if (cur) {
		*cur = v;
		return 0;
	}
	return bpf_map_update_elem(&itr_stash, &k, &v, BPF_ANY);
}

__hidden int itr_stash_has(__u32 t)
{
	return stash_slot(t) != NULL;
}

__hidden int itr_stash_take(__u32 t, struct itr_stash *out)
{
	struct itr_stash *st = stash_slot(t);

	if (!st || !out)
		return -1;
	*out = *st;
	st->ts = 0;
	return 0;
}

__hidden __u64 itr_stash_arg(__u32 t, __u32 i)
{
	struct itr_stash *st = stash_slot(t);

	return st && i < 6 ? st->args[i] : 0;
}

__hidden int itr_stash_set(__u32 t, __u32 i, __u64 v)
{
	struct itr_stash *st = stash_slot(t);

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
	/* the thread's operation (ioctl.bpf.c), if one is running */
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

/*
 * Records lost since load, in total and by kind (atomic adds: any CPU may
 * lose one at any time), and the total the last loss record carried.
 */
static struct {
	__u64 total;
	__u32 by_kind[ITR_LOST_KINDS];
} lost;
static __u64 lost_sent;

static __always_inline void lost_count(__u32 kind)
{
	__sync_fetch_and_add(&lost.total, 1);
	if (kind < ITR_LOST_KINDS)
		__sync_fetch_and_add(&lost.by_kind[kind], 1);
	itr_count(ITR_CNT_LOST, 1);
}

/* Wake the consumer now, or let its timer find the record. */
static __always_inline __u64 wakeup_flag(void)
{
	if (!itr_wakeup_bytes)
		return 0;
	return bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= itr_wakeup_bytes ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Records were lost since the last loss record: send one, ahead of the
 * record about to go, so that the gap is where it happened in the stream.
 * Two CPUs may both send one for the same losses: the counts are
 * cumulative, so the consumer counts them once. 0: nothing to report, or
 * reported; nonzero: no room for it, and then the record about to go is
 * lost too (a smaller record could fit where the loss record did not,
 * and arrive with no gap before it).
 */
static __always_inline int lost_report(void)
{
	__u64 id = bpf_get_current_pid_tgid(), total = lost.total;
	struct itr_ev_lost *e;
	int i;

	if (total == lost_sent)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e)
		return 1;
	__builtin_memset(&e->h, 0, sizeof(e->h));
	e->h.kind = ITR_EV_LOST;
	e->h.size = sizeof(*e);
	e->h.cpu = bpf_get_smp_processor_id();
	e->h.ts_ns = bpf_ktime_get_ns();
	e->h.pid = (__u32)id;
	e->h.tgid = id >> 32;
	bpf_get_current_comm(e->h.comm, sizeof(e->h.comm));
	e->h.domain_type = ITR_DOM_UNKNOWN;
	e->h.group_id = -1;
	e->h.flags = ITR_F_NO_RET;
	e->total = total;
	for (i = 0; i < ITR_LOST_KINDS; i++)
		e->by_kind[i] = lost.by_kind[i];
	lost_sent = total;
	bpf_ringbuf_submit(e, 0);
	itr_count(ITR_CNT_EMITTED, 1);
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
	if (lost_report() || bpf_ringbuf_output(&events, r, size, wakeup_flag())) {
		lost_count(r->h.kind);
		return 1;
	}
	itr_count(ITR_CNT_EMITTED, 1);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
