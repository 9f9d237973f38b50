/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording file of `iommutrace record`, read back by `report` and
 * `check FILE`: a header, then checksummed frames of zlib-compressed
 * ring-buffer records and blobs (docs/recording.md, byte by byte).
 *
 * A recorder killed mid-write leaves a readable prefix: every complete
 * frame before the damage is returned, the damaged one never is. Pure: no
 * BPF, no model; the reader never trusts a length it has not bounded.
 */
#ifndef ITR_RECFILE_H
#define ITR_RECFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event/event.h"

#define REC_MAGIC		"ITRREC\n"	/* 8 bytes with its NUL */
#define REC_VERSION		1		/* the format; records carry ITR_ABI_VERSION */
#define REC_HDR_SIZE		128		/* the file header */
#define REC_FRAME_MAGIC		0x46525449u	/* "ITRF" little-endian */
#define REC_FRAME_HDR_SIZE	32
#define REC_FRAME_MAX		(16u << 20)	/* raw_len and comp_len at most */
#define REC_FRAME_FLUSH		(256u << 10)	/* the writer's EVENTS frame size */
#define REC_RELEASE_LEN		65		/* utsname.release */

/* Frame types, sorted by value; 0 is never used. */
enum rec_type {
	REC_EVENTS = 1,		/* ring-buffer records, each itr_hdr.size long */
	REC_SNAPSHOT,		/* opaque: the model's JSON state at start */
	REC_COUNTERS,		/* struct itr_counters at the end */
	REC_END,		/* clean close: {u64 frames, u64 records} before it */
};

/* Frame flags */
#define REC_F_ZLIB		(1u << 0)	/* payload is a zlib stream; else stored */

/* The file header, decoded. */
struct rec_meta {
	uint32_t version;		/* format: REC_VERSION */
	uint32_t abi;			/* ITR_ABI_VERSION of the records */
	uint64_t wall_ns;		/* CLOCK_REALTIME at start */
	uint64_t mono_ns;		/* CLOCK_MONOTONIC at start (itr_hdr.ts_ns's clock) */
	char release[REC_RELEASE_LEN];	/* uname -r of the traced kernel */
};

/* This machine, now: REC_VERSION, ITR_ABI_VERSION, both clocks, uname. */
void rec_meta_now(struct rec_meta *m);

/* Writer */

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

/* Reader */

struct rec_reader;

/* One item of a recording: an event record, or a blob. */
struct rec_item {
	enum rec_type type;		/* REC_EVENTS, REC_SNAPSHOT or REC_COUNTERS */
	const void *data;		/* 8-byte aligned; valid until the next recr_next */
	size_t len;
	struct itr_event ev;		/* REC_EVENTS: the decoded record */
	uint64_t frame_off;		/* file offset of the item's frame */
	uint32_t frame;			/* its number, from 0 */
	uint32_t off;			/* the record's offset in the frame's raw payload */
};

struct rec_stats {
	uint64_t frames;		/* complete frames read (END included) */
	uint64_t records;		/* event records returned */
	uint64_t unknown;		/* records of unknown kinds (a newer ABI): skipped */
	uint64_t blobs;			/* SNAPSHOT and COUNTERS items returned */
	uint64_t skipped_frames;	/* frames of unknown types (a newer writer): skipped */
	uint64_t bytes;			/* file bytes consumed by complete frames and the header */
};

/*
 * Open a recording and check its header. NULL with *err = -errno and a
 * one-line reason in why ("rec.itr: format version 9 is newer than this
 * iommutrace (1)"): -EINVAL not a recording, -EPROTONOSUPPORT a newer
 * format, -ENODATA empty or truncated, -EBADMSG damaged, or an I/O error.
 * name prefixes every message (NULL: "recording").
 */
struct rec_reader *recr_open(const char *path, int *err, char *why, size_t whylen);
struct rec_reader *recr_open_mem(const void *buf, size_t len, const char *name, int *err,
				 char *why, size_t whylen);
void recr_close(struct rec_reader *r);

/*
 * The next item: 1, 0 at the end, or -errno at damage (-ENODATA a
 * truncated frame, -EBADMSG a corrupt one, or an I/O error); recr_why()
 * then names the byte offset. A frame is returned only once it has been
 * read, checked and decoded whole. The end and errors are sticky.
 */
int recr_next(struct rec_reader *r, struct rec_item *it);
/* The file header. */
const struct rec_meta *recr_meta(const struct rec_reader *r);
/* END was seen: the recorder closed the file. */
bool recr_clean_end(const struct rec_reader *r);
/* COUNTERS, when a COUNTERS frame was read; else NULL. */
const struct itr_counters *recr_counters(const struct rec_reader *r);
const struct rec_stats *recr_stats(const struct rec_reader *r);
/*
 * After a negative return, the damage; after 0 without END, the warning
 * "NAME: not closed cleanly (recorder killed?) ..."; else "".
 */
const char *recr_why(const struct rec_reader *r);

#endif
