// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Domain allocation and free. Records: struct itr_ev_domain, h.domain_*
 * the domain, h.dev the device it was allocated for where the kernel says.
 *
 * The core's allocation funnel moved: __iommu_domain_alloc(bus, type)
 * (6.1), __iommu_domain_alloc(ops, dev, type) (6.12, returns ERR_PTR),
 * __iommu_paging_domain_alloc_flags(dev, type, flags) (7.x).
 * The exported entry points (iommu_domain_alloc(bus) in 6.1 and 6.12,
 * iommu_paging_domain_alloc(dev) in 6.12, iommu_paging_domain_alloc_flags
 * (dev, flags) in 7.x) are hooked too: 6.1 and 6.12 inline the funnel into
 * them. iommufd allocates its HWPT domains through the driver's op
 * directly: iommufd_hwpt_paging_alloc() covers those. A call nested in an
 * outer hooked one (funnel in API, either in iommufd) is the outer's and is
 * not reported again. The type is read from the new domain, so the
 * argument order does not matter at exit.
 */
#include "common.bpf.h"

/* 6.1's struct bus_type still has iommu_ops (removed in 6.8) */
struct bus_type___itr_old {
	const struct iommu_ops *iommu_ops;
} __attribute__((preserve_access_index));

/* stash layout of an allocation: the device; the domain if already reported */
enum { D_DEV, D_EARLY };

static __always_inline int alloc_enter(enum itr_tgt t, __u64 dev)
{
	struct itr_stash st = {};

	if (t != ITR_T_HWPT_ALLOC && itr_stash_has(ITR_T_HWPT_ALLOC))
		return 0;
	if (t == ITR_T_DOM_ALLOC && itr_stash_has(ITR_T_DOM_ALLOC_API))
		return 0;
	if (!itr_task_wanted(1u << ITR_EV_DOMAIN_ALLOC))
		return 0;
	st.ts = bpf_ktime_get_ns();
	st.args[D_DEV] = dev;
	itr_stash_put(t, &st);
	return 0;
}

/* Fill and send a domain record (dom may be 0 after a failure). */
static __always_inline int domain_emit(__u32 kind, __u64 dom, __u64 dev, __s32 ret, __u32 flags)
{
	struct iommu_domain *d = (void *)dom;
	struct itr_rec r;

	if (itr_rec_start(&r, kind, flags, ret))
		return 0;
	itr_hdr_domain(&r, dom);
	itr_hdr_dev(&r, dev, 0);
	if (dom) {
		r.dom.pgsize_bitmap = BPF_CORE_READ(d, pgsize_bitmap);
		r.dom.aperture_start = BPF_CORE_READ(d, geometry.aperture_start);
		r.dom.aperture_end = BPF_CORE_READ(d, geometry.aperture_end);
	}
	itr_submit(&r);
	return 0;
}

/* ret: the new domain, NULL (6.1: failure) or an ERR_PTR */
static __always_inline int alloc_exit(enum itr_tgt t, __u64 dom)
{
	struct itr_stash s;
	__s32 ret = 0;

	if (itr_stash_take(t, &s) || s.args[D_EARLY])
		return 0;
	if (itr_ptr_err(dom)) {
		ret = itr_ptr_err(dom);
		dom = 0;
	} else if (!dom) {
		ret = -ITR_ENOMEM;
	}
	return domain_emit(ITR_EV_DOMAIN_ALLOC, dom, s.args[D_DEV], ret, 0);
}

/* __iommu_paging_domain_alloc_flags(dev, type, flags): 7.x */
SEC("?fentry/__iommu_paging_domain_alloc_flags")
int BPF_PROG(fentry_dom_alloc_flags)
{
	return alloc_enter(ITR_T_DOM_ALLOC, itr_arg(ctx, 0));
}

SEC("?fexit/__iommu_paging_domain_alloc_flags")
int BPF_PROG(fexit_dom_alloc_flags)
{
	return alloc_exit(ITR_T_DOM_ALLOC, itr_ret(ctx));
}

SEC("?kprobe/__iommu_paging_domain_alloc_flags")
int BPF_KPROBE(kprobe_dom_alloc_flags, void *dev)
{
	return alloc_enter(ITR_T_DOM_ALLOC, (__u64)dev);
}

SEC("?kretprobe/__iommu_paging_domain_alloc_flags")
int BPF_KRETPROBE(kretprobe_dom_alloc_flags, void *dom)
{
	return alloc_exit(ITR_T_DOM_ALLOC, (__u64)dom);
}

/* __iommu_domain_alloc: (bus, type) in 6.1, (ops, dev, type) in 6.12 */
SEC("?fentry/__iommu_domain_alloc")
int BPF_PROG(fentry_dom_alloc)
{
	return alloc_enter(ITR_T_DOM_ALLOC, bpf_get_func_arg_cnt(ctx) >= 3 ? itr_arg(ctx, 1) : 0);
}

SEC("?fexit/__iommu_domain_alloc")
int BPF_PROG(fexit_dom_alloc)
{
	return alloc_exit(ITR_T_DOM_ALLOC, itr_ret(ctx));
}

SEC("?kprobe/__iommu_domain_alloc")
int BPF_KPROBE(kprobe_dom_alloc, void *ops, void *dev)
{
	/* where the bus still carries the ops, the second argument is the type */
	bool old = bpf_core_field_exists(struct bus_type___itr_old, iommu_ops);

	return alloc_enter(ITR_T_DOM_ALLOC, old ? 0 : (__u64)dev);
}

SEC("?kretprobe/__iommu_domain_alloc")
int BPF_KRETPROBE(kretprobe_dom_alloc, void *dom)
{
	return alloc_exit(ITR_T_DOM_ALLOC, (__u64)dom);
}

/*
 * The exported allocators: (bus), (dev) or (dev, flags) -> domain, NULL
 * (6.1, 6.12 iommu_domain_alloc) or ERR_PTR.
 */
#define API_HOOK(base, func, has_dev)							\
SEC("?fentry/" #func)									\
int BPF_PROG(fentry_##base)								\
{											\
	return alloc_enter(ITR_T_DOM_ALLOC_API, has_dev ? itr_arg(ctx, 0) : 0);	\
}											\
SEC("?fexit/" #func)									\
int BPF_PROG(fexit_##base)								\
{											\
	return alloc_exit(ITR_T_DOM_ALLOC_API, itr_ret(ctx));				\
}											\
SEC("?kprobe/" #func)									\
int BPF_KPROBE(kprobe_##base, void *dev)						\
{											\
	return alloc_enter(ITR_T_DOM_ALLOC_API, has_dev ? (__u64)dev : 0);		\
}											\
SEC("?kretprobe/" #func)								\
int BPF_KRETPROBE(kretprobe_##base, void *dom)						\
{											\
	return alloc_exit(ITR_T_DOM_ALLOC_API, (__u64)dom);				\
}

API_HOOK(dom_alloc_bus, iommu_domain_alloc, false)
API_HOOK(dom_alloc_paging, iommu_paging_domain_alloc, true)
API_HOOK(dom_alloc_paging_flags, iommu_paging_domain_alloc_flags, true)

/*
 * iommufd_hwpt_paging_alloc(ictx, ioas, idev, ...) returns the HWPT (or an
 * ERR_PTR); its domain is hwpt->common.domain, its device idev->dev.
 */
static __always_inline int hwpt_enter(__u64 idev)
{
	return alloc_enter(ITR_T_HWPT_ALLOC, (__u64)BPF_CORE_READ((struct iommufd_device *)idev, dev));
}

static __always_inline int hwpt_exit(__u64 hwpt)
{
	if (hwpt && !itr_ptr_err(hwpt))
		hwpt = (__u64)BPF_CORE_READ((struct iommufd_hwpt_paging *)hwpt, common.domain);
	return alloc_exit(ITR_T_HWPT_ALLOC, hwpt);
}

/*
 * iommufd attaches a new HWPT before iommufd_hwpt_paging_alloc() returns
 * (immediate_attach): the attach hooks call this at their entry, so that
 * the allocation is reported before the first use of its domain.
 */
__hidden int itr_alloc_early(__u64 dom)
{
	if (!dom || !itr_stash_has(ITR_T_HWPT_ALLOC) || itr_stash_arg(ITR_T_HWPT_ALLOC, D_EARLY))
		return 0;
	itr_stash_set(ITR_T_HWPT_ALLOC, D_EARLY, dom);
	return domain_emit(ITR_EV_DOMAIN_ALLOC, dom, itr_stash_arg(ITR_T_HWPT_ALLOC, D_DEV), 0, 0);
}

SEC("?fentry/iommufd_hwpt_paging_alloc")
int BPF_PROG(fentry_dom_alloc_hwpt)
{
	return hwpt_enter(itr_arg(ctx, 2));
}

SEC("?fexit/iommufd_hwpt_paging_alloc")
int BPF_PROG(fexit_dom_alloc_hwpt)
{
	return hwpt_exit(itr_ret(ctx));
}

SEC("?kprobe/iommufd_hwpt_paging_alloc")
int BPF_KPROBE(kprobe_dom_alloc_hwpt, void *ictx, void *ioas, void *idev)
{
	return hwpt_enter((__u64)idev);
}

SEC("?kretprobe/iommufd_hwpt_paging_alloc")
int BPF_KRETPROBE(kretprobe_dom_alloc_hwpt, void *hwpt)
{
	return hwpt_exit((__u64)hwpt);
}

/* iommu_domain_free(domain): reported at entry, while the domain exists */
SEC("?fentry/iommu_domain_free")
int BPF_PROG(fentry_dom_free)
{
	return domain_emit(ITR_EV_DOMAIN_FREE, itr_arg(ctx, 0), 0, 0, ITR_F_NO_RET);
}

SEC("?kprobe/iommu_domain_free")
int BPF_KPROBE(kprobe_dom_free, void *dom)
{
	return domain_emit(ITR_EV_DOMAIN_FREE, (__u64)dom, 0, 0, ITR_F_NO_RET);
}
