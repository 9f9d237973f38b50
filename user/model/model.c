// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's event dispatcher (user/model/model.h): each decoded event
 * updates the objects it names, then announces what changed (struct
 * m_change) to whoever listens (the checker). What a whole VFIO/iommufd
 * operation did is announced when its ioctl record, which comes last,
 * arrives (MC_OP_END).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/util.h"
#include "model/model.h"

static const char *const drop_names[MD_NDROPS] = {
	[MD_GROUP_MEMBER] = "group-member",
	[MD_GROUP_RESV] = "group-reserved-region",
	[MD_DEVICE_PASID] = "device-pasid",
	[MD_DOMAIN_GROUP] = "domain-group",
	[MD_CONTAINER_GROUP] = "container-group",
	[MD_OP_OBJECT] = "operation-object",
};

static const char *const change_names[MC_NKINDS] = {
	[MC_DOMAIN_FREE] = "domain-free",
	[MC_RID_DETACH] = "rid-detach",
	[MC_GROUP_DOMAIN] = "group-domain",
	[MC_PASID_ATTACH] = "pasid-attach",
	[MC_MAP] = "map",
	[MC_MAP_OVERLAP] = "map-overlap",
	[MC_UNMAP] = "unmap",
	[MC_GROUP_MEMBERS] = "group-members",
	[MC_MAP_REQUEST] = "map-request",
	[MC_PASID_DETACH_REQ] = "pasid-detach-request",
	[MC_OP_END] = "op-end",
};

const char *model_change_name(enum m_change_kind k)
{
	return (unsigned int)k < MC_NKINDS ? change_names[k] : "?";
}

const char *model_drop_name(enum m_drop d)
{
	return (unsigned int)d < MD_NDROPS ? drop_names[d] : "?";
}

void model_drop(struct model *m, enum m_drop why)
{
	if ((unsigned int)why < MD_NDROPS)
		m->dropped[why]++;
}

int model_init(struct model *m, const struct model_opts *o, model_change_fn changed, void *arg)
{
	memset(m, 0, sizeof(*m));
	if (o)
		m->o = *o;
	m->changed = changed;
	m->changed_arg = arg;
	return 0;
}

/* Tell the listener; c->ev and c->op_id default to the event being fed. */
static void announce(struct model *m, struct m_change *c, const struct itr_event *ev)
{
	c->ev = ev;
	if (!c->op_id)
		c->op_id = ev->h->ctx.op_id;
	if (m->changed)
		m->changed(m->changed_arg, m, c);
}

static void domain_dtor(void *v)
{
	domain_free_maps(v);
	free(v);
}

static void domain_del(struct model *m, struct m_domain *d)
{
	if (m->last_domain == d)
		m->last_domain = NULL;
	domain_dtor(htab_del(&m->domains, htab_key(d->id)));
}

static void free_all(struct htab *h, void (*dtor)(void *))
{
	size_t pos = 0;
	void *v;

	while ((v = htab_next(h, &pos, NULL)))
		dtor ? dtor(v) : free(v);
	htab_fini(h);
}

void model_fini(struct model *m)
{
	free_all(&m->devices, NULL);
	free_all(&m->groups, NULL);
	free_all(&m->domains, domain_dtor);
	m->last_domain = NULL;
	free_all(&m->containers, NULL);
	free_all(&m->hwpts, NULL);
	free_all(&m->ops, NULL);
	free_all(&m->ictxfds, NULL);
	htab_fini(&m->devfiles);	/* devices own them */
}

void model_lost(struct model *m, __u64 n, __u64 now_ns)
{
	(void)now_ns;
	m->lost += n;
}

/* --- domains ------------------------------------------------------------ */

static int on_domain_alloc(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct m_domain *d = domain_find(m, h->domain_id);

	if (h->ret)
		return 0;
	/*
	 * Seen before its alloc record: the same domain when it was first
	 * seen in the operation that allocates it (iommufd fills a new
	 * domain before the allocation returns); else an id reused.
	 */
	if (d && (d->alloc_seen || !h->ctx.op_id || d->first_op != h->ctx.op_id)) {
		domain_del(m, d);
		d = NULL;
	}
	if (!d && !(d = domain_get(m, h->domain_id, h->domain_type)))
		return -ENOMEM;
	d->alloc_seen = true;
	d->alloc_ns = h->ts_ns;
	d->tgid = h->tgid;
	return 0;
}

static int on_domain_free(struct model *m, const struct itr_event *ev)
{
	struct m_domain *d = domain_find(m, ev->h->domain_id);

	if (!d)
		return 0;
	announce(m, &(struct m_change){ .kind = MC_DOMAIN_FREE, .domain = d }, ev);
	if (d->hwpt_id) {	/* an HWPT goes with its domain (an automatic one has no DESTROY) */
		struct m_hwpt *hw = hwpt_find(m, d->ictx, d->hwpt_id);

		if (hw && hw->domain_id == d->id)
			free(htab_del(&m->hwpts, hw->key));
	}
	domain_del(m, d);
	return 0;
}

/* --- attach, detach, PASID ------------------------------------------------ */

/* Move group g (and its known members without their own record) to domain nd. */
static void group_move(struct model *m, struct m_group *g, __u64 nd, __u32 type)
{
	int i;

	if (g->domain_id != nd)
		domain_del_group(domain_find(m, g->domain_id), g->id);
	g->domain_id = nd;
	g->domain_type = type;
	g->gap = false;		/* known again */
	domain_add_group(m, domain_find(m, nd), g->id);
	for (i = 0; i < g->nmembers; i++) {
		g->members[i]->domain_id = nd;
		g->members[i]->domain_type = type;
		g->members[i]->gap = false;
	}
}

static int on_attach(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct itr_ev_attach *a = ev->attach;
	struct m_op *op = NULL;
	struct m_group *g = NULL;
	struct m_device *d = NULL;

	if (h->ctx.op_id && !(op = op_get(m, h->ctx.op_id, h->ts_ns)))
		return -ENOMEM;
	if (h->group_id >= 0 && !(g = group_get(m, h->group_id)))
		return -ENOMEM;
	if (h->dev[0]) {
		if (!(d = device_get(m, h->dev)))
			return -ENOMEM;
		d->known |= M_EVENT;
		if (g)
			group_add_member(m, g, d);
	}
	if (ev->kind == ITR_EV_DETACH && d && !h->ret) {
		announce(m, &(struct m_change){ .kind = MC_RID_DETACH, .dev = d }, ev);
		if (op)
			op->rid_detach = true;
	}
	if (op)
		op_note_attach(m, op, h->group_id, h->domain_id);
	if (h->ret)
		return 0;	/* the kernel reverted: nothing moved */
	domain_get(m, h->domain_id, h->domain_type);
	if (d) {
		d->domain_id = h->domain_id;
		d->domain_type = h->domain_type;
		d->gap = false;		/* known again */
		if (a->is_default)
			d->default_domain_id = h->domain_id;
		domain_add_group(m, domain_find(m, h->domain_id), h->group_id);
	} else if (g) {
		g->known |= M_EVENT;
		group_move(m, g, h->domain_id, h->domain_type);
	}
	if (g && h->ctx.file_id &&
	    (h->ctx.layer == ITR_LAYER_VFIO_CONTAINER || h->ctx.layer == ITR_LAYER_IOMMUFD) &&
	    h->domain_type == ITR_DOM_UNMANAGED) {
		struct m_container *c = container_get(m, h->ctx.file_id);

		if (!c)
			return -ENOMEM;
		container_add_group(m, c, g->id);
	}
	/*
	 * The kernel's own (no ioctl): judged at once, but a whole group's
	 * move, device by device, only at its group record, which comes last
	 * (between its device records the group is half moved, not split).
	 */
	if (!op && g && (!d || !(g->nmembers > 1)))
		announce(m, &(struct m_change){ .kind = MC_GROUP_DOMAIN, .group = g }, ev);
	return 0;
}

static int on_pasid(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct itr_ev_attach *a = ev->attach;
	struct m_device *d;
	struct m_op *op;

	if (!h->dev[0])
		return 0;
	d = device_get(m, h->dev);
	if (!d)
		return -ENOMEM;
	d->known |= M_EVENT;
	switch (ev->kind) {
	case ITR_EV_PASID_ATTACH:
		announce(m, &(struct m_change){ .kind = MC_PASID_ATTACH, .dev = d, .pasid = a->pasid }, ev);
		if (!h->ret && device_pasid_set(m, d, a->pasid, h->domain_id, h->ts_ns) == -ENOSPC)
			return 0;
		break;
	case ITR_EV_PASID_REPLACE:
		if (!h->ret)
			device_pasid_set(m, d, a->pasid, h->domain_id, h->ts_ns);
		break;
	case ITR_EV_PASID_DETACH:
		device_pasid_clear(d, a->pasid);
		op = op_find(m, h->ctx.op_id);
		if (op)
			op_note_pasid_detach(m, op, a->pasid);
		break;
	default:
		break;
	}
	if (h->ctx.op_id && !op_get(m, h->ctx.op_id, h->ts_ns))
		return -ENOMEM;
	return 0;
}

/* --- maps ------------------------------------------------------------------- */

static int on_map(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct itr_ev_map *mp = ev->map;
	/* domain_get: a record of another type is another domain (domain_renew) */
	struct m_domain *d = domain_get(m, h->domain_id, h->domain_type);
	__u64 len = ev->kind == ITR_EV_MAP_SG ? mp->done : mp->size;
	struct iv hit;
	int r;

	if (!d)
		return h->domain_id ? -ENOMEM : 0;
	if (h->ctx.op_id)
		d->last_user_op = h->ctx.op_id;
	d->maps_total++;
	announce(m, &(struct m_change){ .kind = MC_MAP, .domain = d }, ev);
	/* follow every complete domain; the rules judge only tracked ones */
	if (!d->complete || !len)
		return 0;
	if (!d->maps && !(d->maps = ivset_new()))
		return -ENOMEM;
	if (h->ret) {	/* refused: was it on top of a live mapping? */
		if (ivset_find(d->maps, mp->iova, mp->iova + len - 1, &hit) == 1)
			announce(m, &(struct m_change){ .kind = MC_MAP_OVERLAP, .domain = d, .hit = &hit }, ev);
		return 0;
	}
	r = ivset_insert(d->maps, mp->iova, len, &hit);
	if (r == 1) {
		announce(m, &(struct m_change){ .kind = MC_MAP_OVERLAP, .domain = d, .hit = &hit }, ev);
		r = ivset_insert_replace(d->maps, mp->iova, len);
	}
	return r == -ENOMEM ? r : 0;
}

static int on_unmap(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct itr_ev_map *mp = ev->map;
	struct m_domain *d = domain_find(m, h->domain_id);
	struct iv_removed r = {};
	__u64 len = mp->done > mp->size ? mp->done : mp->size;

	if (!d)
		return 0;
	if (h->domain_type != ITR_DOM_UNKNOWN && h->domain_type != d->type)
		d = domain_get(m, h->domain_id, h->domain_type);	/* renewed or retyped */
	d->unmaps_total++;
	if (h->ctx.op_id) {
		d->last_user_op = h->ctx.op_id;
		d->kunmap_count = d->kunmap_bytes = 0;
	} else {
		d->kunmap_count++;
		d->kunmap_bytes += mp->done;
	}
	if (!d->complete || !len)
		return 0;
	if (!d->maps && !(d->maps = ivset_new()))
		return -ENOMEM;
	if (ivset_remove(d->maps, mp->iova, len, &r) == -ENOMEM)
		return -ENOMEM;
	announce(m, &(struct m_change){ .kind = MC_UNMAP, .domain = d, .removed = &r }, ev);
	return 0;
}

/* --- groups ------------------------------------------------------------------ */

static int on_group(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct m_group *g = group_get(m, h->group_id);
	struct m_device *d = h->dev[0] ? device_get(m, h->dev) : NULL;

	if (!g || !d)
		return h->group_id < 0 || !h->dev[0] ? 0 : -ENOMEM;
	g->known |= M_EVENT;
	d->known |= M_EVENT;
	if (ev->kind == ITR_EV_GROUP_ADD) {
		group_add_member(m, g, d);
	} else {
		group_remove_member(g, d);
		d->pasid_gap = false;	/* its PASIDs went with it */
	}
	g->changed_ns = h->ts_ns;
	g->changed_op = h->ctx.op_id;
	g->changed_add = ev->kind == ITR_EV_GROUP_ADD;
	snprintf(g->changed_dev, sizeof(g->changed_dev), "%s", h->dev);
	announce(m, &(struct m_change){ .kind = MC_GROUP_MEMBERS, .group = g }, ev);
	return 0;
}

/* --- VFIO and iommufd ----------------------------------------------------------- */

/* A VFIO container opened or released (open/close records of that layer). */
static int on_container_file(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct m_container *c;

	if (ev->kind == ITR_EV_CLOSE) {
		free(htab_del(&m->containers, htab_key(h->ctx.file_id)));
		return 0;
	}
	c = container_get(m, h->ctx.file_id);
	if (!c)
		return h->ctx.file_id ? -ENOMEM : 0;
	c->fd = h->ctx.fd;
	c->tgid = h->tgid;
	return 0;
}

/* A device's iommufd view ends with its binding: unbind, or its file's release. */
static void device_view_clear(struct m_device *d)
{
	d->view_hwpt = 0;
	d->view_domain = 0;
}

static int on_file(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct m_device *d;

	if (h->ctx.layer == ITR_LAYER_VFIO_CONTAINER)
		return on_container_file(m, ev);
	if (h->ctx.layer != ITR_LAYER_VFIO_DEVICE || !h->dev[0])
		return 0;
	d = device_get(m, h->dev);
	if (!d)
		return -ENOMEM;
	d->known |= M_EVENT;
	if (ev->kind == ITR_EV_OPEN) {
		d->file_id = h->ctx.file_id;
		d->fd = h->ctx.fd;
		d->tgid = h->tgid;
		return h->ctx.file_id ? htab_put(&m->devfiles, htab_key(h->ctx.file_id), d) : 0;
	}
	if (d->file_id == h->ctx.file_id) {
		device_view_clear(d);
		d->file_id = 0;
		d->fd = -1;
	}
	htab_del(&m->devfiles, htab_key(h->ctx.file_id));
	return 0;
}

static int on_unbind(struct model *m, const struct itr_event *ev)
{
	struct m_device *d = ev->h->dev[0] ? device_find(m, ev->h->dev) : NULL;

	if (d) {
		device_view_clear(d);
		d->iommufd_fd = -1;
		d->iommufd_file = 0;
	}
	return 0;
}

static int on_join(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	__u64 ictx = model_ictx(m, ev);
	struct m_hwpt *hw = hwpt_get(m, ictx, ev->join->hwpt_id);
	struct m_domain *d = domain_get(m, h->domain_id, h->domain_type);

	if (!hw || (h->domain_id && !d))
		return -ENOMEM;
	hw->domain_id = h->domain_id;
	hw->ioas_id = ev->join->ioas_id;
	if (d) {
		/* a domain is one HWPT's: another HWPT's is another domain at a dead one's address */
		if (d->hwpt_id && (d->hwpt_id != hw->id || d->ictx != ictx))
			domain_renew(m, d, h->domain_type);
		d->hwpt_id = hw->id;
		d->ioas_id = hw->ioas_id;
		d->ictx = ictx;
	}
	return 0;
}

/* The groups on the domains of IOAS ioas_id's HWPTs (iommufd context ictx). */
static int ioas_groups(const struct model *m, __u64 ictx, __u32 ioas_id, __s32 *out, int max)
{
	const struct m_hwpt *hw;
	size_t pos = 0;
	int n = 0, i;

	while ((hw = htab_next(&m->hwpts, &pos, NULL))) {
		const struct m_domain *d;

		if (hw->ioas_id != ioas_id || hw->ictx != ictx)
			continue;
		d = domain_find(m, hw->domain_id);
		for (i = 0; d && i < d->ngroups && n < max; i++)
			out[n++] = d->groups[i];
	}
	return n;
}

/* A user's map request at an IOVA of its choosing, where its groups are attached. */
static void ioctl_map(struct model *m, const struct itr_event *ev)
{
	const struct ioctl_decoded *dc = &ev->io;
	struct m_change c = { .kind = MC_MAP_REQUEST };
	__u64 ioas;
	__s32 groups[16];

	if (!dc->op_flag || !ioctl_role(dc, IOR_IOVA, &c.iova) || !ioctl_role(dc, IOR_LENGTH, &c.size))
		return;
	if (ioctl_desc_role(dc->desc, IOR_IOAS)) {	/* iommufd: the IOAS's HWPTs' groups */
		if (!ioctl_role(dc, IOR_IOAS, &ioas))
			return;
		c.ngroups = ioas_groups(m, model_ictx(m, ev), ioas, groups, ARRAY_SIZE(groups));
		c.groups = groups;
	} else {	/* a VFIO container's groups */
		const struct m_container *ct = container_find(m, ev->h->ctx.file_id);

		if (!ct)
			return;
		c.groups = ct->groups;
		c.ngroups = ct->ngroups;
	}
	announce(m, &c, ev);
}

/* VFIO_DEVICE_{ATTACH,DETACH}_IOMMUFD_PT of device d: its own view of its HWPT. */
static void ioctl_device_pt(struct model *m, const struct itr_event *ev, struct m_device *d,
			    const struct m_op *op)
{
	const struct ioctl_decoded *dc = &ev->io;
	const struct itr_hdr *h = ev->h;
	__u64 v;

	if (dc->op == IOP_ATTACH_PT && !dc->op_flag && ioctl_role(dc, IOR_PT, &v)) {
		const struct m_group *g = group_find(m, d->group_id);

		d->view_hwpt = v;
		d->view_domain = d->domain_id;
		d->view_ns = h->ts_ns;
		d->view_op = h->ctx.op_id;
		if (g)
			announce(m, &(struct m_change){ .kind = MC_GROUP_DOMAIN, .group = g }, ev);
	} else if (dc->op == IOP_DETACH_PT && !dc->op_flag) {
		device_view_clear(d);
	} else if (dc->op == IOP_DETACH_PT && ioctl_role(dc, IOR_PASID, &v)) {
		announce(m, &(struct m_change){ .kind = MC_PASID_DETACH_REQ, .dev = d, .op = op,
						.pasid = v }, ev);
	}
}

static int on_ioctl(struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	const struct ioctl_decoded *dc = &ev->io;
	struct m_op *op = op_find(m, h->ctx.op_id);
	struct m_device *d = h->dev[0] ? device_find(m, h->dev) : NULL;
	__u64 v;
	int i;

	if (model_note_iommufd_fd(m, ev))
		return -ENOMEM;
	if (d && !h->ret && ioctl_role(dc, IOR_IOMMUFD_FD, &v)) {	/* VFIO_DEVICE_BIND_IOMMUFD */
		d->iommufd_fd = (__s32)v;
		d->iommufd_file = 0;
	}
	switch (dc->op) {
	case IOP_MAP:
		ioctl_map(m, ev);
		break;
	case IOP_ATTACH_PT:
	case IOP_DETACH_PT:
		if (d && !h->ret)
			ioctl_device_pt(m, ev, d, op);
		break;
	case IOP_DESTROY:
		if (!h->ret && ioctl_role(dc, IOR_OBJECT, &v)) {
			struct m_hwpt *hw = hwpt_find(m, model_ictx(m, ev), v);

			if (hw)
				free(htab_del(&m->hwpts, hw->key));
		}
		break;
	case IOP_NONE:
		break;
	}
	if (!h->ctx.op_id)
		return 0;
	for (i = 0; op && i < op->ngroups; i++) {
		const struct m_group *g = group_find(m, op->groups[i]);

		if (g)
			announce(m, &(struct m_change){ .kind = MC_GROUP_DOMAIN, .group = g }, ev);
	}
	announce(m, &(struct m_change){ .kind = MC_OP_END, .op = op }, ev);
	op_end(m, h->ctx.op_id);
	return 0;
}

int model_feed(struct model *m, const struct itr_event *ev)
{
	m->nevents++;
	m->last_ns = ev->h->ts_ns;
	m->cur_op = ev->h->ctx.op_id;
	switch (ev->kind) {
	case ITR_EV_DOMAIN_ALLOC:
		return on_domain_alloc(m, ev);
	case ITR_EV_DOMAIN_FREE:
		return on_domain_free(m, ev);
	case ITR_EV_ATTACH:
	case ITR_EV_DETACH:
		return on_attach(m, ev);
	case ITR_EV_PASID_ATTACH:
	case ITR_EV_PASID_DETACH:
	case ITR_EV_PASID_REPLACE:
		return on_pasid(m, ev);
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG:
		return on_map(m, ev);
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		return on_unmap(m, ev);
	case ITR_EV_GROUP_ADD:
	case ITR_EV_GROUP_REMOVE:
		return on_group(m, ev);
	case ITR_EV_IOCTL:
		return on_ioctl(m, ev);
	case ITR_EV_HWPT_DOMAIN:
		return on_join(m, ev);
	case ITR_EV_OPEN:
	case ITR_EV_CLOSE:
		return on_file(m, ev);
	case ITR_EV_UNBIND:
		return on_unbind(m, ev);
	default:	/* faults, locked pages: no state */
		return 0;
	}
}
