// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's devices (user/model.h): keyed by name (a PCI BDF). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "model/model.h"

struct m_device *device_find(const struct model *m, const char *name)
{
	struct m_device *d = htab_get(&m->devices, htab_str(name));

	return d && !strcmp(d->name, name) ? d : NULL;
}

struct m_device *device_get(struct model *m, const char *name)
{
	struct m_device *d = device_find(m, name);

	if (d)
		return d;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->group_id = -1;
	d->fd = -1;
	if (htab_put(&m->devices, htab_str(name), d)) {
		free(d);
		return NULL;
	}
	return d;
}

struct m_pasid *device_pasid(struct m_device *d, __u32 pasid)
{
	int i;

	for (i = 0; i < d->npasids; i++)
		if (d->pasids[i].pasid == pasid)
			return &d->pasids[i];
	return NULL;
}

int device_pasid_set(struct m_device *d, __u32 pasid, __u64 domain, __u64 ts)
{
	struct m_pasid *p = device_pasid(d, pasid);

	if (!p) {
		if (d->npasids == M_MAX_PASIDS)
			return -ENOSPC;
		p = &d->pasids[d->npasids++];
		p->pasid = pasid;
	}
	p->domain_id = domain;
	p->since_ns = ts;
	return 0;
}

void device_pasid_clear(struct m_device *d, __u32 pasid)
{
	struct m_pasid *p = device_pasid(d, pasid);

	if (p)
		*p = d->pasids[--d->npasids];
}
