// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's VFIO containers (user/model/model.h), keyed by their file. */
#include "lib/set.h"
#include "lib/util.h"
#include "model/model.h"

struct m_container *container_find(const struct model *m, __u64 file_id)
{
	return file_id ? htab_get(&m->containers, htab_key(file_id)) : NULL;
}

struct m_container *container_get(struct model *m, __u64 file_id)
{
	struct m_container *c;
	bool created;

	if (!file_id)
		return NULL;
	c = htab_get_or_new(&m->containers, htab_key(file_id), sizeof(*c), &created);
	if (c && created) {
		c->file_id = file_id;
		c->fd = -1;
	}
	return c;
}

void container_add_group(struct model *m, struct m_container *c, __s32 group)
{
	if (group >= 0 && SET_ADD(c->groups, &c->ngroups, ARRAY_SIZE(c->groups), group) < 0)
		model_drop(m, MD_CONTAINER_GROUP);
}
