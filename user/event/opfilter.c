// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* --fd, --ioas, --hwpt, --container: filters on VFIO/iommufd operations. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "event/ioctl.h"
#include "event/opfilter.h"

/* Why a domain is followed: the HWPT it backs is --ioas's or --hwpt's. */
#define FOLLOW_IOAS 1u
#define FOLLOW_HWPT 2u

/* Fields of ioctl arguments that name an IOAS, or an HWPT (pt_id: either). */
static const char *const ioas_fields[] = {
	"ioas_id", "out_ioas_id", "dst_ioas_id", "src_ioas_id", "pt_id", NULL,
};
static const char *const hwpt_fields[] = {
	"hwpt_id", "out_hwpt_id", "pt_id", "id", NULL,
};

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

static int parse_num(const char *arg, long long min, long long max, long long *out)
{
	char *end;

	if (*arg < '0' || *arg > '9')	/* no sign, no blanks */
		return -EINVAL;
	errno = 0;
	*out = strtoll(arg, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -EINVAL;
	return 0;
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

static const struct argp_option options[] = {
	{ "fd", OPFILTER_FD, "N", 0,
	  "Only VFIO/iommufd ioctls on fd N and the events they caused (with --pid: fds are per process)", 0 },
	{ "ioas", OPFILTER_IOAS, "ID", 0,
	  "Only ioctls naming iommufd IOAS ID, its HWPTs' hwpt_domain records and their domains' events", 0 },
	{ "hwpt", OPFILTER_HWPT, "ID", 0,
	  "Only ioctls naming iommufd HWPT ID, its hwpt_domain record and its domain's events", 0 },
	{ "container", OPFILTER_CONTAINER, "FD", 0,
	  "Only events of the VFIO container opened as fd FD (its ioctls, what they caused, SET_CONTAINER to it)", 0 },
	{},
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opfilter *f = state->input;
	char why[128];

	if (key == ARGP_KEY_INIT) {
		if (f)
			opfilter_init(f);
		return 0;
	}
	if (!cli_option_name(options, key))
		return ARGP_ERR_UNKNOWN;
	if (opfilter_parse(f, key, arg, why, sizeof(why))) {
		argp_error(state, "invalid --%s '%s': %s", cli_option_name(options, key), arg, why);
		return EINVAL;
	}
	return 0;
}

const struct argp opfilter_argp = { options, parse_opt, NULL, NULL, NULL, NULL, NULL };

/* Made inside a VFIO/iommufd ioctl (or the ioctl's own record). */
static bool in_op(const struct itr_event *ev)
{
	return ev->kind == ITR_EV_IOCTL || ev->h->ctx.op_id;
}

/* Whether a decoded argument field among names has value id (at entry or exit). */
static bool names_id(const struct ioctl_decoded *d, const char *const *names, __u64 id)
{
	int i, j;

	for (i = 0; i < d->n; i++)
		for (j = 0; names[j]; j++)
			if (!strcmp(d->v[i].f->name, names[j]) &&
			    (d->v[i].v == id || d->v[i].in == id))
				return true;
	return false;
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
			 const struct ioctl_decoded *d, __u32 id, const char *const *names,
			 unsigned int why)
{
	if (ev->kind == ITR_EV_IOCTL)
		return names_id(d, names, id);
	if (ev->kind == ITR_EV_HWPT_DOMAIN)
		return (why == FOLLOW_IOAS ? ev->join->ioas_id : ev->join->hwpt_id) == id;
	return on_followed_domain(f, ev, why);
}

static bool match_container(const struct opfilter *f, const struct itr_event *ev,
			    const struct ioctl_decoded *d)
{
	unsigned int i;

	if (ev->kind == ITR_EV_IOCTL && ev->h->ctx.layer == ITR_LAYER_VFIO_GROUP &&
	    names_id(d, (const char *const[]){ "container_fd", NULL }, f->container))
		return true;
	for (i = 0; in_op(ev) && i < f->nfiles; i++)
		if (f->files[i] == ev->h->ctx.file_id)
			return true;
	return false;
}

bool opfilter_match(struct opfilter *f, const struct itr_event *ev)
{
	struct ioctl_decoded d = {};
	bool ok = true;

	if (!opfilter_active(f))
		return true;
	learn(f, ev);
	if (ev->kind == ITR_EV_IOCTL)
		ioctl_decode(ev->ioctl, &d);
	if (f->fd >= 0 && !(in_op(ev) && ev->h->ctx.fd == f->fd))
		ok = false;
	if (ok && f->container >= 0 && !match_container(f, ev, &d))
		ok = false;
	if (ok && f->ioas && !match_object(f, ev, &d, f->ioas, ioas_fields, FOLLOW_IOAS))
		ok = false;
	if (ok && f->hwpt && !match_object(f, ev, &d, f->hwpt, hwpt_fields, FOLLOW_HWPT))
		ok = false;
	if (ev->kind == ITR_EV_DOMAIN_FREE && ev->h->domain_id)
		forget(f, ev->h->domain_id);
	return ok;
}
