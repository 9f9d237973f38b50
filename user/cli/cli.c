// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* What the subcommands share: option values, the clock, Ctrl-C. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/cli.h"

volatile sig_atomic_t cli_exiting;

static void on_signal(int sig)
{
	(void)sig;
	cli_exiting = 1;
}

void cli_catch_signals(void)
{
	cli_exiting = 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
}

__u64 cli_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

__u64 cli_deadline_ns(double sec)
{
	return sec > 0 ? cli_now_ns() + (__u64)(sec * 1e9) : 0;
}

bool cli_done(__u64 deadline_ns)
{
	return cli_exiting || (deadline_ns && cli_now_ns() >= deadline_ns);
}

double cli_seconds(struct argp_state *state, const char *opt, const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v > 0))
		argp_error(state, "invalid --%s '%s': want seconds > 0", opt, arg);
	return v;
}

const char *cli_readable(struct argp_state *state, const char *opt, const char *arg)
{
	if (access(arg, R_OK))
		argp_error(state, "cannot read --%s '%s': %s", opt, arg, strerror(errno));
	return arg;
}

const char *cli_output(struct argp_state *state, const char *arg)
{
	if (!*arg)
		argp_error(state, "invalid --output '': want a file name");
	return arg;
}

const char *cli_option_name(const struct argp_option *opts, int key)
{
	int i;

	for (i = 0; opts[i].name || opts[i].key || opts[i].doc; i++)
		if (opts[i].name && opts[i].key == key)
			return opts[i].name;
	return NULL;
}
