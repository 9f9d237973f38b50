// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace check: the sysfs snapshot plus a live window, or a recording,
 * through the model and checker; findings, and an exit status for scripts:
 * 0 clean, 1 a finding at or above --fail-on, 2 the check itself failed
 * (bad options, no BPF, a damaged recording: its readable prefix is still
 * checked and reported).
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "source/live.h"
#include "pipeline.h"
#include "source/replay.h"

enum { OPT_FAIL_ON = 0x500, OPT_SYSFS, OPT_ALL_DOMAINS };

static struct {
	struct live_opts live;
	const char *file;
	const char *sysfs;
	bool json;
	enum finding_sev fail_on;
} env;

static const char doc[] =
	"Check the IOMMU state for inconsistencies (rules: docs/findings.md): the\n"
	"sysfs snapshot plus a live window of --duration seconds, or a recording\n"
	"made by 'iommutrace record'. Prints each finding, then a summary.\n"
	"Exit status: 0 clean, 1 a finding at or above --fail-on (default\n"
	"warning), 2 the check failed (a damaged recording's readable prefix is\n"
	"still checked).\n"
	"\n"
	"USAGE: iommutrace check [--json] [--fail-on SEV] [--duration SEC | FILE]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace check -d 30              # watch for 30 s, then judge\n"
	"    iommutrace check rec.itr            # check a recording\n"
	"    iommutrace check --fail-on error --json rec.itr\n";

static const struct argp_option opts[] = {
	{ "json", 'j', NULL, 0, "One JSON document: findings and summary", 0 },
	{ "fail-on", OPT_FAIL_ON, "SEV", 0, "Exit 1 on findings of SEV or worse: info, warning (default), error", 0 },
	{ "all-domains", OPT_ALL_DOMAINS, NULL, 0, "Also check the DMA API's own domains' mappings (live)", 0 },
	{ "sysfs-root", OPT_SYSFS, "DIR", OPTION_HIDDEN, "Read the snapshot under DIR (tests)", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		break;
	case 'j':
		env.json = true;
		break;
	case OPT_FAIL_ON:
		if (sev_parse(arg, &env.fail_on))
			argp_error(state, "invalid --fail-on '%s': want info, warning or error", arg);
		break;
	case OPT_ALL_DOMAINS:
		env.live.cfg.all_domains = 1;
		break;
	case OPT_SYSFS:
		env.sysfs = arg;
		break;
	case ARGP_KEY_ARG:
		if (env.file)
			argp_error(state, "unexpected argument '%s': one recording at a time", arg);
		env.file = arg;
		break;
	case ARGP_KEY_END:
		if (env.file && env.live.duration)
			argp_error(state, "--duration and a recording FILE exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static void print_json(const struct pipeline *p, const char *source, const char *error)
{
	json_object *j = json_object_new_object(), *arr = json_object_new_array(), *s;
	static const char *const keys[FINDING_NSEV] = { "info", "warning", "error" };
	size_t i;
	int k;

	if (!j || !arr) {
		json_object_put(j);
		json_object_put(arr);
		fprintf(stderr, "out of memory\n");
		return;
	}
	json_object_object_add(j, "source", json_object_new_string(source));
	json_object_object_add(j, "findings", arr);
	for (i = 0; i < p->nall; i++)
		json_object_array_add(arr, finding_json(&p->all[i]));
	s = json_object_new_object();
	for (k = 0; s && k < FINDING_NSEV; k++)
		json_object_object_add(s, keys[k], json_object_new_uint64(p->model.nfindings[k]));
	if (s) {
		json_object_object_add(s, "repeats", json_object_new_uint64(p->model.suppressed));
		json_object_object_add(s, "events", json_object_new_uint64(p->model.nevents));
		json_object_object_add(s, "lost", json_object_new_uint64(p->model.lost));
		json_object_object_add(j, "summary", s);
	}
	json_object_object_add(j, "error", error ? json_object_new_string(error) : NULL);
	printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
	json_object_put(j);
}

static int check_file(struct pipeline *p, char *why, size_t len)
{
	struct replay_ops ops = { pipeline_snapshot, pipeline_record, p };
	struct replay_result res;
	int err = replay_run(env.file, &ops, &res);

	if (res.counters_ok)
		model_lost(&p->model, res.counters.v[ITR_CNT_LOST], 0);
	snprintf(why, len, "%s", res.why);
	if (!err && res.why[0])	/* a warning: the recorder was killed */
		fprintf(stderr, "%s\n", res.why);
	return err;
}

int cmd_check(int argc, char **argv)
{
	static const struct argp_child children[] = { { &live_argp, 0, "Live window:", 0 }, {} };
	static const struct argp argp = { opts, parse_arg, "[FILE]", doc, children, NULL, NULL };
	struct live_ops ops = { NULL, pipeline_record, pipeline_lost, pipeline_tick, NULL };
	struct model_opts mo = {};
	struct pipeline p;
	char why[256] = "", source[300];
	int err = 0, worst;

	memset(&env, 0, sizeof(env));
	env.fail_on = SEV_WARNING;
	if (argp_parse(&argp, argc, argv, 0, NULL, NULL))
		return 2;
	env.live.cfg.group_id = -1;
	mo.all_domains = env.live.cfg.all_domains;
	pipeline_init(&p, &mo);
	p.out = stdout;
	p.findings = !env.json;
	p.verbose = env.live.verbose;
	ops.arg = &p;
	if (env.file) {
		snprintf(source, sizeof(source), "recording %s", env.file);
		err = check_file(&p, why, sizeof(why));
		if (err)
			fprintf(stderr, "%s\n", why);
	} else {
		snprintf(source, sizeof(source), "snapshot + %.1f s live", env.live.duration);
		err = model_snapshot(&p.model, env.sysfs);
		if (err && err != -ENOENT)
			fprintf(stderr, "failed to read the sysfs snapshot: %s\n", strerror(-err));
		if (!env.json)
			pipeline_snapshot_note(&p, stderr);
		err = env.live.duration ? live_run(&env.live, &ops, NULL, NULL) : 0;
	}
	if (env.json)
		print_json(&p, source, err ? why : NULL);
	else
		pipeline_summary(&p, stderr);
	worst = pipeline_worst(&p);
	pipeline_fini(&p);
	if (err)
		return 2;
	return worst >= (int)env.fail_on ? 1 : 0;
}
