// SPDX-License-Identifier: GPL-2.0
/*
 * A VFIO device fd: from VFIO_GROUP_GET_DEVICE_FD or a /dev/vfio/devices
 * cdev. Regions are accessed with pread/pwrite at the offsets the kernel
 * reports, never mmap: a mmapped BAR keeps VFIO_GROUP_UNSET_CONTAINER busy.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/pci_regs.h>

#include "log.h"
#include "workload.h"

void vdev_init(struct vdev *d, const char *bdf)
{
	memset(d, 0, sizeof(*d));
	snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
	d->fd = -1;
}

static struct log_op *vdev_op(struct vdev *d, const char *op)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", d->fd);
	log_str(o, "bdf", d->bdf);
	return o;
}

int vdev_from_group(struct vdev *d, int group_fd, int group)
{
	struct log_op *o = log_begin_ioctl(VFIO_GROUP_GET_DEVICE_FD);
	int fd;

	log_int(o, "fd", group_fd);
	log_int(o, "group", group);
	log_str(o, "bdf", d->bdf);
	fd = ioctl(group_fd, VFIO_GROUP_GET_DEVICE_FD, d->bdf);
	fd = log_end(o, fd, fd < 0 ? errno : 0);
	if (fd < 0)
		return fd;
	d->fd = fd;
	return 0;
}

int vdev_open_cdev(struct vdev *d)
{
	char path[PATH_LEN];
	int fd, err;

	err = pci_cdev_path(d->bdf, path);
	if (err)
		return err;
	fd = fd_open(path, O_RDWR);
	if (fd < 0)
		return fd;
	d->fd = fd;
	return 0;
}

int vdev_info(struct vdev *d)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };
	struct log_op *o = vdev_op(d, "VFIO_DEVICE_GET_INFO");
	int ret;

	ret = ioctl(d->fd, VFIO_DEVICE_GET_INFO, &info);
	if (!ret) {
		log_int(o, "flags", info.flags);
		log_int(o, "num_regions", info.num_regions);
		log_int(o, "num_irqs", info.num_irqs);
	}
	return log_end(o, ret, ret ? errno : 0);
}

static int region_info(struct vdev *d, uint32_t index, struct vfio_region_info *r)
{
	struct log_op *o = vdev_op(d, "VFIO_DEVICE_GET_REGION_INFO");
	int ret;

	memset(r, 0, sizeof(*r));
	r->argsz = sizeof(*r);
	r->index = index;
	log_int(o, "index", index);
	ret = ioctl(d->fd, VFIO_DEVICE_GET_REGION_INFO, r);
	if (!ret) {
		log_u64(o, "size", r->size);
		log_u64(o, "offset", r->offset);
		log_int(o, "flags", r->flags);
	}
	return log_end(o, ret, ret ? errno : 0);
}

int vdev_regions(struct vdev *d)
{
	int err;

	err = region_info(d, VFIO_PCI_CONFIG_REGION_INDEX, &d->cfg);
	if (err)
		return err;
	return region_info(d, VFIO_PCI_BAR0_REGION_INDEX, &d->bar0);
}

static int cfg_rw(struct vdev *d, bool write, uint64_t off, void *buf, size_t len)
{
	struct log_op *o = vdev_op(d, write ? "pwrite" : "pread");
	ssize_t n;
	int err = 0;

	log_str(o, "region", "config");
	log_u64(o, "offset", off);
	log_u64(o, "len", len);
	if (!d->cfg.size) {
		n = -1;
		err = ENXIO;	/* vdev_regions() first */
	} else {
		n = write ? pwrite(d->fd, buf, len, d->cfg.offset + off)
			  : pread(d->fd, buf, len, d->cfg.offset + off);
		if (n < 0)
			err = errno;
		else if ((size_t)n != len)
			err = EIO;
	}
	if (!err && (len == 1 || len == 2 || len == 4))
		log_u64(o, "value", len == 1 ? *(uint8_t *)buf :
				    len == 2 ? *(uint16_t *)buf : *(uint32_t *)buf);
	return log_end(o, n, err) < 0 ? -err : 0;
}

int vdev_cfg_read(struct vdev *d, uint64_t off, void *buf, size_t len)
{
	return cfg_rw(d, false, off, buf, len);
}

int vdev_cfg_write(struct vdev *d, uint64_t off, const void *buf, size_t len)
{
	return cfg_rw(d, true, off, (void *)buf, len);
}

/* Memory decode (BAR access) and bus mastering (DMA) on. */
int vdev_enable_dma(struct vdev *d)
{
	uint16_t cmd;
	int err;

	err = vdev_cfg_read(d, PCI_COMMAND, &cmd, sizeof(cmd));
	if (err)
		return err;
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	return vdev_cfg_write(d, PCI_COMMAND, &cmd, sizeof(cmd));
}

/* BAR0 MMIO, not logged (edu_dma logs the transfer as a whole). */
int vdev_bar0_read32(struct vdev *d, uint64_t off, uint32_t *v)
{
	ssize_t n = pread(d->fd, v, sizeof(*v), d->bar0.offset + off);

	if (n < 0)
		return -errno;
	return n == sizeof(*v) ? 0 : -EIO;
}

int vdev_bar0_write32(struct vdev *d, uint64_t off, uint32_t v)
{
	ssize_t n = pwrite(d->fd, &v, sizeof(v), d->bar0.offset + off);

	if (n < 0)
		return -errno;
	return n == sizeof(v) ? 0 : -EIO;
}

int vdev_bind_iommufd(struct vdev *d, int iommufd)
{
	struct vfio_device_bind_iommufd bind = {
		.argsz = sizeof(bind),
		.iommufd = iommufd,
	};
	struct log_op *o = vdev_op(d, "VFIO_DEVICE_BIND_IOMMUFD");
	int ret;

	log_int(o, "iommufd", iommufd);
	ret = ioctl(d->fd, VFIO_DEVICE_BIND_IOMMUFD, &bind);
	if (!ret) {
		d->dev_id = bind.out_devid;
		log_int(o, "dev_id", bind.out_devid);
	}
	return log_end(o, ret, ret ? errno : 0);
}

/* Attach to pt_id (an IOAS or a HWPT); a replace when attached already. */
int vdev_attach(struct vdev *d, uint32_t pt_id, uint32_t *hwpt_id)
{
	struct vfio_device_attach_iommufd_pt at = {
		.argsz = sizeof(at),
		.pt_id = pt_id,
	};
	struct log_op *o = vdev_op(d, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	int ret;

	log_int(o, "dev_id", d->dev_id);
	log_int(o, "pt_id", pt_id);
	log_bool(o, "replace", d->pt_id != 0);
	ret = ioctl(d->fd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &at);
	if (!ret) {
		log_int(o, "hwpt_id", at.pt_id);
		d->pt_id = pt_id;
		if (hwpt_id)
			*hwpt_id = at.pt_id;
	}
	return log_end(o, ret, ret ? errno : 0);
}

int vdev_detach(struct vdev *d)
{
	struct vfio_device_detach_iommufd_pt de = { .argsz = sizeof(de) };
	struct log_op *o = vdev_op(d, "VFIO_DEVICE_DETACH_IOMMUFD_PT");
	int ret;

	log_int(o, "dev_id", d->dev_id);
	log_int(o, "pt_id", d->pt_id);
	ret = ioctl(d->fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
	if (!ret)
		d->pt_id = 0;
	return log_end(o, ret, ret ? errno : 0);
}

void vdev_close(struct vdev *d)
{
	struct log_op *o;
	int ret;

	if (d->fd < 0)
		return;
	o = vdev_op(d, "close");
	ret = close(d->fd);
	log_end(o, ret, ret ? errno : 0);
	d->fd = -1;
	d->pt_id = 0;
	d->dev_id = 0;
}
