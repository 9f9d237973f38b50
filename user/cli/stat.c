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
#include "cli/cli.h"
#include "cli/cmd.h"
#include "event/counters.h"
#include "source/loader.h"

static struct {
	double duration;
	bool json;
	struct loader_opts lo;
} env;

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
	switch (key) {
	case 'd':
		env.duration = cli_seconds(state, "duration", arg);
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

int cmd_stat(int argc, char **argv)
{
	static const struct argp argp = { opts, parse_arg, NULL, doc, NULL, NULL, NULL };
	/* count everything, send nothing: no event kind is wanted */
	struct itr_config cfg = { .kinds = 1u << 31, .group_id = -1 };
	struct itr_counters total;
	struct loader l = {};
	__u64 end;
	int err;

	memset(&env, 0, sizeof(env));
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;
	loader_set_verbose(env.lo.verbose);
	env.lo.tp_only = true;
	cli_catch_signals();
	err = loader_start(&l, &cfg, &env.lo);
	if (err)
		return 1;
	fprintf(stderr, "Counting iommu tracepoints... Hit Ctrl-C to end.\n");
	end = cli_deadline_ns(env.duration);
	while (!cli_done(end))
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
