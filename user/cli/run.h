/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Wiring a source to the pipeline, as every command that reads does. */
#ifndef ITR_CLI_RUN_H
#define ITR_CLI_RUN_H

#include <stdbool.h>
#include "pipeline.h"
#include "sink/metrics.h"
#include "source/live.h"

/*
 * The live source into p until a signal, --duration or a failure; says
 * `started` on stderr once attached (tests wait for it). final, final_ok:
 * the BPF counters at the end (may be NULL). 0 or -errno.
 */
int cli_run_live(struct live_opts *o, struct pipeline *p, const char *started,
		 struct itr_counters *final, bool *final_ok);
/*
 * cli_run_live while serving m (a metrics sink the caller added to p) on
 * addr: the server starts before the BPF programs load (a taken address
 * fails fast) and stops when the run ends. 0 or -errno.
 */
int cli_run_live_metrics(struct live_opts *o, struct pipeline *p, const char *started,
			 const char *addr, struct metrics *m);
/* --metrics ADDR: 0, or argp_error() naming what is wrong with it. */
struct argp_state;
int cli_metrics_addr_check(const char *addr, struct argp_state *state);
/*
 * A recording into p, paced: speed 1 at the recorded speed, 2 twice as
 * fast, 0 as fast as possible; ticks every 100 ms of wall time (sinks
 * redraw and read keys) and stops early on a stop request. The
 * recording's lost count reaches the sinks at its end. 0 or -errno; why
 * (may be NULL) says where a damaged recording broke.
 */
int cli_run_replay(const char *path, double speed, struct pipeline *p, char *why, size_t whylen);
/* The model's sysfs snapshot (root NULL: /); a failure other than "no IOMMU" is printed. */
void cli_snapshot(struct pipeline *p, const char *root);

#endif
