// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The clock and stop signals (user/lib/clock.h). */
#include <time.h>
#include "lib/clock.h"

volatile sig_atomic_t stop_requested;

static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

void catch_stop_signals(void)
{
	stop_requested = 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

__u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__u64 deadline_ns(double sec)
{
	return sec > 0 ? now_ns() + (__u64)(sec * 1e9) : 0;
}

bool run_done(__u64 deadline)
{
	return stop_requested || (deadline && now_ns() >= deadline);
}
