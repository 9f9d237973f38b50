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
#include "cli/run.h"
#include "lib/log.h"
#include "pipeline.h"
#include "sink/record.h"

static struct {
	struct live_opts live;
	const char *output;
} env;

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

/* The snapshot frame: what the model knows from sysfs. */
static int write_snapshot(struct pipeline *p, struct rec_writer *w)
{
	json_object *j;
	const char *s;
	int err;

	cli_snapshot(p, env.live.sysfs_root);
	j = model_snapshot_json(&p->model);
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
	struct pipeline_opts po = {};
	struct itr_counters cnt;
	struct record_sink rs = {};
	struct rec_writer *w;
	struct rec_meta meta;
	struct pipeline p;
	bool cnt_ok = false;
	char started[300];
	int err, cerr;

	memset(&env, 0, sizeof(env));
	if (cli_parse(&argp, argc, argv))
		return 2;
	env.live.tick_ms = 200;
	po.mo.all_domains = env.live.cfg.all_domains;
	po.verbose = env.live.verbose;
	if (cli_output_clash(env.output, (const char *const[]){ env.live.btf, NULL }))
		return 1;
	rec_meta_now(&meta);
	w = recw_open(env.output, &meta, &err);
	if (!w) {
		log_err("cannot create the recording '%s': %s", env.output, strerror(-err));
		return 1;
	}
	err = pipeline_init(&p, &po);
	if (!err && (err = write_snapshot(&p, w)))
		log_err("failed to write the snapshot to %s: %s", env.output, strerror(-err));
	if (!err) {
		pipeline_add_sink(&p, record_sink_init(&rs, w));
		snprintf(started, sizeof(started), "Recording IOMMU events to %s... Hit Ctrl-C to end.",
			 env.output);
		err = cli_run_live(&env.live, &p, started, &cnt, &cnt_ok);
		err = pipeline_close(&p) ?: err;
		if (p.err)
			log_err("failed to write %s: %s", env.output, strerror(-p.err));
	}
	cerr = recw_close(w, cnt_ok ? &cnt : NULL);
	if (cerr && !p.err)
		log_err("failed to write %s: %s", env.output, strerror(-cerr));
	fprintf(stderr, "recorded %llu events (%llu bytes before compression) to %s, %llu lost\n",
		(unsigned long long)rs.records, (unsigned long long)rs.bytes, env.output,
		(unsigned long long)p.lost);
	pipeline_fini(&p);
	return err || cerr ? 1 : 0;
}
