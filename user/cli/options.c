// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * One home for every option more than one command takes (user/cli/cli.h):
 * the run options, the kernel options, and the filters.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "cli/cli.h"
#include "event/opfilter.h"
#include "source/filter.h"
#include "source/live.h"

enum { KERNEL_BTF = 0x300, KERNEL_NO_FENTRY, LIVE_RINGBUF, LIVE_KEY, LIVE_SYSFS,
       LIVE_WAKEUP, LIVE_POLL };

static const struct argp_option kernel_options[] = {
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages and decode errors", 0 },
	{ "btf", KERNEL_BTF, "PATH", 0, "Kernel BTF file (when /sys/kernel/btf/vmlinux is missing)", 0 },
	{ "no-fentry", KERNEL_NO_FENTRY, NULL, 0, "Use kprobes, not fentry/fexit", 0 },
	{},
};

static error_t kernel_parse(int key, char *arg, struct argp_state *state)
{
	struct live_opts *o = state->input;

	switch (key) {
	case 'v':
		o->verbose = true;
		break;
	case KERNEL_BTF:
		o->btf = cli_readable(state, "btf", arg);
		break;
	case KERNEL_NO_FENTRY:
		o->no_fentry = true;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp kernel_argp = { kernel_options, kernel_parse, NULL, NULL, NULL, NULL, NULL };

static const struct argp_option live_options[] = {
	{ "duration", 'd', "SEC", 0, "Stop after SEC seconds", 0 },
	{ "ringbuf-size", LIVE_RINGBUF, "BYTES", OPTION_HIDDEN, "Ring buffer size (tests)", 0 },
	{ "domain-key", LIVE_KEY, "KEY", OPTION_HIDDEN, "Domain id hash key (tests)", 0 },
	{ "sysfs-root", LIVE_SYSFS, "DIR", OPTION_HIDDEN, "Read the snapshot under DIR (tests)", 0 },
	{ "wakeup-bytes", LIVE_WAKEUP, "BYTES", OPTION_HIDDEN,
	  "Wake the consumer at this ring fill; -1: every record (benchmarks)", 0 },
	{ "poll-ms", LIVE_POLL, "MS", OPTION_HIDDEN, "The consumer's timed poll (benchmarks)", 0 },
	{},
};

static error_t live_parse(int key, char *arg, struct argp_state *state)
{
	struct live_opts *o = state->input;
	unsigned long long v;
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = o;
		break;
	case 'd':
		o->duration = cli_seconds(state, "duration", arg);
		break;
	case LIVE_RINGBUF:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || v < 4096 || v > (1ULL << 30) || (v & (v - 1)))
			argp_error(state, "invalid --ringbuf-size '%s': want a power of 2 from 4096", arg);
		o->ringbuf_size = v;
		break;
	case LIVE_KEY:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || *arg == '-')
			argp_error(state, "invalid --domain-key '%s': want a 64-bit number", arg);
		o->cfg.domain_key = v;
		o->have_key = true;
		break;
	case LIVE_SYSFS:
		o->sysfs_root = arg;
		break;
	case LIVE_WAKEUP:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (!strcmp(arg, "-1"))
			o->wakeup_bytes = -1;
		else if (errno || end == arg || *end || *arg == '-' || v > (1ULL << 30))
			argp_error(state, "invalid --wakeup-bytes '%s': want bytes up to 1 GiB, or -1", arg);
		else
			o->wakeup_bytes = v;
		break;
	case LIVE_POLL:
		errno = 0;
		v = strtoull(arg, &end, 0);
		if (errno || end == arg || *end || *arg == '-' || !v || v > 10000)
			argp_error(state, "invalid --poll-ms '%s': want 1 to 10000", arg);
		o->poll_ms = v;
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp_child live_children[] = { { &kernel_argp, 0, NULL, 0 }, {} };
const struct argp live_argp = { live_options, live_parse, NULL, NULL, live_children, NULL, NULL };

static const struct argp_option json_options[] = {
	{ "json", 'j', NULL, 0, "Print JSON (its shape: see the description)", 0 },
	{},
};

static const struct argp_option output_options[] = {
	{ "json", 'j', NULL, 0, "Print JSON (its shape: see the description)", 0 },
	{ "output", 'o', "FILE", 0, "Write to FILE instead of stdout", 0 },
	{},
};

static error_t fmt_parse(int key, char *arg, struct argp_state *state)
{
	struct cli_fmt *f = state->input;

	switch (key) {
	case 'j':
		f->json = true;
		break;
	case 'o':
		f->output = cli_output(state, arg);
		break;
	case ARGP_KEY_ARG:	/* the command took none */
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp json_argp = { json_options, fmt_parse, NULL, NULL, NULL, NULL, NULL };
const struct argp output_argp = { output_options, fmt_parse, NULL, NULL, NULL, NULL, NULL };

static const struct argp_option filter_options[] = {
	{ "pid", FILTER_PID, "PID", 0, "Only events of process PID", 0 },
	{ "comm", FILTER_COMM, "NAME", 0, "Only events of tasks named NAME (at most 15 characters)", 0 },
	{ "cgroup", FILTER_CGROUP, "PATH", 0, "Only events of tasks in the cgroup v2 directory PATH", 0 },
	{ "dev", FILTER_DEV, "BDF", 0, "Only events of PCI device BDF (repeatable, up to 4)", 0 },
	{ "group", FILTER_GROUP, "N", 0, "Only events of IOMMU group N", 0 },
	{ "type", FILTER_TYPE, "TYPES", 0,
	  "Only events on domains of these types (comma-separated: DMA, DMA_FQ, UNMANAGED, IDENTITY, BLOCKED, SVA, NESTED, PLATFORM)", 0 },
	{ "kinds", FILTER_KINDS, "KINDS", 0,
	  "Only these event kinds (comma-separated: map, unmap, attach, ...)", 0 },
	{ "all-domains", FILTER_ALL_DOMAINS, NULL, 0,
	  "Also send map/unmap events of DMA-API (DMA, DMA_FQ) domains, otherwise only counted", 0 },
	{},
};

static error_t filter_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct itr_config *cfg = state->input;
	char why[256];

	if (key == ARGP_KEY_INIT) {
		if (cfg)
			filter_init(cfg);
		return 0;
	}
	if (!cli_option_name(filter_options, key))
		return ARGP_ERR_UNKNOWN;
	if (filter_parse(cfg, key, arg, why, sizeof(why))) {
		if (arg)
			argp_error(state, "invalid --%s '%s': %s", cli_option_name(filter_options, key), arg, why);
		else
			argp_error(state, "invalid --%s: %s", cli_option_name(filter_options, key), why);
		return EINVAL;
	}
	return 0;
}

const struct argp filter_argp = { filter_options, filter_parse_opt, NULL, NULL, NULL, NULL, NULL };
static const struct argp_option opfilter_options[] = {
	{ "fd", OPFILTER_FD, "N", 0,
	  "Only VFIO/iommufd ioctls on fd N and the events they caused (with --pid: fds are per process)", 0 },
	{ "ioas", OPFILTER_IOAS, "ID", 0,
	  "Only ioctls naming iommufd IOAS ID, its HWPTs' hwpt_domain records and their domains' events", 0 },
	{ "hwpt", OPFILTER_HWPT, "ID", 0,
	  "Only ioctls naming iommufd HWPT ID, its hwpt_domain record and its domain's events", 0 },
	{ "container", OPFILTER_CONTAINER, "FD", 0,
	  "Only events of the VFIO container opened as fd FD (its ioctls, what they caused, SET_CONTAINER to it)", 0 },
	{},
};

static error_t opfilter_parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opfilter *f = state->input;
	char why[128];

	if (key == ARGP_KEY_INIT) {
		if (f)
			opfilter_init(f);
		return 0;
	}
	if (!cli_option_name(opfilter_options, key))
		return ARGP_ERR_UNKNOWN;
	if (opfilter_parse(f, key, arg, why, sizeof(why))) {
		argp_error(state, "invalid --%s '%s': %s", cli_option_name(opfilter_options, key), arg, why);
		return EINVAL;
	}
	return 0;
}

const struct argp opfilter_argp = { opfilter_options, opfilter_parse_opt, NULL, NULL, NULL, NULL, NULL };
