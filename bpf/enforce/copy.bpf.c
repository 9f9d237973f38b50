// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's own copy of a map, judged again: a map that user memory
 * showed compliant at the gate but whose kernel copy breaks the policy was
 * rewritten by another thread in between (a TOCTOU race). The caller gets
 * SIGKILL and the race is audited.
 *
 * - VFIO type1: vfio_pin_pages_remote(dma, vaddr, npage, ...) pins each
 *   chunk of a new struct vfio_dma (the kernel's copy: dma->iova,
 *   dma->size so far) before it is mapped; the SIGKILL is pending before
 *   pin_user_pages_remote() runs, whose __get_user_pages() stops on a
 *   fatal signal, so the chunk is never pinned nor mapped.
 *   (vfio_dma_do_map() is inlined in the kernels we run.)
 * - iommufd: iopt_map_pages(iopt, list, length, *iova, prot, flags) is
 *   where every map (IOAS_MAP, MAP_FILE, COPY, the VFIO compat) ends. The
 *   pages are pinned with pin_user_pages_fast(), which does not stop on a
 *   signal: the map can complete, and lives until the killed process's
 *   iommufd context is released at its exit (docs/enforce.md: the gap).
 */
#include "enforce/enforce.bpf.h"
#include "enforce/kcopy.bpf.h"
#include "lib/hook.bpf.h"

/*
 * TYPE1: the map came through VFIO's type1 container, whose node is the
 * container's: a rule scoped to another node does not judge it (as at the
 * gate). iopt_map_pages serves both /dev/iommu and the VFIO compat
 * container, so there the node is not known and the node test does not
 * apply (docs/enforce.md, "Not done yet").
 */
static __always_inline int enf_kernel_map(const struct enf_kmap *m, bool type1)
{
	struct enf_req r = { .tier = ITR_ENF_TIER_KERNEL_COPY, .kernel = 1, .flags = m->flags };
	const struct itr_enf_policy *p = enf_policy_get(&r);

	/* under the strict tier the shim decides maps, with EPERM (strict.bpf.c);
	 * without map limits the kernel's copy cannot decide otherwise than the gate */
	if (!p || (p->flags & ITR_ENF_F_STRICT) || !(p->flags & ITR_ENF_F_MAP_LIMITS))
		return 0;
	r.q.op = ITR_ENF_OP_MAP;
	if (type1) {
		r.class = ITR_ENF_CLASS_CONTAINER;
		r.q.rdev = p->container_rdev;
	}
	r.q.iova = m->iova;
	r.q.size = m->size;
	enf_subject(&r);
	enf_decide(p, &r);
	enf_verdict(p, &r, NULL);
	return 0;
}

static __always_inline int enf_type1_pin(struct itr_call c)
{
	struct enf_kmap m;

	if (enf_kmap_type1(itr_call_arg(c, 0), itr_call_arg(c, 1), itr_call_arg(c, 2), &m))
		return 0;
	return enf_kernel_map(&m, true);
}

static __always_inline int enf_iopt_map(struct itr_call c)
{
	struct enf_kmap m;

	enf_kmap_iopt(itr_call_arg(c, 2), itr_call_arg(c, 3), itr_call_arg(c, 5), &m);
	return enf_kernel_map(&m, false);
}

ITR_HOOK_ENTRY(enf_type1_pin, vfio_pin_pages_remote, enf_type1_pin)
ITR_HOOK_ENTRY(enf_iopt_map, iopt_map_pages, enf_iopt_map)
