// SPDX-License-Identifier: GPL-2.0
/* iommufd objects: IOAS, HWPT, and their destruction (linux/iommufd.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/ioctl.h>

#include <linux/iommufd.h>

#include "log.h"
#include "workload.h"

static struct log_op *iommufd_op(int ifd, const char *op)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", ifd);
	return o;
}

int iommufd_open(int *fd)
{
	int ret = fd_open("/dev/iommu", O_RDWR);

	if (ret < 0)
		return ret;
	*fd = ret;
	return 0;
}

int ioas_alloc(int ifd, uint32_t *ioas_id)
{
	struct iommu_ioas_alloc cmd = { .size = sizeof(cmd) };
	struct log_op *o = iommufd_op(ifd, "IOMMU_IOAS_ALLOC");
	int ret;

	ret = ioctl(ifd, IOMMU_IOAS_ALLOC, &cmd);
	if (!ret) {
		log_int(o, "ioas_id", cmd.out_ioas_id);
		*ioas_id = cmd.out_ioas_id;
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* The IOAS behind the VFIO compat container (IOMMU_VFIO_IOAS_GET). */
int ioas_vfio_get(int ifd, uint32_t *ioas_id)
{
	struct iommu_vfio_ioas cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_VFIO_IOAS_GET,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_VFIO_IOAS");
	int ret;

	log_int(o, "flags", cmd.op);
	ret = ioctl(ifd, IOMMU_VFIO_IOAS, &cmd);
	if (!ret) {
		log_int(o, "ioas_id", cmd.ioas_id);
		*ioas_id = cmd.ioas_id;
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* Logs how many usable IOVA ranges the IOAS has and their alignment. */
int ioas_iova_ranges(int ifd, uint32_t ioas_id)
{
	struct iommu_iova_range ranges[16];
	struct iommu_ioas_iova_ranges cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.num_iovas = ARRAY_SIZE(ranges),
		.allowed_iovas = (uintptr_t)ranges,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_IOAS_IOVA_RANGES");
	int ret;

	log_int(o, "ioas_id", ioas_id);
	ret = ioctl(ifd, IOMMU_IOAS_IOVA_RANGES, &cmd);
	if (!ret || errno == EMSGSIZE)
		log_int(o, "num_iovas", cmd.num_iovas);
	if (!ret) {
		log_u64(o, "iova_alignment", cmd.out_iova_alignment);
		if (cmd.num_iovas) {
			log_u64(o, "iova", ranges[0].start);
			log_u64(o, "last", ranges[0].last);
		}
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* With IOMMU_IOAS_MAP_FIXED_IOVA *iova is used, else the kernel's choice is
 * returned there. */
int ioas_map(int ifd, uint32_t ioas_id, void *va, uint64_t len, uint32_t flags,
	     uint64_t *iova)
{
	struct iommu_ioas_map cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.ioas_id = ioas_id,
		.user_va = (uintptr_t)va,
		.length = len,
		.iova = (flags & IOMMU_IOAS_MAP_FIXED_IOVA) ? *iova : 0,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_IOAS_MAP");
	int ret;

	log_int(o, "ioas_id", ioas_id);
	log_int(o, "flags", flags);
	log_u64(o, "vaddr", cmd.user_va);
	log_u64(o, "len", len);
	ret = ioctl(ifd, IOMMU_IOAS_MAP, &cmd);
	if (!ret || (flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		log_u64(o, "iova", cmd.iova);
	if (!ret)
		*iova = cmd.iova;
	return log_end(o, ret, ret ? errno : 0);
}

int ioas_copy(int ifd, uint32_t dst_ioas, uint32_t src_ioas, uint64_t src_iova,
	      uint64_t len, uint32_t flags, uint64_t *dst_iova)
{
	struct iommu_ioas_copy cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dst_ioas_id = dst_ioas,
		.src_ioas_id = src_ioas,
		.length = len,
		.dst_iova = (flags & IOMMU_IOAS_MAP_FIXED_IOVA) ? *dst_iova : 0,
		.src_iova = src_iova,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_IOAS_COPY");
	int ret;

	log_int(o, "src_ioas_id", src_ioas);
	log_int(o, "dst_ioas_id", dst_ioas);
	log_int(o, "flags", flags);
	log_u64(o, "src_iova", src_iova);
	log_u64(o, "len", len);
	ret = ioctl(ifd, IOMMU_IOAS_COPY, &cmd);
	if (!ret || (flags & IOMMU_IOAS_MAP_FIXED_IOVA))
		log_u64(o, "iova", cmd.dst_iova);
	if (!ret)
		*dst_iova = cmd.dst_iova;
	return log_end(o, ret, ret ? errno : 0);
}

/* iova 0, len UINT64_MAX unmaps everything. */
int ioas_unmap(int ifd, uint32_t ioas_id, uint64_t iova, uint64_t len,
	       uint64_t *unmapped)
{
	struct iommu_ioas_unmap cmd = {
		.size = sizeof(cmd),
		.ioas_id = ioas_id,
		.iova = iova,
		.length = len,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_IOAS_UNMAP");
	int ret;

	log_int(o, "ioas_id", ioas_id);
	log_u64(o, "iova", iova);
	log_u64(o, "len", len);
	ret = ioctl(ifd, IOMMU_IOAS_UNMAP, &cmd);
	if (!ret) {
		log_u64(o, "unmapped", cmd.length);
		if (unmapped)
			*unmapped = cmd.length;
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* A kernel-managed (paging) HWPT on pt_id for dev_id. */
int hwpt_alloc(int ifd, uint32_t dev_id, uint32_t pt_id, uint32_t flags,
	       uint32_t *hwpt_id)
{
	struct iommu_hwpt_alloc cmd = {
		.size = sizeof(cmd),
		.flags = flags,
		.dev_id = dev_id,
		.pt_id = pt_id,
		.data_type = IOMMU_HWPT_DATA_NONE,
	};
	struct log_op *o = iommufd_op(ifd, "IOMMU_HWPT_ALLOC");
	int ret;

	log_int(o, "dev_id", dev_id);
	log_int(o, "pt_id", pt_id);
	log_int(o, "flags", flags);
	ret = ioctl(ifd, IOMMU_HWPT_ALLOC, &cmd);
	if (!ret) {
		log_int(o, "hwpt_id", cmd.out_hwpt_id);
		*hwpt_id = cmd.out_hwpt_id;
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* Destroy *id unless 0, logged under key ("ioas_id", "hwpt_id"); 0 after. */
int iommufd_destroy(int ifd, uint32_t *id, const char *key)
{
	struct iommu_destroy cmd = { .size = sizeof(cmd), .id = *id };
	struct log_op *o;
	int ret;

	if (!*id || ifd < 0)
		return 0;
	o = iommufd_op(ifd, "IOMMU_DESTROY");
	log_int(o, key, *id);
	ret = ioctl(ifd, IOMMU_DESTROY, &cmd);
	ret = log_end(o, ret, ret ? errno : 0);
	if (!ret)
		*id = 0;
	return ret;
}
