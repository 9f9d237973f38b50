// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO and iommufd ioctls: the command table and the decoding of a raw
 * argument. Layouts come from the uapi headers in vmlinux/uapi (offsetof,
 * sizeof), never from hand-written numbers.
 */
#include <stdio.h>
#include <string.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "event/ioctl.h"
#include "lib/util.h"

#define offsetofend(T, f) (offsetof(T, f) + sizeof(((T *)0)->f))

/* The iommufd selftest's command (drivers/iommu/iommufd/iommufd_test.h, not uapi). */
#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

#define L(x) (1u << ITR_LAYER_##x)
/* VFIO container ioctls: /dev/vfio/vfio, and /dev/iommu's VFIO compatibility. */
#define CONTAINER (L(VFIO_CONTAINER) | L(IOMMUFD))

/* A field of struct T: name, offset, size, direction, text format and label. */
#define F(T, f, dir, fmt, label)						\
	{ #f, offsetof(T, f), sizeof(((T *)0)->f), IOCTL_##dir, IOCTL_FMT_##fmt, IOR_NONE, label, 0 }
/* ... with a role in the typed view (enum ioctl_role) */
#define FR(T, f, dir, fmt, label, role)						\
	{ #f, offsetof(T, f), sizeof(((T *)0)->f), IOCTL_##dir, IOCTL_FMT_##fmt, IOR_##role, label, 0 }
/* ... present only when the argument's flags have the bits `when` */
#define FW(T, f, dir, fmt, label, role, when)					\
	{ #f, offsetof(T, f), sizeof(((T *)0)->f), IOCTL_##dir, IOCTL_FMT_##fmt, IOR_##role, label, when }
#define FIELDS(...) ((const struct ioctl_field[]){ __VA_ARGS__, { NULL, 0, 0, 0, 0, 0, NULL, 0 } })

/* A row whose argument is struct T, which the kernel wants at least up to minf. */
#define S(c, layers, T, minf, ...)						\
	{ c, layers, #c, IOCTL_ARG_STRUCT, sizeof(T), offsetofend(T, minf), IOP_NONE, 0, __VA_ARGS__ }
/* ... that the model acts on: op (enum ioctl_op) qualified by the flag op_flag */
#define SO(c, layers, T, minf, op, op_flag, ...)					\
	{ c, layers, #c, IOCTL_ARG_STRUCT, sizeof(T), offsetofend(T, minf), IOP_##op, op_flag, __VA_ARGS__ }
/* A row of another argument kind (names only, or the one value it points to). */
#define A(c, layers, arg, fields)						\
	{ c, layers, #c, IOCTL_ARG_##arg, 0, 0, IOP_NONE, 0, fields }

typedef struct vfio_group_status group_status;
typedef struct vfio_device_info dev_info;
typedef struct vfio_region_info region_info;
typedef struct vfio_irq_info irq_info;
typedef struct vfio_irq_set irq_set;
typedef struct vfio_device_feature dev_feature;
typedef struct vfio_device_bind_iommufd bind;
typedef struct vfio_device_attach_iommufd_pt attach_pt;
typedef struct vfio_device_detach_iommufd_pt detach_pt;
typedef struct vfio_iommu_type1_info type1_info;
typedef struct vfio_iommu_type1_dma_map dma_map;
typedef struct vfio_iommu_type1_dma_unmap dma_unmap;
typedef struct vfio_iommu_type1_dirty_bitmap dirty;
typedef struct iommu_destroy destroy;
typedef struct iommu_ioas_alloc ioas_alloc;
typedef struct iommu_ioas_allow_iovas allow_iovas;
typedef struct iommu_ioas_copy ioas_copy;
typedef struct iommu_ioas_iova_ranges iova_ranges;
typedef struct iommu_ioas_map ioas_map;
typedef struct iommu_ioas_unmap ioas_unmap;
typedef struct iommu_option option;
typedef struct iommu_vfio_ioas vfio_ioas;
typedef struct iommu_hwpt_alloc hwpt_alloc;
typedef struct iommu_hw_info hw_info;
typedef struct iommu_hwpt_set_dirty_tracking dirty_tracking;
typedef struct iommu_hwpt_get_dirty_bitmap dirty_bitmap;
typedef struct iommu_hwpt_invalidate invalidate;
typedef struct iommu_fault_alloc fault_alloc;
typedef struct iommu_ioas_map_file map_file;
typedef struct iommu_viommu_alloc viommu_alloc;
typedef struct iommu_vdevice_alloc vdevice_alloc;
typedef struct iommu_ioas_change_process change_process;

/* VFIO_GROUP_SET_CONTAINER: the argument points to the container's fd. */
static const struct ioctl_field container_fd[] = {
	{ "container_fd", 0, 4, IOCTL_IN, IOCTL_FMT_SDEC, IOR_CONTAINER_FD, "container", 0 },
	{ NULL, 0, 0, 0, 0, 0, NULL, 0 },
};

/*
 * Sorted by cmd (VFIO's ';' 100.. then iommufd's ';' 0x80..), then by
 * layers: VFIO numbers 112-117 mean one thing on a device, another on a
 * container.
 */
const struct ioctl_desc ioctl_table[] = {
	A(VFIO_GET_API_VERSION, CONTAINER, NONE, NULL),
	A(VFIO_CHECK_EXTENSION, CONTAINER, VALUE, NULL),
	A(VFIO_SET_IOMMU, CONTAINER, VALUE, NULL),
	S(VFIO_GROUP_GET_STATUS, L(VFIO_GROUP), group_status, flags, FIELDS(
		F(group_status, argsz, IN, DEC, NULL),
		F(group_status, flags, OUT, HEX, "flags"))),
	A(VFIO_GROUP_SET_CONTAINER, L(VFIO_GROUP), INT, container_fd),
	A(VFIO_GROUP_UNSET_CONTAINER, L(VFIO_GROUP), NONE, NULL),
	A(VFIO_GROUP_GET_DEVICE_FD, L(VFIO_GROUP), STRING, NULL),
	S(VFIO_DEVICE_GET_INFO, L(VFIO_DEVICE), dev_info, num_irqs, FIELDS(
		F(dev_info, argsz, IN, DEC, NULL),
		F(dev_info, flags, OUT, HEX, "flags"),
		F(dev_info, num_regions, OUT, DEC, "regions"),
		F(dev_info, num_irqs, OUT, DEC, "irqs"))),
	S(VFIO_DEVICE_GET_REGION_INFO, L(VFIO_DEVICE), region_info, offset, FIELDS(
		F(region_info, argsz, IN, DEC, NULL),
		F(region_info, flags, OUT, HEX, NULL),
		F(region_info, index, IN, DEC, "index"),
		F(region_info, size, OUT, SIZE, ""),
		F(region_info, offset, OUT, HEX, "offset"))),
	S(VFIO_DEVICE_GET_IRQ_INFO, L(VFIO_DEVICE), irq_info, count, FIELDS(
		F(irq_info, argsz, IN, DEC, NULL),
		F(irq_info, flags, OUT, HEX, NULL),
		F(irq_info, index, IN, DEC, "index"),
		F(irq_info, count, OUT, DEC, "count"))),
	S(VFIO_DEVICE_SET_IRQS, L(VFIO_DEVICE), irq_set, count, FIELDS(
		F(irq_set, argsz, IN, DEC, NULL),
		F(irq_set, flags, IN, HEX, "flags"),
		F(irq_set, index, IN, DEC, "index"),
		F(irq_set, start, IN, DEC, "start"),
		F(irq_set, count, IN, DEC, "count"))),
	A(VFIO_DEVICE_RESET, L(VFIO_DEVICE), NONE, NULL),
	A(VFIO_DEVICE_GET_PCI_HOT_RESET_INFO, L(VFIO_DEVICE), STRUCT, NULL),
	S(VFIO_IOMMU_GET_INFO, CONTAINER, type1_info, iova_pgsizes, FIELDS(
		F(type1_info, argsz, IN, DEC, NULL),
		F(type1_info, flags, OUT, HEX, NULL),
		F(type1_info, iova_pgsizes, OUT, HEX, "pgsizes"))),
	A(VFIO_DEVICE_PCI_HOT_RESET, L(VFIO_DEVICE), STRUCT, NULL),
	SO(VFIO_IOMMU_MAP_DMA, CONTAINER, dma_map, size, MAP, 0, FIELDS(
		F(dma_map, argsz, IN, DEC, NULL),
		F(dma_map, flags, IN, HEX, NULL),
		F(dma_map, vaddr, IN, HEX, NULL),
		FR(dma_map, iova, IN, HEX, "iova", IOVA),
		FR(dma_map, size, IN, SIZE, "", LENGTH))),
	A(VFIO_DEVICE_QUERY_GFX_PLANE, L(VFIO_DEVICE), STRUCT, NULL),
	S(VFIO_IOMMU_UNMAP_DMA, CONTAINER, dma_unmap, size, FIELDS(
		F(dma_unmap, argsz, IN, DEC, NULL),
		F(dma_unmap, flags, IN, HEX, NULL),
		FR(dma_unmap, iova, IN, HEX, "iova", IOVA),
		FR(dma_unmap, size, INOUT, SIZE, "", LENGTH))),
	A(VFIO_DEVICE_GET_GFX_DMABUF, L(VFIO_DEVICE), STRUCT, NULL),
	A(VFIO_IOMMU_ENABLE, CONTAINER, NONE, NULL),
	A(VFIO_DEVICE_IOEVENTFD, L(VFIO_DEVICE), STRUCT, NULL),
	A(VFIO_IOMMU_DISABLE, CONTAINER, NONE, NULL),
	S(VFIO_DEVICE_FEATURE, L(VFIO_DEVICE), dev_feature, flags, FIELDS(
		F(dev_feature, argsz, IN, DEC, NULL),
		F(dev_feature, flags, IN, HEX, "flags"))),
	S(VFIO_IOMMU_DIRTY_PAGES, CONTAINER, dirty, flags, FIELDS(
		F(dirty, argsz, IN, DEC, NULL),
		F(dirty, flags, IN, HEX, "flags"))),
	S(VFIO_DEVICE_BIND_IOMMUFD, L(VFIO_DEVICE), bind, out_devid, FIELDS(
		F(bind, argsz, IN, DEC, NULL),
		F(bind, flags, IN, HEX, NULL),
		FR(bind, iommufd, IN, SDEC, "iommufd", IOMMUFD_FD),
		F(bind, out_devid, OUT, DEC, "dev"))),
	SO(VFIO_DEVICE_ATTACH_IOMMUFD_PT, L(VFIO_DEVICE), attach_pt, pt_id, ATTACH_PT, VFIO_DEVICE_ATTACH_PASID, FIELDS(
		F(attach_pt, argsz, IN, DEC, NULL),
		F(attach_pt, flags, IN, HEX, NULL),
		FR(attach_pt, pt_id, INOUT, DEC, "pt", PT),
		FW(attach_pt, pasid, IN, DEC, "pasid", PASID, VFIO_DEVICE_ATTACH_PASID))),
	SO(VFIO_DEVICE_DETACH_IOMMUFD_PT, L(VFIO_DEVICE), detach_pt, flags, DETACH_PT, VFIO_DEVICE_DETACH_PASID, FIELDS(
		F(detach_pt, argsz, IN, DEC, NULL),
		F(detach_pt, flags, IN, HEX, NULL),
		FW(detach_pt, pasid, IN, DEC, "pasid", PASID, VFIO_DEVICE_DETACH_PASID))),
	A(VFIO_MIG_GET_PRECOPY_INFO, L(VFIO_DEVICE), STRUCT, NULL),
	SO(IOMMU_DESTROY, L(IOMMUFD), destroy, id, DESTROY, 0, FIELDS(
		F(destroy, size, IN, DEC, NULL),
		FR(destroy, id, IN, DEC, "id", OBJECT))),
	S(IOMMU_IOAS_ALLOC, L(IOMMUFD), ioas_alloc, out_ioas_id, FIELDS(
		F(ioas_alloc, size, IN, DEC, NULL),
		F(ioas_alloc, flags, IN, HEX, NULL),
		FR(ioas_alloc, out_ioas_id, OUT, DEC, "ioas", IOAS))),
	S(IOMMU_IOAS_ALLOW_IOVAS, L(IOMMUFD), allow_iovas, allowed_iovas, FIELDS(
		F(allow_iovas, size, IN, DEC, NULL),
		FR(allow_iovas, ioas_id, IN, DEC, "ioas", IOAS),
		F(allow_iovas, num_iovas, IN, DEC, "ranges"))),
	S(IOMMU_IOAS_COPY, L(IOMMUFD), ioas_copy, src_iova, FIELDS(
		F(ioas_copy, size, IN, DEC, NULL),
		F(ioas_copy, flags, IN, HEX, NULL),
		FR(ioas_copy, dst_ioas_id, IN, DEC, "ioas", IOAS),
		FR(ioas_copy, src_ioas_id, IN, DEC, "from", IOAS),
		F(ioas_copy, length, IN, SIZE, ""),
		F(ioas_copy, dst_iova, INOUT, HEX, "iova"),
		F(ioas_copy, src_iova, IN, HEX, "src"))),
	S(IOMMU_IOAS_IOVA_RANGES, L(IOMMUFD), iova_ranges, out_iova_alignment, FIELDS(
		F(iova_ranges, size, IN, DEC, NULL),
		FR(iova_ranges, ioas_id, IN, DEC, "ioas", IOAS),
		F(iova_ranges, num_iovas, INOUT, DEC, "ranges"),
		F(iova_ranges, out_iova_alignment, OUT, SIZE, "align"))),
	SO(IOMMU_IOAS_MAP, L(IOMMUFD), ioas_map, iova, MAP, IOMMU_IOAS_MAP_FIXED_IOVA, FIELDS(
		F(ioas_map, size, IN, DEC, NULL),
		F(ioas_map, flags, IN, HEX, NULL),
		FR(ioas_map, ioas_id, IN, DEC, "ioas", IOAS),
		F(ioas_map, user_va, IN, HEX, NULL),
		FR(ioas_map, length, IN, SIZE, "", LENGTH),
		FR(ioas_map, iova, INOUT, HEX, "iova", IOVA))),
	S(IOMMU_IOAS_UNMAP, L(IOMMUFD), ioas_unmap, length, FIELDS(
		F(ioas_unmap, size, IN, DEC, NULL),
		FR(ioas_unmap, ioas_id, IN, DEC, "ioas", IOAS),
		FR(ioas_unmap, iova, IN, HEX, "iova", IOVA),
		FR(ioas_unmap, length, INOUT, SIZE, "", LENGTH))),
	S(IOMMU_OPTION, L(IOMMUFD), option, val64, FIELDS(
		F(option, size, IN, DEC, NULL),
		F(option, option_id, IN, DEC, "option"),
		F(option, op, IN, DEC, "op"),
		F(option, object_id, IN, DEC, "object"),
		F(option, val64, INOUT, DEC, "val"))),
	S(IOMMU_VFIO_IOAS, L(IOMMUFD), vfio_ioas, __reserved, FIELDS(
		F(vfio_ioas, size, IN, DEC, NULL),
		FR(vfio_ioas, ioas_id, INOUT, DEC, "ioas", IOAS),
		F(vfio_ioas, op, IN, DEC, "op"))),
	S(IOMMU_HWPT_ALLOC, L(IOMMUFD), hwpt_alloc, __reserved, FIELDS(
		F(hwpt_alloc, size, IN, DEC, NULL),
		F(hwpt_alloc, flags, IN, HEX, NULL),
		F(hwpt_alloc, dev_id, IN, DEC, "dev"),
		FR(hwpt_alloc, pt_id, IN, DEC, "pt", PT),
		FR(hwpt_alloc, out_hwpt_id, OUT, DEC, "hwpt", HWPT),
		F(hwpt_alloc, data_type, IN, DEC, NULL))),
	S(IOMMU_GET_HW_INFO, L(IOMMUFD), hw_info, __reserved, FIELDS(
		F(hw_info, size, IN, DEC, NULL),
		F(hw_info, flags, IN, HEX, NULL),
		F(hw_info, dev_id, IN, DEC, "dev"),
		F(hw_info, data_len, INOUT, DEC, NULL),
		F(hw_info, out_data_type, OUT, DEC, "type"),
		F(hw_info, out_capabilities, OUT, HEX, "caps"))),
	S(IOMMU_HWPT_SET_DIRTY_TRACKING, L(IOMMUFD), dirty_tracking, __reserved, FIELDS(
		F(dirty_tracking, size, IN, DEC, NULL),
		F(dirty_tracking, flags, IN, HEX, "flags"),
		FR(dirty_tracking, hwpt_id, IN, DEC, "hwpt", HWPT))),
	S(IOMMU_HWPT_GET_DIRTY_BITMAP, L(IOMMUFD), dirty_bitmap, data, FIELDS(
		F(dirty_bitmap, size, IN, DEC, NULL),
		FR(dirty_bitmap, hwpt_id, IN, DEC, "hwpt", HWPT),
		F(dirty_bitmap, flags, IN, HEX, NULL),
		F(dirty_bitmap, iova, IN, HEX, "iova"),
		F(dirty_bitmap, length, IN, SIZE, ""),
		F(dirty_bitmap, page_size, IN, SIZE, "page"))),
	S(IOMMU_HWPT_INVALIDATE, L(IOMMUFD), invalidate, __reserved, FIELDS(
		F(invalidate, size, IN, DEC, NULL),
		FR(invalidate, hwpt_id, IN, DEC, "hwpt", HWPT),
		F(invalidate, data_type, IN, DEC, NULL),
		F(invalidate, entry_len, IN, DEC, NULL),
		F(invalidate, entry_num, INOUT, DEC, "entries"))),
	S(IOMMU_FAULT_QUEUE_ALLOC, L(IOMMUFD), fault_alloc, out_fault_fd, FIELDS(
		F(fault_alloc, size, IN, DEC, NULL),
		F(fault_alloc, flags, IN, HEX, NULL),
		F(fault_alloc, out_fault_id, OUT, DEC, "fault"),
		F(fault_alloc, out_fault_fd, OUT, DEC, "fd"))),
	S(IOMMU_IOAS_MAP_FILE, L(IOMMUFD), map_file, iova, FIELDS(
		F(map_file, size, IN, DEC, NULL),
		F(map_file, flags, IN, HEX, NULL),
		FR(map_file, ioas_id, IN, DEC, "ioas", IOAS),
		F(map_file, fd, IN, SDEC, "file"),
		F(map_file, start, IN, HEX, NULL),
		F(map_file, length, IN, SIZE, ""),
		F(map_file, iova, INOUT, HEX, "iova"))),
	S(IOMMU_VIOMMU_ALLOC, L(IOMMUFD), viommu_alloc, out_viommu_id, FIELDS(
		F(viommu_alloc, size, IN, DEC, NULL),
		F(viommu_alloc, flags, IN, HEX, NULL),
		F(viommu_alloc, type, IN, DEC, "type"),
		F(viommu_alloc, dev_id, IN, DEC, "dev"),
		FR(viommu_alloc, hwpt_id, IN, DEC, "hwpt", HWPT),
		F(viommu_alloc, out_viommu_id, OUT, DEC, "viommu"))),
	S(IOMMU_VDEVICE_ALLOC, L(IOMMUFD), vdevice_alloc, virt_id, FIELDS(
		F(vdevice_alloc, size, IN, DEC, NULL),
		F(vdevice_alloc, viommu_id, IN, DEC, "viommu"),
		F(vdevice_alloc, dev_id, IN, DEC, "dev"),
		F(vdevice_alloc, out_vdevice_id, OUT, DEC, "vdevice"),
		F(vdevice_alloc, virt_id, IN, HEX, "virt"))),
	S(IOMMU_IOAS_CHANGE_PROCESS, L(IOMMUFD), change_process, __reserved, FIELDS(
		F(change_process, size, IN, DEC, NULL))),
	A(IOMMU_VEVENTQ_ALLOC, L(IOMMUFD), STRUCT, NULL),
	A(IOMMU_HW_QUEUE_ALLOC, L(IOMMUFD), STRUCT, NULL),
	A(IOMMU_IOAS_NOIOMMU_GET_PA, L(IOMMUFD), STRUCT, NULL),
	A(IOMMU_TEST_CMD, L(IOMMUFD), STRUCT, NULL),
};
const int ioctl_ntable = ARRAY_SIZE(ioctl_table);

const struct ioctl_desc *ioctl_lookup(__u32 cmd, __u32 layer)
{
	int lo = 0, hi = ioctl_ntable, i, first;

	while (lo < hi) {	/* the first row whose cmd >= cmd */
		int mid = lo + (hi - lo) / 2;

		if (ioctl_table[mid].cmd < cmd)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == ioctl_ntable || ioctl_table[lo].cmd != cmd)
		return NULL;
	first = lo;
	for (i = lo; i < ioctl_ntable && ioctl_table[i].cmd == cmd; i++)
		if (layer < 32 && ioctl_table[i].layers & (1u << layer))
			return &ioctl_table[i];
	return &ioctl_table[first];
}

const char *ioctl_status_str(enum ioctl_status s)
{
	static const char *const names[] = {
		[IOCTL_OK] = "ok",
		[IOCTL_SHORT] = "short",
		[IOCTL_MALFORMED] = "malformed",
		[IOCTL_UNKNOWN] = "unknown",
	};

	return (int)s >= 0 && (int)s < ARRAY_SIZE(names) ? names[s] : "?";
}

/* A little-endian field of `size` bytes at p (x86: the host's order). */
static __u64 get(const __u8 *p, unsigned int size, bool sign)
{
	__u64 v = 0;

	memcpy(&v, p, size);
	if (sign && size < 8 && (v >> (size * 8 - 1)) & 1)
		v |= ~0ULL << (size * 8);
	return v;
}

/* The bytes the command needs captured to decode what it should. */
static __u32 need_of(const struct ioctl_desc *d)
{
	switch (d->arg) {
	case IOCTL_ARG_STRUCT:
		return d->min;
	case IOCTL_ARG_INT:
		return 4;
	case IOCTL_ARG_STRING:
		return 1;
	}
	return 0;
}

void ioctl_decode(const struct itr_ev_ioctl *io, struct ioctl_decoded *d)
{
	const struct ioctl_field *f;
	bool failed = io->h.ret < 0;
	__u32 limit;

	memset(d, 0, sizeof(*d));
	d->have = io->arg_len < ITR_IOCTL_ARG_LEN ? io->arg_len : ITR_IOCTL_ARG_LEN;
	d->desc = ioctl_lookup(io->cmd, io->h.ctx.layer);
	if (!d->desc) {
		snprintf(d->hex, sizeof(d->hex), "0x%08x", io->cmd);
		d->name = d->hex;
		d->status = IOCTL_UNKNOWN;
		return;
	}
	d->name = d->desc->name;
	d->need = need_of(d->desc);
	d->status = d->have < d->need ? IOCTL_SHORT : IOCTL_OK;
	limit = d->have;
	if (d->desc->arg == IOCTL_ARG_STRUCT && d->desc->fields && d->have >= 4) {
		__u32 argsz = get(io->arg_in, 4, false);

		if (argsz < d->desc->min)
			d->status = IOCTL_MALFORMED;
		if (argsz < limit)	/* the caller passed no more than argsz */
			limit = argsz > 4 ? argsz : 4;
	}
	if (d->desc->arg == IOCTL_ARG_STRING && d->have) {
		d->has_str = true;
		memcpy(d->str, io->arg_in, d->have);
		d->str[strnlen(d->str, d->have)] = '\0';
	}
	for (f = d->desc->fields; f && f->name && d->n < IOCTL_MAX_FIELDS; f++) {
		const __u8 *src = f->dir == IOCTL_IN || failed ? io->arg_in : io->arg_out;

		if (f->off + f->size > limit)
			continue;
		if (f->dir == IOCTL_OUT && failed)
			continue;
		if (f->when && (limit < 8 || (get(io->arg_in + 4, 4, false) & f->when) != f->when))
			continue;
		d->v[d->n].f = f;
		d->v[d->n].v = get(src + f->off, f->size, f->fmt == IOCTL_FMT_SDEC);
		d->v[d->n].in = f->dir == IOCTL_OUT ? d->v[d->n].v :
				get(io->arg_in + f->off, f->size, f->fmt == IOCTL_FMT_SDEC);
		if (f->role && !(d->roles & (1u << f->role))) {
			d->roles |= 1u << f->role;
			d->role_v[f->role] = d->v[d->n].v;
		}
		d->n++;
	}
	d->op = d->desc->op;
	if (d->desc->op_flag)
		d->op_flag = limit >= 8 && (get(io->arg_in + 4, 4, false) & d->desc->op_flag) == d->desc->op_flag;
	else
		d->op_flag = d->op == IOP_MAP;	/* type1 maps only at the caller's IOVA */
}

bool ioctl_desc_role(const struct ioctl_desc *desc, enum ioctl_role r)
{
	const struct ioctl_field *f;

	for (f = desc ? desc->fields : NULL; f && f->name; f++)
		if (f->role == r)
			return true;
	return false;
}

bool ioctl_names_id(const struct ioctl_decoded *d, __u32 role_mask, __u64 id)
{
	int i;

	for (i = 0; i < d->n; i++)
		if ((role_mask & (1u << d->v[i].f->role)) && (d->v[i].v == id || d->v[i].in == id))
			return true;
	return false;
}
