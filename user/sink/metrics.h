/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * iommutrace's metrics (docs/metrics.md): what a scrape shows. A struct
 * metrics is a sink (findings, losses; at each tick it copies what the
 * model knows) and the renderer a scrape calls from another thread: the
 * exact per-CPU BPF counters and operation statistics read at that moment,
 * each probe's attach state, the BPF programs' run time, and the copy of
 * the pipeline's side, taken under one mutex. Label sets are bounded by
 * tables and caps: no pid, IOVA, pointer or object-id labels; groups past
 * METRICS_MAX_GROUPS and unknown ioctls are folded into "other" and
 * counted in iommutrace_folded_label_values.
 */
#ifndef ITR_METRICS_H
#define ITR_METRICS_H

#include <pthread.h>
#include <stdbool.h>
#include "check/checker.h"
#include "model/model.h"
#include "sink/prom.h"
#include "sink/sink.h"
#include "source/loader.h"

/* The default address of the exporter (docs/metrics.md says why this port). */
#define METRICS_DEFAULT_HOST "127.0.0.1"
#define METRICS_DEFAULT_PORT "8739"
#define METRICS_DEFAULT_ADDR METRICS_DEFAULT_HOST ":" METRICS_DEFAULT_PORT
#define METRICS_MAX_GROUPS 32
#define METRICS_NDOMTYPES 9	/* itr_domain_type_names[] rows */

struct metrics_group {
	__s32 group;		/* -1: "other", the groups past the cap */
	__u64 mappings, bytes;
};

/* The pipeline's side, copied at each tick and at each finding (under mu). */
struct metrics_snap {
	bool model;		/* a model and checker run */
	__u64 findings[R_NRULES][FINDING_NSEV];
	__u64 repeats;		/* findings deduplicated away */
	__u64 dropped[MD_NDROPS];	/* what the model's bounded sets could not keep */
	__u64 lost;		/* records the source reported lost */
	__u64 domains[METRICS_NDOMTYPES];	/* live, by type */
	__u64 mappings[METRICS_NDOMTYPES], mapped_bytes[METRICS_NDOMTYPES];
	int ngroups;
	__u64 groups_folded;	/* groups past the cap, summed in "other" */
	struct metrics_group groups[METRICS_MAX_GROUPS + 1];
};

struct metrics {
	struct sink sink;
	pthread_mutex_t mu;
	/* set before serving, then only read */
	const char *version;
	const struct itr_counters *fixed;	/* counters when there is no loader; NULL: none */
	const struct model *model;	/* the pipeline's (read at ticks, in its thread) */
	const struct checker *checker;
	/* under mu (a scrape renders holding it) */
	const struct loader *loader;	/* live counters; NULL: none (yet) */
	struct metrics_snap snap;
	__u64 scrapes;
};

/*
 * A metrics sink; model and checker may be NULL (no model runs). The
 * caller sets loader or fixed. metrics_fini() after the pipeline's close.
 */
struct sink *metrics_init(struct metrics *m, const char *version, const struct model *model,
			  const struct checker *checker);
void metrics_fini(struct metrics *m);
/* The live loader to read at each scrape, NULL: none (before it stops). */
void metrics_set_loader(struct metrics *m, const struct loader *l);
/* Copy the model's side now (the sink's tick does it; the pipeline's thread). */
void metrics_update(struct metrics *m);
/* Render one scrape into p (any thread). 0 or -errno. */
int metrics_render(struct metrics *m, struct prom *p);
/* lib/httpd.h's render callback (arg: the struct metrics). */
struct httpd_reply;
int metrics_http_render(void *arg, const char *accept, struct httpd_reply *out);
/*
 * The parts that need no loader, from counters, statistics and a snapshot
 * (NULL: not shown); the caller ends p (prom_end). Tests use it alone.
 */
struct stats;
int metrics_render_view(struct prom *p, const char *version, const struct itr_counters *c,
			const struct stats *st, const struct metrics_snap *snap);

#endif
