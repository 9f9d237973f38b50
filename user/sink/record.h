/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording sink: every event into a recording (user/rec/writer.h),
 * flushed at each tick; losses counted. The caller opens the writer,
 * writes the snapshot frame, and closes it with the BPF counters.
 */
#ifndef ITR_SINK_RECORD_H
#define ITR_SINK_RECORD_H

#include "rec/writer.h"
#include "sink/sink.h"

struct record_sink {
	struct sink sink;
	struct rec_writer *w;
	__u64 records, bytes;	/* written, and their size before compression */
	__u64 lost;
};

struct sink *record_sink_init(struct record_sink *s, struct rec_writer *w);

#endif
