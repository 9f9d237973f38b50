// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON-lines sink: one object per event, field names in docs/events.md.
 * json-c does the escaping; strings from the kernel are first made valid
 * UTF-8 (json-c passes bytes >= 0x80 through unchecked).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "lib/jsonw.h"
#include "sink/sink.h"

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned int c = s[0], cp, min;
	size_t need, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		need = 1, min = 0x80, cp = c & 0x1f;
	else if ((c & 0xf0) == 0xe0)
		need = 2, min = 0x800, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		need = 3, min = 0x10000, cp = c & 0x07;
	else
		return 0;
	if (need >= n)
		return 0;
	for (i = 1; i <= need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return need + 1;
}

/* A fixed-size kernel string as a JSON string: invalid UTF-8 bytes as '?'. */
static json_object *kstr(const char *s, size_t max)
{
	char buf[64];
	size_t i = 0, n = strnlen(s, max < sizeof(buf) ? max : sizeof(buf) - 1), k;

	while (i < n) {
		k = utf8_seq((const unsigned char *)s + i, n - i);
		if (!k) {
			buf[i++] = '?';
			continue;
		}
		memcpy(buf + i, s + i, k);
		i += k;
	}
	return json_object_new_string_len(buf, n);
}

static json_object *names(const struct itr_name *t, int n, unsigned int v)
{
	json_object *a = json_object_new_array();
	char buf[16];
	int i;

	for (i = 0; a && i < n; i++) {
		if (v & t[i].value) {
			json_object_array_add(a, json_object_new_string(t[i].name));
			v &= ~t[i].value;
		}
	}
	if (a && v) {
		snprintf(buf, sizeof(buf), "0x%x", v);
		json_object_array_add(a, json_object_new_string(buf));
	}
	return a;
}

/*
 * A domain's id and type, both null when there is no domain (id 0). Ids
 * are keyed hashes: 16 hex digits as a string, exact in any parser (jq's
 * doubles would round a 64-bit number).
 */
static void add_domain(json_object *o, const char *id_key, const char *type_key,
		       __u64 id, __u32 type)
{
	char buf[24];

	if (id) {
		jw_id(o, id_key, id);
		jw_str(o, type_key, domain_type_str(type, buf, sizeof(buf)));
	} else {
		jw_obj(o, id_key, NULL);
		jw_obj(o, type_key, NULL);
	}
}

static void fields_domain(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_domain *d = ev->domain;

	jw_u64(o, "pgsize_bitmap", d->pgsize_bitmap);
	jw_u64(o, "aperture_start", d->aperture_start);
	jw_u64(o, "aperture_end", d->aperture_end);
}

static void fields_attach(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_attach *a = ev->attach;

	add_domain(o, "old_domain_id", "old_domain_type", a->old_domain_id, a->old_domain_type);
	if (ev->kind >= ITR_EV_PASID_ATTACH && ev->kind <= ITR_EV_PASID_REPLACE)
		jw_u64(o, "pasid", a->pasid);
	jw_bool(o, "is_default", a->is_default);
}

static void fields_map(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_map *m = ev->map;
	bool is_map = ev->kind == ITR_EV_MAP || ev->kind == ITR_EV_MAP_SG;

	jw_u64(o, "iova", m->iova);
	if (is_map)
		jw_u64(o, "paddr", m->paddr);
	jw_u64(o, "size", m->size);
	jw_u64(o, "done", m->done);
	jw_u64(o, "latency_ns", m->latency_ns);
	if (is_map) {
		jw_u64(o, "prot", m->prot);
		jw_obj(o, "prot_names", names(itr_prot_names, itr_nprot_names, m->prot));
	}
	if (ev->kind == ITR_EV_MAP_SG)
		jw_u64(o, "nents", m->nents);
}

static void fields_group(json_object *o, const struct itr_event *ev)
{
	(void)o;
	(void)ev;
}

/* A VFIO device or container file: the header's dev and ctx say it all. */
static void fields_file(json_object *o, const struct itr_event *ev)
{
	(void)o;
	(void)ev;
}

static void fields_unbind(json_object *o, const struct itr_event *ev)
{
	jw_u64(o, "dev_id", ev->unbind->dev_id);
	jw_id(o, "iommufd_file_id", ev->unbind->iommufd_file_id);
}

static void fields_fault(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_fault *f = ev->fault;
	char buf[16];

	jw_u64(o, "iova", f->iova);
	jw_u64(o, "fault_flags", f->fault_flags);
	jw_str(o, "access", f->fault_flags & 1 ? "write" : "read");
	jw_str(o, "source", fault_source_str(f->source, buf, sizeof(buf)));
	jw_u64(o, "reason", f->reason);
}

/* An ioctl: its name, decoded argument and how the decoding went (user/ioctl.c). */
static void fields_ioctl(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_ioctl *io = ev->ioctl;
	json_object *args = json_object_new_object();
	const struct ioctl_decoded *d = &ev->io;
	int i;

	for (i = 0; args && i < d->n; i++) {
		if (d->v[i].f->fmt == IOCTL_FMT_SDEC)
			jw_int(args, d->v[i].f->name, (__s64)d->v[i].v);
		else
			jw_u64(args, d->v[i].f->name, d->v[i].v);
	}
	if (args && d->has_str)
		jw_obj(args, "name", kstr(d->str, sizeof(d->str)));
	jw_str(o, "ioctl", d->name);
	jw_u64(o, "cmd", io->cmd);
	jw_u64(o, "arg_len", io->arg_len);
	jw_obj(o, "args", args);
	jw_str(o, "decode", ioctl_status_str(d->status));
	if (d->status == IOCTL_UNKNOWN)
		jw_bool(o, "unknown", 1);
	jw_u64(o, "latency_ns", io->latency_ns);
}

static void fields_locked(json_object *o, const struct itr_event *ev)
{
	jw_int(o, "npages", ev->locked->npages);
	jw_u64(o, "locked_vm", ev->locked->locked_vm);
}

static void fields_join(json_object *o, const struct itr_event *ev)
{
	jw_u64(o, "hwpt_id", ev->join->hwpt_id);
	jw_u64(o, "ioas_id", ev->join->ioas_id);
}

/* A gap: the cumulative counts, by kind name (only kinds that lost any). */
static void fields_lost(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_lost *l = ev->lost;
	json_object *by = json_object_new_object();
	unsigned int k;

	jw_u64(o, "total", l->total);
	for (k = 1; by && k < ITR_LOST_KINDS; k++)
		if (l->by_kind[k])
			jw_u64(by, kind_name(k) ?: "?", l->by_kind[k]);
	jw_obj(o, "by_kind", by);
}

static void (*const fields_fn[])(json_object *, const struct itr_event *) = {
	[ITR_SHAPE_DOMAIN]	= fields_domain,
	[ITR_SHAPE_ATTACH]	= fields_attach,
	[ITR_SHAPE_MAP]		= fields_map,
	[ITR_SHAPE_GROUP]	= fields_group,
	[ITR_SHAPE_FAULT]	= fields_fault,
	[ITR_SHAPE_IOCTL]	= fields_ioctl,
	[ITR_SHAPE_LOCKED]	= fields_locked,
	[ITR_SHAPE_JOIN]	= fields_join,
	[ITR_SHAPE_FILE]	= fields_file,
	[ITR_SHAPE_UNBIND]	= fields_unbind,
	[ITR_SHAPE_LOST]	= fields_lost,
};

/*
 * The VFIO/iommufd operation a record ran inside: on ioctl records always,
 * on others only when there was one (op_id != 0). Device open and close
 * records always have it: their file_id and fd are the device file's.
 */
static void add_ctx(json_object *o, const struct itr_event *ev)
{
	const struct itr_ctx *c = &ev->h->ctx;
	char buf[16];

	if (!c->op_id && ev->shape != ITR_SHAPE_IOCTL && ev->shape != ITR_SHAPE_FILE)
		return;
	jw_id(o, "op_id", c->op_id);
	jw_id(o, "file_id", c->file_id);
	jw_int(o, "fd", c->fd);
	jw_str(o, "layer", layer_str(c->layer, buf, sizeof(buf)));
}

json_object *json_event_object(const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	json_object *o = json_object_new_object();
	char buf[24];

	if (!o)
		return NULL;
	jw_int(o, "schema", ITR_ABI_VERSION);
	jw_str(o, "kind", kind_name(ev->kind));
	jw_u64(o, "ts_ns", h->ts_ns);
	jw_u64(o, "cpu", h->cpu);
	jw_u64(o, "pid", h->pid);
	jw_u64(o, "tgid", h->tgid);
	jw_obj(o, "comm", kstr(h->comm, ITR_COMM_LEN));
	jw_u64(o, "cgroup_id", h->cgroup_id);
	add_domain(o, "domain_id", "domain_type", h->domain_id, h->domain_type);
	jw_int(o, "group_id", h->group_id);
	jw_obj(o, "dev", h->dev[0] ? kstr(h->dev, ITR_DEV_LEN) : NULL);
	jw_int(o, "ret", h->ret);
	if (h->ret < 0 && !(h->flags & ITR_F_NO_RET))
		jw_str(o, "error", errno_str(-h->ret, buf, sizeof(buf)));
	jw_obj(o, "flags", names(itr_flag_names, itr_nflag_names, h->flags));
	add_ctx(o, ev);
	fields_fn[ev->shape](o, ev);
	return o;
}

int json_event(FILE *f, const struct itr_event *ev)
{
	return jw_line(f, json_event_object(ev));
}
