/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The reader of a recording (rec/format.h), for `report` and `check FILE`.
 *
 * A recorder killed mid-write leaves a readable prefix: every complete
 * frame before the damage is returned, the damaged one never is. The
 * reader never trusts a length it has not bounded.
 */
#ifndef ITR_REC_READER_H
#define ITR_REC_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event/event.h"
#include "rec/format.h"

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
