// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * VFIO/iommufd operations in flight (user/model/model.h): the records an
 * ioctl causes arrive before its own ioctl record, which ends it. What a
 * whole operation did (groups attached, PASIDs detached) is judged at its
 * end.
 */
#include <stdlib.h>
#include "lib/set.h"
#include "lib/util.h"
#include "model/model.h"

struct m_op *op_find(const struct model *m, __u64 id)
{
	return id ? htab_get(&m->ops, htab_key(id)) : NULL;
}

struct m_op *op_get(struct model *m, __u64 id, __u64 ts)
{
	struct m_op *op;
	bool created;

	if (!id)
		return NULL;
	op = htab_get_or_new(&m->ops, htab_key(id), sizeof(*op), &created);
	if (op && created) {
		op->id = id;
		op->first_ns = ts;
	}
	return op;
}

void op_note_attach(struct model *m, struct m_op *op, __s32 group, __u64 domain)
{
	if (group >= 0 && SET_ADD(op->groups, &op->ngroups, ARRAY_SIZE(op->groups), group) < 0)
		model_drop(m, MD_OP_OBJECT);
	if (domain && SET_ADD(op->domains, &op->ndomains, ARRAY_SIZE(op->domains), domain) < 0)
		model_drop(m, MD_OP_OBJECT);
}

void op_note_pasid_detach(struct model *m, struct m_op *op, __u32 pasid)
{
	if (op->npasid_det < ARRAY_SIZE(op->pasid_det))
		op->pasid_det[op->npasid_det++] = pasid;
	else
		model_drop(m, MD_OP_OBJECT);
}

void op_end(struct model *m, __u64 id)
{
	free(htab_del(&m->ops, htab_key(id)));
}
