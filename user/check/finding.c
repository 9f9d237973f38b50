// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Findings (user/finding.h): init, dedup key, text and JSON. Formats: docs/findings.md. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "check/finding.h"
#include "check/rules.h"
#include "event/event.h"
#include "lib/fmt.h"
#include "lib/jsonw.h"

void finding_init(struct finding *f, enum rule_id r)
{
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->sev = rule_table[r].sev;
	f->o.group = -1;
	f->o.fd = -1;
}

static __u64 mix(__u64 h, __u64 v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static __u64 mix_str(__u64 h, const char *s)
{
	while (*s)
		h = mix(h, (unsigned char)*s++);
	return mix(h, 0);
}

__u64 finding_key(const struct finding *f)
{
	const struct finding_objs *o = &f->o;
	__u64 h = mix(0, f->rule);

	h = mix_str(h, o->dev);
	h = mix_str(h, o->dev2);
	h = mix(h, (__u32)o->group);
	h = mix(h, o->pasid);
	h = mix(h, o->domain);
	h = mix(h, o->domain2);
	h = mix(h, (__u64)o->hwpt << 32 | o->hwpt2);
	h = mix(h, o->iova);
	h = mix(h, o->size);
	h = mix(h, o->file_id);
	h = mix(h, o->bytes);
	h = mix(h, f->sev);
	return htab_key(h);
}

void finding_event(struct finding *f, const struct model *m, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;

	f->ev_kind = ev->kind;
	f->ev_ts_ns = h->ts_ns;
	f->ev_seq = m->nevents;
	f->ev_op_id = h->ctx.op_id;
	f->ev_tgid = h->tgid;
	memcpy(f->ev_comm, h->comm, sizeof(f->ev_comm));
	f->ev_comm[sizeof(f->ev_comm) - 1] = 0;
	if (ev->kind == ITR_EV_IOCTL && ev->io.desc)
		f->ev_ioctl = ev->io.desc->name;
}

/* "device 0000:00:06.0, group 3, domain d:1234abcd -> d:..." */
static const char *objs_str(const struct finding_objs *o, char *buf, size_t len)
{
	size_t n = 0;
	char d[24];

#define ADD(...) (n += snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	buf[0] = 0;
	if (o->dev[0])
		ADD("%sdevice %s", n ? ", " : "", o->dev);
	if (o->dev2[0])
		ADD("%sdevice %s", n ? ", " : "", o->dev2);
	if (o->group >= 0)
		ADD("%sgroup %d", n ? ", " : "", o->group);
	if (o->pasid)
		ADD("%spasid %u", n ? ", " : "", o->pasid);
	if (o->domain)
		ADD("%sdomain %s", n ? ", " : "", domain_str(o->domain, d, sizeof(d)));
	if (o->domain2)
		ADD("%sdomain %s", n ? ", " : "", domain_str(o->domain2, d, sizeof(d)));
	if (o->hwpt)
		ADD("%shwpt %u", n ? ", " : "", o->hwpt);
	if (o->hwpt2)
		ADD("%shwpt %u", n ? ", " : "", o->hwpt2);
	if (o->size)
		ADD("%siova 0x%llx+0x%llx", n ? ", " : "", (unsigned long long)o->iova,
		    (unsigned long long)o->size);
	if (o->bytes)
		ADD("%s%llu bytes", n ? ", " : "", (unsigned long long)o->bytes);
	if (o->fd >= 0)
		ADD("%sfd %d", n ? ", " : "", o->fd);
#undef ADD
	return buf;
}

static const char *const kernel_names[] = {
	[FK_UNAVAILABLE] = "unavailable",
	[FK_CONFIRMED] = "confirmed",
	[FK_REFUTED] = "refuted",
};

static const char *const kernel_notes[] = {
	[FK_NONE] = "",
	[FK_UNAVAILABLE] = " (kernel confirmation unavailable: the shim is not loaded)",
	[FK_CONFIRMED] = " (confirmed by kernel)",
	[FK_REFUTED] = " (refuted by kernel)",
};

int finding_text(FILE *out, const struct finding *f, __u64 t0_ns)
{
	char objs[320];
	double t = f->ev_ts_ns >= t0_ns ? (f->ev_ts_ns - t0_ns) / 1e9 : 0;

	return fprintf(out, "%-7s %s: %s [%s] (event #%llu %s%s%s at %.6f, %s %u)%s\n",
		       sev_str(f->sev), rule_table[f->rule].id, f->msg, objs_str(&f->o, objs, sizeof(objs)),
		       (unsigned long long)f->ev_seq, kind_name(f->ev_kind) ?: "?",
		       f->ev_ioctl ? " " : "", f->ev_ioctl ?: "", t, f->ev_comm, f->ev_tgid,
		       kernel_notes[f->kernel]) < 0 ? -EIO : 0;
}

json_object *finding_json(const struct finding *f)
{
	json_object *j = json_object_new_object(), *o = json_object_new_object(), *e;
	const struct finding_objs *ob = &f->o;

	if (!j || !o) {
		json_object_put(j);
		json_object_put(o);
		return NULL;
	}
	jw_str(j, "type", "finding");
	jw_str(j, "rule", rule_table[f->rule].id);
	jw_str(j, "severity", sev_str(f->sev));
	jw_str(j, "message", f->msg);
	if (f->kernel != FK_NONE)
		jw_str(j, "kernel", kernel_names[f->kernel]);
	if (ob->dev[0])
		jw_str(o, "device", ob->dev);
	if (ob->dev2[0])
		jw_str(o, "device2", ob->dev2);
	if (ob->group >= 0)
		jw_int(o, "group", ob->group);
	if (ob->pasid)
		jw_u64(o, "pasid", ob->pasid);
	if (ob->domain)
		jw_id(o, "domain_id", ob->domain);
	if (ob->domain2)
		jw_id(o, "domain2_id", ob->domain2);
	if (ob->hwpt)
		jw_u64(o, "hwpt", ob->hwpt);
	if (ob->hwpt2)
		jw_u64(o, "hwpt2", ob->hwpt2);
	if (ob->size) {
		jw_u64(o, "iova", ob->iova);
		jw_u64(o, "size", ob->size);
	}
	if (ob->bytes)
		jw_u64(o, "bytes", ob->bytes);
	if (ob->fd >= 0)
		jw_int(o, "fd", ob->fd);
	if (ob->file_id)
		jw_id(o, "file_id", ob->file_id);
	jw_obj(j, "objects", o);
	e = json_object_new_object();
	if (e) {
		jw_u64(e, "seq", f->ev_seq);
		jw_str(e, "kind", kind_name(f->ev_kind) ?: "?");
		if (f->ev_ioctl)
			jw_str(e, "ioctl", f->ev_ioctl);
		jw_u64(e, "ts_ns", f->ev_ts_ns);
		if (f->ev_op_id)
			jw_id(e, "op_id", f->ev_op_id);
		jw_u64(e, "tgid", f->ev_tgid);
		jw_str(e, "comm", f->ev_comm);
		jw_obj(j, "event", e);
	}
	return j;
}
