/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The writer of `iommutrace record`: buffers ring-buffer records and writes
 * them as checksummed, zlib-compressed frames (rec/format.h), one write(2)
 * per frame, so a recorder killed mid-write leaves at most one partial frame.
 */
#ifndef ITR_REC_WRITER_H
#define ITR_REC_WRITER_H

#include <stddef.h>
#include "event/event.h"
#include "rec/format.h"

struct rec_writer;

/* Create (truncate) path and write the header; NULL with *err = -errno. */
struct rec_writer *recw_open(const char *path, const struct rec_meta *m, int *err);
/* zlib level 1-9 (default 1), or 0: frames stored uncompressed. 0 or -EINVAL. */
int recw_set_level(struct rec_writer *w, int level);
/*
 * Buffer one ring-buffer record (8-aligned size, >= an itr_hdr, equal to
 * its hdr.size); an EVENTS frame is written when REC_FRAME_FLUSH bytes are
 * buffered. 0, -EINVAL, or a write error (sticky: every later call fails).
 */
int recw_event(struct rec_writer *w, const void *rec, size_t size);
/* Write the buffered records as one frame (the recorder's ~200 ms timer). */
int recw_flush(struct rec_writer *w);
/* Flush, then one REC_SNAPSHOT or REC_COUNTERS frame of len bytes. */
int recw_blob(struct rec_writer *w, enum rec_type type, const void *data, size_t len);
/*
 * Flush, write COUNTERS (when c is not NULL) and END, fsync, close, free
 * (w may be NULL). 0 or the first error of the writer's life.
 */
int recw_close(struct rec_writer *w, const struct itr_counters *c);

#endif
