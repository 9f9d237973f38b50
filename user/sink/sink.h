/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Event sinks: decoded events (user/event.h) -> text lines or JSON lines.
 * Formats: docs/events.md. Each returns 0 or -errno (-EIO: the stream failed).
 */
#ifndef ITR_SINK_H
#define ITR_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include <json-c/json.h>
#include "event/event.h"

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
 * forget it) without printing it: text_event() does it too; call it for
 * records a user-space filter drops.
 */
void text_learn(struct text_sink *s, const struct itr_event *ev);
/* The HWPT id of a domain (learnt from hwpt_domain records), 0: none known. */
__u32 text_hwpt_of(const struct text_sink *s, __u64 domain_id);
/* A domain id as the text lines show it: "d:" and its low 32 bits; "-" for 0. */
const char *domain_str(__u64 id, char *buf, size_t len);
/* "850ns", "2.1us", "3.4ms", "1.20s". */
const char *fmt_ns(char *buf, size_t len, unsigned long long ns);

/* JSON lines: one object per event, escaped by json-c. */
/* The event as a new JSON object (caller puts it); NULL when out of memory. */
json_object *json_event_object(const struct itr_event *ev);
int json_event(FILE *f, const struct itr_event *ev);

#endif
