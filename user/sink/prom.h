/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Prometheus exposition writer: metric families (HELP, TYPE) and their
 * samples into a growing buffer, in the Prometheus text format 0.0.4 or in
 * OpenMetrics 1.0 (a counter family is named without "_total" there, and
 * the document ends with "# EOF"). Label values are escaped here.
 */
#ifndef ITR_PROM_H
#define ITR_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

enum prom_type {
	PROM_COUNTER = 0,
	PROM_GAUGE,
};

struct prom {
	char *buf;
	size_t len, cap;
	bool openmetrics;
	int err;		/* -ENOMEM once a write failed */
};

#define PROM_TEXT_CTYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_OM_CTYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

void prom_init(struct prom *p, bool openmetrics);
void prom_fini(struct prom *p);
/* A family: name is the sample name ("iommutrace_maps_total" for a counter). */
void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help);
/*
 * A sample of the family last opened: labels as "k1", "v1", "k2", "v2", ...
 * (nlabels pairs; values escaped here).
 */
void prom_sample(struct prom *p, const char *name, double value, int nlabels, ...);
/* The end of the document; 0 or -ENOMEM. */
int prom_end(struct prom *p);

#endif
