// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON-lines sink: one object per event, field names in docs/events.md,
 * written by the streaming writer (lib/jsonw_stream.h: no object tree per
 * event, escaping unit-tested; kernel strings' invalid UTF-8 bytes as '?').
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/jsonw_stream.h"
#include "sink/sink.h"

static void names(struct jws *w, const char *key, const struct itr_name *t, int n, unsigned int v)
{
	char buf[16];
	int i;

	jws_begin_array(w, key);
	for (i = 0; i < n; i++) {
		if (v & t[i].value) {
			jws_str(w, NULL, t[i].name);
			v &= ~t[i].value;
		}
	}
	if (v) {
		snprintf(buf, sizeof(buf), "0x%x", v);
		jws_str(w, NULL, buf);
	}
	jws_end_array(w);
}

/*
 * A domain's id and type, both null when there is no domain (id 0). Ids
 * are keyed hashes: 16 hex digits as a string, exact in any parser (jq's
 * doubles would round a 64-bit number).
 */
static void add_domain(struct jws *w, const char *id_key, const char *type_key, __u64 id, __u32 type)
{
	char buf[24];

	if (id) {
		jws_id(w, id_key, id);
		jws_str(w, type_key, domain_type_str(type, buf, sizeof(buf)));
	} else {
		jws_null(w, id_key);
		jws_null(w, type_key);
	}
}

static void fields_domain(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_domain *d = ev->domain;

	jws_u64(w, "pgsize_bitmap", d->pgsize_bitmap);
	jws_u64(w, "aperture_start", d->aperture_start);
	jws_u64(w, "aperture_end", d->aperture_end);
}

static void fields_attach(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_attach *a = ev->attach;

	add_domain(w, "old_domain_id", "old_domain_type", a->old_domain_id, a->old_domain_type);
	if (ev->kind >= ITR_EV_PASID_ATTACH && ev->kind <= ITR_EV_PASID_REPLACE)
		jws_u64(w, "pasid", a->pasid);
	jws_bool(w, "is_default", a->is_default);
}

static void fields_map(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_map *m = ev->map;
	bool is_map = ev->kind == ITR_EV_MAP || ev->kind == ITR_EV_MAP_SG;

	jws_u64(w, "iova", m->iova);
	if (is_map)
		jws_u64(w, "paddr", m->paddr);
	jws_u64(w, "size", m->size);
	jws_u64(w, "done", m->done);
	jws_u64(w, "latency_ns", m->latency_ns);
	if (is_map) {
		jws_u64(w, "prot", m->prot);
		names(w, "prot_names", itr_prot_names, itr_nprot_names, m->prot);
	}
	if (ev->kind == ITR_EV_MAP_SG)
		jws_u64(w, "nents", m->nents);
}

/* Groups, VFIO device or container files: the header says it all. */
static void fields_none(struct jws *w, const struct itr_event *ev)
{
	(void)w;
	(void)ev;
}

static void fields_unbind(struct jws *w, const struct itr_event *ev)
{
	jws_u64(w, "dev_id", ev->unbind->dev_id);
	jws_id(w, "iommufd_file_id", ev->unbind->iommufd_file_id);
}

static void fields_fault(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_fault *f = ev->fault;
	char buf[16];

	jws_u64(w, "iova", f->iova);
	jws_u64(w, "fault_flags", f->fault_flags);
	jws_str(w, "access", f->fault_flags & 1 ? "write" : "read");
	jws_str(w, "source", fault_source_str(f->source, buf, sizeof(buf)));
	jws_u64(w, "reason", f->reason);
}

/* An ioctl: its name, decoded argument and how the decoding went (event/ioctl.c). */
static void fields_ioctl(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_ioctl *io = ev->ioctl;
	const struct ioctl_decoded *d = &ev->io;
	int i;

	jws_str(w, "ioctl", d->name);
	jws_u64(w, "cmd", io->cmd);
	jws_u64(w, "arg_len", io->arg_len);
	jws_begin(w, "args");
	for (i = 0; i < d->n; i++) {
		if (d->v[i].f->fmt == IOCTL_FMT_SDEC)
			jws_i64(w, d->v[i].f->name, (__s64)d->v[i].v);
		else
			jws_u64(w, d->v[i].f->name, d->v[i].v);
	}
	if (d->has_str)
		jws_kstr(w, "name", d->str, sizeof(d->str));
	jws_end(w);
	jws_str(w, "decode", ioctl_status_str(d->status));
	if (d->status == IOCTL_UNKNOWN)
		jws_bool(w, "unknown", true);
	jws_u64(w, "latency_ns", io->latency_ns);
	if (ev->h->flags & ITR_F_LOCKED) {	/* type1's accounting, folded (ABI 7) */
		jws_i64(w, "locked_pages", io->locked_npages);
		jws_u64(w, "locked_vm", io->locked_vm);
	}
}

static void fields_locked(struct jws *w, const struct itr_event *ev)
{
	jws_i64(w, "npages", ev->locked->npages);
	jws_u64(w, "locked_vm", ev->locked->locked_vm);
}

static void fields_join(struct jws *w, const struct itr_event *ev)
{
	jws_u64(w, "hwpt_id", ev->join->hwpt_id);
	jws_u64(w, "ioas_id", ev->join->ioas_id);
}

/* A gap: the cumulative counts, by kind name (only kinds that lost any). */
static void fields_lost(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ev_lost *l = ev->lost;
	unsigned int k;

	jws_u64(w, "total", l->total);
	jws_begin(w, "by_kind");
	for (k = 1; k < ITR_LOST_KINDS; k++)
		if (l->by_kind[k])
			jws_u64(w, kind_name(k) ?: "?", l->by_kind[k]);
	jws_end(w);
}

static void (*const fields_fn[])(struct jws *, const struct itr_event *) = {
	[ITR_SHAPE_DOMAIN]	= fields_domain,
	[ITR_SHAPE_ATTACH]	= fields_attach,
	[ITR_SHAPE_MAP]		= fields_map,
	[ITR_SHAPE_GROUP]	= fields_none,
	[ITR_SHAPE_FAULT]	= fields_fault,
	[ITR_SHAPE_IOCTL]	= fields_ioctl,
	[ITR_SHAPE_LOCKED]	= fields_locked,
	[ITR_SHAPE_JOIN]	= fields_join,
	[ITR_SHAPE_FILE]	= fields_none,
	[ITR_SHAPE_UNBIND]	= fields_unbind,
	[ITR_SHAPE_LOST]	= fields_lost,
};

/*
 * The VFIO/iommufd operation a record ran inside: on ioctl records always,
 * on others only when there was one (op_id != 0). Device open and close
 * records always have it: their file_id and fd are the device file's.
 */
static void add_ctx(struct jws *w, const struct itr_event *ev)
{
	const struct itr_ctx *c = &ev->h->ctx;
	char buf[16];

	if (!c->op_id && ev->shape != ITR_SHAPE_IOCTL && ev->shape != ITR_SHAPE_FILE)
		return;
	jws_id(w, "op_id", c->op_id);
	jws_id(w, "file_id", c->file_id);
	jws_i64(w, "fd", c->fd);
	jws_str(w, "layer", layer_str(c->layer, buf, sizeof(buf)));
}

/* The event as one JSON object, appended to w. */
static void json_event_write(struct jws *w, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	char buf[24];

	jws_begin(w, NULL);
	jws_i64(w, "schema", ITR_ABI_VERSION);
	jws_str(w, "kind", kind_name(ev->kind));
	jws_u64(w, "ts_ns", h->ts_ns);
	jws_u64(w, "cpu", h->cpu);
	jws_u64(w, "pid", h->pid);
	jws_u64(w, "tgid", h->tgid);
	jws_kstr(w, "comm", h->comm, ITR_COMM_LEN);
	jws_u64(w, "cgroup_id", h->cgroup_id);
	add_domain(w, "domain_id", "domain_type", h->domain_id, h->domain_type);
	jws_i64(w, "group_id", h->group_id);
	if (h->dev[0])
		jws_kstr(w, "dev", h->dev, ITR_DEV_LEN);
	else
		jws_null(w, "dev");
	jws_i64(w, "ret", h->ret);
	if (h->ret < 0 && !(h->flags & ITR_F_NO_RET))
		jws_str(w, "error", ret_errno_str(h->ret, buf, sizeof(buf)));
	names(w, "flags", itr_flag_names, itr_nflag_names, h->flags);
	add_ctx(w, ev);
	fields_fn[ev->shape](w, ev);
	jws_end(w);
}

json_object *json_event_object(const struct itr_event *ev)
{
	struct jws w;
	json_object *o;

	jws_init(&w);
	json_event_write(&w, ev);
	o = w.nomem ? NULL : json_tokener_parse(jws_text(&w, NULL));
	jws_fini(&w);
	return o;
}

int json_event(FILE *f, const struct itr_event *ev)
{
	struct jws w;
	int err;

	jws_init(&w);
	json_event_write(&w, ev);
	err = jws_line(&w, f);
	jws_fini(&w);
	return err;
}
