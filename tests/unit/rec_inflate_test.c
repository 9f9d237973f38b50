// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reader's inflating of zlib frames (libdeflate): a frame must inflate
 * to exactly its raw_len using exactly its comp_len, with a good Adler-32,
 * even when its payload CRC (made over the damaged bytes) is right.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "rec/reader.h"
#include "rec_fixture.h"

#define NREC 3

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

/*
 * A recording of one zlib EVENTS frame of NREC map records, as
 * docs/recording.md lays it out; the frame's stream is cut by cut bytes,
 * one byte is added past it if extra, the byte at flip (from its end,
 * 0: none) is flipped, and its raw_len claim is off by raw_delta. The
 * CRCs are made over what is written. Returns the file's length.
 */
static size_t zlib_file(uint8_t *out, size_t flip, int raw_delta, bool extra)
{
	uint64_t recs[NREC * sizeof(union rec) / 8];	/* back to back, 8-aligned */
	uint8_t comp[4096];
	uLongf clen = sizeof(comp);
	size_t raw = 0, off, i;
	union rec r;

	for (i = 0; i < NREC; i++) {
		rec_make(&r, ITR_EV_MAP);
		r.map.iova = 0x100000 + i * 4096;
		memcpy((uint8_t *)recs + raw, &r, r.h.size);
		raw += r.h.size;
	}
	cr_assert_eq(compress2(comp, &clen, (const Bytef *)recs, raw, 1), Z_OK);
	if (flip)
		comp[clen - flip] ^= 0x5a;
	if (extra)
		comp[clen++] = 0;
	memset(out, 0, REC_HDR_SIZE);
	memcpy(out, "ITRREC\n\0", 8);
	put32(out + 8, REC_VERSION);
	put32(out + 12, ITR_ABI_VERSION);
	put32(out + 124, crc(out, 124));
	off = REC_HDR_SIZE;
	put32(out + off, REC_FRAME_MAGIC);
	put16(out + off + 4, REC_EVENTS);
	put16(out + off + 6, 1);	/* zlib */
	put32(out + off + 8, raw + raw_delta);
	put32(out + off + 12, clen);
	put32(out + off + 16, NREC);
	put32(out + off + 20, 0);
	memcpy(out + off + 32, comp, clen);
	put32(out + off + 24, crc(comp, clen));
	put32(out + off + 28, crc(out + off, 28));
	return off + 32 + clen;
}

/* recr_next's first return on such a file, and its reason in why. */
static int first_next(size_t flip, int raw_delta, bool extra, char *why, size_t whylen)
{
	static uint8_t buf[8192];
	size_t len = zlib_file(buf, flip, raw_delta, extra);
	struct rec_reader *rd;
	struct rec_item it;
	int err, rc, n = 0;

	rd = recr_open_mem(buf, len, "z.itr", &err, NULL, 0);
	cr_assert_not_null(rd);
	while ((rc = recr_next(rd, &it)) == 1) {
		cr_assert_eq(it.ev.kind, ITR_EV_MAP);
		cr_assert_eq(it.ev.map->iova, 0x100000 + (__u64)n * 4096);
		n++;
	}
	snprintf(why, whylen, "%s", recr_why(rd));
	recr_close(rd);
	return rc < 0 ? rc : n;
}

Test(rec_inflate, a_good_frame_inflates_whole)
{
	char why[256];

	/* no END: the records, then the warning that it was not closed */
	cr_assert_eq(first_next(0, 0, false, why, sizeof(why)), NREC, "%s", why);
	cr_assert(strstr(why, "not closed cleanly"), "%s", why);
}

Test(rec_inflate, a_bad_adler32_is_damage_though_the_crc_is_right)
{
	char why[256];
	size_t i;

	for (i = 1; i <= 4; i++) {	/* each byte of the trailer */
		cr_assert_eq(first_next(i, 0, false, why, sizeof(why)), -EBADMSG, "trailer byte %zu", i);
		cr_assert(strstr(why, "z.itr: frame at byte 128 does not inflate to its"), "%s", why);
	}
}

Test(rec_inflate, raw_len_must_be_exact)
{
	char why[256];

	cr_assert_eq(first_next(0, -8, false, why, sizeof(why)), -EBADMSG, "inflates to more");
	cr_assert(strstr(why, "does not inflate to its"), "%s", why);
	cr_assert_eq(first_next(0, 8, false, why, sizeof(why)), -EBADMSG, "inflates to less");
	cr_assert(strstr(why, "does not inflate to its"), "%s", why);
}

Test(rec_inflate, bytes_after_the_stream_are_damage)
{
	char why[256];

	cr_assert_eq(first_next(0, 0, true, why, sizeof(why)), -EBADMSG);
	cr_assert(strstr(why, "does not inflate to its"), "%s", why);
}
