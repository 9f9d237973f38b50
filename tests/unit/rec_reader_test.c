// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The recording's reader: crafted files, every cut and every flipped byte
 * of a small recording, and what it says about each.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rec/reader.h"
#include "rec_fixture.h"

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/* A file header as docs/recording.md lays it out. */
static size_t put_header_abi(uint8_t *p, uint32_t version, uint32_t abi)
{
	memset(p, 0, REC_HDR_SIZE);
	memcpy(p, "ITRREC\n\0", 8);
	put32(p + 8, version);
	put32(p + 12, abi);
	strcpy((char *)p + 32, "6.1.0-test");
	put32(p + 124, crc(p, 124));
	return REC_HDR_SIZE;
}

static size_t put_header(uint8_t *p, uint32_t version)
{
	return put_header_abi(p, version, ITR_ABI_VERSION);
}

/* A stored frame as docs/recording.md lays it out; raw_len is the header's claim. */
static size_t put_frame(uint8_t *p, uint16_t type, const void *payload, uint32_t len,
			uint32_t raw_len, uint32_t nrec, uint32_t seq)
{
	put32(p, REC_FRAME_MAGIC);
	put16(p + 4, type);
	put16(p + 6, 0);
	put32(p + 8, raw_len);
	put32(p + 12, len);
	put32(p + 16, nrec);
	put32(p + 20, seq);
	memcpy(p + 32, payload, len);
	put32(p + 24, crc(p + 32, len));
	put32(p + 28, crc(p, 28));
	return 32 + len;
}

/* END as frame seq, counting frames and records before it. */
static size_t put_end(uint8_t *p, uint32_t seq, uint64_t frames, uint64_t records)
{
	uint64_t v[2] = { frames, records };

	return put_frame(p, REC_END, v, 16, 16, 0, seq);
}

/* Frame boundaries of a well-formed recording: start offsets and records. */
struct frames {
	size_t n;
	size_t off[32];
	size_t nrec[32];
	size_t end;
};

static void frames_of(const uint8_t *p, size_t len, struct frames *f)
{
	size_t off = REC_HDR_SIZE;

	f->n = 0;
	while (off < len) {
		cr_assert_lt(f->n, 32);
		f->off[f->n] = off;
		f->nrec[f->n] = get32(p + off + 16);
		f->n++;
		off += REC_FRAME_HDR_SIZE + get32(p + off + 12);
	}
	cr_assert_eq(off, len);
	f->end = len;
}

/* The frame holding byte b, and the records of the frames before it. */
static size_t frame_at(const struct frames *f, size_t b, size_t *before)
{
	size_t i;

	*before = 0;
	for (i = 0; i + 1 < f->n && f->off[i + 1] <= b; i++)
		*before += f->nrec[i];
	return i;
}

/* The number after "at byte " in why. */
static unsigned long long at_byte(const char *why)
{
	const char *p = strstr(why, "at byte ");

	cr_assert_not_null(p, "no offset in: %s", why);
	return strtoull(p + 8, NULL, 10);
}

Test(rec_reader, every_cut_returns_the_complete_frames_before_it)
{
	struct frames f;
	struct recs s;
	size_t len, cut;
	uint8_t *file = small_recording(&s, &len);

	frames_of(file, len, &f);
	cr_assert_eq(f.n, 6, "3 events, snapshot, counters, end: %zu frames", f.n);
	for (cut = 0; cut <= len; cut++) {
		char why[256];
		struct rec_reader *rd;
		struct rec_item it;
		size_t before, i = 0, fi;
		int err = 0, rc;

		rd = recr_open_mem(file, cut, "cut.itr", &err, why, sizeof(why));
		if (cut < REC_HDR_SIZE) {
			cr_assert_null(rd, "cut %zu", cut);
			cr_assert_eq(err, -ENODATA, "cut %zu: %s", cut, why);
			cr_assert_not_null(strstr(why, cut ? "truncated header" : "empty file"),
					   "%s", why);
			continue;
		}
		cr_assert_not_null(rd, "cut %zu: %s", cut, why);
		while ((rc = recr_next(rd, &it)) == 1) {
			if (it.type != REC_EVENTS)
				continue;
			cr_assert_lt(i, s.n);
			cr_assert_eq(memcmp(it.data, &s.r[i], it.len), 0, "cut %zu, record %zu", cut, i);
			i++;
		}
		fi = cut == len ? f.n : frame_at(&f, cut, &before);
		if (cut == len) {
			cr_assert_eq(rc, 0, "%s", recr_why(rd));
			cr_assert(recr_clean_end(rd));
			cr_assert_eq(i, s.n);
		} else if (cut == f.off[fi]) {
			/* at a frame boundary: a clean prefix, not closed */
			cr_assert_eq(rc, 0, "cut %zu: %s", cut, recr_why(rd));
			cr_assert_not(recr_clean_end(rd));
			cr_assert_not_null(strstr(recr_why(rd), "not closed cleanly (recorder killed?)"),
					   "%s", recr_why(rd));
			cr_assert_eq(i, before, "cut %zu: %zu records, %zu expected", cut, i, before);
		} else {
			cr_assert_eq(rc, -ENODATA, "cut %zu: %d %s", cut, rc, recr_why(rd));
			cr_assert_geq(at_byte(recr_why(rd)), f.off[fi], "cut %zu: %s", cut, recr_why(rd));
			cr_assert_leq(at_byte(recr_why(rd)), cut, "cut %zu: %s", cut, recr_why(rd));
			cr_assert_not_null(strstr(recr_why(rd), "cut.itr: truncated frame"),
					   "%s", recr_why(rd));
			cr_assert_eq(i, before, "cut %zu: %zu records, %zu expected", cut, i, before);
			cr_assert_eq(recr_next(rd, &it), rc, "errors are sticky");
		}
		recr_close(rd);
	}
	free(file);
	free(s.r);
}

Test(rec_reader, every_flipped_byte_is_caught_at_its_frame)
{
	struct frames f;
	struct recs s;
	size_t len, b;
	uint8_t *file = small_recording(&s, &len);

	frames_of(file, len, &f);
	for (b = 0; b < len; b++) {
		char why[256];
		struct rec_reader *rd;
		struct rec_item it;
		size_t before, i = 0, fi;
		int err = 0, rc;

		file[b] ^= 0x01;
		rd = recr_open_mem(file, len, "flip.itr", &err, why, sizeof(why));
		if (b < REC_HDR_SIZE) {
			cr_assert_null(rd, "flip at %zu", b);
			cr_assert_lt(err, 0);
			file[b] ^= 0x01;
			continue;
		}
		cr_assert_not_null(rd, "flip at %zu: %s", b, why);
		while ((rc = recr_next(rd, &it)) == 1)
			i += it.type == REC_EVENTS;
		fi = frame_at(&f, b, &before);
		cr_assert_eq(rc, -EBADMSG, "flip at %zu: %d %s", b, rc, recr_why(rd));
		cr_assert_eq(at_byte(recr_why(rd)), f.off[fi], "flip at %zu: %s", b, recr_why(rd));
		cr_assert_eq(i, before, "flip at %zu: %zu records, %zu expected", b, i, before);
		recr_close(rd);
		file[b] ^= 0x01;
	}
	free(file);
	free(s.r);
}

Test(rec_reader, flipped_payload_byte_is_a_checksum_error)
{
	struct rec_reader *rd;
	struct rec_item it;
	struct recs s;
	char why[256];
	size_t len;
	uint8_t *file = small_recording(&s, &len);
	int err;

	file[REC_HDR_SIZE + REC_FRAME_HDR_SIZE + 10] ^= 0x20;
	rd = recr_open_mem(file, len, "rec.itr", &err, why, sizeof(why));
	cr_assert_not_null(rd);
	cr_assert_eq(recr_next(rd, &it), -EBADMSG);
	cr_assert_not_null(strstr(recr_why(rd), "rec.itr: bad checksum in frame at byte 128"),
			   "%s", recr_why(rd));
	recr_close(rd);
	free(file);
	free(s.r);
}

Test(rec_reader, future_format_version_is_refused_clearly)
{
	uint8_t h[REC_HDR_SIZE];
	char why[256];
	int err;

	put_header(h, 9);
	cr_assert_null(recr_open_mem(h, sizeof(h), "new.itr", &err, why, sizeof(why)));
	cr_assert_eq(err, -EPROTONOSUPPORT);
	cr_assert_str_eq(why, "new.itr: format version 9 is newer than this iommutrace (1)");
	/* The version is checked before the rest of the header. */
	cr_assert_null(recr_open_mem(h, 16, "new.itr", &err, why, sizeof(why)));
	cr_assert_eq(err, -EPROTONOSUPPORT, "%s", why);
}

Test(rec_reader, other_abis_are_refused_naming_both)
{
	static const uint32_t abis[] = { 0, 4, 99, ITR_ABI_VERSION + 1 };
	uint8_t h[REC_HDR_SIZE];
	char why[256], want[256];
	struct rec_reader *rd;
	size_t i;
	int err;

	for (i = 0; i < sizeof(abis) / sizeof(abis[0]); i++) {
		put_header_abi(h, REC_VERSION, abis[i]);
		cr_assert_null(recr_open_mem(h, sizeof(h), "old.itr", &err, why, sizeof(why)),
			       "ABI %u was read", abis[i]);
		cr_assert_eq(err, -EPROTONOSUPPORT);
		snprintf(want, sizeof(want), "old.itr: recorded with ABI %u, this iommutrace reads ABI %d",
			 abis[i], ITR_ABI_VERSION);
		cr_assert(!strncmp(why, want, strlen(want)), "%s", why);
	}
	put_header_abi(h, REC_VERSION, ITR_ABI_VERSION);
	rd = recr_open_mem(h, sizeof(h), "ok.itr", &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	recr_close(rd);
}

Test(rec_reader, bad_magic_is_not_a_recording)
{
	static const char text[] = "{\"schema\":4,\"kind\":\"map\"}\n";
	char why[256];
	int err;

	cr_assert_null(recr_open_mem(text, sizeof(text) - 1, "ev.jsonl", &err, why, sizeof(why)));
	cr_assert_eq(err, -EINVAL);
	cr_assert_str_eq(why, "ev.jsonl: not an iommutrace recording (bad magic at byte 0)");
	cr_assert_null(recr_open_mem("I", 1, "x", &err, why, sizeof(why)));
	cr_assert_eq(err, -ENODATA, "a prefix of the magic is a truncated header: %s", why);
}

Test(rec_reader, empty_and_missing_files)
{
	char *path = tmp_path(), why[256];
	int err;

	cr_assert_null(recr_open(path, &err, why, sizeof(why)));
	cr_assert_eq(err, -ENODATA);
	cr_assert_not_null(strstr(why, "empty file"), "%s", why);
	cr_assert_eq(strncmp(why, path, strlen(path)), 0, "names the file: %s", why);
	unlink(path);
	cr_assert_null(recr_open(path, &err, why, sizeof(why)));
	cr_assert_eq(err, -ENOENT);
	free(path);
	cr_assert_null(recr_open_mem(NULL, 0, NULL, &err, why, sizeof(why)));
	cr_assert_str_eq(why, "recording: empty file (no header)");
}

Test(rec_reader, absurd_lengths_are_refused_without_allocating)
{
	static uint8_t buf[REC_HDR_SIZE + 64];
	struct rec_reader *rd;
	struct rec_item it;
	char why[256];
	size_t n = put_header(buf, REC_VERSION);
	int err;

	/* 4 GiB claimed, checksummed: must not be believed */
	n += put_frame(buf + n, REC_EVENTS, "", 0, 0xffffffffu, 0, 0);
	put32(buf + n - 32 + 12, 0xfffffff0u);
	put32(buf + n - 32 + 28, crc(buf + n - 32, 28));
	rd = recr_open_mem(buf, n, "big.itr", &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	cr_assert_eq(recr_next(rd, &it), -EBADMSG);
	cr_assert_str_eq(recr_why(rd),
			 "big.itr: frame at byte 128 has absurd lengths (raw 4294967295, stored 4294967280; at most 16777216)");
	recr_close(rd);
}

Test(rec_reader, missing_end_is_a_warning_and_every_frame_is_read)
{
	struct frames f;
	struct rec_reader *rd;
	struct rec_item it;
	struct recs s;
	char why[256];
	size_t len, i = 0, blobs = 0;
	uint8_t *file = small_recording(&s, &len);
	int err, rc;

	frames_of(file, len, &f);
	rd = recr_open_mem(file, f.off[f.n - 1], "killed.itr", &err, why, sizeof(why));
	cr_assert_not_null(rd);
	while ((rc = recr_next(rd, &it)) == 1) {
		if (it.type == REC_EVENTS)
			cr_assert_eq(memcmp(it.data, &s.r[i++], it.len), 0);
		else
			blobs++;
	}
	cr_assert_eq(rc, 0);
	cr_assert_eq(i, s.n);
	cr_assert_eq(blobs, 2, "snapshot and counters");
	cr_assert_not(recr_clean_end(rd));
	snprintf(why, sizeof(why),
		 "killed.itr: not closed cleanly (recorder killed?): no end marker after 5 frames, at byte %zu",
		 f.off[f.n - 1]);
	cr_assert_str_eq(recr_why(rd), why);
	recr_close(rd);
	free(file);
	free(s.r);
}

Test(rec_reader, unknown_kinds_and_frame_types_are_skipped_and_counted)
{
	static uint64_t buf[256];
	uint8_t *p = (uint8_t *)buf;
	union rec r[2];
	struct rec_reader *rd;
	struct rec_item it;
	char why[256];
	size_t n = put_header(p, REC_VERSION);
	int err;

	rec_make(&r[0], 200);	/* a kind from a newer ABI: just a header */
	rec_make(&r[1], ITR_EV_MAP);
	memcpy(p + n + 32, &r[0], 128);
	memcpy(p + n + 32 + 128, &r[1], sizeof(struct itr_ev_map));
	n += put_frame(p + n, REC_EVENTS, p + n + 32, 128 + sizeof(struct itr_ev_map),
		       128 + sizeof(struct itr_ev_map), 2, 0);
	n += put_frame(p + n, 99, "future", 6, 6, 0, 1);
	n += put_end(p + n, 2, 2, 2);
	rd = recr_open_mem(p, n, "new.itr", &err, why, sizeof(why));
	cr_assert_not_null(rd, "%s", why);
	cr_assert_eq(recr_next(rd, &it), 1, "%s", recr_why(rd));
	cr_assert_eq(it.ev.kind, ITR_EV_MAP);
	cr_assert_eq(it.off, 128);
	cr_assert_eq(recr_next(rd, &it), 0, "%s", recr_why(rd));
	cr_assert(recr_clean_end(rd));
	cr_assert_eq(recr_stats(rd)->unknown, 1);
	cr_assert_eq(recr_stats(rd)->skipped_frames, 1);
	cr_assert_eq(recr_stats(rd)->records, 1);
	recr_close(rd);
}

/* One crafted EVENTS frame of one record, possibly broken, then END. */
static int read_crafted(union rec *r, size_t len, uint32_t nrec, char *why, size_t whylen)
{
	static uint64_t buf[256];
	uint8_t *p = (uint8_t *)buf;
	struct rec_reader *rd;
	struct rec_item it;
	size_t n = put_header(p, REC_VERSION);
	int err, rc;

	memcpy(p + n + 32, r, len);
	n += put_frame(p + n, REC_EVENTS, p + n + 32, len, len, nrec, 0);
	n += put_end(p + n, 1, 1, nrec);
	rd = recr_open_mem(p, n, "bad.itr", &err, why, whylen);
	cr_assert_not_null(rd, "%s", why);
	rc = recr_next(rd, &it);
	snprintf(why, whylen, "%s", recr_why(rd));
	recr_close(rd);
	return rc;
}

Test(rec_reader, bad_records_in_a_good_frame_are_damage)
{
	union rec r;
	char why[256];

	rec_make(&r, ITR_EV_MAP);
	cr_assert_eq(read_crafted(&r, r.h.size, 1, why, sizeof(why)), 1, "%s", why);
	r.h.size = 4096;
	cr_assert_eq(read_crafted(&r, sizeof(r.map), 1, why, sizeof(why)), -EBADMSG);
	cr_assert_str_eq(why, "bad.itr: bad record in frame at byte 128: size 4096 at offset 0 (176 bytes left)");
	r.h.size = 172;
	cr_assert_eq(read_crafted(&r, sizeof(r.map), 1, why, sizeof(why)), -EBADMSG);
	cr_assert_not_null(strstr(why, "size 172"), "%s", why);
	r.h.size = 136;		/* a map record shorter than its struct */
	cr_assert_eq(read_crafted(&r, 136, 1, why, sizeof(why)), -EBADMSG);
	cr_assert_not_null(strstr(why, "shorter than its struct"), "%s", why);
	r.h.size = sizeof(r.map);
	cr_assert_eq(read_crafted(&r, 64, 1, why, sizeof(why)), -EBADMSG);
	r.h.size = 176;
	cr_assert_eq(read_crafted(&r, 176, 2, why, sizeof(why)), -EBADMSG);
	cr_assert_not_null(strstr(why, "cannot fit"), "%s", why);
}

Test(rec_reader, frames_out_of_sequence_or_after_end_are_damage)
{
	static uint64_t buf[64];
	uint8_t *p = (uint8_t *)buf;
	struct rec_reader *rd;
	struct rec_item it;
	char why[256];
	size_t n = put_header(p, REC_VERSION), end;
	int err;

	n += put_frame(p + n, REC_SNAPSHOT, "{}", 2, 2, 0, 1);
	rd = recr_open_mem(p, n, "seq.itr", &err, why, sizeof(why));
	cr_assert_eq(recr_next(rd, &it), -EBADMSG);
	cr_assert_not_null(strstr(recr_why(rd), "is number 1, expected 0"), "%s", recr_why(rd));
	recr_close(rd);

	n = put_header(p, REC_VERSION);
	end = n;
	n += put_end(p + n, 0, 0, 0);
	p[n++] = 'x';
	rd = recr_open_mem(p, n, "tail.itr", &err, why, sizeof(why));
	cr_assert_eq(recr_next(rd, &it), -EBADMSG);
	cr_assert_str_eq(recr_why(rd), "tail.itr: data after the end marker at byte 176");
	recr_close(rd);

	n = end + put_end(p + end, 0, 3, 0);
	rd = recr_open_mem(p, n, "count.itr", &err, why, sizeof(why));
	cr_assert_eq(recr_next(rd, &it), -EBADMSG);
	cr_assert_not_null(strstr(recr_why(rd), "counts 3 frames"), "%s", recr_why(rd));
	recr_close(rd);
}
