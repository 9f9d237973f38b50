// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * enforce --metrics ADDR: the daemon serves its decisions and its own
 * audit counters (sink/metrics_enforce.c) on GET /metrics, in the
 * server's threads, while enforce_run() reads the audit rings.
 */
#include <errno.h>
#include <stdio.h>
#include "cli/cmd.h"
#include "cli/enforce_metrics.h"
#include "lib/httpd.h"
#include "sink/metrics.h"
#include "sink/metrics_enforce.h"

static struct enf_daemon_counts counts;
static struct metrics_enforce me;

struct httpd *cli_enforce_metrics_start(const char *addr, struct enforce_opts *eo)
{
	struct httpd *h;

	me.version = itr_version;
	me.daemon = &counts;
	eo->counts = &counts;
	h = httpd_start(addr, METRICS_DEFAULT_HOST, "/metrics", metrics_enforce_http_render, &me);
	if (h)
		fprintf(stderr, "Serving metrics on %s (port %u): GET /metrics\n", addr, httpd_port(h));
	return h;
}
