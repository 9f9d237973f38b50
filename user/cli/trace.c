// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace trace: the live source through the pipeline with the model
 * off: events filtered in BPF (--pid, --kinds, ...) and in user space
 * (--fd, --ioas, ...), printed as text or JSON lines by a stream sink,
 * lost events reported as they happen, a summary at the end.
 */
#include <argp.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/clock.h"
#include "lib/fmt.h"
#include "pipeline.h"

static struct {
	struct live_opts live;	/* run options (live_argp) and BPF filters (filter_argp) */
	struct opfilter opf;
	struct cli_fmt fmt;	/* --json, --output */
} env;

static const char doc[] =
	"Trace the IOMMU core: domain alloc and free, attach and detach (PASID too),\n"
	"map and unmap, group add and remove, faults; and the VFIO and iommufd\n"
	"ioctls that caused them; one line per event, or JSON\n"
	"lines with --json (fields: docs/events.md). Map and unmap of DMA-API (DMA,\n"
	"DMA_FQ) domains are counted, not sent, unless --all-domains. Runs until\n"
	"Ctrl-C, SIGTERM or --duration, then prints a summary to stderr.\n"
	"\n"
	"USAGE: iommutrace trace [--json] [-o FILE] [-d SEC] [FILTERS] [-v]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace trace                          # every event until Ctrl-C\n"
	"    iommutrace trace --json -d 10 -o ev.json  # 10 s of JSON lines\n"
	"    iommutrace trace --comm qemu-system-x86 --kinds map,unmap\n"
	"    iommutrace trace --dev 0000:00:06.0 --kinds attach,detach\n"
	"    iommutrace trace --all-domains --kinds map  # the DMA API's too\n"
	"    iommutrace trace --pid 1234 --container 5   # one VFIO container\n"
	"    iommutrace trace --ioas 2                   # an iommufd IOAS, its HWPTs' domains\n";

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	(void)arg;
	if (key != ARGP_KEY_INIT)
		return ARGP_ERR_UNKNOWN;
	state->child_inputs[0] = &env.live;
	state->child_inputs[1] = &env.live.cfg;
	state->child_inputs[2] = &env.opf;
	state->child_inputs[3] = &env.fmt;
	return 0;
}


static void print_summary(const struct itr_counters *cnt, bool cnt_ok, const struct pipeline *p)
{
	__u64 total = 0;
	char b[32];
	int k, n = 0;

	for (k = 0; k < ITR_EV_MAX; k++)
		total += p->shown[k];
	fprintf(stderr, "events: %llu", (unsigned long long)total);
	for (k = 0; k < ITR_EV_MAX; k++)
		if (p->shown[k])
			fprintf(stderr, "%s%s %llu", n++ ? ", " : " (", kind_name(k),
				(unsigned long long)p->shown[k]);
	fprintf(stderr, "%s\n", n ? ")" : "");
	if (!cnt_ok) {
		fprintf(stderr, "decode errors %llu (BPF counters unreadable)\n",
			(unsigned long long)p->decode_errors);
		return;
	}
	fprintf(stderr, "emitted %llu, lost %llu, filtered %llu, "
		"DMA-API counted not sent %llu (%s), decode errors %llu\n",
		(unsigned long long)cnt->v[ITR_CNT_EMITTED], (unsigned long long)cnt->v[ITR_CNT_LOST],
		(unsigned long long)cnt->v[ITR_CNT_FILTERED], (unsigned long long)cnt->v[ITR_CNT_DMA_API],
		fmt_bytes(b, sizeof(b), cnt->v[ITR_CNT_DMA_API_BYTES]),
		(unsigned long long)p->decode_errors);
	if (opfilter_active(p->o.filter))
		fprintf(stderr, "dropped by --fd/--ioas/--hwpt/--container: %llu "
			"(files or domains they forgot for room: %llu)\n",
			(unsigned long long)p->filtered, (unsigned long long)p->o.filter->evicted);
}

int cmd_trace(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters:", 0 },
		{ &opfilter_argp, 0, "VFIO/iommufd operation filters (in user space):", 0 },
		{ &output_argp, 0, "Output (JSON lines, one object per event, with --json):", 0 },
		{},
	};
	static const struct argp argp = { NULL, parse_arg, NULL, doc, children, NULL, NULL };
	struct pipeline_opts po = { .filter = &env.opf };
	struct stream_sink ss;
	struct itr_counters cnt;
	struct output out;
	struct pipeline p;
	bool cnt_ok = false;
	int err;

	memset(&env, 0, sizeof(env));
	if (cli_parse(&argp, argc, argv))
		return 2;
	if (cli_output_open(&out, env.fmt.output, (const char *const[]){ env.live.btf, NULL }))
		return 1;
	po.verbose = env.live.verbose;
	err = pipeline_init(&p, &po);
	if (!err) {
		pipeline_add_sink(&p, stream_sink_init(&ss, &out, env.fmt.json ? STREAM_JSON : STREAM_TEXT,
						      now_ns(), true, false));
		err = cli_run_live(&env.live, &p, "Tracing IOMMU events... Hit Ctrl-C to end.",
				   &cnt, &cnt_ok);
		err = pipeline_close(&p) ?: err;
	}
	err = cli_output_close(&out, err);
	if (cnt_ok || !err)
		print_summary(&cnt, cnt_ok, &p);
	pipeline_fini(&p);
	return err ? 1 : 0;
}
