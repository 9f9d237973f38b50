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

	if (itr_stash_take(t, &s))
		return 0;
	if (itr_ptr_err(dom)) {
		ret = itr_ptr_err(dom);
		dom = 0;
	} else if (!dom) {
		ret = -ITR_ENOMEM;
	}
	itr_stat(ITR_ST_DOMAIN_ALLOC, ret, s.ts, 0, 0);
	if (s.args[D_EARLY])
		return 0;	/* reported already */
	return domain_emit(ITR_EV_DOMAIN_ALLOC, dom, s.args[D_DEV], ret, 0);
}

/* Every allocator's exit: the new domain, NULL or an ERR_PTR. */
static __always_inline int alloc_hook_exit(struct itr_call c, enum itr_tgt t)
{
	return alloc_exit(t, itr_call_ret(c));
}

/* __iommu_paging_domain_alloc_flags(dev, type, flags): 7.x */
static __always_inline int alloc_flags_enter(struct itr_call c, enum itr_tgt t)
{
	return alloc_enter(t, itr_call_arg(c, 0));
}

/*
 * __iommu_domain_alloc: (bus, type) in 6.1, (ops, dev, type) in 6.12.
 * fentry counts the arguments; a kprobe, which cannot, asks whether the
 * bus still carries the ops (then the second argument is the type).
 */
static __always_inline int dom_alloc_enter(struct itr_call c, enum itr_tgt t)
{
	bool bus = c.kp ? bpf_core_field_exists(struct bus_type___itr_old, iommu_ops) :
			  itr_call_nargs(c) < 3;

	return alloc_enter(t, bus ? 0 : itr_call_arg(c, 1));
}

ITR_HOOK(dom_alloc_flags, __iommu_paging_domain_alloc_flags, alloc_flags_enter, alloc_hook_exit,
	 ITR_T_DOM_ALLOC)
ITR_HOOK(dom_alloc, __iommu_domain_alloc, dom_alloc_enter, alloc_hook_exit, ITR_T_DOM_ALLOC)

/*
 * The exported allocators: (bus), (dev) or (dev, flags) -> domain, NULL
 * (6.1, 6.12 iommu_domain_alloc) or ERR_PTR.
 */
static __always_inline int api_enter(struct itr_call c, enum itr_tgt t, bool has_dev)
{
	return alloc_enter(t, has_dev ? itr_call_arg(c, 0) : 0);
}

static __always_inline int api_exit(struct itr_call c, enum itr_tgt t, bool has_dev)
{
	return alloc_exit(t, itr_call_ret(c));
}

ITR_HOOK(dom_alloc_bus, iommu_domain_alloc, api_enter, api_exit, ITR_T_DOM_ALLOC_API, false)
ITR_HOOK(dom_alloc_paging, iommu_paging_domain_alloc, api_enter, api_exit, ITR_T_DOM_ALLOC_API,
	 true)
ITR_HOOK(dom_alloc_paging_flags, iommu_paging_domain_alloc_flags, api_enter, api_exit,
	 ITR_T_DOM_ALLOC_API, true)

/*
 * iommufd_hwpt_paging_alloc(ictx, ioas, idev, ...) returns the HWPT (or an
 * ERR_PTR); its domain is hwpt->common.domain, its device idev->dev.
 */
static __always_inline int hwpt_enter(struct itr_call c)
{
	struct iommufd_device *idev = (void *)itr_call_arg(c, 2);

	return alloc_enter(ITR_T_HWPT_ALLOC, (__u64)BPF_CORE_READ(idev, dev));
}

static __always_inline int hwpt_exit(struct itr_call c)
{
	__u64 hwpt = itr_call_ret(c);

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

ITR_HOOK(dom_alloc_hwpt, iommufd_hwpt_paging_alloc, hwpt_enter, hwpt_exit)

/* iommu_domain_free(domain): reported at entry, while the domain exists */
static __always_inline int free_enter(struct itr_call c)
{
	return domain_emit(ITR_EV_DOMAIN_FREE, itr_call_arg(c, 0), 0, 0, ITR_F_NO_RET);
}

ITR_HOOK_ENTRY(dom_free, iommu_domain_free, free_enter)
