/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The consumer side every modelling command shares: raw record ->
 * decoder (user/event.c) -> model and checker (user/model.c) -> sinks:
 * event lines (text or JSON, optional) and findings (printed as they
 * happen, and kept for summaries and exit codes).
 */
#ifndef ITR_PIPELINE_H
#define ITR_PIPELINE_H

#include <stdbool.h>
#include <stdio.h>
#include "model/model.h"
#include "sink/sink.h"

struct pipeline {
	struct model model;
	FILE *out;		/* where events and findings go; NULL: nowhere */
	bool json;
	bool events;		/* print events too (monitor), not only findings */
	bool findings;		/* print findings as they happen */
	struct text_sink text;
	__u64 t0_ns;		/* the time origin of text lines */
	__u64 decode_errors;
	bool verbose;
	int werr;		/* errno of the first failed write */
	/* every finding, in order (check's summary, report) */
	struct finding *all;
	size_t nall, capall;
	/* called for each decoded event after the model saw it (report) */
	void (*on_event)(void *arg, const struct itr_event *ev);
	void (*on_finding)(void *arg, const struct finding *f);
	void *arg;
};

int pipeline_init(struct pipeline *p, const struct model_opts *o);
void pipeline_fini(struct pipeline *p);
/* One raw record (a live_ops/replay_ops record callback). */
int pipeline_record(void *arg, const void *data, size_t size);
/* A recording's snapshot (a replay_ops snapshot callback). */
int pipeline_snapshot(void *arg, const char *json, size_t len);
/* Losses (a live_ops lost callback). */
void pipeline_lost(void *arg, __u64 n, __u64 now_ns);
/* Flush the output (a live_ops tick callback). */
int pipeline_tick(void *arg);
/* The most severe finding so far; -1: none. */
int pipeline_worst(const struct pipeline *p);
/* "snapshot: 3 groups, 5 devices; ..." (what the model knows only from it). */
void pipeline_snapshot_note(const struct pipeline *p, FILE *f);
/* "findings: 1 error, 0 warnings, 2 info (3 repeats)". */
void pipeline_summary(const struct pipeline *p, FILE *f);

#endif
