/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The enforcement's metrics (docs/metrics.md): decisions by rule, action
 * and tier and each rule's denied, audited, killed, raced and missed
 * counters, from the pinned maps of the slot in force (at most 33 rules:
 * bounded), and iommutrace_enforcement_active, 0 when nothing is pinned.
 * `serve` and `monitor --metrics` add them to their scrape (a row of
 * pinned_sources[] in sink/metrics.c); `enforce --metrics` serves them
 * with the daemon's own audit counters.
 */
#ifndef ITR_METRICS_ENFORCE_H
#define ITR_METRICS_ENFORCE_H

#include "sink/prom.h"
#include "source/enforce_pins.h"

/* Render E (NULL: nothing enforced) into p. */
void metrics_render_enforce(struct prom *p, const struct enf_pins *e);
/* Read the pins under ITR_ENF_PIN_DIR and render them; 0 or -errno (memory). */
int metrics_enforce_pinned(struct prom *p);

/* What `enforce --metrics` serves: its version, the daemon's counters. */
struct metrics_enforce {
	const char *version;
	const struct enf_daemon_counts *daemon;
};
/* lib/httpd.h's render callback (arg: a struct metrics_enforce). */
struct httpd_reply;
int metrics_enforce_http_render(void *arg, const char *accept, struct httpd_reply *out);

#endif
