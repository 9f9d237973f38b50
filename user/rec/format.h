/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording file's format (docs/recording.md, byte by byte): a 128-byte
 * header, then checksummed frames of zlib-compressed ring-buffer records and
 * blobs. The one place that knows the offsets: rec/writer.c packs with it,
 * rec/reader.c unpacks with it. Pure: no I/O, no allocation.
 */
#ifndef ITR_REC_FORMAT_H
#define ITR_REC_FORMAT_H

#include <endian.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "event/event.h"

#define REC_MAGIC		"ITRREC\n"	/* 8 bytes with its NUL */
#define REC_VERSION		1		/* the format; records carry ITR_ABI_VERSION */
/*
 * The records' ABIs read: REC_ABI_OLDEST to ITR_ABI_VERSION, others are
 * refused. A new ABI that only adds record kinds leaves REC_ABI_OLDEST, as
 * does one whose older layouts the decoder still reads (ABI 7's longer
 * ioctl record: event_decode() takes ABI 6's); one that changes what an
 * existing kind means moves it up to itself.
 */
#define REC_ABI_OLDEST		5
#define REC_HDR_SIZE		128		/* the file header */
#define REC_FRAME_MAGIC		0x46525449u	/* "ITRF" little-endian */
#define REC_FRAME_HDR_SIZE	32
#define REC_FRAME_MAX		(16u << 20)	/* raw_len and comp_len at most */
#define REC_FRAME_FLUSH		(256u << 10)	/* the writer's EVENTS frame size */
#define REC_RELEASE_LEN		65		/* utsname.release */
#define REC_END_LEN		16		/* END's payload: u64 frames, u64 records */

/* Frame types, sorted by value; 0 is never used. */
enum rec_type {
	REC_EVENTS = 1,		/* ring-buffer records, each itr_hdr.size long */
	REC_SNAPSHOT,		/* opaque: the model's JSON state at start */
	REC_COUNTERS,		/* struct itr_counters at the end */
	REC_END,		/* clean close: {u64 frames, u64 records} before it */
};

/* Frame flags */
#define REC_F_ZLIB		(1u << 0)	/* payload is a zlib stream; else stored */

/* File header offsets */
#define REC_H_MAGIC		0
#define REC_H_VERSION		8
#define REC_H_ABI		12
#define REC_H_WALL		16
#define REC_H_MONO		24
#define REC_H_RELEASE		32
#define REC_H_CRC		124

/* Frame header offsets */
#define REC_FH_MAGIC		0
#define REC_FH_TYPE		4
#define REC_FH_FLAGS		6
#define REC_FH_RAW_LEN		8
#define REC_FH_COMP_LEN		12
#define REC_FH_NRECORDS		16
#define REC_FH_SEQ		20
#define REC_FH_PAYLOAD_CRC	24
#define REC_FH_CRC		28

_Static_assert(REC_HDR_SIZE == REC_H_CRC + 4, "file header layout");
_Static_assert(REC_FRAME_HDR_SIZE == REC_FH_CRC + 4, "frame header layout");
_Static_assert(sizeof(REC_MAGIC) == REC_H_VERSION - REC_H_MAGIC, "magic");
_Static_assert(REC_H_RELEASE + REC_RELEASE_LEN <= REC_H_CRC, "release fits");

/* The file header, decoded. */
struct rec_meta {
	uint32_t version;		/* format: REC_VERSION */
	uint32_t abi;			/* ITR_ABI_VERSION of the records */
	uint64_t wall_ns;		/* CLOCK_REALTIME at start */
	uint64_t mono_ns;		/* CLOCK_MONOTONIC at start (itr_hdr.ts_ns's clock) */
	char release[REC_RELEASE_LEN];	/* uname -r of the traced kernel */
};

/* A frame header, decoded: every field but the magic and the header's crc. */
struct rec_frame {
	uint16_t type;			/* enum rec_type, or a newer writer's */
	uint16_t flags;			/* REC_F_* */
	uint32_t raw_len;		/* payload bytes after inflating */
	uint32_t comp_len;		/* payload bytes in the file */
	uint32_t nrecords;		/* EVENTS: records in the payload */
	uint32_t seq;			/* the frame's number, from 0 */
	uint32_t payload_crc;		/* of the comp_len bytes as stored */
};

/* Little-endian integers at any alignment. */
static inline void rec_put16(uint8_t *p, uint16_t v) { v = htole16(v); memcpy(p, &v, 2); }
static inline void rec_put32(uint8_t *p, uint32_t v) { v = htole32(v); memcpy(p, &v, 4); }
static inline void rec_put64(uint8_t *p, uint64_t v) { v = htole64(v); memcpy(p, &v, 8); }
static inline uint16_t rec_get16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return le16toh(v); }
static inline uint32_t rec_get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return le32toh(v); }
static inline uint64_t rec_get64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return le64toh(v); }

/* This machine, now: REC_VERSION, ITR_ABI_VERSION, both clocks, uname. */
void rec_meta_now(struct rec_meta *m);

/* CRC-32 (zlib's crc32()) of n bytes: every checksum of the format. */
uint32_t rec_crc(const void *p, size_t n);

/* The REC_HDR_SIZE bytes of h: magic, REC_VERSION, m's fields, the crc. */
void rec_hdr_pack(uint8_t *h, const struct rec_meta *m);
/* m from a whole header h (its magic, version and crc checked by the caller). */
void rec_hdr_unpack(const uint8_t *h, struct rec_meta *m);

/* The REC_FRAME_HDR_SIZE bytes of h: magic, f's fields, the crc. */
void rec_frame_pack(uint8_t *h, const struct rec_frame *f);
/* f from a whole frame header h (its magic and crc checked by the caller). */
void rec_frame_unpack(const uint8_t *h, struct rec_frame *f);

/* END's REC_END_LEN bytes of payload. */
void rec_end_pack(uint8_t *p, uint64_t frames, uint64_t records);
void rec_end_unpack(const uint8_t *p, uint64_t *frames, uint64_t *records);

#endif
