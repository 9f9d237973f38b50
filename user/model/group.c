// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's IOMMU groups (user/model.h): members, domain, reserved regions. */
#include <stdio.h>
#include "lib/set.h"
#include "lib/util.h"
#include "model/model.h"

static __u64 group_key(__s32 id)
{
	return htab_key((__u64)(__u32)id + 1);
}

struct m_group *group_find(const struct model *m, __s32 id)
{
	return id < 0 ? NULL : htab_get(&m->groups, group_key(id));
}

struct m_group *group_get(struct model *m, __s32 id)
{
	struct m_group *g;
	bool created;

	if (id < 0)
		return NULL;
	g = htab_get_or_new(&m->groups, group_key(id), sizeof(*g), &created);
	if (g && created)
		g->id = id;
	return g;
}

/* 0, or -ENOSPC (counted) when the group has no room for another member. */
int group_add_member(struct model *m, struct m_group *g, struct m_device *d)
{
	int r = SET_ADD(g->members, &g->nmembers, ARRAY_SIZE(g->members), d);

	if (r < 0) {
		model_drop(m, MD_GROUP_MEMBER);
		return r;
	}
	d->group_id = g->id;
	return 0;
}

void group_remove_member(struct m_group *g, struct m_device *d)
{
	SET_DEL(g->members, &g->nmembers, d);
	if (d->group_id == g->id)
		d->group_id = -1;
}

void group_add_resv(struct model *m, struct m_group *g, __u64 start, __u64 last, const char *type)
{
	struct m_resv *r;

	if (g->nresv == ARRAY_SIZE(g->resv)) {
		model_drop(m, MD_GROUP_RESV);
		return;
	}
	r = &g->resv[g->nresv++];
	r->start = start;
	r->last = last;
	snprintf(r->type, sizeof(r->type), "%s", type);
}

/* The first reserved region of g overlapping [start, last]; NULL: none. */
const struct m_resv *group_resv_hit(const struct m_group *g, __u64 start, __u64 last)
{
	int i;

	for (i = 0; g && i < g->nresv; i++)
		if (start <= g->resv[i].last && g->resv[i].start <= last)
			return &g->resv[i];
	return NULL;
}
