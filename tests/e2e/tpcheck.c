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
 *   tpcheck ioctls WORKLOAD.jsonl EVENTS.jsonl
 *     Every VFIO/iommufd ioctl the workload logged appears exactly once as
 *     an `ioctl` record (same name, fd, process, success, the ids it
 *     returned, the flags it passed, and for a failure ret = -errno), the
 *     workload's process made no other, and the core map records a logged
 *     map caused carry that ioctl's op_id (the join).
 *   tpcheck locked WORKLOAD.jsonl EVENTS.jsonl
 *     For every type1 MAP_DMA/UNMAP_DMA the workload logged with its VmLck
 *     before and after (on a vfio-container ioctl record): the `locked`
 *     records carrying that ioctl's op_id sum to the VmLck change in pages,
 *     and the last one's locked_vm is VmLck after, in pages.
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

/* One `ioctl` record of iommutrace. */
struct ioc {
	json_object *o;
	uint64_t ts;
	int64_t tgid, fd, ret;
	const char *name, *op_id, *layer;
	bool used;
};

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

static int64_t jint(json_object *o, const char *key, int64_t dflt)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) && v ? json_object_get_int64(v) : dflt;
}

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
	for (i = 0; i < sizeof(id_checks) / sizeof(id_checks[0]); i++) {
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
static unsigned long check_join(json_object **ev, size_t nev, uint64_t t0, uint64_t t1, uint64_t iova,
				uint64_t size, const char *op_id, unsigned long *seen)
{
	unsigned long bad = 0;
	size_t i;

	for (i = 0; i < nev; i++) {
		const char *k = jstr(ev[i], "kind"), *id = jstr(ev[i], "op_id");
		uint64_t ts = (uint64_t)jint(ev[i], "ts_ns", 0), a = (uint64_t)jint(ev[i], "iova", 0);

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

#define ENOIOCTLCMD 515	/* the kernel's; the syscall returns ENOTTY for it */

/* A failed ioctl's record must return what the workload's errno says. */
static unsigned long check_errno(const char *op, json_object *logged, const struct ioc *c)
{
	int64_t err = jint(logged, "errno", 0);

	if (c->ret == -err || (err == ENOTTY && c->ret == -ENOIOCTLCMD))
		return 0;
	printf("  %s: logged errno %" PRId64 ", ioctl record ret %" PRId64 "\n", op, err, c->ret);
	return 1;
}

/*
 * type1 pinned-page accounting of one logged MAP_DMA/UNMAP_DMA (c: its
 * ioctl record): the `locked` records of its op sum to the logged VmLck
 * change, and the last one leaves locked_vm at VmLck after. 0 when it
 * agrees or does not apply (*checked not counted), else 1.
 */
static unsigned long check_locked(json_object *logged, const struct ioc *c, json_object **ev, size_t nev,
				  unsigned long *checked, unsigned long *records)
{
	int64_t before = jint(logged, "vmlck_kb_before", -1), after = jint(logged, "vmlck_kb", -1);
	int64_t sum = 0, last_vm = -1, n = 0;
	size_t i;

	if (before < 0 || after < 0 || !c->op_id || !c->layer || strcmp(c->layer, "vfio-container"))
		return 0;
	(*checked)++;
	for (i = 0; i < nev; i++) {
		const char *k = jstr(ev[i], "kind"), *id = jstr(ev[i], "op_id");

		if (!k || strcmp(k, "locked") || !id || strcmp(id, c->op_id))
			continue;
		sum += jint(ev[i], "npages", 0);
		last_vm = jint(ev[i], "locked_vm", -1);
		n++;
	}
	*records += n;
	if (sum * 4 == after - before && (!n || last_vm * 4 == after))
		return 0;
	printf("  %s fd %" PRId64 " op %s: VmLck %" PRId64 " -> %" PRId64 " KiB; %" PRId64
	       " locked records sum %+" PRId64 " pages, last locked_vm %" PRId64 "\n",
	       c->name, c->fd, c->op_id, before, after, n, sum, last_vm);
	return 1;
}

static json_object **read_lines(const char *path, size_t *n)
{
	json_object **v = NULL;
	size_t cap = 0;
	char line[16384];
	FILE *f = fopen(path, "r");

	*n = 0;
	if (!f) {
		fprintf(stderr, "tpcheck: cannot open %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while (fgets(line, sizeof(line), f)) {
		if (*n == cap) {
			json_object **nv = realloc(v, (cap = cap ? cap * 2 : 1024) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		if (!(v[*n] = json_tokener_parse(line))) {
			fprintf(stderr, "tpcheck: %s:%zu: not JSON\n", path, *n + 1);
			break;
		}
		(*n)++;
	}
	fclose(f);
	return v;
}

/* locked: the verdict is check_locked()'s, else the ioctls' and the join's */
static int check_ioctls(const char *log, const char *events, bool locked)
{
	size_t nl, ne, nc = 0, i, j;
	json_object **ls = read_lines(log, &nl), **es = read_lines(events, &ne);
	struct ioc *cs = calloc(ne + 1, sizeof(*cs));
	unsigned long logged = 0, missing = 0, ids = 0, join_bad = 0, join_seen = 0, extra = 0, rets = 0;
	unsigned long lk_checked = 0, lk_records = 0, lk_bad = 0;
	struct iommufd_state st = {};
	int64_t pid = -1;
	int ret = 2;

	if (!ls || !es || !cs)
		goto cleanup;
	for (i = 0; i < ne; i++) {
		const char *k = jstr(es[i], "kind");

		if (k && !strcmp(k, "ioctl"))
			cs[nc++] = (struct ioc){ es[i], (uint64_t)jint(es[i], "ts_ns", 0), jint(es[i], "tgid", -1),
						 jint(es[i], "fd", -2), jint(es[i], "ret", 0), jstr(es[i], "ioctl"),
						 jstr(es[i], "op_id"), jstr(es[i], "layer"), false };
	}
	for (i = 0; i < nl; i++) {
		const char *op = jstr(ls[i], "op");
		char want[64];
		uint64_t t0 = (uint64_t)jint(ls[i], "ts_ns", 0);
		uint64_t t1 = i + 1 < nl ? (uint64_t)jint(ls[i + 1], "ts_ns", 0) : UINT64_MAX;
		bool ok = jint(ls[i], "ret", 0) >= 0;
		struct ioc *c = NULL;

		if (!op)
			continue;
		track(&st, op, ls[i]);
		if (strncmp(op, "VFIO_", 5) && strncmp(op, "IOMMU_", 6))
			continue;
		snprintf(want, sizeof(want), "%s", !strncmp(op, "IOMMU_TEST_OP_", 14) ? "IOMMU_TEST_CMD" : op);
		pid = jint(ls[i], "pid", -1);
		logged++;
		t0 -= t0 % 1000;
		for (j = 0; j < nc && !c; j++)
			if (!cs[j].used && cs[j].tgid == pid && cs[j].fd == jint(ls[i], "fd", -3) &&
			    cs[j].name && !strcmp(cs[j].name, want) && cs[j].ts >= t0 && cs[j].ts < t1 &&
			    (cs[j].ret >= 0) == ok)
				c = &cs[j];
		if (!c) {
			missing++;
			printf("  %s:%zu %s fd %" PRId64 ": no ioctl record\n", log, i + 1, op, jint(ls[i], "fd", -1));
			continue;
		}
		c->used = true;
		ids += check_ids(op, ls[i], c, ok);
		lk_bad += check_locked(ls[i], c, es, ne, &lk_checked, &lk_records);
		if (!ok) {
			rets += check_errno(op, ls[i], c);
			continue;
		}
		if ((!strcmp(op, "VFIO_IOMMU_MAP_DMA") ||
		     (!strcmp(op, "IOMMU_IOAS_MAP") && ioas_attached(&st, small_id(ls[i], "ioas_id")))) && c->op_id) {
			uint64_t size = (uint64_t)jint(ls[i], !strcmp(op, "IOMMU_IOAS_MAP") ? "len" : "size", 0);

			join_bad += check_join(es, ne, t0, t1, (uint64_t)jint(ls[i], "iova", 0), size, c->op_id,
					       &join_seen);
		}
	}
	for (j = 0; j < nc; j++)
		if (!cs[j].used && cs[j].tgid == pid) {
			extra++;
			printf("  an ioctl the workload did not log: %s fd %" PRId64 "\n", cs[j].name ?: "?", cs[j].fd);
		}
	if (locked) {
		printf("locked: %lu type1 maps/unmaps with VmLck, %lu locked records, %lu disagree\n",
		       lk_checked, lk_records, lk_bad);
		ret = !lk_checked || !lk_records || lk_bad;
		goto cleanup;
	}
	printf("ioctls logged %lu, missing %lu, unlogged extra %lu, id/flag mismatches %lu, "
	       "ret != -errno %lu\n", logged, missing, extra, ids, rets);
	printf("join: %lu map records inside logged maps, %lu without their ioctl's op_id\n", join_seen, join_bad);
	ret = !logged || missing || extra || ids || rets || join_bad || !join_seen;
cleanup:
	for (i = 0; ls && i < nl; i++)
		json_object_put(ls[i]);
	for (i = 0; es && i < ne; i++)
		json_object_put(es[i]);
	free(ls);
	free(es);
	free(cs);
	return ret;
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

	if (argc != 4 || (strcmp(argv[1], "log") && strcmp(argv[1], "stat") && strcmp(argv[1], "count") &&
			  strcmp(argv[1], "ioctls") && strcmp(argv[1], "locked"))) {
		fprintf(stderr, "usage: tpcheck log WORKLOAD.jsonl TRACE|EVENTS.jsonl | "
				"ioctls|locked WORKLOAD.jsonl EVENTS.jsonl | count EVENTS.jsonl TRACE | "
				"stat STAT.json TRACE\n");
		return 2;
	}
	if (!strcmp(argv[1], "ioctls") || !strcmp(argv[1], "locked"))
		return check_ioctls(argv[2], argv[3], !strcmp(argv[1], "locked"));
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
