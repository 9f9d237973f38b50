// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's iommu_domains (user/model.h) and their IOVA mappings. */
#include <string.h>
#include "lib/set.h"
#include "lib/util.h"
#include "model/model.h"

struct m_domain *domain_find(const struct model *m, __u64 id)
{
	if (m->last_domain && m->last_domain->id == id && id)
		return m->last_domain;
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

/* DMA and DMA-FQ are one kind: the kernel moves a DMA domain to FQ in place. */
static __u32 type_kind(__u32 type)
{
	return type & ITR_DOM_DMA_API_BIT ? ITR_DOM_DMA : type;
}

/*
 * Another domain at the address of one whose free was not seen (a free or
 * an allocation without a hook, or a lost record): it inherits nothing of
 * the dead one, and its origin is unknown (not judged: !alloc_seen).
 */
void domain_renew(struct model *m, struct m_domain *d, __u32 type)
{
	__u64 id = d->id;

	domain_free_maps(d);
	memset(d, 0, sizeof(*d));
	d->id = id;
	d->known = M_EVENT;
	d->first_op = m->cur_op;
	domain_set_type(m, d, type);
	m->renewed++;
}

struct m_domain *domain_get(struct model *m, __u64 id, __u32 type)
{
	struct m_domain *d;
	bool created;

	if (!id)
		return NULL;
	if (m->last_domain && m->last_domain->id == id) {	/* a stream's maps: one domain */
		d = m->last_domain;
		created = false;
	} else {
		d = htab_get_or_new(&m->domains, htab_key(id), sizeof(*d), &created);
		if (!d)
			return NULL;
		m->last_domain = d;
	}
	if (created) {
		d->id = id;
		d->known = M_EVENT;
		d->first_op = m->cur_op;
		domain_set_type(m, d, type);
	} else if (type != ITR_DOM_UNKNOWN && type != d->type) {
		if (d->type != ITR_DOM_UNKNOWN && type_kind(type) != type_kind(d->type))
			domain_renew(m, d, type);
		else
			domain_set_type(m, d, type);
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
 * --all-domains). (Since a gap, the checker suspends the rules for it:
 * d->gap.)
 */
bool domain_tracked(const struct model *m, const struct m_domain *d)
{
	if (!d->alloc_seen || !d->complete)
		return false;
	(void)m;
	return true;
}

void domain_add_group(struct model *m, struct m_domain *d, __s32 group)
{
	if (d && group >= 0 && SET_ADD(d->groups, &d->ngroups, ARRAY_SIZE(d->groups), group) < 0)
		model_drop(m, MD_DOMAIN_GROUP);
}

void domain_del_group(struct m_domain *d, __s32 group)
{
	if (d)
		SET_DEL(d->groups, &d->ngroups, group);
}
