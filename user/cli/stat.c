// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace stat: exact totals of the kernel's iommu tracepoints. */
#include <argp.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "event/counters.h"
#include "lib/clock.h"
#include "lib/log.h"
#include "source/live.h"
#include "source/loader.h"

static struct {
	struct live_opts live;	/* -d, -v, --btf (live_argp) */
	struct cli_fmt fmt;	/* --json */
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

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = &env.live;
	state->child_inputs[1] = &env.fmt;
	return 0;
}

int cmd_stat(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &json_argp, 0, "Output (one JSON object with --json):", 0 },
		{},
	};
	static const struct argp argp = { NULL, parse_arg, NULL, doc, children, NULL, NULL };
	/* count everything, send nothing: no event kind is wanted */
	struct itr_config cfg = { .kinds = 1u << 31, .group_id = -1 };
	struct itr_counters total;
	struct loader_opts lo = {};
	struct loader l = {};
	struct output out;
	__u64 end;
	int err;

	memset(&env, 0, sizeof(env));
	err = cli_parse(&argp, argc, argv);
	if (err)
		return 2;
	live_loader_opts(&env.live, &lo);
	loader_set_verbose(lo.verbose);
	lo.tp_only = true;
	catch_stop_signals();
	err = loader_start(&l, &cfg, &lo);
	if (err)
		return 1;
	fprintf(stderr, "Counting iommu tracepoints... Hit Ctrl-C to end.\n");
	end = deadline_ns(env.live.duration);
	while (!run_done(end))
		usleep(50 * 1000);
	err = loader_counters(&l, &total);
	loader_stop(&l);
	if (err) {
		log_err("failed to read the counters: %s", strerror(-err));
		return 1;
	}
	output_open(&out, NULL);
	if (env.fmt.json)
		err = counters_show_json(out.f, &total);
	else
		counters_show_plain(out.f, &total);
	return cli_output_close(&out, err) ? 1 : 0;
}
