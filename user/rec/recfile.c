// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording file: writer and reader (see recfile.h, docs/recording.md). */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>
#include "rec/recfile.h"

/* File header offsets */
#define H_VERSION	8
#define H_ABI		12
#define H_WALL		16
#define H_MONO		24
#define H_RELEASE	32
#define H_CRC		124

/* Frame header offsets */
#define F_MAGIC		0
#define F_TYPE		4
#define F_FLAGS		6
#define F_RAW_LEN	8
#define F_COMP_LEN	12
#define F_NRECORDS	16
#define F_SEQ		20
#define F_PAYLOAD_CRC	24
#define F_CRC		28

#define END_LEN		16	/* END's payload: u64 frames, u64 records */

/*
 * Fuzzing: checksums are computed but not enforced, so that mutated
 * inputs reach the parser behind them.
 */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define crc_bad(a, b)	((void)(a), (void)(b), 0)
#else
#define crc_bad(a, b)	((a) != (b))
#endif

_Static_assert(REC_HDR_SIZE == H_CRC + 4, "file header layout");
_Static_assert(REC_FRAME_HDR_SIZE == F_CRC + 4, "frame header layout");
_Static_assert(sizeof(REC_MAGIC) == 8, "magic");
_Static_assert(H_RELEASE + REC_RELEASE_LEN <= H_CRC, "release fits");

static void put16(uint8_t *p, uint16_t v) { v = htole16(v); memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { v = htole32(v); memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { v = htole64(v); memcpy(p, &v, 8); }
static uint16_t get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return le16toh(v); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return le32toh(v); }
static uint64_t get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return le64toh(v); }

static uint32_t crc(const void *p, size_t n)
{
	return crc32(crc32(0, Z_NULL, 0), p, n);
}

void rec_meta_now(struct rec_meta *m)
{
	struct timespec ts;
	struct utsname u;

	memset(m, 0, sizeof(*m));
	m->version = REC_VERSION;
	m->abi = ITR_ABI_VERSION;
	clock_gettime(CLOCK_REALTIME, &ts);
	m->wall_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	m->mono_ns = ts.tv_sec * 1000000000ULL + ts.tv_nsec;
	if (!uname(&u))
		snprintf(m->release, sizeof(m->release), "%s", u.release);
}

/* Writer */

struct rec_writer {
	int fd;
	int err;		/* the first error: every later call returns it */
	int level;
	uint32_t seq;		/* frames written */
	uint64_t nrecords;	/* event records in them */
	uint8_t *buf;		/* REC_FRAME_FLUSH bytes of pending records */
	size_t len;
	uint32_t nrec;
	uint8_t *out;		/* frame header + payload */
	size_t out_cap;
};

static int write_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n) {
		ssize_t k = write(fd, c, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			return -errno;
		if (k == 0)
			return -EIO;
		c += k;
		n -= k;
	}
	return 0;
}

static int fail(struct rec_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static int write_frame(struct rec_writer *w, enum rec_type type, const void *data,
		       size_t len, uint32_t nrec)
{
	uLongf clen = compressBound(len);
	size_t need = REC_FRAME_HDR_SIZE + (clen > len ? clen : len);
	uint16_t flags = 0;
	uint8_t *h;
	int err;

	if (w->err)
		return w->err;
	if (len > REC_FRAME_MAX)
		return -E2BIG;
	if (need > w->out_cap) {
		uint8_t *o = realloc(w->out, need);

		if (!o)
			return fail(w, -ENOMEM);
		w->out = o;
		w->out_cap = need;
	}
	h = w->out;
	if (w->level && len &&
	    compress2(h + REC_FRAME_HDR_SIZE, &clen, data, len, w->level) == Z_OK && clen < len) {
		flags |= REC_F_ZLIB;
	} else {
		clen = len;
		if (len)
			memcpy(h + REC_FRAME_HDR_SIZE, data, len);
	}
	put32(h + F_MAGIC, REC_FRAME_MAGIC);
	put16(h + F_TYPE, type);
	put16(h + F_FLAGS, flags);
	put32(h + F_RAW_LEN, len);
	put32(h + F_COMP_LEN, clen);
	put32(h + F_NRECORDS, nrec);
	put32(h + F_SEQ, w->seq);
	put32(h + F_PAYLOAD_CRC, crc(h + REC_FRAME_HDR_SIZE, clen));
	put32(h + F_CRC, crc(h, F_CRC));
	/* One write per frame: a kill leaves at most one partial frame. */
	err = write_all(w->fd, h, REC_FRAME_HDR_SIZE + clen);
	if (err)
		return fail(w, err);
	w->seq++;
	w->nrecords += nrec;
	return 0;
}

struct rec_writer *recw_open(const char *path, const struct rec_meta *m, int *err)
{
	struct rec_writer *w = calloc(1, sizeof(*w));
	uint8_t h[REC_HDR_SIZE] = {};
	struct rec_meta now;
	int e;

	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	w->fd = -1;
	w->level = 1;
	if (!m) {
		rec_meta_now(&now);
		m = &now;
	}
	w->buf = malloc(REC_FRAME_FLUSH);
	if (!w->buf) {
		e = -ENOMEM;
		goto cleanup;
	}
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		e = -errno;
		goto cleanup;
	}
	memcpy(h, REC_MAGIC, sizeof(REC_MAGIC));
	put32(h + H_VERSION, REC_VERSION);
	put32(h + H_ABI, m->abi);
	put64(h + H_WALL, m->wall_ns);
	put64(h + H_MONO, m->mono_ns);
	memcpy(h + H_RELEASE, m->release, strnlen(m->release, REC_RELEASE_LEN - 1));
	put32(h + H_CRC, crc(h, H_CRC));
	e = write_all(w->fd, h, sizeof(h));
	if (e)
		goto cleanup;
	return w;
cleanup:
	if (w->fd >= 0)
		close(w->fd);
	free(w->buf);
	free(w);
	*err = e;
	return NULL;
}

int recw_set_level(struct rec_writer *w, int level)
{
	if (level < 0 || level > 9)
		return -EINVAL;
	w->level = level;
	return 0;
}

int recw_flush(struct rec_writer *w)
{
	int err;

	if (w->err || !w->nrec)
		return w->err;
	err = write_frame(w, REC_EVENTS, w->buf, w->len, w->nrec);
	w->len = 0;
	w->nrec = 0;
	return err;
}

int recw_event(struct rec_writer *w, const void *rec, size_t size)
{
	const struct itr_hdr *h = rec;
	int err;

	if (size < sizeof(*h) || size % 8 || size > REC_FRAME_FLUSH || h->size != size)
		return -EINVAL;
	if (w->err)
		return w->err;
	if (w->len + size > REC_FRAME_FLUSH && (err = recw_flush(w)))
		return err;
	memcpy(w->buf + w->len, rec, size);
	w->len += size;
	w->nrec++;
	return w->len == REC_FRAME_FLUSH ? recw_flush(w) : 0;
}

int recw_blob(struct rec_writer *w, enum rec_type type, const void *data, size_t len)
{
	int err;

	if ((type != REC_SNAPSHOT && type != REC_COUNTERS) || len > REC_FRAME_MAX)
		return -EINVAL;
	if ((err = recw_flush(w)))
		return err;
	return write_frame(w, type, data, len, 0);
}

int recw_close(struct rec_writer *w, const struct itr_counters *c)
{
	uint8_t end[END_LEN];
	int err;

	if (!w)
		return 0;
	recw_flush(w);
	if (c)
		recw_blob(w, REC_COUNTERS, c, sizeof(*c));
	put64(end, w->seq);
	put64(end + 8, w->nrecords);
	write_frame(w, REC_END, end, sizeof(end), 0);
	if (!w->err && fsync(w->fd) && errno != EINVAL)
		fail(w, -errno);
	if (close(w->fd) && !w->err)
		fail(w, -errno);
	err = w->err;
	free(w->buf);
	free(w->out);
	free(w);
	return err;
}

/* Reader */

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

	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got == 0)
		return damage(r, -ENODATA, "empty file (no header)");
	if (memcmp(h, REC_MAGIC, got < 8 ? got : 8))
		return damage(r, -EINVAL, "not an iommutrace recording (bad magic at byte 0)");
	if (got < H_ABI)
		return damage(r, -ENODATA, "truncated header (%zd of %d bytes)", got, REC_HDR_SIZE);
	r->meta.version = get32(h + H_VERSION);
	if (r->meta.version > REC_VERSION)
		return damage(r, -EPROTONOSUPPORT,
			      "format version %u is newer than this iommutrace (%d)",
			      r->meta.version, REC_VERSION);
	if (r->meta.version == 0)
		return damage(r, -EBADMSG, "bad format version 0 at byte %d", H_VERSION);
	if (got < REC_HDR_SIZE)
		return damage(r, -ENODATA, "truncated header (%zd of %d bytes)", got, REC_HDR_SIZE);
	if (crc_bad(crc(h, H_CRC), get32(h + H_CRC)))
		return damage(r, -EBADMSG, "bad checksum in the header at byte %d", H_CRC);
	r->meta.abi = get32(h + H_ABI);
	r->meta.wall_ns = get64(h + H_WALL);
	r->meta.mono_ns = get64(h + H_MONO);
	memcpy(r->meta.release, h + H_RELEASE, REC_RELEASE_LEN - 1);
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
	struct itr_event ev;
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
		if (kind_name(h->kind) && event_decode(h, h->size, &ev, why, sizeof(why)))
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
	const uint8_t *p = (const uint8_t *)r->raw;
	uint8_t extra;
	ssize_t got;

	if (r->len != END_LEN)
		return damage(r, -EBADMSG, "end marker at byte %llu is %u bytes, not %d",
			      (unsigned long long)r->foff, r->len, END_LEN);
	if (get64(p) != r->seq || get64(p + 8) != r->nrecords)
		return damage(r, -EBADMSG, "end marker at byte %llu counts %llu frames and %llu records, the file has %u and %llu",
			      (unsigned long long)r->foff, (unsigned long long)get64(p),
			      (unsigned long long)get64(p + 8), r->seq,
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

/* Read, check and inflate the next frame: 1, 0 at the end of the file, or -errno. */
static int load_frame(struct rec_reader *r)
{
	uint8_t h[REC_FRAME_HDR_SIZE];
	uint64_t foff = r->pos;
	uint32_t raw_len, comp_len, nrec, seq;
	uint16_t type, flags;
	uLongf dlen;
	uLong slen;
	ssize_t got;

	got = src_read(r, h, sizeof(h));
	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got == 0)
		return 0;
	if (got < REC_FRAME_HDR_SIZE)
		return damage(r, -ENODATA, "truncated frame header at byte %llu (%zd of %d bytes)",
			      (unsigned long long)foff, got, REC_FRAME_HDR_SIZE);
	if (get32(h + F_MAGIC) != REC_FRAME_MAGIC)
		return damage(r, -EBADMSG, "bad frame magic at byte %llu", (unsigned long long)foff);
	if (crc_bad(crc(h, F_CRC), get32(h + F_CRC)))
		return damage(r, -EBADMSG, "bad checksum in frame header at byte %llu",
			      (unsigned long long)foff);
	type = get16(h + F_TYPE);
	flags = get16(h + F_FLAGS);
	raw_len = get32(h + F_RAW_LEN);
	comp_len = get32(h + F_COMP_LEN);
	nrec = get32(h + F_NRECORDS);
	seq = get32(h + F_SEQ);
	if (raw_len > REC_FRAME_MAX || comp_len > REC_FRAME_MAX)
		return damage(r, -EBADMSG, "frame at byte %llu has absurd lengths (raw %u, stored %u; at most %u)",
			      (unsigned long long)foff, raw_len, comp_len, REC_FRAME_MAX);
	if (flags & ~REC_F_ZLIB)
		return damage(r, -EBADMSG, "frame at byte %llu has unknown flags 0x%x",
			      (unsigned long long)foff, flags);
	if (!(flags & REC_F_ZLIB) && comp_len != raw_len)
		return damage(r, -EBADMSG, "stored frame at byte %llu: raw %u bytes, stored %u",
			      (unsigned long long)foff, raw_len, comp_len);
	if (seq != r->seq)
		return damage(r, -EBADMSG, "frame at byte %llu is number %u, expected %u (frames missing or repeated?)",
			      (unsigned long long)foff, seq, r->seq);
	if ((type >= REC_SNAPSHOT && type <= REC_END && nrec) ||
	    nrec > raw_len / sizeof(struct itr_hdr))
		return damage(r, -EBADMSG, "frame at byte %llu: %u records cannot fit %u bytes",
			      (unsigned long long)foff, nrec, raw_len);
	if (grow(&r->comp, &r->comp_cap, comp_len) || grow(&r->raw, &r->raw_cap, raw_len + 8))
		return damage(r, -ENOMEM, "frame at byte %llu: out of memory for %u bytes",
			      (unsigned long long)foff, raw_len);
	got = src_read(r, r->comp, comp_len);
	if (got < 0)
		return damage(r, got, "cannot read: %s", strerror(-got));
	if (got < comp_len)
		return damage(r, -ENODATA, "truncated frame at byte %llu (header says %u bytes, %zd left)",
			      (unsigned long long)foff, REC_FRAME_HDR_SIZE + comp_len,
			      REC_FRAME_HDR_SIZE + got);
	if (crc_bad(crc(r->comp, comp_len), get32(h + F_PAYLOAD_CRC)))
		return damage(r, -EBADMSG, "bad checksum in frame at byte %llu (payload of %u bytes)",
			      (unsigned long long)foff, comp_len);
	if (flags & REC_F_ZLIB) {
		dlen = raw_len;
		slen = comp_len;
		if (uncompress2((Bytef *)r->raw, &dlen, r->comp, &slen) != Z_OK ||
		    dlen != raw_len || slen != comp_len)
			return damage(r, -EBADMSG, "frame at byte %llu does not inflate to its %u bytes",
				      (unsigned long long)foff, raw_len);
	} else if (raw_len) {
		memcpy(r->raw, r->comp, raw_len);
	}
	r->foff = foff;
	r->type = type;
	r->len = raw_len;
	r->off = 0;
	if (type == REC_EVENTS && check_records(r, nrec))
		return r->err;
	if (type == REC_END && check_end(r))
		return r->err;
	r->seq++;
	r->nrecords += nrec;
	r->st.frames++;
	r->st.bytes = r->pos;
	r->blob_pending = type == REC_SNAPSHOT || type == REC_COUNTERS;
	if (type == REC_COUNTERS) {
		memset(&r->counters, 0, sizeof(r->counters));
		memcpy(&r->counters, r->raw, raw_len < sizeof(r->counters) ? raw_len : sizeof(r->counters));
		r->have_counters = true;
	}
	if (type < REC_EVENTS || type > REC_END)
		r->st.skipped_frames++;
	return 1;
}

static void item(struct rec_reader *r, struct rec_item *it, uint32_t off, uint32_t len)
{
	memset(it, 0, sizeof(*it));
	it->type = r->type;
	it->data = (const uint8_t *)r->raw + off;
	it->len = len;
	it->frame_off = r->foff;
	it->frame = r->seq - 1;
	it->off = off;
}

int recr_next(struct rec_reader *r, struct rec_item *it)
{
	char why[160];
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
			event_decode(h, h->size, &it->ev, why, sizeof(why));
			r->st.records++;
			return 1;
		}
		if (r->blob_pending) {
			r->blob_pending = false;
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
