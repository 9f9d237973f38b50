// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The report as one JSON document (user/report/internal.h; keys:
 * docs/report.md). Unknown values are null; json-c escapes.
 */
#include <errno.h>
#include <stdlib.h>
#include "event/counters.h"
#include "lib/jsonw.h"
#include "lib/util.h"
#include "report/internal.h"

static json_object *str_or_null(const char *s)
{
	return s && *s ? json_object_new_string(s) : NULL;
}

static void u64_or_null(json_object *o, const char *k, bool known, __u64 v)
{
	jw_obj(o, k, known ? json_object_new_uint64(v) : NULL);
}

static json_object *counters_json(const struct itr_counters *c)
{
	json_object *o = json_object_new_object();
	unsigned int i;

	for (i = 0; o && i < ITR_CNT_MAX; i++)
		if (counter_name(i))
			jw_u64(o, counter_name(i), c->v[i]);
	return o;
}

json_object *report_json_recording(const struct report *r)
{
	const struct replay_result *res = &r->res;
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	jw_str(o, "path", r->path ?: "");
	jw_obj(o, "release", str_or_null(res->release));
	jw_u64(o, "start_ns", res->mono_ns);
	jw_u64(o, "t0_ns", r->t0_ns);
	jw_u64(o, "first_ns", r->first_ns);
	jw_u64(o, "last_ns", r->last_ns);
	jw_u64(o, "duration_ns", r->last_ns > r->t0_ns ? r->last_ns - r->t0_ns : 0);
	jw_u64(o, "records", r->records);
	jw_u64(o, "events", r->events);
	jw_u64(o, "decode_errors", r->p.decode_errors);
	u64_or_null(o, "lost", res->counters_ok, res->counters.v[ITR_CNT_LOST]);
	jw_obj(o, "counters", res->counters_ok ? counters_json(&res->counters) : NULL);
	jw_bool(o, "clean_end", res->clean_end);
	jw_obj(o, "error", r->err ? str_or_null(res->why) : NULL);
	jw_obj(o, "warning", !r->err ? str_or_null(res->why) : NULL);
	return o;
}

static json_object *groups_json(const struct report_domain *d)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; a && i < d->ngroups; i++)
		json_object_array_add(a, json_object_new_int(d->groups[i]));
	return a;
}

static json_object *devs_json(const struct report_domain *d)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; a && i < d->ndevs; i++)
		json_object_array_add(a, json_object_new_string(d->devs[i]));
	return a;
}

static json_object *domain_json(const struct report_domain *d)
{
	json_object *o = json_object_new_object();
	char b[32];

	if (!o)
		return NULL;
	jw_id(o, "id", d->id);
	jw_str(o, "short", domain_str(d->id, b, sizeof(b)));
	jw_str(o, "type", domain_type_str(d->type, b, sizeof(b)));
	u64_or_null(o, "hwpt", d->hwpt_id, d->hwpt_id);
	jw_bool(o, "alloc_seen", d->alloc_seen);
	jw_u64(o, "maps", d->maps);
	jw_u64(o, "map_errors", d->map_errors);
	jw_u64(o, "bytes_mapped", d->bytes_mapped);
	jw_u64(o, "unmaps", d->unmaps);
	jw_u64(o, "unmap_errors", d->unmap_errors);
	jw_u64(o, "bytes_unmapped", d->bytes_unmapped);
	jw_bool(o, "freed", d->freed);
	jw_bool(o, "tracked", d->tracked);
	u64_or_null(o, "live_mappings", d->tracked, d->live_mappings);
	u64_or_null(o, "live_bytes", d->tracked, d->live_bytes);
	jw_obj(o, "groups", groups_json(d));
	jw_obj(o, "devices", devs_json(d));
	return o;
}

static json_object *pasids_json(const struct m_device *d)
{
	json_object *a = json_object_new_array();
	int i;

	for (i = 0; a && i < d->npasids; i++) {
		json_object *e = json_object_new_object();

		if (e) {
			jw_u64(e, "pasid", d->pasids[i].pasid);
			jw_id(e, "domain", d->pasids[i].domain_id);
		}
		json_object_array_add(a, e);
	}
	return a;
}

static json_object *device_json(const struct m_device *d)
{
	json_object *o = json_object_new_object();
	char b[32];

	if (!o)
		return NULL;
	jw_str(o, "dev", d->name);
	jw_obj(o, "group", d->group_id >= 0 ? json_object_new_int(d->group_id) : NULL);
	jw_obj(o, "driver", str_or_null(d->driver));
	if (d->domain_id) {
		jw_id(o, "domain", d->domain_id);
		jw_str(o, "domain_type", domain_type_str(d->domain_type, b, sizeof(b)));
	} else {
		jw_obj(o, "domain", NULL);
		jw_obj(o, "domain_type", NULL);
	}
	u64_or_null(o, "hwpt_view", d->view_hwpt, d->view_hwpt);
	if (d->view_hwpt && d->view_domain)
		jw_id(o, "view_domain", d->view_domain);
	else
		jw_obj(o, "view_domain", NULL);
	jw_bool(o, "view_stale", d->view_hwpt && d->view_domain != d->domain_id);
	jw_obj(o, "pasids", pasids_json(d));
	return o;
}

static json_object *proc_json(const struct report_proc *p)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	jw_u64(o, "tgid", p->tgid);
	jw_str(o, "comm", p->comm);
	jw_u64(o, "maps", p->maps);
	jw_u64(o, "map_bytes", p->map_bytes);
	jw_u64(o, "unmaps", p->unmaps);
	jw_u64(o, "unmap_bytes", p->unmap_bytes);
	return o;
}

/* By severity, most severe first, and the repeats not shown. */
static json_object *finding_counts_json(const struct checker *c)
{
	json_object *o = json_object_new_object();
	int s;

	if (!o)
		return NULL;
	for (s = FINDING_NSEV - 1; s >= 0; s--)
		jw_u64(o, sev_str(s), c->nfindings[s]);
	jw_u64(o, "repeats", c->suppressed);
	return o;
}

static json_object *findings_json(const struct report *r)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	size_t i;

	for (i = 0; a && i < r->p.nall; i++)
		json_object_array_add(a, finding_json(&r->p.all[i]));
	if (o) {
		jw_obj(o, "counts", finding_counts_json(&r->p.checker));
		jw_obj(o, "list", a);
	} else {
		json_object_put(a);
	}
	return o;
}

static json_object *hists_json(const struct report *r)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	jw_obj(o, "map_latency", hist_json(&r->map_lat, "ns"));
	jw_obj(o, "map_size", hist_json(&r->map_size, "bytes"));
	jw_obj(o, "ioctl_latency", hist_json(&r->ioctl_lat, "ns"));
	return o;
}

/* The document: built whole, then written in one line ("/" escaped, as always). */
static int cmp_hwpt(const void *a, const void *b)
{
	const struct m_hwpt *x = *(const struct m_hwpt *const *)a, *y = *(const struct m_hwpt *const *)b;

	if (x->ictx != y->ictx)
		return x->ictx < y->ictx ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The model's iommufd HWPTs at the end, by context and id, with their domains. */
static json_object *hwpts_json(const struct model *m)
{
	const struct m_hwpt **v = calloc(m->hwpts.n + 1, sizeof(*v)), *h;
	json_object *a = json_object_new_array();
	size_t pos = 0, n = 0, i;
	char b[32];

	if (!v || !a) {
		free(v);
		json_object_put(a);
		return NULL;
	}
	while ((h = htab_next(&m->hwpts, &pos, NULL)))
		v[n++] = h;
	qsort(v, n, sizeof(*v), cmp_hwpt);
	for (i = 0; i < n; i++) {
		const struct m_domain *d = domain_find(m, v[i]->domain_id);
		json_object *o = json_object_new_object();

		if (!o)
			break;
		jw_id(o, "context", v[i]->ictx);
		jw_u64(o, "id", v[i]->id);
		jw_u64(o, "ioas", v[i]->ioas_id);
		jw_id(o, "domain", v[i]->domain_id);
		jw_obj(o, "domain_type", d ? json_object_new_string(domain_type_str(d->type, b, sizeof(b))) : NULL);
		jw_bool(o, "domain_alloc_seen", d && d->alloc_seen);
		json_object_array_add(a, o);
	}
	free(v);
	return a;
}

int report_json(struct report *r)
{
	const struct m_device **devs;
	const struct report_proc **procs;
	struct report_domain **doms;
	json_object *o, *a[3];
	size_t nd, ndev, np, i;
	int err = 0, j;

	doms = report_domains_sorted(r, &nd);
	devs = report_devices_sorted(r, &ndev);
	procs = report_procs_sorted(r, &np);
	o = json_object_new_object();
	for (j = 0; j < ARRAY_SIZE(a); j++)
		a[j] = json_object_new_array();
	if (!doms || !devs || !procs || !o || !a[0] || !a[1] || !a[2]) {
		err = -ENOMEM;
		goto cleanup;
	}
	for (i = 0; i < nd; i++)
		json_object_array_add(a[0], domain_json(doms[i]));
	for (i = 0; i < ndev; i++)
		json_object_array_add(a[1], device_json(devs[i]));
	for (i = 0; i < np; i++)
		json_object_array_add(a[2], proc_json(procs[i]));
	jw_int(o, "schema", 1);
	jw_obj(o, "recording", report_json_recording(r));
	jw_obj(o, "domains", a[0]);
	jw_obj(o, "devices", a[1]);
	jw_obj(o, "top_mappers", a[2]);
	a[0] = a[1] = a[2] = NULL;
	jw_obj(o, "histograms", hists_json(r));
	jw_obj(o, "findings", findings_json(r));
	jw_obj(o, "hwpts", hwpts_json(&r->p.model));
	if (fprintf(r->out->f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN)) < 0)
		err = output_check(r->out) ?: -EIO;
cleanup:
	for (j = 0; j < ARRAY_SIZE(a); j++)
		json_object_put(a[j]);
	json_object_put(o);
	free(doms);
	free(devs);
	free(procs);
	return err;
}
