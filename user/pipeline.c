// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The modelling commands' consumer (user/pipeline.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "pipeline.h"

static void on_finding(void *arg, const struct finding *f)
{
	struct pipeline *p = arg;

	if (p->nall == p->capall) {
		size_t cap = p->capall ? p->capall * 2 : 16;
		struct finding *a = realloc(p->all, cap * sizeof(*a));

		if (a) {
			p->all = a;
			p->capall = cap;
		}
	}
	if (p->nall < p->capall)
		p->all[p->nall++] = *f;
	if (p->on_finding)
		p->on_finding(p->arg, f);
	if (!p->findings || !p->out || p->werr)
		return;
	if (p->json) {
		json_object *j = finding_json(f);

		if (!j || fprintf(p->out, "%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN)) < 0)
			p->werr = j ? errno ?: EIO : ENOMEM;
		json_object_put(j);
	} else if (finding_text(p->out, f, p->t0_ns)) {
		p->werr = errno ?: EIO;
	}
}

int pipeline_init(struct pipeline *p, const struct model_opts *o)
{
	memset(p, 0, sizeof(*p));
	return model_init(&p->model, o, on_finding, p);
}

void pipeline_fini(struct pipeline *p)
{
	model_fini(&p->model);
	free(p->all);
	p->all = NULL;
	p->nall = p->capall = 0;
}

int pipeline_record(void *arg, const void *data, size_t size)
{
	struct pipeline *p = arg;
	struct itr_event ev;
	char why[160];
	int err;

	if (event_decode(data, size, &ev, why, sizeof(why))) {
		p->decode_errors++;
		if (p->verbose)
			fprintf(stderr, "decode error: %s\n", why);
		return 0;
	}
	if (p->events && p->out && !p->werr) {
		err = p->json ? json_event(p->out, &ev) : text_event(&p->text, &ev);
		if (err)
			p->werr = errno ?: EIO;
	} else {
		text_learn(&p->text, &ev);
	}
	err = model_feed(&p->model, &ev);
	if (err) {
		fprintf(stderr, "the model ran out of memory\n");
		return err;
	}
	if (p->on_event)
		p->on_event(p->arg, &ev);
	return p->werr ? -EIO : 0;
}

int pipeline_snapshot(void *arg, const char *json, size_t len)
{
	struct pipeline *p = arg;
	struct json_tokener *tok = json_tokener_new();
	json_object *j;
	int err;

	if (!tok)
		return -ENOMEM;
	j = json_tokener_parse_ex(tok, json, len);
	json_tokener_free(tok);
	if (!j) {
		fprintf(stderr, "the recording's snapshot is not valid JSON: ignored\n");
		return 0;
	}
	err = model_snapshot_load(&p->model, j);
	json_object_put(j);
	if (err == -EINVAL)
		fprintf(stderr, "the recording's snapshot is malformed: ignored\n");
	return err == -ENOMEM ? err : 0;
}

void pipeline_lost(void *arg, __u64 n, __u64 now_ns)
{
	struct pipeline *p = arg;

	if (!p->model.lost)
		fprintf(stderr, "lost %llu events (ring buffer full): mapping checks are off from here\n",
			(unsigned long long)n);
	else
		fprintf(stderr, "lost %llu events (ring buffer full)\n", (unsigned long long)n);
	model_lost(&p->model, n, now_ns);
}

int pipeline_tick(void *arg)
{
	struct pipeline *p = arg;

	if (p->out && (fflush(p->out) || ferror(p->out)) && !p->werr)
		p->werr = errno ?: EIO;
	return p->werr ? -EIO : 0;
}

int pipeline_worst(const struct pipeline *p)
{
	int s;

	for (s = FINDING_NSEV - 1; s >= 0; s--)
		if (p->model.nfindings[s])
			return s;
	return -1;
}

void pipeline_snapshot_note(const struct pipeline *p, FILE *f)
{
	const struct model *m = &p->model;

	if (!m->snapshot_taken) {
		fprintf(f, "snapshot: none (no IOMMU groups in sysfs): the model starts empty\n");
		return;
	}
	fprintf(f, "snapshot: %d groups, %d devices; known only from it until an event: group types, "
		"members, reserved regions, drivers; unknown: domains and mappings made before start\n",
		m->snap_groups, m->snap_devices);
}

void pipeline_summary(const struct pipeline *p, FILE *f)
{
	const struct model *m = &p->model;

	fprintf(f, "findings: %llu error, %llu warning, %llu info (%llu repeats not shown); "
		"%llu events modelled, %llu lost, %llu decode errors\n",
		(unsigned long long)m->nfindings[SEV_ERROR], (unsigned long long)m->nfindings[SEV_WARNING],
		(unsigned long long)m->nfindings[SEV_INFO], (unsigned long long)m->suppressed,
		(unsigned long long)m->nevents, (unsigned long long)m->lost,
		(unsigned long long)p->decode_errors);
}
