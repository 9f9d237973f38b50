/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The clock of the records, deadlines, and stopping on SIGINT/SIGTERM. */
#ifndef ITR_CLOCK_H
#define ITR_CLOCK_H

#include <signal.h>
#include <stdbool.h>
#include <linux/types.h>

/* Set by SIGINT/SIGTERM once catch_stop_signals() ran. */
extern volatile sig_atomic_t stop_requested;
void catch_stop_signals(void);

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns(). */
__u64 now_ns(void);
/* The deadline sec seconds from now; 0 (none) when sec is 0. */
__u64 deadline_ns(double sec);
/* A stop was requested, or the deadline (0: none) has passed. */
bool run_done(__u64 deadline);

#endif
