/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * iommutrace's metrics (docs/metrics.md): what a scrape shows, rendered
 * from a view the caller fills: the exact per-CPU BPF counters, each
 * probe's attach state, and (when a model runs) the checker's findings.
 * Label sets are bounded by tables: no pid, IOVA, pointer or id labels.
 */
#ifndef ITR_METRICS_H
#define ITR_METRICS_H

#include <stdbool.h>
#include "check/checker.h"
#include "sink/prom.h"
#include "source/loader.h"

struct metrics_view {
	const char *version;		/* iommutrace's */
	const struct itr_counters *counters;	/* NULL: unreadable */
	const struct loader *loader;	/* probe states; NULL: none */
	const struct checker *checker;	/* findings; NULL: no model runs */
};

/* Render every family into p. 0 or -ENOMEM. */
int metrics_render(struct prom *p, const struct metrics_view *v);

#endif
