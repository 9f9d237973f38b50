// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck: compare what happened according to one source with the kernel's
 * own iommu tracepoints (a tracefs `trace` dump), in a guest.
 *
 *   tpcheck log WORKLOAD.jsonl TRACE
 *     Every successful map and unmap the workload logged must be covered by
 *     map/unmap tracepoint events inside its IOVA range, each event used
 *     once, and there must be at least as many attach_device_to_domain
 *     events as attaching operations logged. A log with none of these
 *     fails: there is nothing to compare.
 *   tpcheck stat STAT.json TRACE
 *     `iommutrace stat --json` must count exactly the events in TRACE.
 *
 * Prints one line per kind; exit 0 when all agree, 1 otherwise, 2 on bad
 * input.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

enum kind { K_MAP, K_UNMAP, K_ATTACH, K_NR };
static const char *const kind_name[K_NR] = { "map", "unmap", "attach" };

struct ev {
	uint64_t iova, size;
	bool used;
};

struct evs {
	struct ev *v;
	size_t n, cap;
	uint64_t bytes;
};

static int push(struct evs *e, uint64_t iova, uint64_t size)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct ev *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = (struct ev){ iova, size, false };
	e->bytes += size;
	return 0;
}

/* Parse a tracefs dump; unknown lines (headers, other events) are skipped. */
static int read_trace(const char *path, struct evs tp[K_NR])
{
	char line[1024];
	FILE *f = fopen(path, "r");
	int err = 0;

	if (!f) {
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		uint64_t a, b, c, d;
		char *p;

		if ((p = strstr(line, " map: IOMMU: iova=")) &&
		    sscanf(p, " map: IOMMU: iova=%" SCNx64 " - %" SCNx64 " paddr=%" SCNx64 " size=%" SCNu64,
			   &a, &b, &c, &d) == 4)
			err = push(&tp[K_MAP], a, d);
		else if ((p = strstr(line, " unmap: IOMMU: iova=")) &&
			 sscanf(p, " unmap: IOMMU: iova=%" SCNx64 " - %" SCNx64 " size=%" SCNu64
				" unmapped_size=%" SCNu64, &a, &b, &c, &d) == 4)
			err = push(&tp[K_UNMAP], a, d);
		else if (strstr(line, " attach_device_to_domain: IOMMU: device="))
			err = push(&tp[K_ATTACH], 0, 0);
	}
	fclose(f);
	return err;
}

static uint64_t jnum(json_object *o, const char *key, bool *ok)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v)) {
		*ok = false;
		return 0;
	}
	return json_object_get_uint64(v);
}

/* Map a logged op to the tracepoint kind it must produce, or -1. */
static int op_kind(const char *op)
{
	static const struct { const char *op; int kind; } ops[] = {
		{ "IOMMU_IOAS_MAP",		K_MAP },
		{ "IOMMU_IOAS_UNMAP",		K_UNMAP },
		{ "VFIO_DEVICE_ATTACH_IOMMUFD_PT", K_ATTACH },
		{ "VFIO_IOMMU_MAP_DMA",		K_MAP },
		{ "VFIO_IOMMU_UNMAP_DMA",	K_UNMAP },
		{ "VFIO_SET_IOMMU",		K_ATTACH },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(op, ops[i].op))
			return ops[i].kind;
	return -1;
}

/* Use unused events of one kind inside [iova, iova+size) until covered. */
static uint64_t cover(struct evs *e, uint64_t iova, uint64_t size)
{
	uint64_t got = 0;
	size_t i;

	for (i = 0; i < e->n && got < size; i++) {
		struct ev *x = &e->v[i];

		if (!x->used && x->iova >= iova && x->iova < iova + size) {
			x->used = true;
			got += x->size;
		}
	}
	return got;
}

static int check_log(const char *log, struct evs tp[K_NR])
{
	unsigned long logged[K_NR] = {}, missing[K_NR] = {};
	char line[8192];
	int lineno = 0, bad = 0, k;
	FILE *f = fopen(log, "r");

	if (!f) {
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", log, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line), *opv;
		bool ok = true;
		uint64_t iova, size, got;

		lineno++;
		if (!o) {
			fprintf(stderr, "tpcheck: %s:%d: not JSON\n", log, lineno);
			fclose(f);
			return 2;
		}
		if (!json_object_object_get_ex(o, "op", &opv) ||
		    (k = op_kind(json_object_get_string(opv))) < 0 || jnum(o, "ret", &ok) != 0 || !ok) {
			json_object_put(o);
			continue;
		}
		logged[k]++;
		if (k != K_ATTACH) {
			iova = jnum(o, "iova", &ok);
			size = jnum(o, "size", &ok);
			/* unmap-all (size 0) is checked by counts only */
			if (ok && size && (got = cover(&tp[k], iova, size)) < size) {
				missing[k]++;
				printf("  %s:%d %s iova=0x%" PRIx64 " size=%" PRIu64
				       ": tracepoints cover only %" PRIu64 " bytes\n",
				       log, lineno, kind_name[k], iova, size, got);
			}
		}
		json_object_put(o);
	}
	fclose(f);
	if (!logged[K_MAP] && !logged[K_UNMAP] && !logged[K_ATTACH]) {
		printf("nothing to compare: %s logged no successful map, unmap or attach\n", log);
		return 1;
	}
	for (k = 0; k < K_NR; k++) {
		bool fine = !missing[k] && tp[k].n >= logged[k];

		printf("%-6s logged %lu, traced %zu%s\n", kind_name[k], logged[k], tp[k].n,
		       fine ? "" : missing[k] ? ", NOT COVERED" : ", TOO FEW EVENTS");
		bad |= !fine;
	}
	return bad;
}

static int check_stat(const char *path, struct evs tp[K_NR])
{
	static const struct { const char *counter; int kind; bool bytes; } rows[] = {
		{ "attach",	 K_ATTACH, false },
		{ "map",	 K_MAP,	   false },
		{ "map_bytes",	 K_MAP,	   true },
		{ "unmap",	 K_UNMAP,  false },
		{ "unmap_bytes", K_UNMAP,  true },
	};
	json_object *o = json_object_from_file(path), *cs;
	int bad = 0;
	size_t i;

	if (!o || !json_object_object_get_ex(o, "counters", &cs)) {
		fprintf(stderr, "tpcheck: %s: not an `iommutrace stat --json` object\n", path);
		json_object_put(o);
		return 2;
	}
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		bool ok = true;
		uint64_t got = jnum(cs, rows[i].counter, &ok);
		uint64_t want = rows[i].bytes ? tp[rows[i].kind].bytes : tp[rows[i].kind].n;

		printf("%-12s stat %" PRIu64 ", trace %" PRIu64 "%s\n", rows[i].counter, got, want,
		       ok && got == want ? "" : ", DIFFERENT");
		bad |= !ok || got != want;
	}
	json_object_put(o);
	return bad;
}

int main(int argc, char **argv)
{
	struct evs tp[K_NR] = {};
	int ret, k;

	if (argc != 4 || (strcmp(argv[1], "log") && strcmp(argv[1], "stat"))) {
		fprintf(stderr, "usage: tpcheck log WORKLOAD.jsonl TRACE | stat STAT.json TRACE\n");
		return 2;
	}
	if (read_trace(argv[3], tp))
		return 2;
	ret = !strcmp(argv[1], "log") ? check_log(argv[2], tp) : check_stat(argv[2], tp);
	for (k = 0; k < K_NR; k++)
		free(tp[k].v);
	return ret;
}
