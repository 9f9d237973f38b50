// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's IOMMU groups (user/model.h): members, domain, reserved regions. */
#include <errno.h>
#include <stdlib.h>
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
	struct m_group *g = group_find(m, id);

	if (g || id < 0)
		return g;
	g = calloc(1, sizeof(*g));
	if (!g)
		return NULL;
	g->id = id;
	if (htab_put(&m->groups, group_key(id), g)) {
		free(g);
		return NULL;
	}
	return g;
}

int group_add_member(struct m_group *g, struct m_device *d)
{
	int i;

	for (i = 0; i < g->nmembers; i++)
		if (g->members[i] == d)
			return 0;
	if (g->nmembers == (int)(sizeof(g->members) / sizeof(g->members[0])))
		return -ENOSPC;
	g->members[g->nmembers++] = d;
	d->group_id = g->id;
	return 0;
}

void group_remove_member(struct m_group *g, struct m_device *d)
{
	int i;

	for (i = 0; i < g->nmembers; i++)
		if (g->members[i] == d) {
			g->members[i] = g->members[--g->nmembers];
			break;
		}
	if (d->group_id == g->id)
		d->group_id = -1;
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
