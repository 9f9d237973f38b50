// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --fd, --ioas, --hwpt, --container: filters on VFIO/iommufd operations. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "event/ioctl.h"
#include "event/opfilter.h"
#include "lib/parse.h"

/* Why a domain is followed: the HWPT it backs is --ioas's or --hwpt's. */
#define FOLLOW_IOAS 1u
#define FOLLOW_HWPT 2u

/* Roles of ioctl fields that name an IOAS, or an HWPT (a page table id: either). */
#define IOAS_ROLES (1u << IOR_IOAS | 1u << IOR_PT)
#define HWPT_ROLES (1u << IOR_HWPT | 1u << IOR_PT | 1u << IOR_OBJECT)

void opfilter_init(struct opfilter *f)
{
	memset(f, 0, sizeof(*f));
	f->fd = -1;
	f->container = -1;
}

bool opfilter_active(const struct opfilter *f)
{
	return f->fd >= 0 || f->ioas || f->hwpt || f->container >= 0;
}

int opfilter_parse(struct opfilter *f, int key, const char *arg, char *why, size_t len)
{
	long long n;

	why[0] = '\0';
	switch (key) {
	case OPFILTER_FD:
	case OPFILTER_CONTAINER:
		if (parse_num(arg, 0, INT_MAX, &n)) {
			snprintf(why, len, "want a file descriptor number >= 0");
			return -EINVAL;
		}
		*(key == OPFILTER_FD ? &f->fd : &f->container) = n;
		return 0;
	case OPFILTER_IOAS:
	case OPFILTER_HWPT:
		if (parse_num(arg, 1, UINT_MAX, &n)) {
			snprintf(why, len, "want an iommufd object id >= 1");
			return -EINVAL;
		}
		*(key == OPFILTER_IOAS ? &f->ioas : &f->hwpt) = n;
		return 0;
	}
	snprintf(why, len, "unknown filter option %d", key);
	return -EINVAL;
}


/* Made inside a VFIO/iommufd ioctl (or the ioctl's own record). */
static bool in_op(const struct itr_event *ev)
{
	return ev->kind == ITR_EV_IOCTL || ev->h->ctx.op_id;
}

static unsigned int followed(const struct opfilter *f, __u64 domain_id)
{
	unsigned int i, why = 0;

	for (i = 0; domain_id && i < OPFILTER_NDOMAINS; i++)
		if (f->domains[i].id == domain_id)
			why |= f->domains[i].why;
	return why;
}

static void learn(struct opfilter *f, const struct itr_event *ev)
{
	const struct itr_ctx *c = &ev->h->ctx;
	unsigned int i, why = 0;

	if (f->container >= 0 && in_op(ev) && c->layer == ITR_LAYER_VFIO_CONTAINER &&
	    c->fd == f->container && c->file_id) {
		for (i = 0; i < f->nfiles && f->files[i] != c->file_id; i++)
			;
		if (i == f->nfiles) {
			if (f->nfiles == OPFILTER_NFILES)
				f->evicted++;
			f->files[f->nfiles % OPFILTER_NFILES] = c->file_id;
			if (f->nfiles < OPFILTER_NFILES)
				f->nfiles++;
		}
	}
	if (ev->kind != ITR_EV_HWPT_DOMAIN || !ev->h->domain_id)
		return;
	if (f->ioas && ev->join->ioas_id == f->ioas)
		why |= FOLLOW_IOAS;
	if (f->hwpt && ev->join->hwpt_id == f->hwpt)
		why |= FOLLOW_HWPT;
	if (why && (followed(f, ev->h->domain_id) & why) != why) {
		if (f->domains[f->next_domain].id)
			f->evicted++;
		f->domains[f->next_domain].id = ev->h->domain_id;
		f->domains[f->next_domain].why = why;
		f->next_domain = (f->next_domain + 1) % OPFILTER_NDOMAINS;
	}
}

static void forget(struct opfilter *f, __u64 domain_id)
{
	unsigned int i;

	for (i = 0; i < OPFILTER_NDOMAINS; i++)
		if (f->domains[i].id == domain_id)
			f->domains[i].id = 0;
}

/* The record's domains (attach: the old one too) followed for this reason. */
static bool on_followed_domain(const struct opfilter *f, const struct itr_event *ev,
			       unsigned int why)
{
	if (followed(f, ev->h->domain_id) & why)
		return true;
	return ev->shape == ITR_SHAPE_ATTACH && (followed(f, ev->attach->old_domain_id) & why);
}

static bool match_object(const struct opfilter *f, const struct itr_event *ev,
			 __u32 id, __u32 roles, unsigned int why)
{
	if (ev->kind == ITR_EV_IOCTL)
		return ioctl_names_id(&ev->io, roles, id);
	if (ev->kind == ITR_EV_HWPT_DOMAIN)
		return (why == FOLLOW_IOAS ? ev->join->ioas_id : ev->join->hwpt_id) == id;
	return on_followed_domain(f, ev, why);
}

static bool match_container(const struct opfilter *f, const struct itr_event *ev)
{
	unsigned int i;

	if (ev->kind == ITR_EV_IOCTL && ev->h->ctx.layer == ITR_LAYER_VFIO_GROUP &&
	    ioctl_names_id(&ev->io, 1u << IOR_CONTAINER_FD, f->container))
		return true;
	for (i = 0; in_op(ev) && i < f->nfiles; i++)
		if (f->files[i] == ev->h->ctx.file_id)
			return true;
	return false;
}

bool opfilter_match(struct opfilter *f, const struct itr_event *ev)
{
	bool ok = true;

	if (!opfilter_active(f))
		return true;
	learn(f, ev);
	if (f->fd >= 0 && !(in_op(ev) && ev->h->ctx.fd == f->fd))
		ok = false;
	if (ok && f->container >= 0 && !match_container(f, ev))
		ok = false;
	if (ok && f->ioas && !match_object(f, ev, f->ioas, IOAS_ROLES, FOLLOW_IOAS))
		ok = false;
	if (ok && f->hwpt && !match_object(f, ev, f->hwpt, HWPT_ROLES, FOLLOW_HWPT))
		ok = false;
	if (ev->kind == ITR_EV_DOMAIN_FREE && ev->h->domain_id)
		forget(f, ev->h->domain_id);
	return ok;
}
