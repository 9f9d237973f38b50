// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Map and unmap: iommu_map (6.18+: iommu_map_nosync, which iommu_map and
 * iommu_map_sg call), iommu_map_atomic (6.1), iommu_map_sg(_atomic),
 * iommu_unmap, iommu_unmap_fast. Records carry iova, paddr, size, prot,
 * bytes done, the return value and the entry-to-exit latency.
 *
 * The hot path: a call on a DMA-API domain (DMA, DMA_FQ) is only counted
 * (ITR_CNT_DMA_API, ITR_CNT_DMA_API_BYTES: bytes requested; for map_sg
 * bytes mapped) unless itr_cfg.all_domains. map_sg always stashes its
 * entry, so that iommu_map_nosync, which it calls per segment on 6.18+,
 * knows it is nested and stays silent: nothing is counted twice.
 */
#include "common.bpf.h"

/* x86's vmemmap (struct page array) base, for sg_phys() of a scatterlist */
extern const void vmemmap_base __ksym __weak;

#define SG_PAGE_LINK_MASK 0x3UL
#define ITR_PAGE_SHIFT 12

/*
 * Single-range map (is_map: dom, iova, paddr, size, prot) or unmap (dom,
 * iova, size). The hot path comes first and reads nothing but the domain's
 * type and the size: one count of a DMA-API call and its bytes.
 */
static __always_inline int range_enter(struct itr_call c, enum itr_tgt t, __u32 kind, bool is_map,
				       bool in_sg_check)
{
	struct itr_stash st = {};
	__u64 size;

	/* iommu_map_nosync inside iommu_map_sg: the map_sg record covers it */
	if (in_sg_check && itr_stash_has(ITR_T_MAP_SG))
		return 0;
	size = itr_call_arg(c, is_map ? 3 : 2);
	if (itr_dma_api(itr_call_dom_type(c, false))) {
		itr_count_bytes(ITR_CNT_DMA_API, size);	/* and ITR_CNT_DMA_API_BYTES */
		return 0;
	}
	if (!itr_task_wanted(1u << kind))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[0] = itr_call_arg(c, 0);
	st.args[1] = itr_call_arg(c, 1);
	st.args[2] = is_map ? itr_call_arg(c, 2) : 0;
	st.args[3] = size;
	st.args[4] = is_map ? itr_call_arg(c, 4) : 0;
	itr_stash_put(t, &st);
	return 0;
}

/*
 * ret: the int of a map (0 or -errno), the size_t of an unmap (bytes). An
 * fexit on a DMA-API domain returns at once (its entry stashed nothing); a
 * kretprobe, which has no arguments, finds no stash.
 */
static __always_inline int range_exit(struct itr_call c, enum itr_tgt t, __u32 kind, __s64 ret)
{
	struct itr_stash s;
	struct itr_rec r;
	bool is_map = kind == ITR_EV_MAP;

	if (!c.kp && itr_dma_api(itr_call_dom_type(c, true)))
		return 0;
	if (itr_stash_take(t, &s))
		return 0;
	/* an unmap short of its request is an error result */
	itr_stat(is_map ? ITR_ST_MAP : ITR_ST_UNMAP, is_map ? (__s32)ret : (__u64)ret < s.args[3],
		 s.ts, is_map ? (ret ? 0 : s.args[3]) : (__u64)ret, s.args[3]);
	if (itr_rec_start(&r, kind, 0, is_map ? (__s32)ret : 0))
		return 0;
	itr_hdr_domain(&r, s.args[0]);
	r.map.iova = s.args[1];
	r.map.paddr = s.args[2];
	r.map.size = s.args[3];
	r.map.done = is_map ? (ret ? 0 : s.args[3]) : (__u64)ret;
	r.map.prot = s.args[4];
	r.map.latency_ns = r.h.ts_ns - s.ts;
	itr_submit(&r);
	return 0;
}

/* sg_phys() of the first scatterlist entry; 0 when it cannot be worked out */
static __always_inline __u64 sg_phys(__u64 sgp)
{
	struct scatterlist *sg = (void *)sgp;
	__u64 base = 0, page;
	__u32 psize = bpf_core_type_size(struct page);

	if (!sgp || !&vmemmap_base || !psize)
		return 0;
	if (bpf_probe_read_kernel(&base, sizeof(base), &vmemmap_base) || !base)
		return 0;
	page = BPF_CORE_READ(sg, page_link) & ~SG_PAGE_LINK_MASK;
	if (page < base)
		return 0;
	return ((page - base) / psize << ITR_PAGE_SHIFT) + BPF_CORE_READ(sg, offset);
}

/* map_sg: dom, iova, sg, nents, prot. Stashed even for DMA-API domains. */
static __always_inline int sg_enter(__u64 dom, __u64 iova, __u64 sg, __u64 nents, __u64 prot)
{
	struct itr_stash st = {};
	bool dma = itr_dma_api(itr_dom_type(dom));

	if (!dma && !itr_task_wanted(1u << ITR_EV_MAP_SG))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[0] = dom;
	st.args[1] = iova;
	st.args[2] = dma ? 0 : sg_phys(sg);
	st.args[3] = nents;
	st.args[4] = prot;
	st.args[5] = dma;
	itr_stash_put(ITR_T_MAP_SG, &st);
	return 0;
}

/* ret: bytes mapped, or -errno */
static __always_inline int sg_exit(__s64 ret)
{
	__u64 done = ret > 0 ? ret : 0;
	struct itr_stash s;
	struct itr_rec r;

	if (itr_stash_take(ITR_T_MAP_SG, &s))
		return 0;
	if (s.args[5]) {
		itr_count_bytes(ITR_CNT_DMA_API, done);	/* and ITR_CNT_DMA_API_BYTES */
		return 0;
	}
	itr_stat(ITR_ST_MAP, ret < 0 ? (__s32)ret : 0, s.ts, done, done);
	if (itr_rec_start(&r, ITR_EV_MAP_SG, 0, ret < 0 ? (__s32)ret : 0))
		return 0;
	itr_hdr_domain(&r, s.args[0]);
	r.map.iova = s.args[1];
	r.map.paddr = s.args[2];
	r.map.size = done;	/* the request is the scatterlist: what was mapped */
	r.map.done = done;
	r.map.nents = s.args[3];
	r.map.prot = s.args[4];
	r.map.latency_ns = r.h.ts_ns - s.ts;
	itr_submit(&r);
	return 0;
}

/* map functions: (domain, iova, paddr, size, prot[, gfp]) -> int */
static __always_inline int map_enter(struct itr_call c, enum itr_tgt t, bool in_sg)
{
	return range_enter(c, t, ITR_EV_MAP, true, in_sg);
}

static __always_inline int map_exit(struct itr_call c, enum itr_tgt t, bool in_sg)
{
	return range_exit(c, t, ITR_EV_MAP, (__s32)itr_call_ret(c));
}

/* unmap functions: (domain, iova, size[, gather]) -> size_t unmapped */
static __always_inline int unmap_enter(struct itr_call c, enum itr_tgt t, __u32 kind)
{
	return range_enter(c, t, kind, false, false);
}

static __always_inline int unmap_exit(struct itr_call c, enum itr_tgt t, __u32 kind)
{
	return range_exit(c, t, kind, itr_call_ret(c));
}

/* scatterlist maps: (domain, iova, sg, nents, prot[, gfp]) -> ssize_t */
static __always_inline int map_sg_enter(struct itr_call c)
{
	return sg_enter(itr_call_arg(c, 0), itr_call_arg(c, 1), itr_call_arg(c, 2),
			itr_call_arg(c, 3), itr_call_arg(c, 4));
}

static __always_inline int map_sg_exit(struct itr_call c)
{
	return sg_exit(itr_call_ret(c));
}

ITR_HOOK(map, iommu_map, map_enter, map_exit, ITR_T_MAP, false)
ITR_HOOK(map_atomic, iommu_map_atomic, map_enter, map_exit, ITR_T_MAP, false)
ITR_HOOK(map_nosync, iommu_map_nosync, map_enter, map_exit, ITR_T_MAP, true)
ITR_HOOK(map_sg, iommu_map_sg, map_sg_enter, map_sg_exit)
ITR_HOOK(map_sg_atomic, iommu_map_sg_atomic, map_sg_enter, map_sg_exit)
ITR_HOOK(unmap, iommu_unmap, unmap_enter, unmap_exit, ITR_T_UNMAP, ITR_EV_UNMAP)
ITR_HOOK(unmap_fast, iommu_unmap_fast, unmap_enter, unmap_exit, ITR_T_UNMAP_FAST, ITR_EV_UNMAP_FAST)
