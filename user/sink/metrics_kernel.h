/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's side of a scrape (sink/metrics_kernel.c), for sink/metrics.c
 * alone: families rendered from what the BPF side counted.
 */
#ifndef ITR_METRICS_KERNEL_H
#define ITR_METRICS_KERNEL_H

#include "sink/metrics.h"

struct stats;

/* The per-CPU counters; source_lost (NULL: not shown): losses the reader saw. */
void metrics_render_counters(struct prom *p, const struct itr_counters *c, const __u64 *source_lost);
/* Operations and ioctls with their histograms; *ioctls_folded: ioctl names folded. 0 or -ENOMEM. */
int metrics_render_stats(struct prom *p, const struct stats *st, __u64 *ioctls_folded);
/* Probe states, the ring buffer's fill, the programs' run time. */
void metrics_render_loader(struct prom *p, const struct loader *l);

#endif
