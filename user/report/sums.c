// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report's sums (user/report/internal.h), keyed by domain id and by
 * process, because the model forgets freed domains; the histograms; and
 * the parts of the report in the order they are shown.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "report/internal.h"

const struct report_domain *report_domain_find(const struct report *r, __u64 id)
{
	return id ? htab_get(&r->domains, htab_key(id)) : NULL;
}

static struct report_domain *dom_get(struct report *r, __u64 id)
{
	struct report_domain *d;
	bool created;

	d = htab_get_or_new(&r->domains, htab_key(id), sizeof(*d), &created);
	if (d && created) {
		d->id = id;
		d->seq = r->ndomains++;
		d->type = ITR_DOM_UNKNOWN;
	}
	return d;
}

static void dom_add_dev(struct report_domain *d, const char *name)
{
	int i;

	for (i = 0; i < d->ndevs; i++)
		if (!strcmp(d->devs[i], name))
			return;
	if (d->ndevs < REPORT_MAX_DEVS)
		snprintf(d->devs[d->ndevs++], ITR_DEV_LEN, "%s", name);
}

/* Copy what the model knows of a live domain: its groups and devices now. */
static void dom_refresh(struct report *r, struct report_domain *d)
{
	const struct model *m = &r->p.model;
	const struct m_domain *md = d ? domain_find(m, d->id) : NULL;
	const struct m_device *dev;
	size_t pos = 0;
	int i;

	if (!md)
		return;
	if (md->type != ITR_DOM_UNKNOWN)
		d->type = md->type;
	if (md->hwpt_id)
		d->hwpt_id = md->hwpt_id;
	d->ngroups = md->ngroups < REPORT_MAX_GROUPS ? md->ngroups : REPORT_MAX_GROUPS;
	memcpy(d->groups, md->groups, d->ngroups * sizeof(d->groups[0]));
	d->ndevs = 0;
	while ((dev = htab_next(&m->devices, &pos, NULL))) {
		bool on = dev->domain_id == d->id;

		for (i = 0; i < dev->npasids && !on; i++)
			on = dev->pasids[i].domain_id == d->id;
		if (on)
			dom_add_dev(d, dev->name);
	}
}

static struct report_proc *proc_get(struct report *r, const struct itr_hdr *h)
{
	char comm[ITR_COMM_LEN];
	struct report_proc *p;
	bool created;
	__u64 k;

	report_comm(comm, h);
	k = htab_str(comm) ^ ((__u64)h->tgid * 0x9e3779b97f4a7c15ULL);
	for (;; k++) {	/* a hash collision moves on to the next key */
		p = htab_get_or_new(&r->procs, htab_key(k), sizeof(*p), &created);
		if (!p)
			return NULL;
		if (created) {
			p->tgid = h->tgid;
			memcpy(p->comm, comm, sizeof(comm));
			return p;
		}
		if (p->tgid == h->tgid && !strcmp(p->comm, comm))
			return p;
	}
}

static int sum_map(struct report *r, const struct itr_event *ev, struct report_domain *d)
{
	const struct itr_hdr *h = ev->h;
	__u64 len = ev->kind == ITR_EV_MAP_SG ? ev->map->done : ev->map->size;
	struct report_proc *p;

	hist_add(&r->map_size, len);
	if (ev->map->latency_ns)
		hist_add(&r->map_lat, ev->map->latency_ns);
	if (!(p = proc_get(r, h)))
		return -ENOMEM;
	p->maps++;
	if (!h->ret)
		p->map_bytes += len;
	if (d) {
		d->maps++;
		if (h->ret)
			d->map_errors++;
		else
			d->bytes_mapped += len;
	}
	return 0;
}

static int sum_unmap(struct report *r, const struct itr_event *ev, struct report_domain *d)
{
	const struct itr_hdr *h = ev->h;
	struct report_proc *p;

	if (!(p = proc_get(r, h)))
		return -ENOMEM;
	p->unmaps++;
	if (!h->ret)
		p->unmap_bytes += ev->map->done;
	if (d) {
		d->unmaps++;
		if (h->ret)
			d->unmap_errors++;
		else
			d->bytes_unmapped += ev->map->done;
	}
	return 0;
}

/*
 * A row is one domain's life: a domain at the address of a freed one (the
 * kernel reuses them), or allocated again, gets a row of its own; the old
 * one is kept under another key.
 */
static struct report_domain *dom_for(struct report *r, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct report_domain *d = dom_get(r, h->domain_id);

	if (!d || !(d->freed || (ev->kind == ITR_EV_DOMAIN_ALLOC && !h->ret && d->alloc_seen)) ||
	    ev->kind == ITR_EV_DOMAIN_FREE)
		return d;
	if (htab_put(&r->domains, htab_key(d->id ^ ((d->seq + 1) * 0x9e3779b97f4a7c15ULL)), d))
		return NULL;
	htab_del(&r->domains, htab_key(d->id));
	return dom_get(r, h->domain_id);
}

int report_sum_event(struct report *r, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	struct report_domain *d = NULL;

	if (h->domain_id && !(d = dom_for(r, ev)))
		return -ENOMEM;
	if (d && h->domain_type != ITR_DOM_UNKNOWN && ev->kind != ITR_EV_IOCTL)
		d->type = h->domain_type;
	switch (ev->kind) {
	case ITR_EV_DOMAIN_ALLOC:
		if (d && !h->ret) {
			d->alloc_seen = true;
			d->freed = false;
		}
		break;
	case ITR_EV_DOMAIN_FREE:
		if (d)
			d->freed = true;
		break;
	case ITR_EV_ATTACH ... ITR_EV_PASID_REPLACE:
		dom_refresh(r, d);
		dom_refresh(r, (struct report_domain *)report_domain_find(r, ev->attach->old_domain_id));
		break;
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG:
		return sum_map(r, ev, d);
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		return sum_unmap(r, ev, d);
	case ITR_EV_IOCTL:
		hist_add(&r->ioctl_lat, ev->ioctl->latency_ns);
		break;
	case ITR_EV_HWPT_DOMAIN:
		if (d && !h->ret)
			d->hwpt_id = ev->join->hwpt_id;
		break;
	default:
		break;
	}
	return 0;
}

void report_sums_fini(struct report *r)
{
	void *v;
	size_t pos = 0;

	while ((v = htab_next(&r->domains, &pos, NULL)))
		free(v);
	pos = 0;
	while ((v = htab_next(&r->procs, &pos, NULL)))
		free(v);
	htab_fini(&r->domains);
	htab_fini(&r->procs);
}

/* --- the parts, sorted ---------------------------------------------------- */

static int cmp_seq(const void *a, const void *b)
{
	const struct report_domain *x = *(const struct report_domain *const *)a;
	const struct report_domain *y = *(const struct report_domain *const *)b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct report_domain **report_domains_sorted(struct report *r, size_t *n)
{
	struct report_domain **a, *d;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->domains.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((d = htab_next(&r->domains, &pos, NULL))) {
		const struct m_domain *md = domain_find(&r->p.model, d->id);

		d->tracked = false;
		d->live_mappings = d->live_bytes = 0;
		if (md && !d->freed) {
			dom_refresh(r, d);
			d->tracked = domain_tracked(&r->p.model, md);
			if (d->tracked && md->maps) {
				d->live_mappings = ivset_count(md->maps);
				d->live_bytes = ivset_bytes(md->maps);
			}
		}
		if (!d->hwpt_id)
			d->hwpt_id = hwpt_of_domain(&r->p.model, d->id);
		a[i++] = d;
	}
	qsort(a, i, sizeof(*a), cmp_seq);	/* seq is unique: order of appearance */
	*n = i;
	return a;
}

static int cmp_dev(const void *a, const void *b)
{
	return strcmp((*(const struct m_device *const *)a)->name,
		      (*(const struct m_device *const *)b)->name);
}

const struct m_device **report_devices_sorted(const struct report *r, size_t *n)
{
	const struct m_device **a, *d;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->p.model.devices.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((d = htab_next(&r->p.model.devices, &pos, NULL)))
		a[i++] = d;
	qsort(a, i, sizeof(*a), cmp_dev);
	*n = i;
	return a;
}

/* Most map calls first, then most bytes, then by tgid and comm. */
static int cmp_proc(const void *a, const void *b)
{
	const struct report_proc *x = *(const struct report_proc *const *)a;
	const struct report_proc *y = *(const struct report_proc *const *)b;

	if (x->maps != y->maps)
		return x->maps > y->maps ? -1 : 1;
	if (x->map_bytes != y->map_bytes)
		return x->map_bytes > y->map_bytes ? -1 : 1;
	if (x->tgid != y->tgid)
		return x->tgid < y->tgid ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

const struct report_proc **report_procs_sorted(const struct report *r, size_t *n)
{
	const struct report_proc **a, *p;
	size_t pos = 0, i = 0;

	*n = 0;
	a = calloc(r->procs.n + 1, sizeof(*a));
	if (!a)
		return NULL;
	while ((p = htab_next(&r->procs, &pos, NULL)))
		a[i++] = p;
	qsort(a, i, sizeof(*a), cmp_proc);
	*n = r->top > 0 && (size_t)r->top < i ? (size_t)r->top : i;
	return a;
}
