// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording's reader (see reader.h, docs/recording.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>
#include "rec/reader.h"

/*
 * Fuzzing: checksums are computed but not enforced, so that mutated
 * inputs reach the parser behind them.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define crc_bad(a, b)	((void)(a), (void)(b), 0)
#else
#define crc_bad(a, b)	((a) != (b))
#endif

struct rec_reader {
	int fd;			/* -1: reading mem */
	const uint8_t *mem;
	size_t memlen;
	uint64_t pos;		/* offset of the next byte to read */
	char *name;
	struct rec_meta meta;
	struct rec_stats st;
	struct itr_counters counters;
	bool have_counters;
	bool end;		/* END seen */
	bool done;		/* recr_next returns 0 from now on */
	int err;		/* sticky error */
	char why[256];
	uint64_t nrecords;	/* records in the EVENTS frames read (known or not) */
	uint8_t *comp;		/* the payload as stored */
	size_t comp_cap;
	uint64_t *raw;		/* inflated: 8-byte aligned */
	size_t raw_cap;
	struct libdeflate_decompressor *inflater;	/* one for every frame */
	/* the frame being returned */
	enum rec_type type;
	uint32_t len, off, seq;
	uint64_t foff;
	bool blob_pending;
};

/* Up to n bytes into buf: how many (fewer at the end), or -errno. */
static ssize_t src_read(struct rec_reader *r, void *buf, size_t n)
{
	size_t got = 0;

	if (r->fd < 0) {
		got = r->pos < r->memlen ? r->memlen - r->pos : 0;
		got = got < n ? got : n;
		if (got)
			memcpy(buf, r->mem + r->pos, got);
	}
	while (r->fd >= 0 && got < n) {
		ssize_t k = read(r->fd, (char *)buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			break;
		got += k;
	}
	r->pos += got;
	return got;
}

__attribute__((format(printf, 3, 4)))
static int damage(struct rec_reader *r, int err, const char *fmt, ...)
{
	size_t n = snprintf(r->why, sizeof(r->why), "%s: ", r->name);
	va_list ap;

	va_start(ap, fmt);
	if (n < sizeof(r->why))
		vsnprintf(r->why + n, sizeof(r->why) - n, fmt, ap);
	va_end(ap);
	r->err = err;
	return err;
}

static int grow(void *pp, size_t *cap, size_t n)
{
	void **p = pp, *q;

	if (n <= *cap)
		return 0;
	q = realloc(*p, n);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

static int read_header(struct rec_reader *r)
{
	uint8_t h[REC_HDR_SIZE];
	ssize_t got = src_read(r, h, sizeof(h));
	uint32_t version;

	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got == 0)
		return damage(r, -ENODATA, "empty file (no header)");
	if (memcmp(h + REC_H_MAGIC, REC_MAGIC, got < 8 ? got : 8))
		return damage(r, -EINVAL, "not an iommutrace recording (bad magic at byte 0)");
	if (got < REC_H_ABI)
		return damage(r, -ENODATA, "truncated header (%zd of %d bytes)", got, REC_HDR_SIZE);
	version = rec_get32(h + REC_H_VERSION);
	if (version > REC_VERSION)
		return damage(r, -EPROTONOSUPPORT,
			      "format version %u is newer than this iommutrace (%d)",
			      version, REC_VERSION);
	if (version == 0)
		return damage(r, -EBADMSG, "bad format version 0 at byte %d", REC_H_VERSION);
	if (got < REC_HDR_SIZE)
		return damage(r, -ENODATA, "truncated header (%zd of %d bytes)", got, REC_HDR_SIZE);
	if (crc_bad(rec_crc(h, REC_H_CRC), rec_get32(h + REC_H_CRC)))
		return damage(r, -EBADMSG, "bad checksum in the header at byte %d", REC_H_CRC);
	rec_hdr_unpack(h, &r->meta);
	if (r->meta.abi < REC_ABI_OLDEST || r->meta.abi > ITR_ABI_VERSION)
		return damage(r, -EPROTONOSUPPORT,
			      "recorded with ABI %u, this iommutrace reads ABI %d%s (docs/recording.md)",
			      r->meta.abi, ITR_ABI_VERSION,
			      REC_ABI_OLDEST < ITR_ABI_VERSION ? " and the older ones it names" : "");
	r->st.bytes = REC_HDR_SIZE;
	return 0;
}

static struct rec_reader *reader_new(int fd, const void *buf, size_t len, const char *name,
				     int *err, char *why, size_t whylen)
{
	struct rec_reader *r = calloc(1, sizeof(*r));
	int e;

	if (why && whylen)
		why[0] = '\0';
	if (!r || !(r->name = strdup(name ? name : "recording"))) {
		free(r);
		if (fd >= 0)
			close(fd);
		*err = -ENOMEM;
		if (why && whylen)
			snprintf(why, whylen, "%s: out of memory", name ? name : "recording");
		return NULL;
	}
	r->fd = fd;
	r->mem = buf;
	r->memlen = len;
	e = read_header(r);
	if (e) {
		if (why && whylen)
			snprintf(why, whylen, "%s", r->why);
		recr_close(r);
		*err = e;
		return NULL;
	}
	return r;
}

struct rec_reader *recr_open(const char *path, int *err, char *why, size_t whylen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		*err = -errno;
		if (why && whylen)
			snprintf(why, whylen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	return reader_new(fd, NULL, 0, path, err, why, whylen);
}

struct rec_reader *recr_open_mem(const void *buf, size_t len, const char *name, int *err,
				 char *why, size_t whylen)
{
	return reader_new(-1, buf, len, name, err, why, whylen);
}

void recr_close(struct rec_reader *r)
{
	if (!r)
		return;
	if (r->fd >= 0)
		close(r->fd);
	libdeflate_free_decompressor(r->inflater);
	free(r->name);
	free(r->comp);
	free(r->raw);
	free(r);
}

/*
 * Check an EVENTS frame's records (all of them, before any is returned):
 * headers within the frame, 8-aligned sizes, a known kind decodes whole.
 */
static int check_records(struct rec_reader *r, uint32_t nrec)
{
	const uint8_t *p = (const uint8_t *)r->raw;
	uint32_t off = 0, n = 0;
	char why[160];

	while (off < r->len) {
		const struct itr_hdr *h = (const void *)(p + off);
		uint32_t left = r->len - off;

		if (left < sizeof(*h))
			return damage(r, -EBADMSG, "bad record in frame at byte %llu: %u bytes left at offset %u, less than a header",
				      (unsigned long long)r->foff, left, off);
		if (h->size < sizeof(*h) || h->size % 8 || h->size > left)
			return damage(r, -EBADMSG, "bad record in frame at byte %llu: size %u at offset %u (%u bytes left)",
				      (unsigned long long)r->foff, h->size, off, left);
		if (kind_name(h->kind) && event_check(h, h->size, why, sizeof(why)))
			return damage(r, -EBADMSG, "bad record in frame at byte %llu, offset %u: %s",
				      (unsigned long long)r->foff, off, why);
		off += h->size;
		n++;
	}
	if (n != nrec)
		return damage(r, -EBADMSG, "frame at byte %llu holds %u records, its header says %u",
			      (unsigned long long)r->foff, n, nrec);
	return 0;
}

/* The END frame: its counts must be what was read. */
static int check_end(struct rec_reader *r)
{
	uint64_t frames, records;
	uint8_t extra;
	ssize_t got;

	if (r->len != REC_END_LEN)
		return damage(r, -EBADMSG, "end marker at byte %llu is %u bytes, not %d",
			      (unsigned long long)r->foff, r->len, REC_END_LEN);
	rec_end_unpack((const uint8_t *)r->raw, &frames, &records);
	if (frames != r->seq || records != r->nrecords)
		return damage(r, -EBADMSG, "end marker at byte %llu counts %llu frames and %llu records, the file has %u and %llu",
			      (unsigned long long)r->foff, (unsigned long long)frames,
			      (unsigned long long)records, r->seq,
			      (unsigned long long)r->nrecords);
	got = src_read(r, &extra, 1);
	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got)
		return damage(r, -EBADMSG, "data after the end marker at byte %llu",
			      (unsigned long long)r->pos - 1);
	r->end = true;
	return 0;
}

/* A frame header's claims, bounded before anything is allocated for them. */
static int check_frame(struct rec_reader *r, const struct rec_frame *f, uint64_t foff)
{
	if (f->raw_len > REC_FRAME_MAX || f->comp_len > REC_FRAME_MAX)
		return damage(r, -EBADMSG, "frame at byte %llu has absurd lengths (raw %u, stored %u; at most %u)",
			      (unsigned long long)foff, f->raw_len, f->comp_len, REC_FRAME_MAX);
	if (f->flags & ~REC_F_ZLIB)
		return damage(r, -EBADMSG, "frame at byte %llu has unknown flags 0x%x",
			      (unsigned long long)foff, f->flags);
	if (!(f->flags & REC_F_ZLIB) && f->comp_len != f->raw_len)
		return damage(r, -EBADMSG, "stored frame at byte %llu: raw %u bytes, stored %u",
			      (unsigned long long)foff, f->raw_len, f->comp_len);
	if (f->seq != r->seq)
		return damage(r, -EBADMSG, "frame at byte %llu is number %u, expected %u (frames missing or repeated?)",
			      (unsigned long long)foff, f->seq, r->seq);
	if ((f->type >= REC_SNAPSHOT && f->type <= REC_END && f->nrecords) ||
	    f->nrecords > f->raw_len / sizeof(struct itr_hdr))
		return damage(r, -EBADMSG, "frame at byte %llu: %u records cannot fit %u bytes",
			      (unsigned long long)foff, f->nrecords, f->raw_len);
	return 0;
}

/*
 * Inflate the clen bytes of r->comp, a zlib stream, into exactly rlen
 * bytes of r->raw, using exactly clen: 0, or -1. libdeflate, not zlib:
 * a whole frame is in memory, and it inflates (Adler-32 checked) about
 * three times as fast, which is most of a replay's time.
 */
static int inflate_frame(struct rec_reader *r, uint32_t rlen, uint32_t clen)
{
	size_t in = 0, out = 0;

	if (!r->inflater && !(r->inflater = libdeflate_alloc_decompressor()))
		return -1;
	if (libdeflate_zlib_decompress_ex(r->inflater, r->comp, clen, r->raw, rlen, &in, &out) !=
	    LIBDEFLATE_SUCCESS)
		return -1;
	return in == clen && out == rlen ? 0 : -1;
}

/* Read f's payload, check its crc and inflate it into r->raw: 0 or -errno. */
static int load_payload(struct rec_reader *r, const struct rec_frame *f, uint64_t foff)
{
	ssize_t got;

	if (grow(&r->comp, &r->comp_cap, f->comp_len) || grow(&r->raw, &r->raw_cap, f->raw_len + 8))
		return damage(r, -ENOMEM, "frame at byte %llu: out of memory for %u bytes",
			      (unsigned long long)foff, f->raw_len);
	got = src_read(r, r->comp, f->comp_len);
	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got < f->comp_len)
		return damage(r, -ENODATA, "truncated frame at byte %llu (header says %u bytes, %zd left)",
			      (unsigned long long)foff, REC_FRAME_HDR_SIZE + f->comp_len,
			      REC_FRAME_HDR_SIZE + got);
	if (crc_bad(rec_crc(r->comp, f->comp_len), f->payload_crc))
		return damage(r, -EBADMSG, "bad checksum in frame at byte %llu (payload of %u bytes)",
			      (unsigned long long)foff, f->comp_len);
	if (f->flags & REC_F_ZLIB) {
		if (inflate_frame(r, f->raw_len, f->comp_len))
			return damage(r, -EBADMSG, "frame at byte %llu does not inflate to its %u bytes",
				      (unsigned long long)foff, f->raw_len);
	} else if (f->raw_len) {
		memcpy(r->raw, r->comp, f->raw_len);
	}
	return 0;
}

/* Read, check and inflate the next frame: 1, 0 at the end of the file, or -errno. */
static int load_frame(struct rec_reader *r)
{
	uint8_t h[REC_FRAME_HDR_SIZE];
	uint64_t foff = r->pos;
	struct rec_frame f;
	ssize_t got;

	got = src_read(r, h, sizeof(h));
	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got == 0)
		return 0;
	if (got < REC_FRAME_HDR_SIZE)
		return damage(r, -ENODATA, "truncated frame header at byte %llu (%zd of %d bytes)",
			      (unsigned long long)foff, got, REC_FRAME_HDR_SIZE);
	if (rec_get32(h + REC_FH_MAGIC) != REC_FRAME_MAGIC)
		return damage(r, -EBADMSG, "bad frame magic at byte %llu", (unsigned long long)foff);
	if (crc_bad(rec_crc(h, REC_FH_CRC), rec_get32(h + REC_FH_CRC)))
		return damage(r, -EBADMSG, "bad checksum in frame header at byte %llu",
			      (unsigned long long)foff);
	rec_frame_unpack(h, &f);
	if (check_frame(r, &f, foff) || load_payload(r, &f, foff))
		return r->err;
	r->foff = foff;
	r->type = f.type;
	r->len = f.raw_len;
	r->off = 0;
	if (f.type == REC_EVENTS && check_records(r, f.nrecords))
		return r->err;
	if (f.type == REC_END && check_end(r))
		return r->err;
	r->seq++;
	r->nrecords += f.nrecords;
	r->st.frames++;
	r->st.bytes = r->pos;
	r->blob_pending = f.type == REC_SNAPSHOT || f.type == REC_COUNTERS;
	if (f.type == REC_COUNTERS) {
		memset(&r->counters, 0, sizeof(r->counters));
		memcpy(&r->counters, r->raw,
		       f.raw_len < sizeof(r->counters) ? f.raw_len : sizeof(r->counters));
		r->have_counters = true;
	}
	if (f.type < REC_EVENTS || f.type > REC_END)
		r->st.skipped_frames++;
	return 1;
}

static void item(struct rec_reader *r, struct rec_item *it, uint32_t off, uint32_t len)
{
	it->type = r->type;
	it->data = (const uint8_t *)r->raw + off;
	it->len = len;
	it->frame_off = r->foff;
	it->frame = r->seq - 1;
	it->off = off;
}

int recr_next(struct rec_reader *r, struct rec_item *it)
{
	int err;

	if (r->err)
		return r->err;
	for (;;) {
		while (r->type == REC_EVENTS && r->off < r->len) {
			const struct itr_hdr *h = (const void *)((const uint8_t *)r->raw + r->off);
			uint32_t off = r->off;

			r->off += h->size;
			if (!kind_name(h->kind)) {
				r->st.unknown++;
				continue;
			}
			item(r, it, off, h->size);
			event_type(h, &it->ev);	/* check_records() decoded it */
			r->st.records++;
			return 1;
		}
		if (r->blob_pending) {
			r->blob_pending = false;
			memset(&it->ev, 0, sizeof(it->ev));
			item(r, it, 0, r->len);
			r->st.blobs++;
			return 1;
		}
		if (r->done || r->end) {
			r->done = true;
			return 0;
		}
		r->type = 0;
		err = load_frame(r);
		if (err < 0)
			return err;
		if (err == 0) {
			r->done = true;
			snprintf(r->why, sizeof(r->why),
				 "%s: not closed cleanly (recorder killed?): no end marker after %llu frames, at byte %llu",
				 r->name, (unsigned long long)r->st.frames, (unsigned long long)r->pos);
			return 0;
		}
	}
}

const struct rec_meta *recr_meta(const struct rec_reader *r)
{
	return &r->meta;
}

bool recr_clean_end(const struct rec_reader *r)
{
	return r->end;
}

const struct itr_counters *recr_counters(const struct rec_reader *r)
{
	return r->have_counters ? &r->counters : NULL;
}

const struct rec_stats *recr_stats(const struct rec_reader *r)
{
	return &r->st;
}

const char *recr_why(const struct rec_reader *r)
{
	return r->why;
}
