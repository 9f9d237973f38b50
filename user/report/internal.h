/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the report's files share (user/report/report.h: the public part). */
#ifndef ITR_REPORT_INTERNAL_H
#define ITR_REPORT_INTERNAL_H

#include <string.h>
#include "report/report.h"

/* A NUL-terminated copy of a record's comm. */
static inline void report_comm(char dst[ITR_COMM_LEN], const struct itr_hdr *h)
{
	size_t n = strnlen(h->comm, ITR_COMM_LEN - 1);

	memcpy(dst, h->comm, n);
	dst[n] = '\0';
}

/*
 * Whether ev is a call (map, map_sg, unmap, unmap_fast, ioctl), and its
 * latency: such records come at the call's exit, which began *lat earlier.
 */
static inline bool report_call(const struct itr_event *ev, __u64 *lat)
{
	switch (ev->kind) {
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG:
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		*lat = ev->map->latency_ns;
		return true;
	case ITR_EV_IOCTL:
		*lat = ev->ioctl->latency_ns;
		return true;
	default:
		*lat = 0;
		return false;
	}
}

/* --- sums.c: the sums and the parts of the report, sorted ----------------- */

/* Add an event to the sums; 0 or -ENOMEM. */
int report_sum_event(struct report *r, const struct itr_event *ev);
/* Free the sums. */
void report_sums_fini(struct report *r);
/*
 * The parts, in the order they are shown; each an array to free, NULL when
 * out of memory, *n its length. Domains in order of appearance, with
 * their state at the end from the model; devices by name; the top mappers,
 * at most r->top.
 */
struct report_domain **report_domains_sorted(struct report *r, size_t *n);
const struct m_device **report_devices_sorted(const struct report *r, size_t *n);
const struct report_proc **report_procs_sorted(const struct report *r, size_t *n);

/* --- the formats ----------------------------------------------------------- */

/* text.c, json.c: the whole report to r->out; 0 or -errno. */
int report_text(struct report *r);
int report_json(struct report *r);
/* The "recording" object of the JSON document (also chrome-trace's otherData). */
json_object *report_json_recording(const struct report *r);

/* chrome.c: the stream's sink (events, findings; close: the document's end). */
struct sink *report_chrome_init(struct report_chrome *ct);
void report_chrome_fini(struct report_chrome *ct);

#endif
