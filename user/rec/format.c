// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording file's layout: headers packed and unpacked (see format.h). */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <libdeflate.h>
#include "rec/format.h"

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

uint32_t rec_crc(const void *p, size_t n)
{
	return libdeflate_crc32(0, p, n);	/* zlib's crc32(), faster */
}

void rec_hdr_pack(uint8_t *h, const struct rec_meta *m)
{
	memset(h, 0, REC_HDR_SIZE);
	memcpy(h + REC_H_MAGIC, REC_MAGIC, sizeof(REC_MAGIC));
	rec_put32(h + REC_H_VERSION, REC_VERSION);
	rec_put32(h + REC_H_ABI, m->abi);
	rec_put64(h + REC_H_WALL, m->wall_ns);
	rec_put64(h + REC_H_MONO, m->mono_ns);
	memcpy(h + REC_H_RELEASE, m->release, strnlen(m->release, REC_RELEASE_LEN - 1));
	rec_put32(h + REC_H_CRC, rec_crc(h, REC_H_CRC));
}

void rec_hdr_unpack(const uint8_t *h, struct rec_meta *m)
{
	m->version = rec_get32(h + REC_H_VERSION);
	m->abi = rec_get32(h + REC_H_ABI);
	m->wall_ns = rec_get64(h + REC_H_WALL);
	m->mono_ns = rec_get64(h + REC_H_MONO);
	memcpy(m->release, h + REC_H_RELEASE, REC_RELEASE_LEN - 1);
	m->release[REC_RELEASE_LEN - 1] = '\0';
}

void rec_frame_pack(uint8_t *h, const struct rec_frame *f)
{
	rec_put32(h + REC_FH_MAGIC, REC_FRAME_MAGIC);
	rec_put16(h + REC_FH_TYPE, f->type);
	rec_put16(h + REC_FH_FLAGS, f->flags);
	rec_put32(h + REC_FH_RAW_LEN, f->raw_len);
	rec_put32(h + REC_FH_COMP_LEN, f->comp_len);
	rec_put32(h + REC_FH_NRECORDS, f->nrecords);
	rec_put32(h + REC_FH_SEQ, f->seq);
	rec_put32(h + REC_FH_PAYLOAD_CRC, f->payload_crc);
	rec_put32(h + REC_FH_CRC, rec_crc(h, REC_FH_CRC));
}

void rec_frame_unpack(const uint8_t *h, struct rec_frame *f)
{
	f->type = rec_get16(h + REC_FH_TYPE);
	f->flags = rec_get16(h + REC_FH_FLAGS);
	f->raw_len = rec_get32(h + REC_FH_RAW_LEN);
	f->comp_len = rec_get32(h + REC_FH_COMP_LEN);
	f->nrecords = rec_get32(h + REC_FH_NRECORDS);
	f->seq = rec_get32(h + REC_FH_SEQ);
	f->payload_crc = rec_get32(h + REC_FH_PAYLOAD_CRC);
}

void rec_end_pack(uint8_t *p, uint64_t frames, uint64_t records)
{
	rec_put64(p, frames);
	rec_put64(p + 8, records);
}

void rec_end_unpack(const uint8_t *p, uint64_t *frames, uint64_t *records)
{
	*frames = rec_get64(p);
	*records = rec_get64(p + 8);
}
