// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO/iommufd operations in flight (user/model.h): the records an ioctl
 * causes arrive before its own ioctl record, which ends it. Rules that
 * judge a whole operation (a replace moving a group) run at its end.
 */
#include <stdlib.h>
#include "model/model.h"

struct m_op *op_find(const struct model *m, __u64 id)
{
	return id ? htab_get(&m->ops, htab_key(id)) : NULL;
}

struct m_op *op_get(struct model *m, __u64 id, __u64 ts)
{
	struct m_op *op = op_find(m, id);

	if (op || !id)
		return op;
	op = calloc(1, sizeof(*op));
	if (!op)
		return NULL;
	op->id = id;
	op->first_ns = ts;
	if (htab_put(&m->ops, htab_key(id), op)) {
		free(op);
		return NULL;
	}
	return op;
}

void op_note_attach(struct m_op *op, __s32 group, __u64 domain)
{
	int i;

	if (group >= 0) {
		for (i = 0; i < op->ngroups && op->groups[i] != group; i++)
			;
		if (i == op->ngroups && i < (int)(sizeof(op->groups) / sizeof(op->groups[0])))
			op->groups[op->ngroups++] = group;
	}
	if (domain) {
		for (i = 0; i < op->ndomains && op->domains[i] != domain; i++)
			;
		if (i == op->ndomains && i < (int)(sizeof(op->domains) / sizeof(op->domains[0])))
			op->domains[op->ndomains++] = domain;
	}
}

void op_end(struct model *m, __u64 id)
{
	struct m_op *op = htab_del(&m->ops, htab_key(id));

	if (op)
		free(op->partial);
	free(op);
}
