// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's VFIO containers (user/model.h), keyed by their file. */
#include <errno.h>
#include <stdlib.h>
#include "model/model.h"

struct m_container *container_find(const struct model *m, __u64 file_id)
{
	return file_id ? htab_get(&m->containers, htab_key(file_id)) : NULL;
}

struct m_container *container_get(struct model *m, __u64 file_id)
{
	struct m_container *c = container_find(m, file_id);

	if (c || !file_id)
		return c;
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->file_id = file_id;
	c->fd = -1;
	if (htab_put(&m->containers, htab_key(file_id), c)) {
		free(c);
		return NULL;
	}
	return c;
}

int container_add_group(struct m_container *c, __s32 group)
{
	int i;

	if (group < 0)
		return 0;
	for (i = 0; i < c->ngroups; i++)
		if (c->groups[i] == group)
			return 0;
	if (c->ngroups == (int)(sizeof(c->groups) / sizeof(c->groups[0])))
		return -ENOSPC;
	c->groups[c->ngroups++] = group;
	return 0;
}
