// SPDX-License-Identifier: GPL-2.0
/*
 * Auxiliary-domain helpers on today's PASID API: the old aux-domain API
 * (one parent device, several domains at once, each tagged by a PASID) was
 * removed in 5.18; iommu_attach_device_pasid() does the same job. A shim
 * domain is a paging domain allocated for one device; it is attached to
 * PASIDs the shim allocates (and, for the aux-domain debate's scenario, to
 * the device's RID), and maps module-owned pages.
 *
 * Every domain is undone at FREE, when the fd that made a TRANSIENT one
 * closes, and at unload: detach (PASIDs, then the RID), unmap, free.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/iommu.h>
#include <linux/miscdevice.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "shim.h"
#include "compat/attach_device_pasid.h"
#include "compat/attach_handle_get.h"
#include "compat/global_pasid.h"
#include "compat/map_gfp.h"
#include "compat/paging_domain_alloc.h"
#include "compat/replace_device_pasid.h"
#include "compat/set_dev_pasid_old.h"

#ifndef SHIM_HAVE_GLOBAL_PASID
DEFINE_IDA(shim_pasid_ida);
#endif

struct shim_attach {
	u32 pasid;				/* IOMMU_NO_PASID: the RID */
	struct iommu_attach_handle *handle;	/* PASIDs: the core's entry */
	bool own_pasid;				/* allocated by the shim: freed at detach */
};

struct shim_map {
	struct list_head node;
	u64 iova;
	u64 length;
	struct page *pages;			/* one block of get_order(length) */
};

struct shim_domain {
	u32 id;
	struct iommu_domain *domain;
	struct device *dev;			/* made for it; a reference */
	struct shim_file *owner;		/* TRANSIENT: the fd; NULL: until FREE/unload */
	bool core_only;				/* CORE_ONLY: PASIDs given by the caller */
	struct list_head fnode;			/* in owner->domains */
	struct shim_attach att[ITR_SHIM_ATTACH_MAX];
	int natt;
	struct list_head maps;
	int nmaps;
};

static DEFINE_XARRAY_ALLOC1(shim_domains);	/* id -> struct shim_domain */
static u32 shim_next_id;

/* --- devices ---------------------------------------------------------------- */

/*
 * Look NAME up among all devices (the kset every struct device is in: our
 * own misc device's). Names are as in /sys/bus/BUS/devices/.
 */
struct device *shim_dev_get(const char *name, char *msg, int *err)
{
	struct kobject *kobj;
	struct device *dev;

	if (!name[0] || strnlen(name, ITR_SHIM_DEV_LEN) == ITR_SHIM_DEV_LEN || strchr(name, '/')) {
		*err = shim_why(msg, -EINVAL, "device name empty, too long or with a '/'");
		return NULL;
	}
	kobj = kset_find_obj(shim_misc.this_device->kobj.kset, name);
	if (!kobj) {
		*err = shim_why(msg, -ENODEV, "no device named %s", name);
		return NULL;
	}
	dev = kobj_to_dev(kobj);
	if (!dev->iommu_group || !dev->iommu) {
		put_device(dev);
		*err = shim_why(msg, -ENODEV, "%s is not behind an IOMMU", name);
		return NULL;
	}
	return dev;
}

/* NULL when dev can have domains on its PASIDs, else why not. */
static const char *dev_pasid_why(struct device *dev)
{
	const char *why = shim_driver_pasid_why(dev);

	if (why)
		return why;
	if (shim_dev_max_pasids(dev) < 2)	/* PASID 0 is the RID */
		return "it has no PASID capability (on VT-d also: no scalable mode)";
	return NULL;
}

static enum itr_shim_dom dom_type(const struct iommu_domain *d)
{
	if (!d)
		return ITR_SHIM_DOM_NONE;
	switch (d->type) {
	case IOMMU_DOMAIN_BLOCKED:	return ITR_SHIM_DOM_BLOCKED;
	case IOMMU_DOMAIN_IDENTITY:	return ITR_SHIM_DOM_IDENTITY;
	case IOMMU_DOMAIN_UNMANAGED:	return ITR_SHIM_DOM_UNMANAGED;
	case IOMMU_DOMAIN_DMA:		return ITR_SHIM_DOM_DMA;
	case IOMMU_DOMAIN_DMA_FQ:	return ITR_SHIM_DOM_DMA_FQ;
#ifdef IOMMU_DOMAIN_SVA		/* 6.2 */
	case IOMMU_DOMAIN_SVA:		return ITR_SHIM_DOM_SVA;
#endif
#ifdef IOMMU_DOMAIN_NESTED		/* 6.5 */
	case IOMMU_DOMAIN_NESTED:	return ITR_SHIM_DOM_NESTED;
#endif
	default:			return ITR_SHIM_DOM_OTHER;
	}
}

/* --- domains ---------------------------------------------------------------- */

/* The domain c->domain (or id), if f may use it: its own or a kept one. */
static struct shim_domain *dom_find(struct shim_file *f, u32 id, char *msg, int *err)
{
	struct shim_domain *sd = xa_load(&shim_domains, id);

	if (!sd || (sd->owner && sd->owner != f)) {
		*err = shim_why(msg, -ENOENT, "no shim domain %u%s", id,
				sd ? " of this fd" : "");
		return NULL;
	}
	return sd;
}

static struct shim_attach *att_find(struct shim_domain *sd, u32 pasid)
{
	int i;

	for (i = 0; i < sd->natt; i++)
		if (sd->att[i].pasid == pasid)
			return &sd->att[i];
	return NULL;
}

static void att_drop(struct shim_domain *sd, struct shim_attach *a)
{
	*a = sd->att[--sd->natt];
}

int shim_aux_alloc(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct shim_domain *sd;
	struct device *dev;
	const char *why;
	int ret;
	u32 id;

	if (c->flags & ~(ITR_SHIM_TRANSIENT | ITR_SHIM_CORE_ONLY))
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	dev = shim_dev_get(c->dev, c->msg, &ret);
	if (!dev)
		return ret;
	why = SHIM_NO_PASID_API ? SHIM_NO_PASID_API :
	      c->flags & ITR_SHIM_CORE_ONLY ? shim_driver_pasid_why(dev) : dev_pasid_why(dev);
	if (why) {
		ret = shim_why(c->msg, -EOPNOTSUPP, "%s: %s", c->dev, why);
		goto out_put_dev;
	}
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd) {
		ret = -ENOMEM;
		goto out_put_dev;
	}
	INIT_LIST_HEAD(&sd->maps);
	INIT_LIST_HEAD(&sd->fnode);
	sd->dev = dev;
	sd->core_only = c->flags & ITR_SHIM_CORE_ONLY;
	sd->domain = shim_paging_domain_alloc(dev);
	if (IS_ERR(sd->domain)) {
		ret = shim_why(c->msg, PTR_ERR(sd->domain), "%s: the IOMMU driver gave no paging domain",
			       c->dev);
		goto out_free_sd;
	}
	if (!shim_domain_pasid_capable(sd->domain)) {
		ret = shim_why(c->msg, -EOPNOTSUPP, "%s: its paging domains cannot go on a PASID",
			       c->dev);
		goto out_free_domain;
	}
	mutex_lock(&shim_lock);
	/* ids are not reused soon: a stale id names no other domain */
	ret = xa_alloc_cyclic(&shim_domains, &id, sd, xa_limit_31b, &shim_next_id, GFP_KERNEL);
	if (ret < 0) {
		mutex_unlock(&shim_lock);
		goto out_free_domain;
	}
	sd->id = id;
	if (c->flags & ITR_SHIM_TRANSIENT) {
		sd->owner = f;
		list_add_tail(&sd->fnode, &f->domains);
	}
	c->domain = id;
	shim_log(&(struct shim_logrec){ .op = "alloc", .dev = dev, .domain = id });
	mutex_unlock(&shim_lock);
	return 0;

out_free_domain:
	iommu_domain_free(sd->domain);
out_free_sd:
	kfree(sd);
out_put_dev:
	shim_log(&(struct shim_logrec){ .op = "alloc", .dev = dev, .ret = ret });
	put_device(dev);
	return ret;
}

/* ITR_SHIM_RID: the RID, when user space owns the device's DMA and it is idle. */
static int attach_rid(struct shim_domain *sd, struct itr_shim_cmd *c)
{
	struct device *dev = sd->dev;
	int ret;

	if (att_find(sd, IOMMU_NO_PASID))
		return shim_why(c->msg, -EEXIST, "domain %u is on %s's RID already", sd->id,
				dev_name(dev));
	if (!iommu_group_dma_owner_claimed(dev->iommu_group))
		return shim_why(c->msg, -EBUSY, "%s's DMA belongs to its kernel driver (bind it to VFIO or iommufd first)",
				dev_name(dev));
	ret = iommu_attach_device(sd->domain, dev);
	if (ret)
		return shim_why(c->msg, ret, "%s's RID is busy or refused the domain", dev_name(dev));
	sd->att[sd->natt++] = (struct shim_attach){ .pasid = IOMMU_NO_PASID };
	return 0;
}

int shim_aux_attach(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct iommu_attach_handle *h;
	struct shim_domain *sd;
	u32 pasid = IOMMU_NO_PASID;
	int ret;

	if (c->flags & ~ITR_SHIM_RID)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	mutex_lock(&shim_lock);
	sd = dom_find(f, c->domain, c->msg, &ret);
	if (!sd)
		goto out_unlock;
	if (sd->natt == ITR_SHIM_ATTACH_MAX) {
		ret = shim_why(c->msg, -ENOSPC, "domain %u has %d attachments already", sd->id,
			       ITR_SHIM_ATTACH_MAX);
		goto out_unlock;
	}
	if (c->flags & ITR_SHIM_RID) {
		ret = attach_rid(sd, c);
		goto out_log;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (sd->core_only != !!c->pasid) {
		ret = shim_why(c->msg, -EINVAL, sd->core_only ?
			       "domain %u is core-only: give the PASID" :
			       "domain %u takes a PASID the shim allocates: give none", sd->id);
		goto out_free_handle;
	}
	pasid = sd->core_only ? c->pasid : shim_pasid_alloc(sd->dev);
	if (pasid == IOMMU_PASID_INVALID) {
		ret = shim_why(c->msg, -ENOSPC, "no free PASID for %s", dev_name(sd->dev));
		goto out_free_handle;
	}
	ret = shim_attach_device_pasid(sd->domain, sd->dev, pasid, h);
	if (ret) {
		shim_why(c->msg, ret, "%s refused domain %u on PASID %u", dev_name(sd->dev),
			 sd->id, pasid);
		goto out_free_pasid;
	}
	sd->att[sd->natt++] = (struct shim_attach){ .pasid = pasid, .handle = h,
						    .own_pasid = !sd->core_only };
	c->pasid = pasid;
	goto out_log;

out_free_pasid:
	if (!sd->core_only)
		shim_pasid_free(pasid);
out_free_handle:
	kfree(h);
out_log:
	shim_log(&(struct shim_logrec){ .op = c->flags & ITR_SHIM_RID ? "attach-rid" : "attach",
					.dev = sd->dev, .domain = sd->id, .pasid = pasid, .ret = ret });
out_unlock:
	mutex_unlock(&shim_lock);
	return ret;
}

/* Undo attachment a of sd (shim_lock held). */
static void detach_one(struct shim_domain *sd, struct shim_attach *a)
{
	u32 pasid = a->pasid;

	if (pasid == IOMMU_NO_PASID) {
		/* a plain detach: the core puts the RID back on its core domain */
		if (iommu_get_domain_for_dev(sd->dev) == sd->domain)
			iommu_detach_device(sd->domain, sd->dev);
		else
			pr_warn("%s: its RID left domain %u behind the shim's back\n",
				dev_name(sd->dev), sd->id);
	} else {
		shim_detach_device_pasid(sd->domain, sd->dev, pasid);
		if (a->own_pasid)
			shim_pasid_free(pasid);
		kfree(a->handle);
	}
	att_drop(sd, a);
	shim_log(&(struct shim_logrec){ .op = pasid == IOMMU_NO_PASID ? "detach-rid" : "detach",
					.dev = sd->dev, .domain = sd->id, .pasid = pasid });
}

int shim_aux_detach(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct shim_domain *sd;
	struct shim_attach *a;
	u32 pasid;
	int ret = 0;

	if (c->flags & ~ITR_SHIM_RID)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	pasid = c->flags & ITR_SHIM_RID ? IOMMU_NO_PASID : c->pasid;
	if (!(c->flags & ITR_SHIM_RID) && pasid == IOMMU_NO_PASID)
		return shim_why(c->msg, -EINVAL, "PASID 0 is the RID (use the RID flag)");
	mutex_lock(&shim_lock);
	sd = dom_find(f, c->domain, c->msg, &ret);
	if (!sd)
		goto out_unlock;
	a = att_find(sd, pasid);
	if (!a) {
		ret = pasid == IOMMU_NO_PASID ?
		      shim_why(c->msg, -ENOENT, "domain %u is not on %s's RID", sd->id, dev_name(sd->dev)) :
		      shim_why(c->msg, -ENOENT, "domain %u is not on PASID %u", sd->id, pasid);
		goto out_unlock;
	}
	detach_one(sd, a);
out_unlock:
	mutex_unlock(&shim_lock);
	return ret;
}

int shim_aux_replace(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct shim_domain *from, *to;
	struct iommu_attach_handle *h;
	struct shim_attach *a;
	int ret;

	if (c->flags)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	if (c->pasid == IOMMU_NO_PASID)
		return shim_why(c->msg, -EINVAL, "PASID 0 is the RID: replace moves a PASID");
	mutex_lock(&shim_lock);
	from = dom_find(f, c->domain, c->msg, &ret);
	to = from ? dom_find(f, c->domain2, c->msg, &ret) : NULL;
	if (!to)
		goto out_unlock;
	a = att_find(from, c->pasid);
	ret = -ENOENT;
	if (!a) {
		shim_why(c->msg, ret, "domain %u is not on PASID %u", from->id, c->pasid);
		goto out_unlock;
	}
	if (to->dev != from->dev) {
		ret = shim_why(c->msg, -EINVAL, "domain %u is for %s, domain %u for %s", from->id,
			       dev_name(from->dev), to->id, dev_name(to->dev));
		goto out_unlock;
	}
	if (from == to || to->natt == ITR_SHIM_ATTACH_MAX) {
		ret = shim_why(c->msg, from == to ? -EINVAL : -ENOSPC,
			       "domain %u cannot take PASID %u", to->id, c->pasid);
		goto out_unlock;
	}
	h = kzalloc(sizeof(*h), GFP_KERNEL);	/* the core wants a new handle */
	if (!h) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	ret = shim_replace_device_pasid(from->domain, to->domain, from->dev, c->pasid, h);
	if (ret) {
		kfree(h);
		shim_why(c->msg, ret, "%s refused domain %u on PASID %u%s", dev_name(from->dev),
			 to->id, c->pasid, SHIM_REPLACE_ATOMIC ? "" : " (the old domain is back)");
	} else {
		bool own = a->own_pasid;

		kfree(a->handle);
		att_drop(from, a);
		to->att[to->natt++] = (struct shim_attach){ .pasid = c->pasid, .handle = h,
							    .own_pasid = own };
	}
	shim_log(&(struct shim_logrec){ .op = "replace", .dev = from->dev, .domain = to->id,
					.old = from->id, .pasid = c->pasid, .ret = ret });
out_unlock:
	mutex_unlock(&shim_lock);
	return ret;
}

/* --- mappings ------------------------------------------------------------- */

static struct shim_map *map_overlap(struct shim_domain *sd, u64 iova, u64 length)
{
	struct shim_map *m;

	list_for_each_entry(m, &sd->maps, node)
		if (iova < m->iova + m->length && m->iova < iova + length)
			return m;
	return NULL;
}

int shim_aux_map(struct shim_file *f, struct itr_shim_cmd *c)
{
	const struct iommu_domain_geometry *g;
	struct shim_domain *sd;
	struct shim_map *m;
	int ret;

	if (c->flags)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	if (!c->length || c->length > ITR_SHIM_MAP_MAX || !PAGE_ALIGNED(c->length) ||
	    !PAGE_ALIGNED(c->iova) || c->iova + c->length < c->iova)
		return shim_why(c->msg, -EINVAL, "iova 0x%llx length 0x%llx: want page-aligned, 1 page to %u bytes",
				c->iova, c->length, ITR_SHIM_MAP_MAX);
	mutex_lock(&shim_lock);
	sd = dom_find(f, c->domain, c->msg, &ret);
	if (!sd)
		goto out_unlock;
	g = &sd->domain->geometry;
	if (g->force_aperture && (c->iova < g->aperture_start ||
				  c->iova + c->length - 1 > g->aperture_end)) {
		ret = shim_why(c->msg, -EINVAL, "iova 0x%llx+0x%llx is outside domain %u's aperture [0x%llx, 0x%llx]",
			       c->iova, c->length, sd->id, (u64)g->aperture_start, (u64)g->aperture_end);
		goto out_unlock;
	}
	if (sd->nmaps == ITR_SHIM_MAPS_MAX || map_overlap(sd, c->iova, c->length)) {
		ret = shim_why(c->msg, sd->nmaps == ITR_SHIM_MAPS_MAX ? -ENOSPC : -EEXIST,
			       "domain %u: %s", sd->id, sd->nmaps == ITR_SHIM_MAPS_MAX ?
			       "too many mappings" : "the range overlaps a mapping");
		goto out_unlock;
	}
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	m->iova = c->iova;
	m->length = c->length;
	m->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, get_order(c->length));
	if (!m->pages) {
		ret = -ENOMEM;
		goto out_free_map;
	}
	ret = shim_iommu_map(sd->domain, c->iova, page_to_phys(m->pages), c->length,
			     IOMMU_READ | IOMMU_WRITE);
	if (ret) {
		shim_why(c->msg, ret, "the IOMMU refused the map");
		goto out_free_pages;
	}
	list_add_tail(&m->node, &sd->maps);
	sd->nmaps++;
	goto out_log;

out_free_pages:
	__free_pages(m->pages, get_order(c->length));
out_free_map:
	kfree(m);
out_log:
	shim_log(&(struct shim_logrec){ .op = "map", .dev = sd->dev, .domain = sd->id,
					.iova = c->iova, .length = c->length, .ret = ret });
out_unlock:
	mutex_unlock(&shim_lock);
	return ret;
}

/* Unmap m; keeps it (and its pages, which DMA may still reach) on a short unmap. */
static int unmap_one(struct shim_domain *sd, struct shim_map *m)
{
	size_t done = iommu_unmap(sd->domain, m->iova, m->length);
	int ret = done == m->length ? 0 : -EIO;

	shim_log(&(struct shim_logrec){ .op = "unmap", .dev = sd->dev, .domain = sd->id,
					.iova = m->iova, .length = m->length, .ret = ret });
	if (ret)
		return ret;
	list_del(&m->node);
	sd->nmaps--;
	__free_pages(m->pages, get_order(m->length));
	kfree(m);
	return 0;
}

int shim_aux_unmap(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct shim_domain *sd;
	struct shim_map *m;
	int ret;

	if (c->flags)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	mutex_lock(&shim_lock);
	sd = dom_find(f, c->domain, c->msg, &ret);
	if (!sd)
		goto out_unlock;
	m = map_overlap(sd, c->iova, c->length ? c->length : 1);
	if (!m || m->iova != c->iova || m->length != c->length) {
		ret = shim_why(c->msg, -ENOENT, "domain %u has no mapping of exactly 0x%llx+0x%llx",
			       sd->id, c->iova, c->length);
		goto out_unlock;
	}
	ret = unmap_one(sd, m);
	if (ret)
		shim_why(c->msg, ret, "the IOMMU unmapped less than asked: the pages stay");
out_unlock:
	mutex_unlock(&shim_lock);
	return ret;
}

/* --- free, release, list ------------------------------------------------------ */

/* Undo sd entirely (shim_lock held): detach, unmap, free. */
static void dom_destroy(struct shim_domain *sd)
{
	struct shim_map *m, *tmp;
	int i;

	for (i = sd->natt - 1; i >= 0; i--)	/* PASIDs before the RID it was added before */
		if (sd->att[i].pasid != IOMMU_NO_PASID)
			detach_one(sd, &sd->att[i]);
	while (sd->natt)
		detach_one(sd, &sd->att[0]);
	list_for_each_entry_safe(m, tmp, &sd->maps, node)
		if (unmap_one(sd, m))
			pr_warn("domain %u: 0x%llx+0x%llx stays mapped: its pages leak\n",
				sd->id, m->iova, m->length);
	xa_erase(&shim_domains, sd->id);
	list_del(&sd->fnode);
	if (list_empty(&sd->maps))
		iommu_domain_free(sd->domain);
	shim_log(&(struct shim_logrec){ .op = "free", .dev = sd->dev, .domain = sd->id });
	put_device(sd->dev);
	kfree(sd);
}

int shim_aux_free(struct shim_file *f, struct itr_shim_cmd *c)
{
	struct shim_domain *sd;
	int ret = 0;

	if (c->flags)
		return shim_why(c->msg, -EINVAL, "unknown flags 0x%x", c->flags);
	mutex_lock(&shim_lock);
	sd = dom_find(f, c->domain, c->msg, &ret);
	if (sd)
		dom_destroy(sd);
	mutex_unlock(&shim_lock);
	return ret;
}

void shim_aux_release(struct shim_file *f)
{
	struct shim_domain *sd, *tmp;
	unsigned long id;

	mutex_lock(&shim_lock);
	if (f) {
		list_for_each_entry_safe(sd, tmp, &f->domains, fnode)
			dom_destroy(sd);
	} else {
		xa_for_each(&shim_domains, id, sd)
			dom_destroy(sd);
	}
	mutex_unlock(&shim_lock);
}

int shim_aux_list(struct shim_file *f, struct itr_shim_list *l)
{
	struct iommu_domain *rid;
	struct shim_domain *sd;
	struct device *dev;
	unsigned long id;
	int ret, i;

	dev = shim_dev_get(l->dev, l->msg, &ret);
	if (!dev)
		return ret;
	l->max_pasids = shim_dev_max_pasids(dev);
	mutex_lock(&shim_lock);
	rid = iommu_get_domain_for_dev(dev);
	l->e[0] = (struct itr_shim_entry){ .pasid = IOMMU_NO_PASID, .type = dom_type(rid), .kernel = 1 };
	l->n = 1;
	xa_for_each(&shim_domains, id, sd) {
		if (sd->dev != dev)
			continue;
		if (sd->domain == rid)
			l->e[0].domain = sd->id;
		for (i = 0; i < sd->natt && l->n < ITR_SHIM_LIST_MAX; i++) {
			struct iommu_domain *now;

			if (sd->att[i].pasid == IOMMU_NO_PASID)
				continue;
			now = shim_group_pasid_domain(dev->iommu_group, sd->att[i].pasid);
			l->e[l->n++] = (struct itr_shim_entry){
				.pasid = sd->att[i].pasid, .domain = sd->id,
				.type = dom_type(sd->domain), .kernel = now == sd->domain };
		}
	}
	mutex_unlock(&shim_lock);
	put_device(dev);
	return 0;
}

void shim_aux_status(struct itr_shim_status *s)
{
	struct shim_domain *sd;
	struct shim_map *m;
	unsigned long id;

	mutex_lock(&shim_lock);
	xa_for_each(&shim_domains, id, sd) {
		s->domains++;
		s->attachments += sd->natt;
		s->maps += sd->nmaps;
		list_for_each_entry(m, &sd->maps, node)
			s->mapped_bytes += m->length;
	}
	mutex_unlock(&shim_lock);
}
