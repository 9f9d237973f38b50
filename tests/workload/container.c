// SPDX-License-Identifier: GPL-2.0
/*
 * A VFIO container holding one group: /dev/vfio/vfio (type1), or a
 * /dev/iommu fd used as a container (iommufd's vfio_compat.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "log.h"
#include "workload.h"

void container_init(struct container *c)
{
	memset(c, 0, sizeof(*c));
	c->fd = -1;
	c->group_fd = -1;
	c->group = -1;
}

static struct log_op *container_op(struct container *c, const char *op)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", c->fd);
	return o;
}

/* key: the process's VmLck now, KiB (what type1's pinning charges) */
void log_vmlck(struct log_op *o, const char *key)
{
	int64_t kb = proc_vmlck_kb();

	if (kb >= 0)
		log_int(o, key, kb);
}

static struct log_op *group_op(struct container *c, const char *op)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", c->group_fd);
	log_int(o, "group", c->group);
	return o;
}

/* Returns the kernel's answer (0: unsupported) or -errno. */
int container_check_extension(struct container *c, int ext)
{
	struct log_op *o = container_op(c, "VFIO_CHECK_EXTENSION");
	int ret;

	log_int(o, "extension", ext);
	ret = ioctl(c->fd, VFIO_CHECK_EXTENSION, ext);
	return log_end(o, ret, ret < 0 ? errno : 0);
}

int container_open(struct container *c, const char *path)
{
	struct log_op *o;
	int ret;

	snprintf(c->path, sizeof(c->path), "%s", path);
	ret = fd_open(path, O_RDWR);
	if (ret < 0)
		return ret;
	c->fd = ret;

	o = container_op(c, "VFIO_GET_API_VERSION");
	ret = ioctl(c->fd, VFIO_GET_API_VERSION);
	ret = log_end(o, ret, ret < 0 ? errno : 0);
	if (ret < 0)
		return ret;
	if (ret != VFIO_API_VERSION)
		return log_failf("VFIO_GET_API_VERSION", EPROTO,
				 "%s: API version %d, expected %d", path, ret,
				 VFIO_API_VERSION);

	ret = container_check_extension(c, VFIO_TYPE1v2_IOMMU);
	if (ret < 0)
		return ret;
	if (!ret)
		return log_failf("VFIO_CHECK_EXTENSION", EOPNOTSUPP,
				 "%s: no VFIO_TYPE1v2_IOMMU", path);
	return 0;
}

int container_add_group(struct container *c, int group)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct log_op *o;
	int ret;

	c->group = group;
	snprintf(c->group_path, sizeof(c->group_path), "/dev/vfio/%d", group);
	ret = fd_open(c->group_path, O_RDWR);
	if (ret < 0)
		return ret;
	c->group_fd = ret;

	o = group_op(c, "VFIO_GROUP_GET_STATUS");
	ret = ioctl(c->group_fd, VFIO_GROUP_GET_STATUS, &st);
	if (!ret)
		log_int(o, "flags", st.flags);
	ret = log_end(o, ret, ret ? errno : 0);
	if (ret)
		return ret;
	if (!(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		return log_failf("VFIO_GROUP_GET_STATUS", EBUSY,
				 "group %d is not viable: bind all its devices to vfio-pci",
				 group);

	o = group_op(c, "VFIO_GROUP_SET_CONTAINER");
	log_int(o, "container_fd", c->fd);
	ret = ioctl(c->group_fd, VFIO_GROUP_SET_CONTAINER, &c->fd);
	ret = log_end(o, ret, ret ? errno : 0);
	if (!ret)
		c->attached = true;
	return ret;
}

int container_set_iommu(struct container *c, int type)
{
	struct log_op *o = container_op(c, "VFIO_SET_IOMMU");
	int ret;

	log_int(o, "type", type);
	ret = ioctl(c->fd, VFIO_SET_IOMMU, type);
	return log_end(o, ret, ret ? errno : 0);
}

int container_map(struct container *c, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va,
		.iova = iova,
		.size = size,
	};
	struct log_op *o = container_op(c, "VFIO_IOMMU_MAP_DMA");
	int ret, err;

	log_u64(o, "iova", iova);
	log_u64(o, "size", size);
	log_u64(o, "vaddr", map.vaddr);
	log_int(o, "flags", map.flags);
	log_vmlck(o, "vmlck_kb_before");
	ret = ioctl(c->fd, VFIO_IOMMU_MAP_DMA, &map);
	err = ret ? errno : 0;
	log_vmlck(o, "vmlck_kb");
	return log_end(o, ret, err);
}

int container_unmap(struct container *c, uint64_t iova, uint64_t size,
		    uint32_t flags, uint64_t *unmapped)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.flags = flags,
		.iova = iova,
		.size = size,
	};
	struct log_op *o = container_op(c, "VFIO_IOMMU_UNMAP_DMA");
	int ret, err;

	log_u64(o, "iova", iova);
	log_u64(o, "size", size);
	log_int(o, "flags", flags);
	log_vmlck(o, "vmlck_kb_before");
	ret = ioctl(c->fd, VFIO_IOMMU_UNMAP_DMA, &unmap);
	err = ret ? errno : 0;
	log_vmlck(o, "vmlck_kb");
	if (!ret) {
		log_u64(o, "unmapped", unmap.size);
		if (unmapped)
			*unmapped = unmap.size;
	}
	return log_end(o, ret, err);
}

int container_unset(struct container *c)
{
	struct log_op *o = group_op(c, "VFIO_GROUP_UNSET_CONTAINER");
	int ret;

	ret = ioctl(c->group_fd, VFIO_GROUP_UNSET_CONTAINER);
	ret = log_end(o, ret, ret ? errno : 0);
	if (!ret)
		c->attached = false;
	return ret;
}

/* Close without unsetting: the kernel tears down what is left. */
void container_close(struct container *c)
{
	fd_close(&c->group_fd, c->group_path);
	fd_close(&c->fd, c->path);
	c->attached = false;
}

/* Container at path with bdf's group in it and the type1v2 IOMMU set. */
int type1_setup(struct container *c, const char *path, const char *bdf)
{
	int group, err;

	err = pci_require_vfio(bdf);
	if (err)
		return err;
	group = pci_group(bdf);
	if (group < 0)
		return group;
	err = container_open(c, path);
	if (err)
		return err;
	err = container_add_group(c, group);
	if (err)
		return err;
	return container_set_iommu(c, VFIO_TYPE1v2_IOMMU);
}

/* Map every wl_maps entry from its own buffer. */
int container_map_table(struct container *c, struct buf *bufs)
{
	size_t i;
	int err;

	err = bufs_alloc(bufs, wl_maps, WL_NMAPS);
	if (err)
		return err;
	for (i = 0; i < WL_NMAPS; i++) {
		err = container_map(c, bufs[i].va, wl_maps[i].iova, wl_maps[i].size);
		if (err)
			return err;
	}
	return 0;
}

/* Unmap [iova, iova + size) and insist the kernel unmapped all of it. */
int container_unmap_exact(struct container *c, uint64_t iova, uint64_t size)
{
	uint64_t unmapped = 0;
	int err;

	err = container_unmap(c, iova, size, 0, &unmapped);
	if (err)
		return err;
	if (unmapped != size)
		return log_failf("VFIO_IOMMU_UNMAP_DMA", EIO,
				 "iova 0x%llx: %llu bytes unmapped, %llu asked",
				 (unsigned long long)iova, (unsigned long long)unmapped,
				 (unsigned long long)size);
	return 0;
}
