// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace trace: IOMMU core events from the ring buffer, decoded
 * (user/event.c), printed as text or JSON lines (user/text.c, json.c),
 * filtered in BPF (user/filter.c), with lost events reported as they happen.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>
#include <sys/random.h>
#include <bpf/libbpf.h>
#include "cli/cmd.h"
#include "event/counters.h"
#include "source/filter.h"
#include "cli/cli.h"
#include "source/live.h"
#include "event/opfilter.h"
#include "sink/sink.h"

static struct {
	struct live_opts live;	/* run options (live_argp) and BPF filters (filter_argp) */
	struct opfilter opf;
	const char *output;
	bool json;
} env;

/* What the ring buffer callback needs. */
struct trace_ctx {
	FILE *out;
	struct text_sink text;
	bool json;
	bool verbose;
	struct opfilter *opf;
	__u64 kinds[ITR_EV_MAX];
	__u64 decode_errors;
	__u64 opfiltered;	/* records the user-space filters dropped */
	int werr;		/* errno of the first failed write */
};

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

static const struct argp_option opts[] = {
	{ "json", 'j', NULL, 0, "Print JSON lines (one object per event)", 0 },
	{ "output", 'o', "FILE", 0, "Write events to FILE instead of stdout", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.live.cfg;
		state->child_inputs[2] = &env.opf;
		break;
	case 'j':
		env.json = true;
		break;
	case 'o':
		env.output = cli_output(state, arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}


static int handle_event(void *ctx, void *data, size_t size)
{
	struct trace_ctx *t = ctx;
	struct itr_event ev;
	char why[160];
	int err;

	if (event_decode(data, size, &ev, why, sizeof(why))) {
		t->decode_errors++;
		if (t->verbose)
			fprintf(stderr, "decode error: %s\n", why);
		return 0;
	}
	if (!opfilter_match(t->opf, &ev)) {
		t->opfiltered++;
		if (!t->json)	/* attach lines still name the HWPTs */
			text_learn(&t->text, &ev);
		return 0;
	}
	t->kinds[ev.kind]++;
	err = t->json ? json_event(t->out, &ev) : text_event(&t->text, &ev);
	if (err && !t->werr)
		t->werr = errno ?: EIO;
	return err;
}

static void print_summary(const struct itr_counters *cnt, bool cnt_ok, const struct trace_ctx *t)
{
	__u64 total = 0;
	char b[32];
	int k, n = 0;

	for (k = 0; k < ITR_EV_MAX; k++)
		total += t->kinds[k];
	fprintf(stderr, "events: %llu", (unsigned long long)total);
	for (k = 0; k < ITR_EV_MAX; k++)
		if (t->kinds[k])
			fprintf(stderr, "%s%s %llu", n++ ? ", " : " (", kind_name(k),
				(unsigned long long)t->kinds[k]);
	fprintf(stderr, "%s\n", n ? ")" : "");
	if (!cnt_ok) {
		fprintf(stderr, "decode errors %llu (BPF counters unreadable)\n",
			(unsigned long long)t->decode_errors);
		return;
	}
	fprintf(stderr, "emitted %llu, lost %llu, filtered %llu, "
		"DMA-API counted not sent %llu (%s), decode errors %llu\n",
		(unsigned long long)cnt->v[ITR_CNT_EMITTED], (unsigned long long)cnt->v[ITR_CNT_LOST],
		(unsigned long long)cnt->v[ITR_CNT_FILTERED], (unsigned long long)cnt->v[ITR_CNT_DMA_API],
		fmt_bytes(b, sizeof(b), cnt->v[ITR_CNT_DMA_API_BYTES]),
		(unsigned long long)t->decode_errors);
	if (opfilter_active(t->opf))
		fprintf(stderr, "dropped by --fd/--ioas/--hwpt/--container: %llu\n",
			(unsigned long long)t->opfiltered);
}

static void on_lost(void *arg, __u64 n, __u64 now_ns)
{
	(void)arg;
	(void)now_ns;
	fprintf(stderr, "lost %llu events (ring buffer full)\n", (unsigned long long)n);
}

/* Flush what was printed; a failed write stops the run. */
static int on_tick(void *arg)
{
	struct trace_ctx *t = arg;

	if ((fflush(t->out) || ferror(t->out)) && !t->werr)
		t->werr = errno ?: EIO;
	return t->werr ? -EIO : 0;
}

static void on_started(void *arg)
{
	(void)arg;
	fprintf(stderr, "Tracing IOMMU events... Hit Ctrl-C to end.\n");
}

static int on_record(void *arg, const void *data, size_t size)
{
	return handle_event(arg, (void *)data, size);
}

int cmd_trace(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters:", 0 },
		{ &opfilter_argp, 0, "VFIO/iommufd operation filters (in user space):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct trace_ctx t = {};
	struct live_ops ops = { on_started, on_record, on_lost, on_tick, &t };
	struct itr_counters cnt;
	bool cnt_ok = false;
	FILE *out = NULL;
	int err;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	out = env.output ? fopen(env.output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "cannot open --output '%s': %s\n", env.output, strerror(errno));
		return 1;
	}
	t.out = out;
	t.json = env.json;
	t.verbose = env.live.verbose;
	t.opf = &env.opf;
	t.text.f = out;
	t.text.t0_ns = cli_now_ns();
	err = live_run(&env.live, &ops, &cnt, &cnt_ok);
	if (t.werr) {
		if (t.werr == EPIPE)	/* the reader is gone (| head): not a failure */
			err = 0;
		else
			fprintf(stderr, "failed to write %s: %s\n", env.output ?: "stdout",
				strerror(t.werr));
	}
	if (cnt_ok || !err)
		print_summary(&cnt, cnt_ok, &t);
	if (out != stdout && fclose(out) && !err) {
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(errno));
		err = -EIO;
	}
	return err ? 1 : 0;
}
