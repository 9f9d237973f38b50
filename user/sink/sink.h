/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Sinks: where the pipeline (user/pipeline.h) delivers what it has, in
 * order. A sink implements the operations it needs (NULL: not interested):
 *
 *   learn    every decoded event, before any filter: state a sink keeps
 *            from events it does not show (the text sink's HWPT names)
 *   event    an event that passed the filters, after the model saw it
 *   finding  a finding, right after the event that made it
 *   lost     the kernel side lost n records (ring buffer full) by now_ns
 *   tick     periodically and before close: flush
 *   close    the end of the stream: final output, flush
 *
 * Operations return 0 or -errno; a failed event, tick or close stops the
 * run (-EPIPE: the reader went away). Formats: docs/events.md,
 * docs/findings.md. The sinks: text and JSON lines (sink/stream.c),
 * recordings (sink/record.c), and the report's (user/report/).
 */
#ifndef ITR_SINK_H
#define ITR_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "check/finding.h"
#include "event/event.h"
#include "lib/output.h"

struct sink;

struct sink_ops {
	const char *name;
	void (*learn)(struct sink *s, const struct itr_event *ev);
	int (*event)(struct sink *s, const struct itr_event *ev);
	int (*finding)(struct sink *s, const struct finding *f);
	void (*lost)(struct sink *s, __u64 n, __u64 now_ns);
	int (*tick)(struct sink *s);
	int (*close)(struct sink *s);
};

/* Embedded first in each sink's own struct; the pipeline links them. */
struct sink {
	const struct sink_ops *ops;
	struct sink *next;
};

/* --- the text format -------------------------------------------------------- */

/* An iommufd HWPT and its kernel domain, from hwpt_domain records. */
struct text_hwpt {
	__u64 domain_id;	/* 0: free slot */
	__u32 hwpt_id;
};

#define TEXT_NHWPTS 64

/* Text: a header once, then one line of fixed-width columns per event. */
struct text_sink {
	FILE *f;
	__u64 t0_ns;		/* TIME is seconds since this (CLOCK_MONOTONIC ns) */
	bool header_done;
	/* domain id -> HWPT id, the latest TEXT_NHWPTS (attach lines say "hwpt N") */
	struct text_hwpt hwpts[TEXT_NHWPTS];
	unsigned int next_hwpt;
};

int text_event(struct text_sink *s, const struct itr_event *ev);
/* The details column alone (tests, and other sinks' one-line summaries). */
const char *text_details(const struct itr_event *ev, char *buf, size_t len);
/* ... with what the sink has learnt (HWPT ids of domains); s may be NULL. */
const char *text_details_sink(const struct text_sink *s, const struct itr_event *ev,
			      char *buf, size_t len);
/*
 * Learn what a record teaches (hwpt_domain: an HWPT's domain; domain_free:
 * forget it) without printing it: text_event() does not; the text stream
 * sink calls it for every event (its learn operation).
 */
void text_learn(struct text_sink *s, const struct itr_event *ev);
/* The HWPT id of a domain (learnt from hwpt_domain records), 0: none known. */
__u32 text_hwpt_of(const struct text_sink *s, __u64 domain_id);

/* --- the JSON lines format ---------------------------------------------------- */

/* The event as a new JSON object (caller puts it); NULL when out of memory. */
json_object *json_event_object(const struct itr_event *ev);
int json_event(FILE *f, const struct itr_event *ev);

/* --- stream sinks: text or JSON lines to one output ------------------------------ */

enum stream_format {
	STREAM_TEXT = 0,
	STREAM_JSON,
};

struct stream_sink {
	struct sink sink;
	struct output *out;
	enum stream_format fmt;
	bool events;		/* print events */
	bool findings;		/* print findings */
	__u64 t0_ns;		/* the time origin of text lines */
	struct text_sink text;
};

/* A sink printing events and/or findings to out (which the caller owns). */
struct sink *stream_sink_init(struct stream_sink *s, struct output *out, enum stream_format fmt,
			      __u64 t0_ns, bool events, bool findings);

#endif
