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
#include "cmd.h"
#include "counters.h"
#include "filter.h"
#include "cli.h"
#include "live.h"
#include "opfilter.h"
#include "sink.h"

enum { OPT_DOMAIN_KEY = 0x200, OPT_NO_FENTRY, OPT_BTF, OPT_RINGBUF };

static struct {
	struct itr_config cfg;
	struct opfilter opf;
	double duration;
	const char *output;
	bool json;
	bool verbose;
	bool have_key;
	__u64 key;
	bool no_fentry;
	const char *btf;
	unsigned int ringbuf_size;
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
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 0 },
	{ "json", 'j', NULL, 0, "Print JSON lines (one object per event)", 0 },
	{ "output", 'o', "FILE", 0, "Write events to FILE instead of stdout", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages and decode errors", 0 },
	{ "btf", OPT_BTF, "PATH", 0, "Kernel BTF file (when /sys/kernel/btf/vmlinux is missing)", 0 },
	{ "no-fentry", OPT_NO_FENTRY, NULL, 0, "Use kprobes, not fentry/fexit (tests the fallback)", 0 },
	{ "domain-key", OPT_DOMAIN_KEY, "KEY", OPTION_HIDDEN, "Domain id hash key (tests)", 0 },
	{ "ringbuf-size", OPT_RINGBUF, "BYTES", OPTION_HIDDEN, "Ring buffer size (tests: force losses)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.cfg;
		state->child_inputs[1] = &env.opf;
		break;
	case 'd':
		env.duration = cli_seconds(state, "duration", arg);
		break;
	case 'j':
		env.json = true;
		break;
	case 'o':
		if (!*arg)
			argp_error(state, "invalid --output '': want a file name");
		env.output = arg;
		break;
	case 'v':
		env.verbose = true;
		break;
	case OPT_RINGBUF: {
		unsigned long v;

		errno = 0;
		v = strtoul(arg, &end, 0);
		if (errno || end == arg || *end || v < 4096 || v > (1UL << 30) || (v & (v - 1)))
			argp_error(state, "invalid --ringbuf-size '%s': want a power of 2 from 4096", arg);
		env.ringbuf_size = v;
		break;
	}
	case OPT_NO_FENTRY:
		env.no_fentry = true;
		break;
	case OPT_BTF:
		env.btf = cli_readable(state, "btf", arg);
		break;
	case OPT_DOMAIN_KEY:
		errno = 0;
		env.key = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || *arg == '-')
			argp_error(state, "invalid --domain-key '%s': want a 64-bit number", arg);
		env.have_key = true;
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
		{ &filter_argp, 0, "Filters:", 0 },
		{ &opfilter_argp, 0, "VFIO/iommufd operation filters (in user space):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct trace_ctx t = {};
	struct live_ops ops = { on_started, on_record, on_lost, on_tick, &t };
	struct live_opts lo = {};
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
	lo.cfg = env.cfg;
	lo.cfg.domain_key = env.key;
	lo.have_key = env.have_key;
	lo.duration = env.duration;
	lo.verbose = env.verbose;
	lo.no_fentry = env.no_fentry;
	lo.btf = env.btf;
	lo.ringbuf_size = env.ringbuf_size;
	t.out = out;
	t.json = env.json;
	t.verbose = env.verbose;
	t.opf = &env.opf;
	t.text.f = out;
	t.text.t0_ns = cli_now_ns();
	err = live_run(&lo, &ops, &cnt, &cnt_ok);
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
