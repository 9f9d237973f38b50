/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's own copy of a map, read from the raw arguments of the
 * function that receives it: shared by the kernel-copy tier (copy.bpf.c,
 * fentry/kprobe) and the strict tier (strict.bpf.c, the shim's kprobes),
 * so both judge exactly the same thing.
 *
 * - VFIO type1: vfio_pin_pages_remote(dma, vaddr, npage, ...) for each
 *   chunk of a new struct vfio_dma: the chunk is [dma->iova + dma->size,
 *   + npage pages) (dma->size: what is mapped so far; npage: what is left).
 *   vfio_iommu_replay() calls it too, for a dma that is mapped already
 *   (a group joining the container): there vaddr is inside the dma, not at
 *   its end, and it is not a map.
 * - iommufd: iopt_map_pages(iopt, list, length, *iova, prot, flags); with
 *   IOPT_ALLOC_IOVA the kernel chooses the IOVA later.
 */
#ifndef ITR_ENFORCE_KCOPY_BPF_H
#define ITR_ENFORCE_KCOPY_BPF_H

#include "enforce/enforce.bpf.h"

#define ENF_PAGE_SHIFT		12
#define ENF_IOPT_ALLOC_IOVA	1

/* A map as the kernel copied it. */
struct enf_kmap {
	__u64 iova;	/* ITR_ENF_IOVA_ANY: the kernel chooses */
	__u64 size;
	__u32 flags;
};

/* type1; 0, or 1 when the call is a replay (not a map) */
static __always_inline int enf_kmap_type1(__u64 dma_arg, __u64 vaddr, __u64 npage, struct enf_kmap *m)
{
	struct vfio_dma *dma = (void *)dma_arg;
	__u64 size = BPF_CORE_READ(dma, size);

	if (vaddr != BPF_CORE_READ(dma, vaddr) + size)
		return 1;
	m->iova = BPF_CORE_READ(dma, iova) + size;
	m->size = npage << ENF_PAGE_SHIFT;
	m->flags = 0;
	return 0;
}

/* iommufd; always a map */
static __always_inline int enf_kmap_iopt(__u64 length, __u64 piova, __u64 flags, struct enf_kmap *m)
{
	m->iova = ITR_ENF_IOVA_ANY;
	m->size = length;
	m->flags = flags;
	if (!(flags & ENF_IOPT_ALLOC_IOVA))
		bpf_probe_read_kernel(&m->iova, sizeof(m->iova), (void *)piova);
	return 0;
}

#endif
