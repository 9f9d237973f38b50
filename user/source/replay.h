/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The recording source: a file written by `iommutrace record` read back
 * (user/recfile.h) into the same callbacks as the live source, so a
 * recording goes through exactly the decoder -> model -> checker path a
 * live trace does.
 */
#ifndef ITR_REPLAY_H
#define ITR_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include "iommutrace.h"

struct itr_event;

struct replay_ops {
	/* The snapshot taken when recording began (a JSON text, not NUL-terminated). */
	int (*snapshot)(void *arg, const char *json, size_t len);
	/* One raw record; non-zero stops the replay (returned). */
	int (*record)(void *arg, const void *data, size_t size);
	void *arg;
	/*
	 * Instead of record, when set: the record as the reader decoded it
	 * (the reader checks every record of a frame before it returns any,
	 * so this saves decoding each one twice); non-zero stops the replay.
	 */
	int (*event)(void *arg, const struct itr_event *ev);
};

struct replay_result {
	bool counters_ok;	/* the recording ended with its counters */
	struct itr_counters counters;
	bool clean_end;		/* the recorder closed it */
	__u64 records;
	__u64 mono_ns;		/* CLOCK_MONOTONIC when recording began */
	char release[65];	/* the traced kernel */
	char why[256];		/* damage or warning; "" when none */
};

/*
 * Replay path. 0 when the whole file was read (res->why may still warn
 * that the recorder was killed); -errno at damage: what came before it was
 * replayed, res->why names the byte offset. Prints nothing.
 */
int replay_run(const char *path, const struct replay_ops *ops, struct replay_result *res);

#endif
