// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace report on a small recording written with recw_*: the sums per
 * domain and per process (report/sums.c), the histograms they feed, the
 * text, the JSON document, the chrome-trace document, and a damaged or
 * unclosed recording. The histograms themselves: hist_test.c.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>
#include "rec/writer.h"
#include "records.h"
#include "report/report.h"

#define D1	REC_DOMAIN_ID		/* d:55667788: maps, unmaps, one never-mapped unmap */
#define D2	0x2222222200000002ULL	/* allocated and freed */
#define DEV	"0000:00:06.0"
#define NRECS	12			/* records in the recording */

static const struct rec_meta meta = {
	.version = REC_VERSION,
	.abi = ITR_ABI_VERSION,
	.wall_ns = 1700000000123456789ULL,
	.mono_ns = REC_T0,
	.release = "6.12.9-test",
};

static char path[64], cut_path[80], open_path[80];
static __u64 ts = REC_T0;

static void put(struct rec_writer *w, union rec *r, size_t n)
{
	ts += 1000;
	r->h.ts_ns = ts;
	cr_assert_eq(recw_event(w, r, n), 0);
}

static void put_map(struct rec_writer *w, unsigned int kind, __u64 iova, __u64 size, __u64 lat,
		    __u32 tgid, const char *comm)
{
	union rec r;
	size_t n = rec_make(&r, kind);

	r.map.iova = iova;
	r.map.size = r.map.done = size;
	r.map.latency_ns = lat;
	r.h.tgid = tgid;
	r.h.pid = tgid + 1;
	snprintf(r.h.comm, sizeof(r.h.comm), "%s", comm);
	put(w, &r, n);
}

static void put_domain(struct rec_writer *w, unsigned int kind, __u64 id)
{
	union rec r;
	size_t n = rec_make(&r, kind);

	r.h.domain_id = id;
	put(w, &r, n);
}

/*
 * 12 records in 3 frames: D1 allocated, its HWPT, DEV attached; 3 maps
 * (2 by qemu, 1 by dpdk), an unmap of one, an unmap of IOVAs never mapped
 * (unmap-unmapped); an ioctl; D2 allocated and freed; then the counters.
 */
static void write_recording(const char *p, bool close, char *copy_unclosed)
{
	struct itr_counters c = {};
	struct rec_writer *w;
	union rec r;
	size_t n;
	int err;

	ts = REC_T0;
	w = recw_open(p, &meta, &err);
	cr_assert_not_null(w, "recw_open: %s", strerror(-err));
	put_domain(w, ITR_EV_DOMAIN_ALLOC, D1);
	n = rec_make(&r, ITR_EV_HWPT_DOMAIN);
	put(w, &r, n);
	n = rec_make(&r, ITR_EV_ATTACH);
	put(w, &r, n);
	cr_assert_eq(recw_flush(w), 0);
	put_map(w, ITR_EV_MAP, 0x100000, 4096, 2100, 4320, "qemu-system-x86");
	put_map(w, ITR_EV_MAP, 0x200000, 2 << 20, 100000, 4320, "qemu-system-x86");
	put_map(w, ITR_EV_MAP, 0x400000, 8192, 3000, 777, "dpdk");
	put_map(w, ITR_EV_UNMAP, 0x100000, 4096, 1500, 4320, "qemu-system-x86");
	put_map(w, ITR_EV_UNMAP, 0x900000, 4096, 900, 4320, "qemu-system-x86");
	cr_assert_eq(recw_flush(w), 0);
	n = rec_make(&r, ITR_EV_IOCTL);
	put(w, &r, n);
	put_domain(w, ITR_EV_DOMAIN_ALLOC, D2);
	put_domain(w, ITR_EV_DOMAIN_FREE, D2);
	n = rec_make(&r, ITR_EV_LOCKED);
	put(w, &r, n);
	cr_assert_eq(recw_flush(w), 0);
	if (copy_unclosed) {	/* what a killed recorder leaves: no COUNTERS, no END */
		char cmd[200];

		snprintf(cmd, sizeof(cmd), "cp %s %s", p, copy_unclosed);
		cr_assert_eq(system(cmd), 0);
	}
	c.v[ITR_CNT_LOST] = 3;
	c.v[ITR_CNT_EMITTED] = NRECS;
	if (close)
		cr_assert_eq(recw_close(w, &c), 0);
}

static void setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/itr-report-XXXXXX");
	fd = mkstemp(path);
	cr_assert_geq(fd, 0);
	close(fd);
	snprintf(cut_path, sizeof(cut_path), "%s.cut", path);
	snprintf(open_path, sizeof(open_path), "%s.open", path);
	write_recording(path, true, open_path);
}

static void teardown(void)
{
	unlink(path);
	unlink(cut_path);
	unlink(open_path);
}

TestSuite(report, .init = setup, .fini = teardown);

/* The report of path in fmt, as a string (free it); *ret gets report_run's return. */
static char *run(const char *p, enum report_format fmt, int top, int *ret, struct replay_result *res)
{
	char *buf = NULL;
	size_t len = 0;
	struct output out = { .f = open_memstream(&buf, &len) };

	cr_assert_not_null(out.f);
	*ret = report_run(p, fmt, &out, top, res);
	cr_assert_eq(output_close(&out), 0);
	return buf;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	cr_assert(json_object_object_get_ex(o, key, &v), "no key '%s' in %s", key,
		  json_object_to_json_string(o));
	return v;
}

static __u64 get_u64(json_object *o, const char *key)
{
	return json_object_get_uint64(get(o, key));
}

Test(report, format_names)
{
	enum report_format f;

	cr_expect_eq(report_format_parse("chrome-trace", &f), 0);
	cr_expect_eq(f, REPORT_CHROME);
	cr_expect_eq(report_format_parse("json", &f), 0);
	cr_expect_eq(f, REPORT_JSON);
	cr_expect_eq(report_format_parse("xml", &f), -EINVAL);
	cr_expect_str_eq(report_format_str(REPORT_TEXT), "text");
}

Test(report, per_domain_sums_and_histograms)
{
	struct output null;
	const struct report_domain *d;
	struct report r;

	cr_assert_eq(output_open(&null, "/dev/null"), 0);
	cr_assert_eq(report_init(&r, REPORT_TEXT, &null, 10), 0);
	cr_assert_eq(report_replay(&r, path), 0, "%s", r.res.why);
	cr_assert_eq(report_print(&r), 0);
	cr_expect_eq(r.records, NRECS);
	cr_expect_eq(r.events, NRECS);
	cr_expect(r.res.clean_end);

	d = report_domain_find(&r, D1);
	cr_assert_not_null(d);
	cr_expect_eq(d->type, ITR_DOM_UNMANAGED);
	cr_expect_eq(d->hwpt_id, 4);
	cr_expect_eq(d->maps, 3);
	cr_expect_eq(d->map_errors, 0);
	cr_expect_eq(d->bytes_mapped, 4096 + (2 << 20) + 8192);
	cr_expect_eq(d->unmaps, 2);
	cr_expect_eq(d->bytes_unmapped, 8192);
	cr_expect(d->alloc_seen);
	cr_expect(!d->freed);
	cr_expect(d->tracked);
	cr_expect_eq(d->live_mappings, 2);
	cr_expect_eq(d->live_bytes, (2 << 20) + 8192);
	cr_expect_eq(d->ngroups, 1);
	cr_expect_eq(d->groups[0], 5);
	cr_expect_eq(d->ndevs, 1);
	cr_expect_str_eq(d->devs[0], DEV);

	d = report_domain_find(&r, D2);
	cr_assert_not_null(d);
	cr_expect(d->freed);
	cr_expect_eq(d->maps, 0);

	/* map latency 2100, 3000 -> [2048, 4095]; 100000 -> [65536, 131071] */
	cr_expect_eq(r.map_lat.count, 3);
	cr_expect_eq(r.map_lat.slot[11], 2);
	cr_expect_eq(r.map_lat.slot[16], 1);
	/* map sizes 4 KiB, 2 MiB, 8 KiB */
	cr_expect_eq(r.map_size.slot[12], 1);
	cr_expect_eq(r.map_size.slot[13], 1);
	cr_expect_eq(r.map_size.slot[21], 1);
	cr_expect_eq(r.map_size.count, 3);
	/* the ioctl: 2100 ns */
	cr_expect_eq(r.ioctl_lat.count, 1);
	cr_expect_eq(r.ioctl_lat.slot[11], 1);
	/* the unmap of never-mapped IOVAs in an allocated UNMANAGED domain */
	cr_expect_geq(r.p.nall, 1);
	cr_expect(r.p.nall >= 1 && r.p.all[r.p.nall - 1].rule == R_UNMAP_UNMAPPED);
	report_fini(&r);
	cr_assert_eq(output_close(&null), 0);
}

Test(report, text_has_every_section)
{
	int ret;
	char *s = run(path, REPORT_TEXT, 10, &ret, NULL);

	cr_assert_eq(ret, 0);
	cr_expect(strstr(s, "kernel:    6.12.9-test"), "%s", s);
	cr_expect(strstr(s, "lost:      3\n"), "%s", s);
	cr_expect(strstr(s, "ended:     cleanly"), "%s", s);
	cr_expect(strstr(s, "d:55667788  UNMANAGED  4"), "%s", s);
	cr_expect(strstr(s, "d:00000002"), "%s", s);
	cr_expect(strstr(s, "freed"), "%s", s);
	cr_expect(strstr(s, DEV), "%s", s);
	cr_expect(strstr(s, "4320     qemu-system-x86"), "%s", s);
	cr_expect(strstr(s, "      2048 -> 4095       : 2        |****************************************|"),
		  "%s", s);
	cr_expect(strstr(s, "unmap-unmapped"), "%s", s);
	cr_expect(strstr(s, "findings: 0 error, 1 warning, 0 info"), "%s", s);
	free(s);
}

Test(report, json_parses_with_the_documented_keys)
{
	json_object *o, *rec, *doms, *d, *h, *b, *top, *fc;
	size_t i;
	int ret;
	char *s = run(path, REPORT_JSON, 1, &ret, NULL);

	cr_assert_eq(ret, 0);
	o = json_tokener_parse(s);
	cr_assert_not_null(o, "not JSON: %s", s);
	cr_expect_eq(get_u64(o, "schema"), 1);
	rec = get(o, "recording");
	cr_expect_str_eq(json_object_get_string(get(rec, "release")), "6.12.9-test");
	cr_expect_eq(get_u64(rec, "events"), NRECS);
	cr_expect_eq(get_u64(rec, "lost"), 3);
	cr_expect(json_object_get_boolean(get(rec, "clean_end")));
	cr_expect_null(get(rec, "error"));
	cr_expect_eq(get_u64(rec, "duration_ns"), NRECS * 1000);

	doms = get(o, "domains");
	cr_assert_eq(json_object_array_length(doms), 2);
	d = json_object_array_get_idx(doms, 0);	/* order of appearance */
	cr_expect_str_eq(json_object_get_string(get(d, "id")), "1122334455667788");
	cr_expect_str_eq(json_object_get_string(get(d, "short")), "d:55667788");
	cr_expect_str_eq(json_object_get_string(get(d, "type")), "UNMANAGED");
	cr_expect_eq(get_u64(d, "hwpt"), 4);
	cr_expect_eq(get_u64(d, "maps"), 3);
	cr_expect_eq(get_u64(d, "unmaps"), 2);
	cr_expect_eq(get_u64(d, "bytes_mapped"), 4096 + (2 << 20) + 8192);
	cr_expect_eq(get_u64(d, "live_mappings"), 2);
	cr_expect_eq(get_u64(d, "live_bytes"), (2 << 20) + 8192);
	cr_expect_eq(json_object_array_length(get(d, "groups")), 1);
	cr_expect_str_eq(json_object_get_string(json_object_array_get_idx(get(d, "devices"), 0)), DEV);
	d = json_object_array_get_idx(doms, 1);
	cr_expect(json_object_get_boolean(get(d, "freed")));
	cr_expect_null(get(d, "live_mappings"));

	cr_expect_eq(json_object_array_length(get(o, "devices")), 1);
	cr_expect_str_eq(json_object_get_string(get(json_object_array_get_idx(get(o, "devices"), 0), "dev")), DEV);

	top = get(o, "top_mappers");	/* --top 1 */
	cr_assert_eq(json_object_array_length(top), 1);
	cr_expect_eq(get_u64(json_object_array_get_idx(top, 0), "tgid"), 4320);
	cr_expect_eq(get_u64(json_object_array_get_idx(top, 0), "maps"), 2);
	cr_expect_eq(get_u64(json_object_array_get_idx(top, 0), "unmaps"), 2);

	h = get(get(o, "histograms"), "map_latency");
	cr_expect_eq(get_u64(h, "count"), 3);
	b = get(h, "buckets");
	cr_assert_eq(json_object_array_length(b), 17);	/* slots 0..16 */
	cr_expect_eq(get_u64(json_object_array_get_idx(b, 11), "low"), 2048);
	cr_expect_eq(get_u64(json_object_array_get_idx(b, 11), "high"), 4095);
	cr_expect_eq(get_u64(json_object_array_get_idx(b, 11), "count"), 2);
	cr_expect_eq(get_u64(json_object_array_get_idx(b, 16), "count"), 1);
	for (i = 0; i < 11; i++)
		cr_expect_eq(get_u64(json_object_array_get_idx(b, i), "count"), 0);
	cr_expect_eq(get_u64(get(get(o, "histograms"), "ioctl_latency"), "count"), 1);
	cr_expect_eq(get_u64(get(get(o, "histograms"), "map_size"), "max"), 2 << 20);

	fc = get(get(o, "findings"), "counts");
	cr_expect_eq(get_u64(fc, "warning"), 1);
	cr_expect_eq(get_u64(fc, "error"), 0);
	cr_expect_eq(json_object_array_length(get(get(o, "findings"), "list")), 1);
	json_object_put(o);
	free(s);
}

Test(report, chrome_trace_parses_with_one_event_per_record)
{
	json_object *o, *ev, *e;
	int ret, nx = 0, ni = 0, nm = 0, ng = 0, n, i;
	char *s = run(path, REPORT_CHROME, 10, &ret, NULL);

	cr_assert_eq(ret, 0);
	o = json_tokener_parse(s);
	cr_assert_not_null(o, "not JSON: %s", s);
	cr_expect_str_eq(json_object_get_string(get(o, "displayTimeUnit")), "ns");
	ev = get(o, "traceEvents");
	n = json_object_array_length(ev);
	for (i = 0; i < n; i++) {
		const char *ph;

		e = json_object_array_get_idx(ev, i);
		ph = json_object_get_string(get(e, "ph"));
		if (!strcmp(ph, "X")) {
			nx++;
			cr_expect(json_object_object_get_ex(e, "dur", NULL));
		} else if (!strcmp(ph, "M")) {
			nm++;
		} else if (!strcmp(ph, "i")) {
			if (!strcmp(json_object_get_string(get(e, "s")), "g")) {
				ng++;
				cr_expect_str_eq(json_object_get_string(get(e, "name")), "unmap-unmapped");
			} else {
				ni++;
			}
		} else {
			cr_expect(0, "unexpected ph %s", ph);
		}
	}
	cr_expect_eq(nx, 6);		/* 3 maps, 2 unmaps, 1 ioctl */
	cr_expect_eq(ni, NRECS - 6);	/* alloc, hwpt, attach, alloc, free, locked */
	cr_expect_eq(nm, 4);		/* process_name and thread_name of qemu and dpdk */
	cr_expect_eq(ng, 1);		/* the finding */
	cr_expect_eq(n, NRECS + 4 + 1);

	/* the first record: 1 us after the recording's start, an instant */
	e = json_object_array_get_idx(ev, 2);
	cr_expect_str_eq(json_object_get_string(get(e, "name")), "domain_alloc");
	cr_expect_eq(json_object_get_double(get(e, "ts")), 1.0);
	cr_expect_eq(get_u64(e, "pid"), 4320);
	/* the 2 MiB map ends at 5 us and took 100 us: clamped to the recording's start */
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(ev, i);
		if (!strcmp(json_object_get_string(get(e, "ph")), "X") &&
		    json_object_get_double(get(e, "ts")) == 0.0)
			break;
	}
	cr_assert_lt(i, n, "no complete event at 0");
	cr_expect_str_eq(json_object_get_string(get(e, "name")), "map");
	cr_expect_float_eq(json_object_get_double(get(e, "dur")), 5.0, 1e-9);
	for (i = 0; i < n; i++) {
		e = json_object_array_get_idx(ev, i);
		if (!strcmp(json_object_get_string(get(e, "ph")), "X") &&
		    !strcmp(json_object_get_string(get(e, "name")), "IOMMU_IOAS_ALLOC"))
			break;
	}
	cr_assert_lt(i, n, "no ioctl named IOMMU_IOAS_ALLOC");
	cr_expect_float_eq(json_object_get_double(get(e, "dur")), 2.1, 1e-9);
	cr_expect_float_eq(json_object_get_double(get(e, "ts")), 6.9, 1e-9);	/* ends at 9 us */
	cr_expect_str_eq(json_object_get_string(get(get(o, "otherData"), "release")), "6.12.9-test");
	json_object_put(o);
	free(s);
}

/* A copy cut in the middle of its last EVENTS frame: a partial report, then the error. */
Test(report, truncated_recording_gives_partial_report_and_error)
{
	struct replay_result res;
	struct stat st;
	char cmd[200], *s;
	json_object *o;
	int ret;

	cr_assert_eq(stat(open_path, &st), 0);	/* ends with the last EVENTS frame */
	snprintf(cmd, sizeof(cmd), "head -c %lld %s > %s", (long long)st.st_size - 20, path, cut_path);
	cr_assert_eq(system(cmd), 0);
	s = run(cut_path, REPORT_TEXT, 10, &ret, &res);
	cr_expect_neq(ret, 0);
	cr_expect(strstr(res.why, "at byte "), "why: %s", res.why);	/* names the offset */
	cr_expect(strstr(s, "DOMAINS"), "%s", s);
	cr_expect(strstr(s, "d:55667788"), "%s", s);
	cr_expect(strstr(s, "ended:     damaged"), "%s", s);
	free(s);

	s = run(cut_path, REPORT_JSON, 10, &ret, &res);
	cr_expect_neq(ret, 0);
	o = json_tokener_parse(s);
	cr_assert_not_null(o, "not JSON: %s", s);
	cr_expect_lt(get_u64(get(o, "recording"), "events"), NRECS);
	cr_expect_not_null(get(get(o, "recording"), "error"));
	json_object_put(o);
	free(s);

	s = run(cut_path, REPORT_CHROME, 10, &ret, &res);	/* still a whole document */
	cr_expect_neq(ret, 0);
	o = json_tokener_parse(s);
	cr_expect_not_null(o, "not JSON: %s", s);
	json_object_put(o);
	free(s);
}

Test(report, unclosed_recording_is_a_warning)
{
	struct replay_result res;
	int ret;
	char *s = run(open_path, REPORT_TEXT, 10, &ret, &res);

	cr_expect_eq(ret, 0);
	cr_expect(strstr(res.why, "not closed cleanly"), "why: %s", res.why);
	cr_expect(strstr(s, "lost:      unknown"), "%s", s);
	cr_expect(strstr(s, "not closed cleanly"), "%s", s);
	cr_expect(strstr(s, "events:    12"), "%s", s);
	free(s);
}

Test(report, missing_file_prints_nothing)
{
	struct replay_result res;
	int ret;
	char *s = run("/nonexistent/rec.itr", REPORT_JSON, 10, &ret, &res);

	cr_expect_eq(ret, -ENOENT);
	cr_expect(strstr(res.why, "/nonexistent/rec.itr"), "why: %s", res.why);
	cr_expect_str_eq(s, "");
	free(s);
}
