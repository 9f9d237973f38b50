// SPDX-License-Identifier: GPL-2.0
/*
 * Scenarios on iommufd (/dev/iommu): VFIO device cdevs bound to it, IOAS and
 * HWPT objects, and the VFIO compat container it serves. main.c skips them
 * when /dev/iommu does not exist.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <linux/iommufd.h>
#include <linux/pci_regs.h>

#include "iommufd_test.h"
#include "log.h"
#include "workload.h"

#define MAP_RW (IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE)
#define MAP_FIXED_RW (IOMMU_IOAS_MAP_FIXED_IOVA | MAP_RW)

/* Open bdf's cdev and bind it to ifd. */
static int cdev_bind(struct vdev *d, int ifd)
{
	int err;

	err = pci_require_vfio(d->bdf);
	if (!err)
		err = vdev_open_cdev(d);
	if (!err)
		err = vdev_bind_iommufd(d, ifd);
	return err;
}

static int ioas_unmap_exact(int ifd, uint32_t ioas, uint64_t iova, uint64_t len)
{
	uint64_t unmapped = 0;
	int err;

	err = ioas_unmap(ifd, ioas, iova, len, &unmapped);
	if (err)
		return err;
	if (unmapped != len)
		return log_failf("IOMMU_IOAS_UNMAP", EIO,
				 "iova 0x%llx: %llu bytes unmapped, %llu asked",
				 (unsigned long long)iova, (unsigned long long)unmapped,
				 (unsigned long long)len);
	return 0;
}

/*
 * IOAS, bind, attach, fixed and kernel-chosen maps, copy into a second
 * IOAS, unmaps, a HWPT of our own and a replace onto it, detach, destroy.
 */
int scn_iommufd_basic(const struct wl_env *env)
{
	const uint64_t copy_iova = 0x02000000;
	uint32_t ioas = 0, ioas2 = 0, hwpt = 0, auto_hwpt = 0;
	struct buf bufs[WL_NMAPS] = {}, extra = {};
	uint64_t iova, unmapped;
	int ifd = -1, err;
	struct vdev d;
	size_t i;

	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = iommufd_open(&ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = cdev_bind(&d, ifd);
	if (!err)
		err = vdev_attach(&d, ioas, &auto_hwpt);
	if (!err)
		err = ioas_iova_ranges(ifd, ioas);
	if (!err)
		err = bufs_alloc(bufs, wl_maps, WL_NMAPS);
	if (err)
		goto cleanup;
	for (i = 0; i < WL_NMAPS; i++) {
		iova = wl_maps[i].iova;
		err = ioas_map(ifd, ioas, bufs[i].va, bufs[i].size, MAP_FIXED_RW, &iova);
		if (err)
			goto cleanup;
	}
	err = buf_alloc(&extra, 64 * KiB);
	if (!err)	/* the kernel picks the IOVA */
		err = ioas_map(ifd, ioas, extra.va, extra.size, MAP_RW, &iova);
	if (err)
		goto cleanup;

	/* the 64 KiB mapping, shared into a second IOAS */
	err = ioas_alloc(ifd, &ioas2);
	if (err)
		goto cleanup;
	iova = copy_iova;
	err = ioas_copy(ifd, ioas2, ioas, wl_maps[1].iova, wl_maps[1].size,
			MAP_FIXED_RW, &iova);
	if (!err)
		err = ioas_unmap_exact(ifd, ioas2, copy_iova, wl_maps[1].size);
	if (!err)
		err = ioas_unmap_exact(ifd, ioas, wl_maps[0].iova, wl_maps[0].size);
	if (err)
		goto cleanup;

	/* our own paging HWPT on the IOAS; attaching to it replaces the
	 * automatic one */
	err = hwpt_alloc(ifd, d.dev_id, ioas, 0, &hwpt);
	if (!err)
		err = vdev_attach(&d, hwpt, NULL);
	if (!err)	/* everything left: 0 .. UINT64_MAX */
		err = ioas_unmap(ifd, ioas, 0, UINT64_MAX, &unmapped);
	if (!err)
		err = vdev_detach(&d);
	if (!err)
		err = iommufd_destroy(ifd, &hwpt, "hwpt_id");
	if (!err)
		err = iommufd_destroy(ifd, &ioas2, "ioas_id");
	if (!err)
		err = iommufd_destroy(ifd, &ioas, "ioas_id");
cleanup:
	vdev_close(&d);
	fd_close(&ifd, "/dev/iommu");
	bufs_free(bufs, WL_NMAPS);
	buf_free(&extra);
	return err;
}

/*
 * Two devices of one group on HWPT A; replacing only the first onto B moves
 * the whole group (the attachment is per group), while the second device's
 * VFIO fd still records A as its pt. The second keeps working.
 */
int scn_iommufd_group_replace(const struct wl_env *env)
{
	uint32_t ioas = 0, hwpt_a = 0, hwpt_b = 0, a_id;
	struct vdev devs[2];
	struct log_op *o;
	struct buf b = {};
	int ifd = -1, err = 0;
	uint64_t iova;
	uint16_t vendor;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(devs); i++)
		vdev_init(&devs[i], env->pair[i]);
	for (i = 0; i < ARRAY_SIZE(devs) && !err; i++)
		err = wl_need(env->pair[i], "e1000");
	if (!err)
		err = iommufd_open(&ifd);
	for (i = 0; i < ARRAY_SIZE(devs) && !err; i++)
		err = cdev_bind(&devs[i], ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = hwpt_alloc(ifd, devs[0].dev_id, ioas, 0, &hwpt_a);
	if (!err)
		err = hwpt_alloc(ifd, devs[0].dev_id, ioas, 0, &hwpt_b);
	for (i = 0; i < ARRAY_SIZE(devs) && !err; i++)
		err = vdev_attach(&devs[i], hwpt_a, NULL);
	if (!err)	/* the replace, on the first device only */
		err = vdev_attach(&devs[0], hwpt_b, NULL);
	if (err)
		goto cleanup;

	o = log_begin("device_state");
	log_str(o, "bdf", devs[1].bdf);
	log_int(o, "fd", devs[1].fd);
	log_int(o, "dev_id", devs[1].dev_id);
	log_int(o, "pt_id", devs[1].pt_id);
	log_int(o, "group_hwpt_id", hwpt_b);
	log_end(o, 0, 0);

	/* the second device in use: DMA space changes and config space */
	iova = 0x100000;
	err = buf_alloc(&b, 64 * KiB);
	if (!err)
		err = ioas_map(ifd, ioas, b.va, b.size, MAP_FIXED_RW, &iova);
	if (!err)
		err = ioas_unmap_exact(ifd, ioas, iova, b.size);
	if (!err)
		err = vdev_regions(&devs[1]);
	if (!err)
		err = vdev_cfg_read(&devs[1], PCI_VENDOR_ID, &vendor, sizeof(vendor));
	if (err)
		goto cleanup;

	/* A's users moved to B with the group: A can go while the second
	 * device still names it. Not required: if the kernel says busy, A is
	 * destroyed again after the detach. */
	a_id = hwpt_a;
	iommufd_destroy(ifd, &hwpt_a, "hwpt_id");
	log_fail_reset();
	o = log_begin("device_state");
	log_str(o, "bdf", devs[1].bdf);
	log_int(o, "fd", devs[1].fd);
	log_int(o, "dev_id", devs[1].dev_id);
	log_int(o, "pt_id", devs[1].pt_id);
	log_bool(o, "pt_destroyed", hwpt_a == 0 && a_id);
	log_end(o, 0, 0);

	for (i = 0; i < ARRAY_SIZE(devs) && !err; i++)
		err = vdev_detach(&devs[i]);
	if (!err)
		err = iommufd_destroy(ifd, &hwpt_a, "hwpt_id");
	if (!err)
		err = iommufd_destroy(ifd, &hwpt_b, "hwpt_id");
	if (!err)
		err = iommufd_destroy(ifd, &ioas, "ioas_id");
cleanup:
	for (i = 0; i < ARRAY_SIZE(devs); i++)
		vdev_close(&devs[i]);
	fd_close(&ifd, "/dev/iommu");
	buf_free(&b);
	return err;
}

/* edu DMA: A -> edu -> B through IOAS mappings at fixed IOVAs, verified. */
int scn_iommufd_edu_dma(const struct wl_env *env)
{
	const uint64_t a_iova = 0x100000, b_iova = 0x200000;
	struct buf a = {}, b = {};
	uint32_t ioas = 0;
	int ifd = -1, err;
	struct vdev d;
	uint64_t iova;

	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = iommufd_open(&ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = cdev_bind(&d, ifd);
	if (!err)
		err = vdev_attach(&d, ioas, NULL);
	if (!err)
		err = edu_probe(&d);
	if (!err)
		err = buf_alloc(&a, 4 * KiB);
	if (!err)
		err = buf_alloc(&b, 4 * KiB);
	if (err)
		goto cleanup;
	iova = a_iova;
	err = ioas_map(ifd, ioas, a.va, a.size, MAP_FIXED_RW, &iova);
	if (err)
		goto cleanup;
	iova = b_iova;
	err = ioas_map(ifd, ioas, b.va, b.size, MAP_FIXED_RW, &iova);
	if (!err)
		err = edu_round_trip(&d, &a, a_iova, &b, b_iova, EDU_DMA_LEN);
	if (!err)
		err = ioas_unmap_exact(ifd, ioas, a_iova, a.size);
	if (!err)
		err = ioas_unmap_exact(ifd, ioas, b_iova, b.size);
	if (!err)
		err = vdev_detach(&d);
	if (!err)
		err = iommufd_destroy(ifd, &ioas, "ioas_id");
cleanup:
	vdev_close(&d);
	fd_close(&ifd, "/dev/iommu");
	buf_free(&a);
	buf_free(&b);
	return err;
}

/* /dev/iommu as a VFIO container: type1v2 ioctls served by vfio_compat.c. */
int scn_iommufd_compat(const struct wl_env *env)
{
	struct buf bufs[WL_NMAPS] = {};
	struct container c;
	uint32_t ioas = 0;
	struct vdev d;
	size_t i;
	int err;

	container_init(&c);
	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = type1_setup(&c, "/dev/iommu", env->edu);
	if (!err)	/* the IOAS that SET_CONTAINER made */
		err = ioas_vfio_get(c.fd, &ioas);
	if (!err)	/* the device fd attaches the group to the compat IOAS */
		err = vdev_from_group(&d, c.group_fd, c.group);
	if (!err)
		err = container_map_table(&c, bufs);
	if (err)
		goto cleanup;
	for (i = 0; i < WL_NMAPS; i++) {
		err = container_unmap_exact(&c, wl_maps[i].iova, wl_maps[i].size);
		if (err)
			goto cleanup;
	}
	vdev_close(&d);
	err = container_unset(&c);
cleanup:
	vdev_close(&d);
	container_close(&c);
	bufs_free(bufs, WL_NMAPS);
	return err;
}

/* The kernel must say that pasid is (want) or is not (!want) on hwpt_id
 * (0: attached to nothing). */
static int pasid_expect(struct mock_dev *m, uint32_t pasid, uint32_t hwpt_id, bool want,
			const char *when)
{
	int ret = mock_pasid_check(m, pasid, hwpt_id, want);

	if (ret < 0)
		return ret;
	if (ret == want)
		return 0;
	return log_failf("IOMMU_TEST_OP_PASID_CHECK_HWPT", want ? EINVAL : EEXIST,
			 "%s, the kernel says pasid %u is %son hwpt %u", when, pasid,
			 want ? "not " : "", hwpt_id);
}

/*
 * PASID attach, replace and detach through an IOMMUFD_TEST mock device
 * (the kernel's selftests' way; no PASID hardware needed). A PASID can
 * only go to a HWPT allocated with IOMMU_HWPT_ALLOC_PASID while the RID
 * sits on one too, so the RID moves from its automatic HWPT to A first.
 * Skipped when the kernel has no mock (ENOTTY) or no PASID test ops
 * (EOPNOTSUPP).
 */
int scn_iommufd_pasid(const struct wl_env *env)
{
	const uint32_t pasid = 100;
	uint32_t ioas = 0, hwpt_a = 0, hwpt_b = 0, stdev = 0;
	const struct log_fail *f;
	struct mock_dev m = {};
	bool attached = false;
	int ifd = -1, err;

	(void)env;
	err = iommufd_open(&ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = mock_dev_create(&m, ifd, ioas, MOCK_FLAGS_DEVICE_PASID);
	if (err)
		goto cleanup;
	stdev = m.stdev_id;
	err = hwpt_alloc(ifd, m.dev_id, ioas, IOMMU_HWPT_ALLOC_PASID, &hwpt_a);
	if (!err)
		err = hwpt_alloc(ifd, m.dev_id, ioas, IOMMU_HWPT_ALLOC_PASID, &hwpt_b);
	if (!err)
		err = mock_dev_replace(&m, hwpt_a);
	if (!err)
		err = mock_pasid_attach(&m, pasid, hwpt_a);
	if (err)
		goto cleanup;
	attached = true;
	err = mock_pasid_replace(&m, pasid, hwpt_b);
	if (!err)
		err = pasid_expect(&m, pasid, hwpt_b, true, "after the replace");
	if (!err)
		err = pasid_expect(&m, pasid, hwpt_a, false, "after the replace");
	if (!err)
		err = mock_pasid_detach(&m, pasid);
	if (err)
		goto cleanup;
	attached = false;
	err = pasid_expect(&m, pasid, 0, true, "after the detach");
	/* the mock device goes with its object: RID detached, unbound */
	if (!err)
		err = iommufd_destroy(ifd, &stdev, "stdev_id");
	if (!err)
		err = iommufd_destroy(ifd, &hwpt_a, "hwpt_id");
	if (!err)
		err = iommufd_destroy(ifd, &hwpt_b, "hwpt_id");
	if (!err)
		err = iommufd_destroy(ifd, &ioas, "ioas_id");
cleanup:
	f = log_last_fail();
	if ((err == -ENOTTY || err == -EOPNOTSUPP) && f && !strncmp(f->op, "IOMMU_TEST_OP_", 14))
		err = wl_skip("%s: %s (kernel without the IOMMUFD_TEST mock or its PASID ops)",
			      f->op, strerror(-err));
	if (attached)
		mock_pasid_detach(&m, pasid);
	iommufd_destroy(ifd, &stdev, "stdev_id");
	iommufd_destroy(ifd, &hwpt_a, "hwpt_id");
	iommufd_destroy(ifd, &hwpt_b, "hwpt_id");
	iommufd_destroy(ifd, &ioas, "ioas_id");
	fd_close(&ifd, "/dev/iommu");
	return err;
}
