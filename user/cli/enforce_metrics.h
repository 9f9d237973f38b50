/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* enforce --metrics ADDR (cli/enforce_metrics.c; docs/metrics.md). */
#ifndef ITR_CLI_ENFORCE_METRICS_H
#define ITR_CLI_ENFORCE_METRICS_H

#include "enforce/enforce.h"

/*
 * Serve the enforcement's metrics on addr and point eo at the daemon's
 * counters; NULL (a reason printed) when the address cannot be bound.
 * httpd_stop() it after enforce_run().
 */
struct httpd;
struct httpd *cli_enforce_metrics_start(const char *addr, struct enforce_opts *eo);

#endif
