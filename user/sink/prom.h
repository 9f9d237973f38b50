/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The Prometheus exposition writer: metric families (HELP, TYPE) and their
 * samples into a growing buffer, in the Prometheus text format 0.0.4 or in
 * OpenMetrics 1.0.0 (a counter's family is named without "_total" there,
 * and the document ends with "# EOF"). Label values and help texts are
 * escaped here; names come from the caller's tables.
 */
#ifndef ITR_PROM_H
#define ITR_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

enum prom_type {
	PROM_COUNTER = 0,
	PROM_GAUGE,
	PROM_HISTOGRAM,
};

struct prom_label {
	const char *name, *value;
};

struct prom {
	char *buf;
	size_t len, cap;
	bool openmetrics;
	int err;		/* -ENOMEM once a write failed */
};

#define PROM_TEXT_CTYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_OM_CTYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

struct httpd_reply;

/*
 * Hand P's document to the HTTP server as its reply (the server frees the
 * body) when ERR (the rendering's result) is 0; else free it. Returns ERR.
 */
int prom_reply(struct prom *p, int err, struct httpd_reply *out);

/* Whether an HTTP Accept header asks for OpenMetrics (NULL: no). */
bool prom_wants_openmetrics(const char *accept);

void prom_init(struct prom *p, bool openmetrics);
void prom_fini(struct prom *p);
/*
 * A family. name: the sample name ("iommutrace_maps_total" for a counter,
 * "iommutrace_map_seconds" for a histogram).
 */
void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help);
/* A sample: name{labels} value. An integer (exact) or a double. */
void prom_sample_u64(struct prom *p, const char *name, const struct prom_label *l, int nl,
		     __u64 v);
void prom_sample(struct prom *p, const char *name, const struct prom_label *l, int nl, double v);
/*
 * A histogram's series from log2 slots (slot i: values in [2^i, 2^(i+1)-1],
 * slot 0 also 0; the last slot: everything beyond): name_bucket{le} for
 * slots lo to hi - 1 (hi < nslots), cumulative (the first one counts every
 * slot up to lo: exact, and fewer series), then le="+Inf", name_sum and
 * name_count.
 * Bounds and sum are divided by div (1e9: nanoseconds to seconds; a
 * division keeps 3 ns "3e-09", where a product by 1e-9 would not).
 * At most 15 labels.
 */
void prom_hist_log2(struct prom *p, const char *name, const struct prom_label *l, int nl,
		    const __u64 *slot, int nslots, int lo, int hi, __u64 sum, double div);
/* The end of the document; 0 or -ENOMEM. */
int prom_end(struct prom *p);

#endif
