/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The one consumer every command shares, fed by a source (source/live.c
 * or source/replay.c):
 *
 *   raw record -> decoder (event/) -> model (model/) -> checker (check/)
 *              -> user-space filter (event/opfilter.c) -> sinks (sink/)
 *
 * The model and the checker are optional (trace and record run without
 * them); the filter only decides what sinks are shown, never what the
 * model sees. Sinks receive, in order: every event (learn), each event that
 * passed the filter (event), then the findings that event caused
 * (finding); losses, ticks and the close.
 */
#ifndef ITR_PIPELINE_H
#define ITR_PIPELINE_H

#include <stdbool.h>
#include <stdio.h>
#include "check/checker.h"
#include "event/lost.h"
#include "event/opfilter.h"
#include "model/model.h"
#include "sink/sink.h"

struct pipeline_opts {
	bool model;		/* run the model and the checker */
	struct model_opts mo;
	struct opfilter *filter;	/* what sinks are shown; NULL: everything */
	bool verbose;		/* print decode errors */
};

struct pipeline {
	struct pipeline_opts o;
	struct model model;
	struct checker checker;
	struct sink *sinks;
	__u64 decode_errors;
	__u64 shown[ITR_EV_MAX];	/* events that reached the sinks, by kind */
	__u64 filtered;		/* events the filter kept from the sinks */
	__u64 lost;		/* records the kernel side lost */
	struct lost_seen lost_seen;	/* the last loss record's counts */
	__u64 gaps;		/* loss records that reported new losses */
	int err;		/* the first sink failure (-errno) */
	/* every finding, in order (check's summary, report) */
	struct finding *all;
	size_t nall, capall;
	__u64 findings_unkept;	/* findings not kept in all (out of memory) */
};

int pipeline_init(struct pipeline *p, const struct pipeline_opts *o);
/* Append a sink: sinks are called in the order they were added. */
void pipeline_add_sink(struct pipeline *p, struct sink *s);
/* Close every sink (final output); the first failure, or the earlier one. */
int pipeline_close(struct pipeline *p);
void pipeline_fini(struct pipeline *p);

/* The source callbacks (struct live_ops, struct replay_ops); arg: the pipeline. */
int pipeline_record(void *arg, const void *data, size_t size);
/* pipeline_record() after its decoding: a record the source decoded (struct replay_ops's event). */
int pipeline_event(void *arg, const struct itr_event *ev);
int pipeline_snapshot(void *arg, const char *json, size_t len);
/*
 * The kernel's count of lost records is total (a live run's final
 * counters, a recording's): what no loss record in the stream reported is
 * counted (and handed to the sinks' lost) without suspending anything, as
 * no event comes after it.
 */
void pipeline_lost(void *arg, __u64 total, __u64 now_ns);
int pipeline_tick(void *arg);

/* The most severe finding so far; -1: none. */
int pipeline_worst(const struct pipeline *p);
/* "snapshot: 3 groups, 5 devices; ..." (what the model knows only from it). */
void pipeline_snapshot_note(const struct pipeline *p, FILE *f);
/*
 * "findings: 1 error, 0 warnings, 2 info (3 repeats); ..., what bounded
 * sets dropped", and after gaps, what was lost and what was suspended.
 */
void pipeline_summary(const struct pipeline *p, FILE *f);

#endif
