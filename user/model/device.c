// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's devices (user/model/model.h): keyed by name (a PCI BDF). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/util.h"
#include "model/model.h"

struct m_device *device_find(const struct model *m, const char *name)
{
	struct m_device *d = htab_get(&m->devices, htab_str(name));

	return d && !strcmp(d->name, name) ? d : NULL;
}

struct m_device *device_get(struct model *m, const char *name)
{
	bool created;
	struct m_device *d = htab_get_or_new(&m->devices, htab_str(name), sizeof(*d), &created);

	if (d && created) {
		snprintf(d->name, sizeof(d->name), "%s", name);
		d->group_id = -1;
		d->fd = -1;
		d->iommufd_fd = -1;
	}
	return d;
}

const struct m_pasid *device_pasid(const struct m_device *d, __u32 pasid)
{
	int i;

	for (i = 0; i < d->npasids; i++)
		if (d->pasids[i].pasid == pasid)
			return &d->pasids[i];
	return NULL;
}

int device_pasid_set(struct model *m, struct m_device *d, __u32 pasid, __u64 domain, __u64 ts)
{
	struct m_pasid *p = (struct m_pasid *)device_pasid(d, pasid);

	if (!p) {
		if (d->npasids == ARRAY_SIZE(d->pasids)) {
			model_drop(m, MD_DEVICE_PASID);
			return -ENOSPC;
		}
		p = &d->pasids[d->npasids++];
		p->pasid = pasid;
	}
	p->domain_id = domain;
	p->since_ns = ts;
	return 0;
}

void device_pasid_clear(struct m_device *d, __u32 pasid)
{
	const struct m_pasid *p = device_pasid(d, pasid);

	if (p)
		d->pasids[p - d->pasids] = d->pasids[--d->npasids];
}
