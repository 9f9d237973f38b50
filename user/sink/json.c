// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The JSON-lines sink: one object per event, field names in docs/events.md.
 * json-c does the escaping; strings from the kernel are first made valid
 * UTF-8 (json-c passes bytes >= 0x80 through unchecked).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "event/ioctl.h"
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

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static json_object *u64(__u64 v)
{
	return json_object_new_uint64(v);
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
		snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)id);
		add(o, id_key, json_object_new_string(buf));
		add(o, type_key, json_object_new_string(domain_type_str(type, buf, sizeof(buf))));
	} else {
		add(o, id_key, NULL);
		add(o, type_key, NULL);
	}
}

static void fields_domain(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_domain *d = ev->domain;

	add(o, "pgsize_bitmap", u64(d->pgsize_bitmap));
	add(o, "aperture_start", u64(d->aperture_start));
	add(o, "aperture_end", u64(d->aperture_end));
}

static void fields_attach(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_attach *a = ev->attach;

	add_domain(o, "old_domain_id", "old_domain_type", a->old_domain_id, a->old_domain_type);
	if (ev->kind >= ITR_EV_PASID_ATTACH && ev->kind <= ITR_EV_PASID_REPLACE)
		add(o, "pasid", u64(a->pasid));
	add(o, "is_default", json_object_new_boolean(a->is_default));
}

static void fields_map(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_map *m = ev->map;
	bool is_map = ev->kind == ITR_EV_MAP || ev->kind == ITR_EV_MAP_SG;

	add(o, "iova", u64(m->iova));
	if (is_map)
		add(o, "paddr", u64(m->paddr));
	add(o, "size", u64(m->size));
	add(o, "done", u64(m->done));
	add(o, "latency_ns", u64(m->latency_ns));
	if (is_map) {
		add(o, "prot", u64(m->prot));
		add(o, "prot_names", names(itr_prot_names, itr_nprot_names, m->prot));
	}
	if (ev->kind == ITR_EV_MAP_SG)
		add(o, "nents", u64(m->nents));
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

/* 16 hex digits: ids that are keyed hashes (op, file) */
static json_object *hex64(__u64 v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)v);
	return json_object_new_string(buf);
}

static void fields_unbind(json_object *o, const struct itr_event *ev)
{
	add(o, "dev_id", u64(ev->unbind->dev_id));
	add(o, "iommufd_file_id", hex64(ev->unbind->iommufd_file_id));
}

static void fields_fault(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_fault *f = ev->fault;
	char buf[16];

	add(o, "iova", u64(f->iova));
	add(o, "fault_flags", u64(f->fault_flags));
	add(o, "access", json_object_new_string(f->fault_flags & 1 ? "write" : "read"));
	add(o, "source", json_object_new_string(fault_source_str(f->source, buf, sizeof(buf))));
	add(o, "reason", u64(f->reason));
}

/* An ioctl: its name, decoded argument and how the decoding went (user/ioctl.c). */
static void fields_ioctl(json_object *o, const struct itr_event *ev)
{
	const struct itr_ev_ioctl *io = ev->ioctl;
	json_object *args = json_object_new_object();
	struct ioctl_decoded d;
	int i;

	ioctl_decode(io, &d);
	for (i = 0; args && i < d.n; i++) {
		if (d.v[i].f->fmt == IOCTL_FMT_SDEC)
			add(args, d.v[i].f->name, json_object_new_int64((__s64)d.v[i].v));
		else
			add(args, d.v[i].f->name, u64(d.v[i].v));
	}
	if (args && d.has_str)
		add(args, "name", kstr(d.str, sizeof(d.str)));
	add(o, "ioctl", json_object_new_string(d.name));
	add(o, "cmd", u64(io->cmd));
	add(o, "arg_len", u64(io->arg_len));
	add(o, "args", args);
	add(o, "decode", json_object_new_string(ioctl_status_str(d.status)));
	if (d.status == IOCTL_UNKNOWN)
		add(o, "unknown", json_object_new_boolean(1));
	add(o, "latency_ns", u64(io->latency_ns));
}

static void fields_locked(json_object *o, const struct itr_event *ev)
{
	add(o, "npages", json_object_new_int64(ev->locked->npages));
	add(o, "locked_vm", u64(ev->locked->locked_vm));
}

static void fields_join(json_object *o, const struct itr_event *ev)
{
	add(o, "hwpt_id", u64(ev->join->hwpt_id));
	add(o, "ioas_id", u64(ev->join->ioas_id));
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
	add(o, "op_id", hex64(c->op_id));
	add(o, "file_id", hex64(c->file_id));
	add(o, "fd", json_object_new_int(c->fd));
	add(o, "layer", json_object_new_string(layer_str(c->layer, buf, sizeof(buf))));
}

json_object *json_event_object(const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	json_object *o = json_object_new_object();
	char buf[24];

	if (!o)
		return NULL;
	add(o, "schema", json_object_new_int(ITR_ABI_VERSION));
	add(o, "kind", json_object_new_string(kind_name(ev->kind)));
	add(o, "ts_ns", u64(h->ts_ns));
	add(o, "cpu", u64(h->cpu));
	add(o, "pid", u64(h->pid));
	add(o, "tgid", u64(h->tgid));
	add(o, "comm", kstr(h->comm, ITR_COMM_LEN));
	add(o, "cgroup_id", u64(h->cgroup_id));
	add_domain(o, "domain_id", "domain_type", h->domain_id, h->domain_type);
	add(o, "group_id", json_object_new_int(h->group_id));
	add(o, "dev", h->dev[0] ? kstr(h->dev, ITR_DEV_LEN) : NULL);
	add(o, "ret", json_object_new_int(h->ret));
	if (h->ret < 0 && !(h->flags & ITR_F_NO_RET))
		add(o, "error", json_object_new_string(errno_str(-h->ret, buf, sizeof(buf))));
	add(o, "flags", names(itr_flag_names, itr_nflag_names, h->flags));
	add_ctx(o, ev);
	fields_fn[ev->shape](o, ev);
	return o;
}

int json_event(FILE *f, const struct itr_event *ev)
{
	json_object *o = json_event_object(ev);
	int err = 0;

	if (!o)
		return -ENOMEM;
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							      JSON_C_TO_STRING_NOSLASHESCAPE));
	if (ferror(f))
		err = -EIO;
	json_object_put(o);
	return err;
}
