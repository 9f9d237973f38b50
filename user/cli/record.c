// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace record: the sysfs snapshot, then every live record, into a
 * recording file (docs/recording.md) that report and check read back.
 * Frames are written at least every 200 ms, so a recorder that is killed
 * loses at most that much: what came before stays readable.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "source/filter.h"
#include "source/live.h"
#include "model/model.h"
#include "rec/writer.h"

enum { OPT_SYSFS = 0x600 };

static struct {
	struct live_opts live;
	const char *output;
	const char *sysfs;
} env;

struct rec_ctx {
	struct rec_writer *w;
	__u64 records, bytes, lost;
	int err;
};

static const char doc[] =
	"Record IOMMU, VFIO and iommufd events, with the sysfs snapshot taken at\n"
	"start, to FILE (zlib-compressed, checksummed frames: docs/recording.md);\n"
	"read it back with 'iommutrace report FILE' or 'iommutrace check FILE'.\n"
	"Runs until Ctrl-C, SIGTERM or --duration.\n"
	"\n"
	"USAGE: iommutrace record -o FILE [-d SEC] [FILTERS]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace record -o vm.itr                # until Ctrl-C\n"
	"    iommutrace record -o vm.itr -d 60 --comm qemu-system-x86\n";

static const struct argp_option opts[] = {
	{ "output", 'o', "FILE", 0, "The recording to write (required)", 0 },
	{ "sysfs-root", OPT_SYSFS, "DIR", OPTION_HIDDEN, "Read the snapshot under DIR (tests)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.live.cfg;
		break;
	case 'o':
		env.output = cli_output(state, arg);
		break;
	case OPT_SYSFS:
		env.sysfs = arg;
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!env.output)
			argp_error(state, "no recording file: give -o FILE");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void on_started(void *arg)
{
	(void)arg;
	fprintf(stderr, "Recording IOMMU events to %s... Hit Ctrl-C to end.\n", env.output);
}

static int on_record(void *arg, const void *data, size_t size)
{
	struct rec_ctx *c = arg;
	int err = recw_event(c->w, data, size);

	if (err == -EINVAL)	/* not a record the reader would take: skip it */
		return 0;
	if (err) {
		c->err = err;
		return err;
	}
	c->records++;
	c->bytes += size;
	return 0;
}

static void on_lost(void *arg, __u64 n, __u64 now_ns)
{
	struct rec_ctx *c = arg;

	(void)now_ns;
	c->lost += n;
	fprintf(stderr, "lost %llu events (ring buffer full)\n", (unsigned long long)n);
}

static int on_tick(void *arg)
{
	struct rec_ctx *c = arg;
	int err = recw_flush(c->w);

	if (err && !c->err)
		c->err = err;
	return err;
}

/* The snapshot frame: what the model knows from sysfs, and the options. */
static int write_snapshot(struct rec_writer *w)
{
	struct model_opts mo = { .all_domains = env.live.cfg.all_domains };
	struct model m;
	json_object *j;
	const char *s;
	int err;

	model_init(&m, &mo, NULL, NULL);
	err = model_snapshot(&m, env.sysfs);
	if (err && err != -ENOENT)
		fprintf(stderr, "failed to read the sysfs snapshot: %s\n", strerror(-err));
	j = model_snapshot_json(&m);
	model_fini(&m);
	if (!j)
		return -ENOMEM;
	s = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN);
	err = recw_blob(w, REC_SNAPSHOT, s, strlen(s));
	json_object_put(j);
	return err;
}

int cmd_record(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Run:", 0 },
		{ &filter_argp, 0, "Filters:", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, NULL, doc, children, NULL, NULL };
	struct rec_ctx c = {};
	struct live_ops ops = { on_started, on_record, on_lost, on_tick, &c };
	struct itr_counters cnt;
	struct rec_meta meta;
	bool cnt_ok = false;
	int err, cerr;

	memset(&env, 0, sizeof(env));
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	env.live.tick_ms = 200;
	rec_meta_now(&meta);
	c.w = recw_open(env.output, &meta, &err);
	if (!c.w) {
		fprintf(stderr, "cannot create the recording '%s': %s\n", env.output, strerror(-err));
		return 1;
	}
	err = write_snapshot(c.w);
	if (err)
		fprintf(stderr, "failed to write the snapshot to %s: %s\n", env.output, strerror(-err));
	else
		err = live_run(&env.live, &ops, &cnt, &cnt_ok);
	if (c.err)
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(-c.err));
	cerr = recw_close(c.w, cnt_ok ? &cnt : NULL);
	if (cerr && !c.err)
		fprintf(stderr, "failed to write %s: %s\n", env.output, strerror(-cerr));
	fprintf(stderr, "recorded %llu events (%llu bytes before compression) to %s, %llu lost\n",
		(unsigned long long)c.records, (unsigned long long)c.bytes, env.output,
		(unsigned long long)c.lost);
	return err || cerr ? 1 : 0;
}
