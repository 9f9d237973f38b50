// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's iommu_domains (user/model.h) and their IOVA mappings. */
#include <stdlib.h>
#include "model/model.h"

struct m_domain *domain_find(const struct model *m, __u64 id)
{
	return id ? htab_get(&m->domains, htab_key(id)) : NULL;
}

/* DMA-API domains' maps are in the stream only with --all-domains. */
static void domain_set_type(const struct model *m, struct m_domain *d, __u32 type)
{
	d->type = type;
	if (type == ITR_DOM_UNKNOWN)
		d->complete = false;
	else if (type & ITR_DOM_DMA_API_BIT)
		d->complete = m->o.all_domains;
	else
		d->complete = true;
}

struct m_domain *domain_get(struct model *m, __u64 id, __u32 type)
{
	struct m_domain *d;

	if (!id)
		return NULL;
	d = domain_find(m, id);
	if (d) {
		if (type != ITR_DOM_UNKNOWN && type != d->type)
			domain_set_type(m, d, type);
		return d;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->id = id;
	d->type = type;
	d->known = M_EVENT;
	d->first_op = m->cur_op;
	domain_set_type(m, d, type);
	if (htab_put(&m->domains, htab_key(id), d)) {
		free(d);
		return NULL;
	}
	return d;
}

void domain_free_maps(struct m_domain *d)
{
	ivset_free(d->maps);
	d->maps = NULL;
}

/*
 * Mapping checks need every map and unmap of the domain: it was allocated
 * while we watched, its maps are in the stream (DMA-API domains' only with
 * --all-domains), and no event was lost since.
 */
bool domain_tracked(const struct model *m, const struct m_domain *d)
{
	if (!d->alloc_seen || !d->complete)
		return false;
	if (m->lost_since_ns)
		return false;
	return true;
}

void domain_add_group(struct m_domain *d, __s32 group)
{
	int i;

	if (!d || group < 0)
		return;
	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i] == group)
			return;
	if (d->ngroups < (int)(sizeof(d->groups) / sizeof(d->groups[0])))
		d->groups[d->ngroups++] = group;
}

void domain_del_group(struct m_domain *d, __s32 group)
{
	int i;

	for (i = 0; d && i < d->ngroups; i++)
		if (d->groups[i] == group) {
			d->groups[i] = d->groups[--d->ngroups];
			return;
		}
}
