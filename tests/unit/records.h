/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Synthetic ring-buffer records for the decoder and sink tests. */
#ifndef ITR_TEST_RECORDS_H
#define ITR_TEST_RECORDS_H

#include <string.h>
#include "event/event.h"

/* Big enough and aligned for any record, as the ring buffer gives them. */
union rec {
	struct itr_hdr h;
	struct itr_ev_domain domain;
	struct itr_ev_attach attach;
	struct itr_ev_map map;
	struct itr_ev_group group;
	struct itr_ev_fault fault;
	struct itr_ev_ioctl ioctl;
	struct itr_ev_locked locked;
	struct itr_ev_join join;
	struct itr_ev_file file;
	struct itr_ev_unbind unbind;
	struct itr_ev_lost lost;
	__u64 raw[ITR_MAX_RECORD / 8 + 2];
};

#define REC_DOMAIN_ID	0x1122334455667788ULL
#define REC_OLD_ID	0x99aabbccddeeff00ULL
#define REC_T0		1000000000ULL
#define REC_OP_ID	0x0102030405060708ULL
#define REC_FILE_ID	0xa1a2a3a4a5a6a7a8ULL
#define REC_IOAS_ALLOC	0x3b81u		/* IOMMU_IOAS_ALLOC: _IO(';', 0x81) */

/* A plausible record of `kind` (any value); returns its size. */
static inline size_t rec_make(union rec *r, unsigned int kind)
{
	static const size_t sizes[] = {
		[ITR_EV_DOMAIN_ALLOC] = sizeof(struct itr_ev_domain),
		[ITR_EV_DOMAIN_FREE] = sizeof(struct itr_ev_domain),
		[ITR_EV_ATTACH ... ITR_EV_PASID_REPLACE] = sizeof(struct itr_ev_attach),
		[ITR_EV_MAP ... ITR_EV_UNMAP_FAST] = sizeof(struct itr_ev_map),
		[ITR_EV_GROUP_ADD ... ITR_EV_GROUP_REMOVE] = sizeof(struct itr_ev_group),
		[ITR_EV_FAULT] = sizeof(struct itr_ev_fault),
		[ITR_EV_IOCTL] = sizeof(struct itr_ev_ioctl),
		[ITR_EV_LOCKED] = sizeof(struct itr_ev_locked),
		[ITR_EV_HWPT_DOMAIN] = sizeof(struct itr_ev_join),
		[ITR_EV_OPEN ... ITR_EV_CLOSE] = sizeof(struct itr_ev_file),
		[ITR_EV_UNBIND] = sizeof(struct itr_ev_unbind),
		[ITR_EV_LOST] = sizeof(struct itr_ev_lost),
	};
	size_t size = kind < ITR_EV_MAX && sizes[kind] ? sizes[kind] : sizeof(struct itr_hdr);

	memset(r, 0, sizeof(*r));
	r->h.kind = kind;
	r->h.size = size;
	r->h.cpu = 1;
	r->h.ts_ns = REC_T0 + 1500000;	/* 1.5 ms after REC_T0 */
	r->h.pid = 4321;
	r->h.tgid = 4320;
	r->h.cgroup_id = 77;
	r->h.domain_id = REC_DOMAIN_ID;
	r->h.domain_type = ITR_DOM_UNMANAGED;
	r->h.group_id = 5;
	strcpy(r->h.comm, "qemu-system-x86");
	strcpy(r->h.dev, "0000:00:06.0");
	switch (kind) {
	case ITR_EV_DOMAIN_ALLOC:
	case ITR_EV_DOMAIN_FREE:
		r->domain.pgsize_bitmap = 1ULL << 12 | 1ULL << 21 | 1ULL << 30;
		r->domain.aperture_end = (1ULL << 48) - 1;
		r->h.dev[0] = '\0';
		r->h.group_id = -1;
		break;
	case ITR_EV_ATTACH ... ITR_EV_PASID_REPLACE:
		r->attach.old_domain_id = REC_OLD_ID;
		r->attach.old_domain_type = ITR_DOM_DMA;
		r->attach.pasid = kind >= ITR_EV_PASID_ATTACH ? 3 : 0;
		break;
	case ITR_EV_MAP ... ITR_EV_UNMAP_FAST:
		r->map.iova = 0x100000;
		r->map.size = r->map.done = 4096;
		r->map.latency_ns = 2100;
		if (kind == ITR_EV_MAP || kind == ITR_EV_MAP_SG) {
			r->map.paddr = 0x7c000;
			r->map.prot = 3;
		}
		r->map.nents = kind == ITR_EV_MAP_SG ? 2 : 0;
		r->h.dev[0] = '\0';
		r->h.group_id = -1;
		break;
	case ITR_EV_GROUP_ADD:
	case ITR_EV_GROUP_REMOVE:
		r->h.domain_id = 0;
		r->h.domain_type = 0;
		r->h.flags = ITR_F_NO_RET;
		break;
	case ITR_EV_FAULT:
		r->fault.iova = 0xdead000;
		r->fault.fault_flags = 1;
		r->fault.source = ITR_FAULT_DMAR;
		r->fault.reason = 6;
		break;
	case ITR_EV_IOCTL:	/* IOMMU_IOAS_ALLOC on /dev/iommu fd 3: ioas 2 */
		r->h.domain_id = 0;
		r->h.domain_type = 0;
		r->h.group_id = -1;
		r->h.dev[0] = '\0';
		r->h.ctx = (struct itr_ctx){ REC_OP_ID, REC_FILE_ID, 3, ITR_LAYER_IOMMUFD };
		r->ioctl.cmd = REC_IOAS_ALLOC;
		r->ioctl.arg_len = 12;	/* struct iommu_ioas_alloc */
		memcpy(r->ioctl.arg_in, (__u32[]){ 12, 0, 0 }, 12);
		memcpy(r->ioctl.arg_out, (__u32[]){ 12, 0, 2 }, 12);
		r->ioctl.latency_ns = 2100;
		break;
	case ITR_EV_LOCKED:
		r->h.domain_id = 0;
		r->h.domain_type = 0;
		r->h.group_id = -1;
		r->h.dev[0] = '\0';
		r->h.flags = ITR_F_NO_RET;
		r->locked.npages = 16;
		r->locked.locked_vm = 1040;
		break;
	case ITR_EV_HWPT_DOMAIN:
		r->h.dev[0] = '\0';
		r->h.group_id = -1;
		r->join.hwpt_id = 4;
		r->join.ioas_id = 2;
		break;
	case ITR_EV_OPEN:	/* /dev/vfio/devices/vfio0 opened as fd 7 */
	case ITR_EV_CLOSE:	/* ... and released: no fd */
		r->h.domain_id = 0;
		r->h.domain_type = 0;
		r->h.ctx = (struct itr_ctx){ 0, REC_FILE_ID, kind == ITR_EV_OPEN ? 7 : -1,
					     ITR_LAYER_VFIO_DEVICE };
		r->h.flags = kind == ITR_EV_CLOSE ? ITR_F_NO_RET : 0;
		break;
	case ITR_EV_UNBIND:	/* dev 3 of an iommufd context, at the device's last close */
		r->h.domain_id = 0;
		r->h.domain_type = 0;
		r->h.flags = ITR_F_NO_RET;
		r->unbind.dev_id = 3;
		r->unbind.iommufd_file_id = REC_OLD_ID;
		break;
	case ITR_EV_LOST:	/* 7 lost since load: 3 maps, 4 unmaps */
		r->h.cgroup_id = 0;
		r->h.domain_id = 0;
		r->h.domain_type = ITR_DOM_UNKNOWN;
		r->h.dev[0] = '\0';
		r->h.group_id = -1;
		r->h.flags = ITR_F_NO_RET;
		r->lost.total = 7;
		r->lost.by_kind[ITR_EV_MAP] = 3;
		r->lost.by_kind[ITR_EV_UNMAP] = 4;
		break;
	}
	return size;
}

/* /dev/vfio/vfio opened as fd 5: an ITR_EV_OPEN of a container */
static inline void rec_container(union rec *r)
{
	r->h.dev[0] = '\0';
	r->h.group_id = -1;
	r->h.ctx = (struct itr_ctx){ 0, REC_FILE_ID, 5, ITR_LAYER_VFIO_CONTAINER };
}

/* rec_make() and decode it; the test fails if it does not decode. */
#define rec_decode(r, kind, ev)							\
	do {									\
		char why_[160];							\
		size_t n_ = rec_make(r, kind);					\
		cr_assert_eq(event_decode(r, n_, ev, why_, sizeof(why_)), 0,	\
			     "%s", why_);					\
	} while (0)

#endif
