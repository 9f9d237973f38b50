// SPDX-License-Identifier: GPL-2.0
/*
 * VFIO type1 dirty-page tracking (VFIO_IOMMU_DIRTY_PAGES, and
 * VFIO_IOMMU_UNMAP_DMA with VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP): what a
 * VMM does around a migration. type1 tracks in software (pinned pages, or
 * every mapped page while a device cannot report its own), so any IOMMU
 * will do.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "log.h"
#include "workload.h"

#define VFIO_CONTAINER "/dev/vfio/vfio"
#define PAGE (4 * KiB)
#define BITMAP_PAGES 256	/* the largest range asked for, in pages */

/* Bits set in a bitmap of n bytes: the pages reported dirty. */
static uint64_t popcount(const __u64 *bits, size_t n)
{
	uint64_t c = 0;
	size_t i;

	for (i = 0; i < n / sizeof(*bits); i++)
		c += (uint64_t)__builtin_popcountll(bits[i]);
	return c;
}

static struct log_op *dirty_op(struct container *c, const char *op, uint32_t flags)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", c->fd);
	log_int(o, "flags", flags);
	return o;
}

/* START or STOP. */
int container_dirty(struct container *c, uint32_t flag)
{
	struct vfio_iommu_type1_dirty_bitmap d = { .argsz = sizeof(d), .flags = flag };
	struct log_op *o = dirty_op(c, "VFIO_IOMMU_DIRTY_PAGES", flag);
	int ret;

	ret = ioctl(c->fd, VFIO_IOMMU_DIRTY_PAGES, &d);
	return log_end(o, ret, ret ? errno : 0);
}

/*
 * The uapi structs end in a flexible array that the payload struct placed
 * after them fills, as the kernel reads it (a GNU extension clang names).
 */
#ifdef __clang__
#pragma clang diagnostic ignored "-Wgnu-variable-sized-type-not-at-end"
#endif

/* GET_BITMAP of [iova, iova + size): the pages dirtied since the last one. */
static int container_dirty_bitmap(struct container *c, uint64_t iova, uint64_t size)
{
	__u64 bits[BITMAP_PAGES / 64] = {};
	struct {
		struct vfio_iommu_type1_dirty_bitmap h;
		struct vfio_iommu_type1_dirty_bitmap_get get;
	} a = {
		.h = { .argsz = sizeof(a), .flags = VFIO_IOMMU_DIRTY_PAGES_FLAG_GET_BITMAP },
		.get = { .iova = iova, .size = size,
			 .bitmap = { .pgsize = PAGE, .size = sizeof(bits), .data = bits } },
	};
	struct log_op *o = dirty_op(c, "VFIO_IOMMU_DIRTY_PAGES", a.h.flags);
	int ret;

	log_u64(o, "iova", iova);
	log_u64(o, "size", size);
	log_u64(o, "pgsize", PAGE);
	ret = ioctl(c->fd, VFIO_IOMMU_DIRTY_PAGES, &a);
	if (!ret)
		log_u64(o, "dirty", popcount(bits, sizeof(bits)));
	return log_end(o, ret, ret ? errno : 0);
}

/* UNMAP_DMA that also returns the range's dirty bitmap. */
static int container_unmap_dirty(struct container *c, uint64_t iova, uint64_t size)
{
	__u64 bits[BITMAP_PAGES / 64] = {};
	struct {
		struct vfio_iommu_type1_dma_unmap u;
		struct vfio_bitmap b;
	} a = {
		.u = { .argsz = sizeof(a), .flags = VFIO_DMA_UNMAP_FLAG_GET_DIRTY_BITMAP,
		       .iova = iova, .size = size },
		.b = { .pgsize = PAGE, .size = sizeof(bits), .data = bits },
	};
	struct log_op *o = dirty_op(c, "VFIO_IOMMU_UNMAP_DMA", a.u.flags);
	int ret, err;

	log_u64(o, "iova", iova);
	log_u64(o, "size", size);
	log_u64(o, "pgsize", PAGE);
	log_vmlck(o, "vmlck_kb_before");
	ret = ioctl(c->fd, VFIO_IOMMU_UNMAP_DMA, &a);
	err = ret ? errno : 0;
	log_vmlck(o, "vmlck_kb");
	if (!ret) {
		log_u64(o, "unmapped", a.u.size);
		log_u64(o, "dirty", popcount(bits, sizeof(bits)));
	}
	return log_end(o, ret, err);
}

/*
 * Two mappings; a bitmap asked for before tracking starts (refused:
 * EINVAL); START; the first mapping's bitmap; the second unmapped with its
 * bitmap; STOP; the first unmapped as usual.
 */
int scn_type1_dirty(const struct wl_env *env)
{
	const uint64_t a_iova = 0x100000, b_iova = 0x200000;
	struct buf a = {}, b = {};
	struct container c;
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (!err)
		err = buf_alloc(&a, 64 * KiB);
	if (!err)
		err = buf_alloc(&b, 16 * KiB);
	if (!err)
		err = container_map(&c, a.va, a_iova, a.size);
	if (!err)
		err = container_map(&c, b.va, b_iova, b.size);
	if (err)
		goto cleanup;
	log_expect(EINVAL);
	container_dirty_bitmap(&c, a_iova, a.size);
	err = container_dirty(&c, VFIO_IOMMU_DIRTY_PAGES_FLAG_START);
	if (!err) {
		memset(a.va, 0x5a, a.size);
		err = container_dirty_bitmap(&c, a_iova, a.size);
	}
	if (!err)
		err = container_unmap_dirty(&c, b_iova, b.size);
	if (!err)
		err = container_dirty(&c, VFIO_IOMMU_DIRTY_PAGES_FLAG_STOP);
	if (!err)
		err = container_unmap_exact(&c, a_iova, a.size);
	if (!err)
		err = container_unset(&c);
cleanup:
	container_close(&c);
	buf_free(&a);
	buf_free(&b);
	return err;
}
