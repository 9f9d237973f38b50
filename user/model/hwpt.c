// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's iommufd HWPTs (user/model.h). Object ids are per iommufd
 * context; the model keys them by process (tgid, id): one iommufd per
 * process, as VMMs open it.
 */
#include "model/model.h"

static __u64 hwpt_key(__u32 tgid, __u32 id)
{
	return htab_key((__u64)tgid << 32 | id);
}

struct m_hwpt *hwpt_find(const struct model *m, __u32 tgid, __u32 id)
{
	return id ? htab_get(&m->hwpts, hwpt_key(tgid, id)) : NULL;
}

struct m_hwpt *hwpt_get(struct model *m, __u32 tgid, __u32 id)
{
	struct m_hwpt *h;
	bool created;

	if (!id)
		return NULL;
	h = htab_get_or_new(&m->hwpts, hwpt_key(tgid, id), sizeof(*h), &created);
	if (h && created) {
		h->key = hwpt_key(tgid, id);
		h->id = id;
	}
	return h;
}

/* The HWPT whose domain this is (from hwpt_domain records); 0: none known. */
__u32 hwpt_of_domain(const struct model *m, __u64 domain_id)
{
	const struct m_domain *d = domain_find(m, domain_id);

	return d ? d->hwpt_id : 0;
}
