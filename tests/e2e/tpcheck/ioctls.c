// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck ioctls WORKLOAD.jsonl EVENTS.jsonl: every VFIO/iommufd ioctl the
 * workload logged appears exactly once as an `ioctl` record (same name,
 * fd, process, success, the ids it returned, the flags it passed, and for
 * a failure ret = -errno), the workload's process made no other, and the
 * core map records a logged map caused carry that ioctl's op_id (the
 * join). The pairing is locked.c's too.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpcheck.h"

#define ENOIOCTLCMD 515	/* the kernel's; the syscall returns ENOTTY for it */

/*
 * Ids a logged op got back (or values it passed: `in`, checked on failures
 * too), and where the ioctl record's args have them.
 */
static const struct {
	const char *op, *log_key, *arg_key;
	bool in;
} id_checks[] = {
	{ "IOMMU_HWPT_ALLOC",			"hwpt_id",	"out_hwpt_id",	false },
	{ "IOMMU_IOAS_ALLOC",			"ioas_id",	"out_ioas_id",	false },
	{ "IOMMU_IOAS_MAP",			"iova",		"iova",		false },
	{ "IOMMU_IOAS_MAP",			"len",		"length",	false },
	{ "VFIO_DEVICE_ATTACH_IOMMUFD_PT",	"hwpt_id",	"pt_id",	false },
	{ "VFIO_DEVICE_BIND_IOMMUFD",		"dev_id",	"out_devid",	false },
	{ "VFIO_IOMMU_DIRTY_PAGES",		"flags",	"flags",	true },
	{ "VFIO_IOMMU_MAP_DMA",			"iova",		"iova",		false },
	{ "VFIO_IOMMU_MAP_DMA",			"size",		"size",		false },
	{ "VFIO_IOMMU_UNMAP_DMA",		"flags",	"flags",	true },
};

/*
 * The ids the workload logged must be what the ioctl record decoded (only
 * the `in` values when the call failed: ok false).
 */
static unsigned long check_ids(const char *op, json_object *logged, const struct ioc *c, bool ok)
{
	unsigned long bad = 0;
	json_object *args = NULL, *v;
	size_t i;

	json_object_object_get_ex(c->o, "args", &args);
	for (i = 0; i < ARRAY_SIZE(id_checks); i++) {
		if (strcmp(op, id_checks[i].op) || (!ok && !id_checks[i].in) ||
		    !json_object_object_get_ex(logged, id_checks[i].log_key, &v))
			continue;
		if (!args || jint(args, id_checks[i].arg_key, -1) != json_object_get_int64(v)) {
			bad++;
			printf("  %s: logged %s=%" PRId64 ", ioctl record args.%s=%" PRId64 "\n", op,
			       id_checks[i].log_key, json_object_get_int64(v), id_checks[i].arg_key,
			       args ? jint(args, id_checks[i].arg_key, -1) : -1);
		}
	}
	return bad;
}

/* Core map records in [t0, t1) over [iova, iova+size) must carry op_id. */
static unsigned long check_join(const struct jsonl *ev, uint64_t t0, uint64_t t1, uint64_t iova,
				uint64_t size, const char *op_id, unsigned long *seen)
{
	unsigned long bad = 0;
	size_t i;

	for (i = 0; i < ev->n; i++) {
		json_object *e = ev->v[i];
		const char *k = jstr(e, "kind"), *id = jstr(e, "op_id");
		uint64_t ts = (uint64_t)jint(e, "ts_ns", 0), a = (uint64_t)jint(e, "iova", 0);

		if (!k || strcmp(k, "map") || ts < t0 || ts >= t1 || a < iova || a - iova >= size)
			continue;
		(*seen)++;
		if (!id || strcmp(id, op_id)) {
			bad++;
			printf("  map iova=0x%" PRIx64 " has op_id %s, its ioctl %s\n", a, id ?: "none", op_id);
		}
	}
	return bad;
}

/* A failed ioctl's record must return what the workload's errno says. */
static unsigned long check_errno(const char *op, json_object *logged, const struct ioc *c)
{
	int64_t err = jint(logged, "errno", 0);

	if (c->ret == -err || (err == ENOTTY && c->ret == -ENOIOCTLCMD))
		return 0;
	printf("  %s: logged errno %" PRId64 ", ioctl record ret %" PRId64 "\n", op, err, c->ret);
	return 1;
}

struct ioc_run {
	const char *log;
	struct jsonl ls, es;	/* the workload log, iommutrace's events */
	struct ioc *cs;		/* the events' ioctl records */
	size_t nc;
	struct wlog_state st;
	int64_t pid;		/* the workload's process (its last logged op's) */
	struct ioc_tally *t;
};

/* Logged op I (OP) against its unused ioctl record, if there is one. */
static void ioc_op(struct ioc_run *r, size_t i, const char *op)
{
	json_object *o = r->ls.v[i];
	uint64_t t0 = (uint64_t)jint(o, "ts_ns", 0);
	uint64_t t1 = i + 1 < r->ls.n ? (uint64_t)jint(r->ls.v[i + 1], "ts_ns", 0) : UINT64_MAX;
	bool ok = jint(o, "ret", 0) >= 0;
	const char *want = !strncmp(op, "IOMMU_TEST_OP_", 14) ? "IOMMU_TEST_CMD" : op;
	struct ioc *c = NULL;
	size_t j;

	r->pid = jint(o, "pid", -1);
	r->t->logged++;
	t0 -= t0 % 1000;
	for (j = 0; j < r->nc && !c; j++)
		if (!r->cs[j].used && r->cs[j].tgid == r->pid && r->cs[j].fd == jint(o, "fd", -3) &&
		    r->cs[j].name && !strcmp(r->cs[j].name, want) && r->cs[j].ts >= t0 && r->cs[j].ts < t1 &&
		    (r->cs[j].ret >= 0) == ok)
			c = &r->cs[j];
	if (!c) {
		r->t->missing++;
		printf("  %s:%zu %s fd %" PRId64 ": no ioctl record\n", r->log, i + 1, op, jint(o, "fd", -1));
		return;
	}
	c->used = true;
	r->t->ids += check_ids(op, o, c, ok);
	locked_check(o, c, &r->es, r->t);
	if (!ok) {
		r->t->rets += check_errno(op, o, c);
		return;
	}
	if ((!strcmp(op, "VFIO_IOMMU_MAP_DMA") ||
	     (!strcmp(op, "IOMMU_IOAS_MAP") && wlog_ioas_attached(&r->st, wlog_id(o, "ioas_id")))) && c->op_id) {
		uint64_t size = (uint64_t)jint(o, !strcmp(op, "IOMMU_IOAS_MAP") ? "len" : "size", 0);

		r->t->join_bad += check_join(&r->es, t0, t1, (uint64_t)jint(o, "iova", 0), size, c->op_id,
					     &r->t->join_seen);
	}
}

/* A file that cannot be read or is empty; a line not JSON ends it, said. */
static bool unreadable(int err, const struct jsonl *l)
{
	return (err && err != -EINVAL) || !l->n;
}

int ioc_compare(const char *log, const char *events, struct ioc_tally *t)
{
	struct ioc_run r = { .log = log, .pid = -1, .t = t };
	int err_l = jsonl_read(log, &r.ls), err_e = jsonl_read(events, &r.es);
	size_t i;
	int ret = 2;

	if (unreadable(err_l, &r.ls) || unreadable(err_e, &r.es) ||
	    !(r.cs = calloc(r.es.n + 1, sizeof(*r.cs))))
		goto cleanup;
	for (i = 0; i < r.es.n; i++) {
		json_object *e = r.es.v[i];
		const char *k = jstr(e, "kind");

		if (k && !strcmp(k, "ioctl"))
			r.cs[r.nc++] = (struct ioc){ e, (uint64_t)jint(e, "ts_ns", 0), jint(e, "tgid", -1),
						     jint(e, "fd", -2), jint(e, "ret", 0), jstr(e, "ioctl"),
						     jstr(e, "op_id"), jstr(e, "layer"), false };
	}
	for (i = 0; i < r.ls.n; i++) {
		const char *op = jstr(r.ls.v[i], "op");

		if (!op)
			continue;
		wlog_track(&r.st, op, r.ls.v[i]);
		if (!strncmp(op, "VFIO_", 5) || !strncmp(op, "IOMMU_", 6))
			ioc_op(&r, i, op);
	}
	for (i = 0; i < r.nc; i++)
		if (!r.cs[i].used && r.cs[i].tgid == r.pid) {
			t->extra++;
			printf("  an ioctl the workload did not log: %s fd %" PRId64 "\n", r.cs[i].name ?: "?",
			       r.cs[i].fd);
		}
	ret = 0;
cleanup:
	jsonl_free(&r.ls);
	jsonl_free(&r.es);
	free(r.cs);
	return ret;
}

int cmd_ioctls(const char *log, const char *events)
{
	struct ioc_tally t = {};

	if (ioc_compare(log, events, &t))
		return 2;
	printf("ioctls logged %lu, missing %lu, unlogged extra %lu, id/flag mismatches %lu, "
	       "ret != -errno %lu\n", t.logged, t.missing, t.extra, t.ids, t.rets);
	printf("join: %lu map records inside logged maps, %lu without their ioctl's op_id\n", t.join_seen,
	       t.join_bad);
	return !t.logged || t.missing || t.extra || t.ids || t.rets || t.join_bad || !t.join_seen;
}
