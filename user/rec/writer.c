// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording's writer (see writer.h, docs/recording.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libdeflate.h>
#include "rec/writer.h"

struct rec_writer {
	int fd;
	int err;		/* the first error, -errno: every later call returns it */
	int level;
	struct libdeflate_compressor *z;	/* at level; NULL: level 0 (stored) */
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

/* Keep the first error (-errno) and return it. */
static int fail(struct rec_writer *w, int err)
{
	if (!w->err)
		w->err = err;
	return w->err;
}

static int write_frame(struct rec_writer *w, enum rec_type type, const void *data,
		       size_t len, uint32_t nrec)
{
	size_t clen = w->z ? libdeflate_zlib_compress_bound(w->z, len) : len;
	size_t need = REC_FRAME_HDR_SIZE + (clen > len ? clen : len);
	struct rec_frame f = { .type = type, .raw_len = len, .nrecords = nrec, .seq = w->seq };
	uint8_t *payload;
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
	payload = w->out + REC_FRAME_HDR_SIZE;
	/* zlib's format (docs/recording.md), by libdeflate: about twice zlib's speed */
	if (w->z && len && (clen = libdeflate_zlib_compress(w->z, data, len, payload, clen)) &&
	    clen < len) {
		f.flags |= REC_F_ZLIB;
	} else {
		clen = len;
		if (len)
			memcpy(payload, data, len);
	}
	f.comp_len = clen;
	f.payload_crc = rec_crc(payload, clen);
	rec_frame_pack(w->out, &f);
	/* One write per frame: a kill leaves at most one partial frame. */
	err = write_all(w->fd, w->out, REC_FRAME_HDR_SIZE + clen);
	if (err)
		return fail(w, err);
	w->seq++;
	w->nrecords += nrec;
	return 0;
}

struct rec_writer *recw_open(const char *path, const struct rec_meta *m, int *err)
{
	struct rec_writer *w = calloc(1, sizeof(*w));
	uint8_t h[REC_HDR_SIZE];
	struct rec_meta now;
	int e;

	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	w->fd = -1;
	w->level = 1;
	w->z = libdeflate_alloc_compressor(w->level);
	if (!m) {
		rec_meta_now(&now);
		m = &now;
	}
	w->buf = malloc(REC_FRAME_FLUSH);
	if (!w->buf || !w->z) {
		e = -ENOMEM;
		goto cleanup;
	}
	w->fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (w->fd < 0) {
		e = -errno;
		goto cleanup;
	}
	rec_hdr_pack(h, m);
	e = write_all(w->fd, h, sizeof(h));
	if (e)
		goto cleanup;
	return w;
cleanup:
	if (w->fd >= 0)
		close(w->fd);
	free(w->buf);
	libdeflate_free_compressor(w->z);
	free(w);
	*err = e;
	return NULL;
}

int recw_set_level(struct rec_writer *w, int level)
{
	struct libdeflate_compressor *z = NULL;

	if (level < 0 || level > 9)
		return -EINVAL;
	if (level && !(z = libdeflate_alloc_compressor(level)))
		return -ENOMEM;
	libdeflate_free_compressor(w->z);
	w->z = z;
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
	uint8_t end[REC_END_LEN];
	int err;

	if (!w)
		return 0;
	recw_flush(w);
	if (c)
		recw_blob(w, REC_COUNTERS, c, sizeof(*c));
	rec_end_pack(end, w->seq, w->nrecords);
	write_frame(w, REC_END, end, sizeof(end), 0);
	if (!w->err && fsync(w->fd) && errno != EINVAL)
		fail(w, -errno);
	if (close(w->fd) && !w->err)
		fail(w, -errno);
	err = w->err;
	free(w->buf);
	free(w->out);
	libdeflate_free_compressor(w->z);
	free(w);
	return err;
}
