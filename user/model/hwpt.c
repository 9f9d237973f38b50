// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's iommufd HWPTs (user/model.h). Object ids are per iommufd
 * context (an open /dev/iommu), and one process may open several (test
 * harnesses, a VMM with several VMs): HWPTs are keyed by (context, id).
 * The context of a record is its iommufd file (an iommufd ioctl's), or
 * that of the device whose VFIO file it came through (the iommufd it was
 * bound to); when that is unknown, its process stands for it.
 */
#include <errno.h>
#include "model/model.h"

static __u64 hwpt_key(__u64 ictx, __u32 id)
{
	return htab_key((ictx * 0x9e3779b97f4a7c15ULL) ^ id);
}

struct m_hwpt *hwpt_find(const struct model *m, __u64 ictx, __u32 id)
{
	struct m_hwpt *h = id ? htab_get(&m->hwpts, hwpt_key(ictx, id)) : NULL;

	return h && h->ictx == ictx && h->id == id ? h : NULL;
}

struct m_hwpt *hwpt_get(struct model *m, __u64 ictx, __u32 id)
{
	struct m_hwpt *h;
	bool created;

	if (!id)
		return NULL;
	h = htab_get_or_new(&m->hwpts, hwpt_key(ictx, id), sizeof(*h), &created);
	if (h && (created || h->ictx != ictx || h->id != id)) {	/* a key collision: the newer wins */
		h->key = hwpt_key(ictx, id);
		h->ictx = ictx;
		h->id = id;
		h->ioas_id = 0;
		h->domain_id = 0;
	}
	return h;
}

/* The HWPT whose domain this is (from hwpt_domain records); 0: none known. */
__u32 hwpt_of_domain(const struct model *m, __u64 domain_id)
{
	const struct m_domain *d = domain_find(m, domain_id);

	return d ? d->hwpt_id : 0;
}

/* A process's stand-in context, when a record's own is unknown. */
static __u64 tgid_ctx(__u32 tgid)
{
	return 1ULL << 63 | tgid;
}

__u64 model_ictx(const struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct m_device *d;

	if (h->ctx.layer == ITR_LAYER_IOMMUFD && h->ctx.file_id)
		return h->ctx.file_id;
	if (h->ctx.layer == ITR_LAYER_VFIO_DEVICE && h->ctx.file_id &&
	    (d = htab_get(&m->devfiles, htab_key(h->ctx.file_id)))) {
		const struct m_fdfile *f = d->iommufd_fd >= 0 ?
			htab_get(&m->ictxfds, model_fd_key(d->tgid, d->iommufd_fd)) : NULL;

		if (d->iommufd_file)
			return d->iommufd_file;
		if (f)
			return f->file_id;
	}
	return tgid_ctx(h->tgid);
}

__u64 model_fd_key(__u32 tgid, __s32 fd)
{
	return htab_key((__u64)tgid << 32 | (__u32)fd);
}

int model_note_iommufd_fd(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct m_fdfile *f;
	bool created;

	if (h->ctx.layer != ITR_LAYER_IOMMUFD || !h->ctx.file_id || h->ctx.fd < 0)
		return 0;
	f = htab_get_or_new(&m->ictxfds, model_fd_key(h->tgid, h->ctx.fd), sizeof(*f), &created);
	if (!f)
		return -ENOMEM;
	f->file_id = h->ctx.file_id;
	return 0;
}
