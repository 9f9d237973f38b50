// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libFuzzer: any bytes through the recording reader. It must never crash,
 * read out of bounds or loop; items it returns must be what it promises
 * (8-aligned records of the size their header says, decoded), and damage
 * must come with a reason. Built with FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
 * so that checksums do not stop mutations at the door.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include "rec/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	volatile uint8_t sink = 0;
	const struct rec_stats *st;
	struct rec_reader *r;
	struct rec_item it;
	uint64_t records = 0, blobs = 0;
	char why[256];
	size_t i;
	int err = 0, rc;

	r = recr_open_mem(data, size, "fuzz", &err, why, sizeof(why));
	if (!r) {
		assert(err < 0 && why[0]);
		return 0;
	}
	while ((rc = recr_next(r, &it)) == 1) {
		assert(it.data && (uintptr_t)it.data % 8 == 0);
		if (it.type == REC_EVENTS) {
			assert(it.len >= sizeof(struct itr_hdr) && it.len % 8 == 0);
			assert(it.ev.h == it.data && it.ev.h->size == it.len);
			assert(kind_name(it.ev.kind));
			records++;
		} else {
			assert(it.type == REC_SNAPSHOT || it.type == REC_COUNTERS);
			blobs++;
		}
		for (i = 0; i < it.len; i++)	/* every byte promised is readable */
			sink ^= ((const uint8_t *)it.data)[i];
	}
	assert(rc <= 0);
	assert(rc == 0 || recr_why(r)[0]);
	assert(rc != 0 || recr_clean_end(r) || recr_why(r)[0]);
	assert(recr_next(r, &it) == rc);
	st = recr_stats(r);
	assert(st->records == records && st->blobs == blobs && st->bytes <= size);
	assert(!recr_clean_end(r) || (rc == 0 && st->bytes == size));
	assert(recr_meta(r)->version == REC_VERSION && !recr_meta(r)->release[REC_RELEASE_LEN - 1]);
	if (recr_counters(r))
		sink ^= recr_counters(r)->v[ITR_CNT_LOST];
	recr_close(r);
	(void)sink;
	return 0;
}
