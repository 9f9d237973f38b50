/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Fixtures of the recording tests (rec_writer_test.c, rec_reader_test.c):
 * temporary files, a set of records, and a small recording made by the
 * writer. The byte helpers follow docs/recording.md, not rec/format.h, so
 * that the tests check the format independently of the code.
 */
#ifndef ITR_TEST_REC_FIXTURE_H
#define ITR_TEST_REC_FIXTURE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "rec/writer.h"
#include "records.h"

static const struct rec_meta meta = {
	.version = REC_VERSION,
	.abi = ITR_ABI_VERSION,
	.wall_ns = 1700000000123456789ULL,
	.mono_ns = REC_T0,
	.release = "6.12.9-amd64",
};

static inline char *tmp_path(void)
{
	char *p = strdup("/tmp/itr-recfile-XXXXXX");
	int fd = mkstemp(p);

	cr_assert_geq(fd, 0);
	close(fd);
	return p;
}

static inline uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *p;
	long n;

	cr_assert_not_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	p = malloc(n + 1);
	cr_assert_eq(fread(p, 1, n, f), (size_t)n);
	fclose(f);
	*len = n;
	return p;
}

static inline uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static inline uint32_t crc(const void *p, size_t n)
{
	return crc32(crc32(0, Z_NULL, 0), p, n);
}

/* The records of a recording, in order. */
struct recs {
	union rec *r;
	size_t n;
};

static inline void recs_make(struct recs *s, size_t n)
{
	size_t i;

	s->r = calloc(n, sizeof(*s->r));
	s->n = n;
	for (i = 0; i < n; i++) {
		unsigned int kind = 1 + i % (ITR_EV_MAX - 1);

		rec_make(&s->r[i], kind);
		s->r[i].h.ts_ns = REC_T0 + i * 1000;
		s->r[i].h.cpu = i % 4;
		s->r[i].h.pid = 100 + i % 7;
		if (kind >= ITR_EV_MAP && kind <= ITR_EV_UNMAP_FAST)
			s->r[i].map.iova = 0x100000 + i * 4096;
	}
}

/*
 * A small recording: 3 EVENTS frames of 7 records, a snapshot between
 * the first two, counters and END. Returns the file's bytes.
 */
static inline uint8_t *small_recording(struct recs *s, size_t *len)
{
	char *path = tmp_path();
	struct itr_counters c = { .v = { [ITR_CNT_EMITTED] = 21, [ITR_CNT_LOST] = 2 } };
	struct rec_writer *w;
	uint8_t *buf;
	size_t i;
	int err;

	recs_make(s, 21);
	w = recw_open(path, &meta, &err);
	cr_assert_not_null(w, "%s", strerror(-err));
	for (i = 0; i < s->n; i++) {
		cr_assert_eq(recw_event(w, &s->r[i], s->r[i].h.size), 0);
		if (i % 7 == 6)
			cr_assert_eq(recw_flush(w), 0);
		if (i == 6)
			cr_assert_eq(recw_blob(w, REC_SNAPSHOT, "{\"devices\":[]}", 14), 0);
	}
	cr_assert_eq(recw_close(w, &c), 0);
	buf = slurp(path, len);
	unlink(path);
	free(path);
	return buf;
}

#endif
