// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording's writer: what it writes, read back and byte by byte. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rec/reader.h"
#include "rec/writer.h"
#include "rec_fixture.h"

/* Next item must be record i of s. */
static void expect_rec(struct rec_reader *rd, const struct recs *s, size_t i)
{
	struct rec_item it;
	int rc = recr_next(rd, &it);

	cr_assert_eq(rc, 1, "record %zu: %d %s", i, rc, recr_why(rd));
	cr_assert_eq(it.type, REC_EVENTS);
	cr_assert_eq((uintptr_t)it.data % 8, 0);
	cr_assert_eq(it.len, s->r[i].h.size, "record %zu", i);
	cr_assert_eq(memcmp(it.data, &s->r[i], it.len), 0, "record %zu differs", i);
	cr_assert_eq(it.ev.kind, s->r[i].h.kind);
	cr_assert_eq((const void *)it.ev.h, it.data);
}

Test(rec_writer, round_trip_many_records_across_frames)
{
	struct itr_counters c = {}, *cp;
	static const char snap[] = "{\"schema\":4,\"devices\":[{\"dev\":\"0000:00:06.0\"}]}";
	char *path = tmp_path(), why[256];
	struct rec_writer *w;
	struct rec_reader *rd;
	struct rec_item it;
	struct recs s;
	size_t i, raw = 0, len;
	uint32_t frames_seen = 0, last = ~0u;
	uint8_t *file;
	int err;

	recs_make(&s, 6000);
	for (i = 0; i < ITR_CNT_MAX; i++)
		c.v[i] = i * 1000 + 7;
	w = recw_open(path, &meta, &err);
	cr_assert_not_null(w, "%s", strerror(-err));
	cr_assert_eq(recw_blob(w, REC_SNAPSHOT, snap, sizeof(snap)), 0);
	for (i = 0; i < s.n; i++) {
		cr_assert_eq(recw_event(w, &s.r[i], s.r[i].h.size), 0);
		raw += s.r[i].h.size;
		if (i % 1000 == 999)
			cr_assert_eq(recw_flush(w), 0);
	}
	cr_assert_eq(recw_close(w, &c), 0);

	rd = recr_open(path, &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	cr_assert_eq(recr_meta(rd)->version, REC_VERSION);
	cr_assert_eq(recr_meta(rd)->abi, ITR_ABI_VERSION);
	cr_assert_eq(recr_meta(rd)->wall_ns, meta.wall_ns);
	cr_assert_eq(recr_meta(rd)->mono_ns, meta.mono_ns);
	cr_assert_str_eq(recr_meta(rd)->release, meta.release);
	cr_assert_eq(recr_next(rd, &it), 1);
	cr_assert_eq(it.type, REC_SNAPSHOT);
	cr_assert_eq(it.len, sizeof(snap));
	cr_assert_str_eq(it.data, snap);
	cr_assert_eq(it.frame, 0);
	cr_assert_eq(it.frame_off, REC_HDR_SIZE);
	for (i = 0; i < s.n; i++)
		expect_rec(rd, &s, i);
	cr_assert_eq(recr_next(rd, &it), 1);
	cr_assert_eq(it.type, REC_COUNTERS);
	cr_assert_eq(it.len, sizeof(c));
	cr_assert_eq(memcmp(it.data, &c, sizeof(c)), 0);
	cr_assert_eq(recr_next(rd, &it), 0, "%s", recr_why(rd));
	cr_assert_eq(recr_next(rd, &it), 0);
	cr_assert(recr_clean_end(rd));
	cr_assert_str_eq(recr_why(rd), "");
	cp = (struct itr_counters *)recr_counters(rd);
	cr_assert_not_null(cp);
	cr_assert_eq(memcmp(cp, &c, sizeof(c)), 0);
	cr_assert_eq(recr_stats(rd)->records, s.n);
	cr_assert_eq(recr_stats(rd)->blobs, 2);
	cr_assert_eq(recr_stats(rd)->unknown, 0);
	file = slurp(path, &len);
	cr_assert_eq(recr_stats(rd)->bytes, len);
	/* 6 explicit flushes plus the 256 KiB ones, snapshot, counters, END */
	cr_assert_geq(recr_stats(rd)->frames, 9, "%llu frames",
		      (unsigned long long)recr_stats(rd)->frames);
	cr_assert_lt(len, raw / 4, "compressed %zu of %zu bytes", len, raw);
	recr_close(rd);

	/* Every record says which frame it came from, frames in file order. */
	rd = recr_open_mem(file, len, "mem", &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	while (recr_next(rd, &it) == 1) {
		if (it.frame != last) {
			cr_assert(last == ~0u || it.frame > last);
			cr_assert_eq(get32(file + it.frame_off), REC_FRAME_MAGIC);
			last = it.frame;
			frames_seen++;
		}
	}
	cr_assert_geq(frames_seen, 8);
	recr_close(rd);
	free(file);
	unlink(path);
	free(path);
	free(s.r);
}

Test(rec_writer, stored_frames_round_trip)
{
	char *path = tmp_path(), why[256];
	struct rec_writer *w;
	struct rec_reader *rd;
	struct rec_item it;
	struct recs s;
	size_t i, len;
	uint8_t *file;
	int err;

	recs_make(&s, 40);
	w = recw_open(path, &meta, &err);
	cr_assert_not_null(w);
	cr_assert_eq(recw_set_level(w, 10), -EINVAL);
	cr_assert_eq(recw_set_level(w, 0), 0);
	for (i = 0; i < s.n; i++)
		cr_assert_eq(recw_event(w, &s.r[i], s.r[i].h.size), 0);
	cr_assert_eq(recw_close(w, NULL), 0);
	file = slurp(path, &len);
	cr_assert_not_null(memmem(file, len, "qemu-system-x86", 15), "records are stored as is");
	rd = recr_open_mem(file, len, "stored", &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	for (i = 0; i < s.n; i++)
		expect_rec(rd, &s, i);
	cr_assert_eq(recr_next(rd, &it), 0, "%s", recr_why(rd));
	cr_assert(recr_clean_end(rd));
	cr_assert_null(recr_counters(rd));
	recr_close(rd);
	free(file);
	unlink(path);
	free(path);
	free(s.r);
}

Test(rec_writer, header_is_laid_out_as_documented)
{
	struct recs s;
	size_t len;
	uint8_t *file = small_recording(&s, &len);
	uint64_t wall, mono;

	cr_assert_eq(memcmp(file, "ITRREC\n\0", 8), 0);
	cr_assert_eq(get32(file + 8), REC_VERSION);
	cr_assert_eq(get32(file + 12), ITR_ABI_VERSION);
	memcpy(&wall, file + 16, 8);
	memcpy(&mono, file + 24, 8);
	cr_assert_eq(wall, meta.wall_ns);
	cr_assert_eq(mono, meta.mono_ns);
	cr_assert_str_eq((char *)file + 32, meta.release);
	cr_assert_eq(get32(file + 124), crc(file, 124));
	cr_assert_eq(get32(file + 128), REC_FRAME_MAGIC);
	cr_assert_eq(get32(file + 128 + 28), crc(file + 128, 28));
	free(file);
	free(s.r);
}

Test(rec_writer, writer_refuses_malformed_records)
{
	char *path = tmp_path();
	struct rec_writer *w;
	union rec r;
	size_t n = rec_make(&r, ITR_EV_ATTACH);
	int err;

	w = recw_open(path, NULL, &err);
	cr_assert_not_null(w);
	cr_assert_eq(recw_event(w, &r, n - 4), -EINVAL);
	cr_assert_eq(recw_event(w, &r, 64), -EINVAL);
	r.h.size = 0;
	cr_assert_eq(recw_event(w, &r, n), -EINVAL);
	cr_assert_eq(recw_blob(w, REC_EVENTS, "x", 1), -EINVAL);
	cr_assert_eq(recw_blob(w, REC_END, "", 0), -EINVAL);
	cr_assert_eq(recw_close(w, NULL), 0);
	cr_assert_eq(recw_close(NULL, NULL), 0);
	cr_assert_null(recw_open("/nonexistent/dir/x.itr", NULL, &err));
	cr_assert_eq(err, -ENOENT);
	unlink(path);
	free(path);
}

Test(rec_writer, meta_now_describes_this_machine)
{
	struct rec_meta m;

	rec_meta_now(&m);
	cr_assert_eq(m.version, REC_VERSION);
	cr_assert_eq(m.abi, ITR_ABI_VERSION);
	cr_assert_gt(m.wall_ns, 1500000000ULL * 1000000000ULL);
	cr_assert_gt(m.mono_ns, 0);
	cr_assert_gt(strlen(m.release), 0);
}
