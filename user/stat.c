// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace stat: exact totals of the kernel's iommu tracepoints. */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cmd.h"
#include "counters.h"
#include "loader.h"

static struct {
	double duration;
	bool json;
	struct loader_opts lo;
} env;

static volatile sig_atomic_t exiting;

static void on_signal(int sig)
{
	(void)sig;
	exiting = 1;
}

static const char doc[] =
	"Count the kernel's iommu tracepoints (map, unmap, attach, group add and\n"
	"remove) in BPF, exactly, until Ctrl-C, SIGTERM or --duration.\n"
	"\n"
	"USAGE: iommutrace stat [--duration SEC] [--json] [-v]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace stat                 # count until Ctrl-C\n"
	"    iommutrace stat -d 10 --json    # count for 10 s, print JSON\n";

static const struct argp_option opts[] = {
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 0 },
	{ "json", 'j', NULL, 0, "Print one JSON object", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'd':
		errno = 0;
		env.duration = strtod(arg, &end);
		if (errno || *end || env.duration <= 0)
			argp_error(state, "invalid --duration '%s': want seconds > 0", arg);
		break;
	case 'j':
		env.json = true;
		break;
	case 'v':
		env.lo.verbose = true;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int cmd_stat(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, NULL, doc, NULL, NULL, NULL };
	/* count everything, send nothing: no event kind is wanted */
	struct itr_config cfg = { .kinds = 1u << 31, .group_id = -1 };
	struct itr_counters total;
	struct loader l = {};
	double end;
	int err;

	memset(&env, 0, sizeof(env));
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;
	loader_set_verbose(env.lo.verbose);
	env.lo.tp_only = true;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	err = loader_start(&l, &cfg, &env.lo);
	if (err)
		return 1;
	fprintf(stderr, "Counting iommu tracepoints... Hit Ctrl-C to end.\n");
	end = env.duration > 0 ? now() + env.duration : 0;
	while (!exiting && (!end || now() < end))
		usleep(50 * 1000);
	err = loader_counters(&l, &total);
	if (err) {
		fprintf(stderr, "failed to read the counters: %s\n", strerror(-err));
		goto cleanup;
	}
	if (env.json)
		err = counters_show_json(stdout, &total);
	else
		counters_show_plain(stdout, &total);
cleanup:
	loader_stop(&l);
	return err ? 1 : 0;
}
