// SPDX-License-Identifier: GPL-2.0
/* Scenarios on the VFIO type1 container (/dev/vfio/vfio). */
#include <errno.h>

#include "log.h"
#include "workload.h"

#define VFIO_CONTAINER "/dev/vfio/vfio"

int scn_type1_map(const struct wl_env *env)
{
	struct buf bufs[WL_NMAPS] = {};
	struct container c;
	size_t i;
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = container_map_table(&c, bufs);
	if (err)
		goto cleanup;
	for (i = 0; i < WL_NMAPS; i++) {
		err = container_unmap_exact(&c, wl_maps[i].iova, wl_maps[i].size);
		if (err)
			goto cleanup;
	}
	err = container_unset(&c);
cleanup:
	container_close(&c);
	bufs_free(bufs, WL_NMAPS);
	return err;
}

/*
 * 16 x 4 KiB maps unmapped as 2 x 32 KiB: type1v2 unmaps whole mappings
 * covered by the range. Then the opposite, provoked: half of one 64 KiB
 * mapping, which type1v2 refuses (EINVAL), before unmapping it whole.
 */
int scn_type1_unmap_parts(const struct wl_env *env)
{
	const uint64_t base = 0x100000, whole = 0x200000, page = 4 * KiB;
	struct buf parts = {}, single = {};
	struct container c;
	uint64_t unmapped;
	unsigned int i;
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = buf_alloc(&parts, 64 * KiB);
	if (err)
		goto cleanup;
	for (i = 0; i < 16; i++) {
		err = container_map(&c, (char *)parts.va + i * page, base + i * page, page);
		if (err)
			goto cleanup;
	}
	for (i = 0; i < 2; i++) {
		err = container_unmap(&c, base + i * 32 * KiB, 32 * KiB, 0, &unmapped);
		if (err)
			goto cleanup;
	}

	err = buf_alloc(&single, 64 * KiB);
	if (err)
		goto cleanup;
	err = container_map(&c, single.va, whole, 64 * KiB);
	if (err)
		goto cleanup;
	log_expect(EINVAL);
	container_unmap(&c, whole, 32 * KiB, 0, &unmapped);
	err = container_unmap_exact(&c, whole, 64 * KiB);
	if (err)
		goto cleanup;
	err = container_unset(&c);
cleanup:
	container_close(&c);
	buf_free(&parts);
	buf_free(&single);
	return err;
}

int scn_type1_unmap_all(const struct wl_env *env)
{
	struct buf bufs[WL_NMAPS] = {};
	uint64_t unmapped = 0, total = 0;
	struct container c;
	size_t i;
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = container_check_extension(&c, VFIO_UNMAP_ALL);
	if (err <= 0) {
		err = err ? err : log_failf("VFIO_CHECK_EXTENSION", EOPNOTSUPP,
					    "no VFIO_UNMAP_ALL");
		goto cleanup;
	}
	err = container_map_table(&c, bufs);
	if (err)
		goto cleanup;
	for (i = 0; i < WL_NMAPS; i++)
		total += wl_maps[i].size;
	err = container_unmap(&c, 0, 0, VFIO_DMA_UNMAP_FLAG_ALL, &unmapped);
	if (err)
		goto cleanup;
	if (unmapped != total) {
		err = log_failf("VFIO_IOMMU_UNMAP_DMA", EIO,
				"unmap all: %llu bytes unmapped, %llu mapped",
				(unsigned long long)unmapped, (unsigned long long)total);
		goto cleanup;
	}
	err = container_unset(&c);
cleanup:
	container_close(&c);
	bufs_free(bufs, WL_NMAPS);
	return err;
}

/* Maps left in place: closing the group and container fds tears them down. */
int scn_type1_close_mapped(const struct wl_env *env)
{
	struct buf bufs[WL_NMAPS] = {};
	struct container c;
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = container_map_table(&c, bufs);
cleanup:
	container_close(&c);
	bufs_free(bufs, WL_NMAPS);
	return err;
}

/* The e1000 pair's shared group: both device fds from one group fd. */
int scn_type1_group_pair(const struct wl_env *env)
{
	const uint64_t iova = 0x100000, size = 64 * KiB;
	struct vdev devs[2];
	struct container c;
	struct buf b = {};
	int err, group;
	size_t i;

	container_init(&c);
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		vdev_init(&devs[i], env->pair[i]);
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		err = wl_need(env->pair[i], "e1000");
		if (!err)
			err = pci_require_vfio(env->pair[i]);
		if (err)
			goto cleanup;
	}
	group = pci_group(env->pair[1]);
	if (group < 0) {
		err = group;
		goto cleanup;
	}
	err = type1_setup(&c, VFIO_CONTAINER, env->pair[0]);
	if (err)
		goto cleanup;
	if (group != c.group) {
		err = log_failf("iommu_group", EINVAL, "%s is in group %d, %s in %d",
				env->pair[0], c.group, env->pair[1], group);
		goto cleanup;
	}
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		err = vdev_from_group(&devs[i], c.group_fd, c.group);
		if (!err)
			err = vdev_info(&devs[i]);
		if (err)
			goto cleanup;
	}
	err = buf_alloc(&b, size);
	if (!err)
		err = container_map(&c, b.va, iova, size);
	if (!err)
		err = container_unmap_exact(&c, iova, size);
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		vdev_close(&devs[i]);
	if (!err)
		err = container_unset(&c);
cleanup:
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		vdev_close(&devs[i]);
	container_close(&c);
	buf_free(&b);
	return err;
}

/* edu DMA: A -> edu -> B through the container's mappings, verified. */
int scn_type1_edu_dma(const struct wl_env *env)
{
	const uint64_t a_iova = 0x100000, b_iova = 0x200000;
	struct buf a = {}, b = {};
	struct container c;
	struct vdev d;
	int err;

	container_init(&c);
	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = vdev_from_group(&d, c.group_fd, c.group);
	if (err)
		goto cleanup;
	err = edu_probe(&d);
	if (err)
		goto cleanup;
	err = buf_alloc(&a, 4 * KiB);
	if (!err)
		err = buf_alloc(&b, 4 * KiB);
	if (!err)
		err = container_map(&c, a.va, a_iova, a.size);
	if (!err)
		err = container_map(&c, b.va, b_iova, b.size);
	if (err)
		goto cleanup;
	err = edu_round_trip(&d, &a, a_iova, &b, b_iova, EDU_DMA_LEN);
	if (err)
		goto cleanup;
	err = container_unmap_exact(&c, a_iova, a.size);
	if (!err)
		err = container_unmap_exact(&c, b_iova, b.size);
	vdev_close(&d);
	if (!err)
		err = container_unset(&c);
cleanup:
	vdev_close(&d);
	container_close(&c);
	buf_free(&a);
	buf_free(&b);
	return err;
}

/*
 * A DMA the IOMMU must block: edu reads at an IOVA below its 28-bit limit
 * that the container never mapped, beside the one buffer it did map. The
 * guest's DMAR driver logs "[DMA Read ...] Request device [..] fault addr
 * 0xbad0000"; no data may arrive. Then unmap and close as usual.
 */
int scn_type1_edu_fault(const struct wl_env *env)
{
	const uint64_t dst_iova = 0x200000, fault_iova = 0x0bad0000;
	struct buf dst = {};
	struct container c;
	struct vdev d;
	int err;

	container_init(&c);
	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (!err)
		err = vdev_from_group(&d, c.group_fd, c.group);
	if (!err)
		err = edu_probe(&d);
	if (!err)
		err = buf_alloc(&dst, 4 * KiB);
	if (!err)
		err = container_map(&c, dst.va, dst_iova, dst.size);
	if (err)
		goto cleanup;
	err = edu_dma_unmapped(&d, fault_iova, &dst, dst_iova, EDU_DMA_LEN);
	if (err)
		goto cleanup;
	err = container_unmap_exact(&c, dst_iova, dst.size);
	vdev_close(&d);
	if (!err)
		err = container_unset(&c);
cleanup:
	vdev_close(&d);
	container_close(&c);
	buf_free(&dst);
	return err;
}

/*
 * A MAP_DMA into the MSI window (0xfee00000-0xfeefffff on x86), which type1
 * refuses (EINVAL: the IOVA is a reserved region of the group), then a
 * valid map just below it, unmapped again.
 */
int scn_type1_map_reserved(const struct wl_env *env)
{
	const uint64_t msi = 0xfee00000, below = 0xfed00000;
	struct container c;
	struct buf b = {};
	int err;

	container_init(&c);
	err = wl_need(env->edu, "edu");
	if (err)
		goto cleanup;
	err = type1_setup(&c, VFIO_CONTAINER, env->edu);
	if (err)
		goto cleanup;
	err = buf_alloc(&b, 64 * KiB);
	if (err)
		goto cleanup;
	log_expect(EINVAL);
	container_map(&c, b.va, msi, 64 * KiB);
	err = container_map(&c, b.va, below, 64 * KiB);
	if (err)
		goto cleanup;
	err = container_unmap_exact(&c, below, 64 * KiB);
	if (err)
		goto cleanup;
	err = container_unset(&c);
cleanup:
	container_close(&c);
	buf_free(&b);
	return err;
}
