// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck: compare what happened according to one source with the kernel's
 * own iommu tracepoints (a tracefs `trace` dump), in a guest.
 *
 *   tpcheck log WORKLOAD.jsonl TRACE
 *     Every successful map and unmap the workload logged that must reach an
 *     IOMMU domain (type1 always; iommufd when its IOAS has a device
 *     attached) must be covered by map/unmap tracepoint events inside its
 *     IOVA range and inside its time window (from the op's ts_ns to the
 *     next op's; TRACE must use trace_clock "mono"), each event used once;
 *     every attaching op must have an attach_device_to_domain event in its
 *     window (unless it joins a group already on that HWPT: groups attach). Unmap-all is checked by counts only. A log with nothing to
 *     compare fails.
 *   tpcheck log WORKLOAD.jsonl EVENTS.jsonl
 *     The same, against `iommutrace trace --json` events (same clock);
 *     attaches must also name a device of the logged device's group, and
 *     every map/unmap used must be on a domain the trace saw attached.
 *   tpcheck count EVENTS.jsonl TRACE
 *     `iommutrace trace --json --all-domains` must have exactly as many
 *     map, unmap and attach events as the tracepoints in TRACE.
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
#include <unistd.h>
#include <json-c/json.h>

enum kind { K_MAP, K_UNMAP, K_ATTACH, K_NR };
static const char *const kind_name[K_NR] = { "map", "unmap", "attach" };

struct ev {
	uint64_t ts, iova, size;	/* ts: ns, CLOCK_MONOTONIC */
	uint64_t domain;		/* iommutrace events: domain id; 0 unknown */
	char dev[32];			/* attach: the device */
	bool used;
};

struct evs {
	struct ev *v;
	size_t n, cap;
	uint64_t bytes;
};

static int push(struct evs *e, uint64_t ts, uint64_t iova, uint64_t size, uint64_t domain,
		const char *dev)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct ev *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n] = (struct ev){ ts, iova, size, domain, "", false };
	snprintf(e->v[e->n++].dev, sizeof(e->v[0].dev), "%s", dev ?: "");
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
		uint64_t a, b, c, d, ts = 0;
		unsigned long sec, usec;
		char *p = strstr(line, ": ");

		/* "  comm-pid  [cpu] flags  SEC.USEC: event: ..." */
		while (p && p > line && p[-1] != ' ')
			p--;
		if (p && sscanf(p, "%lu.%lu:", &sec, &usec) == 2)
			ts = sec * 1000000000ULL + usec * 1000ULL;
		if ((p = strstr(line, " map: IOMMU: iova=")) &&
		    sscanf(p, " map: IOMMU: iova=%" SCNx64 " - %" SCNx64 " paddr=%" SCNx64 " size=%" SCNu64,
			   &a, &b, &c, &d) == 4)
			err = push(&tp[K_MAP], ts, a, d, 0, NULL);
		else if ((p = strstr(line, " unmap: IOMMU: iova=")) &&
			 sscanf(p, " unmap: IOMMU: iova=%" SCNx64 " - %" SCNx64 " size=%" SCNu64
				" unmapped_size=%" SCNu64, &a, &b, &c, &d) == 4)
			err = push(&tp[K_UNMAP], ts, a, d, 0, NULL);
		else if ((p = strstr(line, " attach_device_to_domain: IOMMU: device="))) {
			char dev[32] = "";

			sscanf(p, " attach_device_to_domain: IOMMU: device=%31s", dev);
			err = push(&tp[K_ATTACH], ts, 0, 0, 0, dev);
		}
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

/*
 * An iommutrace event kind's comparison kind, or -1. Attaches compare per
 * device, like iommu:attach_device_to_domain (fired for each device of a
 * group, detaches included); PASID attaches do not fire it.
 */
static int event_kind(const char *kind)
{
	static const struct { const char *name; int kind; } kinds[] = {
		{ "attach",		K_ATTACH },
		{ "detach",		K_ATTACH },
		{ "map",		K_MAP },
		{ "unmap",		K_UNMAP },
		{ "unmap_fast",		K_UNMAP },
	};
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kind, kinds[i].name))
			return kinds[i].kind;
	return -1;
}

static const char *jstr(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ? json_object_get_string(v) : NULL;
}

/*
 * map_sg calls seen by iommutrace, as [entry, exit] windows: one event
 * stands for the per-segment map tracepoints fired inside it.
 */
static struct evs sg_windows;

/* Read `iommutrace trace --json` lines; failed operations are not events here. */
static int read_events(const char *path, struct evs tp[K_NR])
{
	char line[8192];
	int lineno = 0, err = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	while (!err && fgets(line, sizeof(line), f)) {
		json_object *o = json_tokener_parse(line), *v;
		const char *kind, *dom;
		bool ok = true;
		int k;

		lineno++;
		if (!o) {
			fprintf(stderr, "tpcheck: %s:%d: not JSON\n", path, lineno);
			err = -EINVAL;
			break;
		}
		kind = jstr(o, "kind");
		k = kind ? event_kind(kind) : -1;
		if (kind && !strcmp(kind, "map_sg")) {
			uint64_t t1 = jnum(o, "ts_ns", &ok), lat = jnum(o, "latency_ns", &ok);

			/* ts: the window's start; size: its length (trace clock: us) */
			err = push(&sg_windows, t1 - lat - t1 % 1000, 0, lat + 1000, 0, NULL);
		}
		/* group-level summaries: their devices have records of their own */
		if (k == K_ATTACH && json_object_object_get_ex(o, "flags", &v) &&
		    strstr(json_object_to_json_string(v), "\"group\""))
			k = -1;
		if (k >= 0 && json_object_object_get_ex(o, "ret", &v) && !json_object_get_int64(v)) {
			uint64_t ts = jnum(o, "ts_ns", &ok);

			dom = jstr(o, "domain_id");
			err = push(&tp[k], ts, k == K_ATTACH ? 0 : jnum(o, "iova", &ok),
				   k == K_ATTACH ? 0 : jnum(o, "done", &ok),
				   dom ? strtoull(dom, NULL, 16) : 0, jstr(o, "dev"));
			if (!ok) {
				fprintf(stderr, "tpcheck: %s:%d: %s event lacks fields\n", path, lineno, kind);
				err = -EINVAL;
			}
		}
		json_object_put(o);
	}
	fclose(f);
	return err;
}

/* A tracefs dump or iommutrace JSON lines, told apart by the first byte. */
static int read_source(const char *path, struct evs tp[K_NR], bool *json)
{
	FILE *f = fopen(path, "r");
	int c = f ? fgetc(f) : EOF;

	if (f)
		fclose(f);
	*json = c == '{';
	return *json ? read_events(path, tp) : read_trace(path, tp);
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

/*
 * Use unused events of one kind inside [iova, iova+size) and inside the
 * time window [t0, t1) until size bytes are covered.
 */
static uint64_t cover(struct evs *e, uint64_t t0, uint64_t t1, uint64_t iova, uint64_t size)
{
	uint64_t got = 0;
	size_t i;

	for (i = 0; i < e->n && got < size; i++) {
		struct ev *x = &e->v[i];

		if (!x->used && x->ts >= t0 && x->ts < t1 && x->iova >= iova &&
		    x->iova - iova < size) {
			x->used = true;
			got += x->size;
		}
	}
	return got;
}

static int sysfs_group(const char *bdf);

/*
 * Use one unused attach event inside [t0, t1) of a device in GROUP (any
 * device when GROUP < 0); false if there is none.
 */
static bool tp_attach_any(struct evs *e, uint64_t t0, uint64_t t1, int group)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		if (!e->v[i].used && e->v[i].ts >= t0 && e->v[i].ts < t1 &&
		    (group < 0 || sysfs_group(e->v[i].dev) == group)) {
			e->v[i].used = true;
			return true;
		}
	return false;
}

/*
 * iommutrace events only: every map/unmap event that covered a logged op
 * must be on a domain that an attach event before it put a device on.
 */
static unsigned long unattached_domains(const struct evs tp[K_NR])
{
	unsigned long bad = 0;
	size_t i, j;
	int k;

	for (k = K_MAP; k <= K_UNMAP; k++)
		for (i = 0; i < tp[k].n; i++) {
			const struct ev *x = &tp[k].v[i];
			bool seen = false;

			for (j = 0; x->used && !seen && j < tp[K_ATTACH].n; j++)
				seen = tp[K_ATTACH].v[j].domain == x->domain && tp[K_ATTACH].v[j].ts <= x->ts;
			if (x->used && !seen) {
				bad++;
				printf("  %s event iova=0x%" PRIx64 " on domain %016" PRIx64
				       " that no attach event put a device on\n", kind_name[k], x->iova, x->domain);
			}
		}
	return bad;
}

/*
 * Which iommufd IOAS ids have a device attached, so that their maps must
 * reach a domain. Ids are per /dev/iommu fd: each scenario opens its own,
 * so the state is reset at every scenario_begin.
 */
#define MAX_IDS 256
struct iommufd_state {
	int pt_ioas[MAX_IDS];	/* IOAS of an object id: itself, or a HWPT's */
	int dev_ioas[MAX_IDS];	/* IOAS a device id is attached to, 0: none */
	int dev_hwpt[MAX_IDS];	/* HWPT a device id is attached to */
	int dev_group[MAX_IDS];	/* IOMMU group of a device id, from sysfs */
};

/* The IOMMU group of a PCI device, from sysfs; -1 if unknown. */
static int sysfs_group(const char *bdf)
{
	char path[256], link[256];
	ssize_t n;
	const char *slash;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

static int small_id(json_object *o, const char *key)
{
	bool ok = true;
	uint64_t v = jnum(o, key, &ok);

	return ok && v < MAX_IDS ? (int)v : 0;
}

static bool ioas_attached(const struct iommufd_state *st, int ioas)
{
	int d;

	for (d = 1; d < MAX_IDS; d++)
		if (ioas && st->dev_ioas[d] == ioas)
			return true;
	return false;
}

static void track(struct iommufd_state *st, const char *op, json_object *o)
{
	int id;

	if (!strcmp(op, "scenario_begin")) {
		memset(st, 0, sizeof(*st));
	} else if (!strcmp(op, "IOMMU_IOAS_ALLOC")) {
		if ((id = small_id(o, "ioas_id")))
			st->pt_ioas[id] = id;
	} else if (!strcmp(op, "IOMMU_HWPT_ALLOC")) {
		if ((id = small_id(o, "hwpt_id")))
			st->pt_ioas[id] = st->pt_ioas[small_id(o, "pt_id")];
	} else if (!strcmp(op, "VFIO_DEVICE_ATTACH_IOMMUFD_PT")) {
		int ioas = st->pt_ioas[small_id(o, "pt_id")], dev = small_id(o, "dev_id");
		json_object *bdf;

		st->dev_hwpt[dev] = small_id(o, "hwpt_id");
		st->dev_group[dev] = json_object_object_get_ex(o, "bdf", &bdf) ?
				     sysfs_group(json_object_get_string(bdf)) : -1;

		/* attaching to an IOAS creates a HWPT on it (hwpt_id) */
		if (ioas && (id = small_id(o, "hwpt_id")))
			st->pt_ioas[id] = ioas;
		if (!ioas && (id = small_id(o, "hwpt_id")))
			ioas = st->pt_ioas[id];
		st->dev_ioas[small_id(o, "dev_id")] = ioas;
	} else if (!strcmp(op, "VFIO_DEVICE_DETACH_IOMMUFD_PT")) {
		st->dev_ioas[small_id(o, "dev_id")] = 0;
		st->dev_hwpt[small_id(o, "dev_id")] = 0;
	}
}

/*
 * An iommufd attach reaches the IOMMU unless another device of the same
 * group is already on the same HWPT: the kernel attaches groups, not
 * devices. Called before track() records this attach.
 */
static bool attach_reaches_iommu(const struct iommufd_state *st, json_object *o)
{
	int dev = small_id(o, "dev_id"), hwpt = small_id(o, "hwpt_id"), d, group;
	json_object *bdf;

	if (!json_object_object_get_ex(o, "bdf", &bdf) ||
	    (group = sysfs_group(json_object_get_string(bdf))) < 0)
		return true;
	for (d = 1; d < MAX_IDS; d++)
		if (d != dev && st->dev_hwpt[d] == hwpt && st->dev_group[d] == group)
			return false;
	return true;
}

static int check_log(const char *log, struct evs tp[K_NR], bool events)
{
	unsigned long logged[K_NR] = {}, missing[K_NR] = {};
	struct iommufd_state st = {};
	json_object **lines = NULL;
	size_t n = 0, cap = 0, i;
	char line[8192];
	int bad = 0, k, ret = 2;
	FILE *f = fopen(log, "r");

	if (!f) {
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", log, strerror(errno));
		return 2;
	}
	while (fgets(line, sizeof(line), f)) {
		if (n == cap) {
			json_object **l = realloc(lines, (cap = cap ? cap * 2 : 256) * sizeof(*l));

			if (!l)
				goto cleanup;
			lines = l;
		}
		if (!(lines[n++] = json_tokener_parse(line))) {
			fprintf(stderr, "tpcheck: %s:%zu: not JSON\n", log, n);
			goto cleanup;
		}
	}
	for (i = 0; i < n; i++) {
		json_object *o = lines[i], *opv;
		const char *op;
		bool ok = true, iommufd;
		uint64_t t0, t1, iova, size, got;

		if (!json_object_object_get_ex(o, "op", &opv))
			continue;
		op = json_object_get_string(opv);
		if (!strcmp(op, "VFIO_DEVICE_ATTACH_IOMMUFD_PT") && !attach_reaches_iommu(&st, o)) {
			track(&st, op, o);
			continue;
		}
		track(&st, op, o);
		if ((k = op_kind(op)) < 0 || !json_object_object_get_ex(o, "ret", &opv) ||
		    json_object_get_int64(opv) != 0)
			continue;
		t0 = jnum(o, "ts_ns", &ok);
		t1 = i + 1 < n ? jnum(lines[i + 1], "ts_ns", &ok) : UINT64_MAX;
		if (!ok) {
			fprintf(stderr, "tpcheck: %s:%zu: %s without ts_ns\n", log, i + 1, op);
			goto cleanup;
		}
		/* the trace clock has microseconds */
		t0 -= t0 % 1000;
		iommufd = !strncmp(op, "IOMMU_", 6);
		if (k == K_ATTACH) {
			const char *bdf = jstr(o, "bdf");

			logged[k]++;
			if (!tp_attach_any(&tp[k], t0, t1, bdf ? sysfs_group(bdf) : -1)) {
				missing[k]++;
				printf("  %s:%zu %s: no attach_device_to_domain event\n", log, i + 1, op);
			}
			continue;
		}
		/* VFIO ops log "size", iommufd ops "len" */
		iova = jnum(o, "iova", &ok);
		size = json_object_object_get_ex(o, "size", NULL) ? jnum(o, "size", &ok)
								 : jnum(o, "len", &ok);
		if (!ok) {
			fprintf(stderr, "tpcheck: %s:%zu: %s without iova and size/len\n", log, i + 1, op);
			goto cleanup;
		}
		/* unmap-all: counts only; iommufd without a device: no domain */
		if (!size || size == UINT64_MAX ||
		    (iommufd && !ioas_attached(&st, small_id(o, "ioas_id"))))
			continue;
		logged[k]++;
		if ((got = cover(&tp[k], t0, t1, iova, size)) < size) {
			missing[k]++;
			printf("  %s:%zu %s iova=0x%" PRIx64 " size=%" PRIu64
			       ": tracepoints cover only %" PRIu64 " bytes\n",
			       log, i + 1, kind_name[k], iova, size, got);
		}
	}
	if (!logged[K_MAP] && !logged[K_UNMAP] && !logged[K_ATTACH]) {
		printf("nothing to compare: %s logged no map, unmap or attach that reaches a domain\n", log);
		ret = 1;
		goto cleanup;
	}
	for (k = 0; k < K_NR; k++) {
		bool fine = !missing[k] && tp[k].n >= logged[k];

		printf("%-6s logged %lu, traced %zu%s\n", kind_name[k], logged[k], tp[k].n,
		       fine ? "" : missing[k] ? ", NOT COVERED" : ", TOO FEW EVENTS");
		bad |= !fine;
	}
	if (events && unattached_domains(tp))
		bad = 1;
	ret = bad;
cleanup:
	fclose(f);
	for (i = 0; i < n; i++)
		json_object_put(lines[i]);
	free(lines);
	return ret;
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

/* Tracefs map events inside a map_sg call: they are that call's segments. */
static size_t maps_in_sg(const struct evs *tp)
{
	size_t i, j, n = 0;

	for (i = 0; i < tp->n; i++)
		for (j = 0; j < sg_windows.n; j++)
			if (tp->v[i].ts >= sg_windows.v[j].ts &&
			    tp->v[i].ts - sg_windows.v[j].ts <= sg_windows.v[j].size) {
				n++;
				break;
			}
	return n;
}

/*
 * The same number of map, unmap and attach events in both sources; the
 * per-segment map tracepoints of a map_sg call count as that one call.
 */
static int check_count(struct evs ev[K_NR], struct evs tp[K_NR])
{
	size_t in_sg = maps_in_sg(&tp[K_MAP]);
	int k, bad = 0;

	for (k = 0; k < K_NR; k++) {
		size_t want = tp[k].n - (k == K_MAP ? in_sg : 0);

		printf("%-6s iommutrace %zu, tracefs %zu", kind_name[k], ev[k].n, want);
		if (k == K_MAP && sg_windows.n)
			printf(" (+%zu in %zu map_sg)", in_sg, sg_windows.n);
		printf("%s\n", ev[k].n == want ? "" : ", DIFFERENT");
		bad |= ev[k].n != want;
	}
	return bad;
}

int main(int argc, char **argv)
{
	struct evs tp[K_NR] = {}, ev[K_NR] = {};
	bool json = false;
	int ret, k;

	if (argc != 4 || (strcmp(argv[1], "log") && strcmp(argv[1], "stat") && strcmp(argv[1], "count"))) {
		fprintf(stderr, "usage: tpcheck log WORKLOAD.jsonl TRACE|EVENTS.jsonl | "
				"count EVENTS.jsonl TRACE | stat STAT.json TRACE\n");
		return 2;
	}
	if (!strcmp(argv[1], "log")) {
		if (read_source(argv[3], tp, &json))
			return 2;
		ret = check_log(argv[2], tp, json);
	} else if (!strcmp(argv[1], "count")) {
		if (read_events(argv[2], ev) || read_trace(argv[3], tp))
			return 2;
		ret = check_count(ev, tp);
	} else {
		if (read_trace(argv[3], tp))
			return 2;
		ret = check_stat(argv[2], tp);
	}
	for (k = 0; k < K_NR; k++) {
		free(tp[k].v);
		free(ev[k].v);
	}
	free(sg_windows.v);
	return ret;
}
