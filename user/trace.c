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
#include "loader.h"
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

/* Say how many events were lost since the last look; 0 or -errno. */
static int report_lost(const struct loader *l, __u64 *lost)
{
	struct itr_counters c;
	int err = loader_counters(l, &c);

	if (err)
		return err;
	if (c.v[ITR_CNT_LOST] > *lost)
		fprintf(stderr, "lost %llu events (ring buffer full)\n",
			(unsigned long long)(c.v[ITR_CNT_LOST] - *lost));
	*lost = c.v[ITR_CNT_LOST];
	return 0;
}

static void print_summary(const struct loader *l, const struct trace_ctx *t)
{
	struct itr_counters c;
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
	if (loader_counters(l, &c)) {
		fprintf(stderr, "decode errors %llu (BPF counters unreadable)\n",
			(unsigned long long)t->decode_errors);
		return;
	}
	fprintf(stderr, "emitted %llu, lost %llu, filtered %llu, "
		"DMA-API counted not sent %llu (%s), decode errors %llu\n",
		(unsigned long long)c.v[ITR_CNT_EMITTED], (unsigned long long)c.v[ITR_CNT_LOST],
		(unsigned long long)c.v[ITR_CNT_FILTERED], (unsigned long long)c.v[ITR_CNT_DMA_API],
		fmt_bytes(b, sizeof(b), c.v[ITR_CNT_DMA_API_BYTES]),
		(unsigned long long)t->decode_errors);
	if (opfilter_active(t->opf))
		fprintf(stderr, "dropped by --fd/--ioas/--hwpt/--container: %llu\n",
			(unsigned long long)t->opfiltered);
}

/* Poll until a signal, the duration or a failure; then drain. 0 or -errno. */
static int run(struct loader *l, struct ring_buffer *rb, struct trace_ctx *t)
{
	__u64 end = cli_deadline_ns(env.duration);
	__u64 lost = 0;
	int err = 0;

	while (!cli_done(end)) {
		err = ring_buffer__poll(rb, 100);
		if (err == -EINTR)
			err = 0;
		if (err >= 0 && fflush(t->out) && !t->werr)
			t->werr = errno ?: EIO;
		if (err < 0 || t->werr)
			break;
		err = report_lost(l, &lost);
		if (err) {
			fprintf(stderr, "failed to read the counters: %s\n", strerror(-err));
			return err;
		}
	}
	if (err >= 0 && !t->werr)
		err = ring_buffer__consume(rb);
	if ((fflush(t->out) || ferror(t->out)) && !t->werr)
		t->werr = errno ?: EIO;
	if (t->werr) {
		if (t->werr == EPIPE)	/* the reader is gone (| head): not a failure */
			return 0;
		fprintf(stderr, "failed to write %s: %s\n", env.output ?: "stdout",
			strerror(t->werr));
		return -EIO;
	}
	if (err < 0) {
		fprintf(stderr, "failed to read the ring buffer: %s\n", strerror(-err));
		return err;
	}
	report_lost(l, &lost);	/* unreadable counters: the summary says so */
	return 0;
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
	struct loader l = {};
	struct loader_opts lo = {};
	struct ring_buffer *rb = NULL;
	FILE *out = NULL;
	int err;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	env.cfg.domain_key = env.key;
	if (!env.have_key && getrandom(&env.cfg.domain_key, sizeof(env.cfg.domain_key), 0) !=
	    sizeof(env.cfg.domain_key)) {
		fprintf(stderr, "failed to get a random domain key: %s\n", strerror(errno));
		return 1;
	}
	out = env.output ? fopen(env.output, "w") : stdout;
	if (!out) {
		fprintf(stderr, "cannot open --output '%s': %s\n", env.output, strerror(errno));
		return 1;
	}
	cli_catch_signals();
	signal(SIGPIPE, SIG_IGN);
	loader_set_verbose(env.verbose);
	lo.verbose = env.verbose;
	lo.no_fentry = env.no_fentry;
	lo.ringbuf_size = env.ringbuf_size;
	lo.btf_path = env.btf;
	err = loader_start(&l, &env.cfg, &lo);
	if (err)
		goto cleanup;
	t.out = out;
	t.json = env.json;
	t.verbose = env.verbose;
	t.opf = &env.opf;
	t.text.f = out;
	t.text.t0_ns = cli_now_ns();
	rb = ring_buffer__new(loader_events_fd(&l), handle_event, &t, NULL);
	if (!rb) {
		err = -errno;
		fprintf(stderr, "failed to create the ring buffer: %s\n", strerror(-err));
		goto cleanup;
	}
	fprintf(stderr, "Tracing IOMMU events... Hit Ctrl-C to end.\n");
	err = run(&l, rb, &t);
	print_summary(&l, &t);
cleanup:
	ring_buffer__free(rb);
	loader_stop(&l);
	if (out && out != stdout && fclose(out) && !err) {
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(errno));
		err = -EIO;
	}
	return err ? 1 : 0;
}
