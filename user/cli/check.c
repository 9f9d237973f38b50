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
#include "check/rules.h"
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/run.h"
#include "lib/jsonw.h"
#include "lib/log.h"
#include "pipeline.h"
#include "source/replay.h"

enum { OPT_FAIL_ON = 0x500, OPT_ALL_DOMAINS, OPT_LIST_RULES };

static struct {
	struct live_opts live;
	const char *file;
	struct cli_fmt fmt;	/* --json */
	bool list_rules;
	enum finding_sev fail_on;
} env;

static const char doc[] =
	"Check the IOMMU state for inconsistencies (rules: docs/findings.md): the\n"
	"sysfs snapshot plus a live window of --duration seconds, or a recording\n"
	"made by 'iommutrace record'. Prints each finding, then a summary. With\n"
	"neither --duration nor FILE, only the sysfs snapshot is judged.\n"
	"Exit status: 0 clean, 1 a finding at or above --fail-on (default\n"
	"warning), 2 the check failed (a damaged recording's readable prefix is\n"
	"still checked).\n"
	"\n"
	"USAGE: iommutrace check [--json] [--fail-on SEV] [--duration SEC | FILE]\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace check                    # the sysfs snapshot alone\n"
	"    iommutrace check -d 30              # watch for 30 s, then judge\n"
	"    iommutrace check rec.itr            # check a recording\n"
	"    iommutrace check --fail-on error --json rec.itr\n"
	"    iommutrace check --list-rules       # the rules: id, severity, what each watches\n";

static const struct argp_option opts[] = {
	{ "fail-on", OPT_FAIL_ON, "SEV", 0, "Exit 1 on findings of SEV or worse: info, warning (default), error", 0 },
	{ "all-domains", OPT_ALL_DOMAINS, NULL, 0, "Also check the DMA API's own domains' mappings (live)", 0 },
	{ "list-rules", OPT_LIST_RULES, NULL, 0, "Print the rule table (with --json: as JSON) and exit", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &env.live;
		state->child_inputs[1] = &env.fmt;
		break;
	case OPT_FAIL_ON:
		if (sev_parse(arg, &env.fail_on))
			argp_error(state, "invalid --fail-on '%s': want info, warning or error", arg);
		break;
	case OPT_ALL_DOMAINS:
		env.live.cfg.all_domains = 1;
		break;
	case OPT_LIST_RULES:
		env.list_rules = true;
		break;
	case ARGP_KEY_ARG:
		if (env.file)
			argp_error(state, "unexpected argument '%s': one recording at a time", arg);
		env.file = arg;
		break;
	case ARGP_KEY_END:
		if (env.list_rules && (env.file || env.live.duration))
			argp_error(state, "--list-rules takes no FILE and no --duration");
		if (env.file && env.live.duration)
			argp_error(state, "--duration and a recording FILE exclude each other");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* The rule table: one line (or one JSON object) per rule. */
static int list_rules(void)
{
	json_object *a = env.fmt.json ? json_object_new_array() : NULL;
	struct output out;
	char w[160];
	int r, err = 0;

	for (r = 0; r < R_NRULES; r++) {
		const struct rule *ru = &rule_table[r];
		json_object *o;

		rule_watches_str(ru, w, sizeof(w));
		if (!env.fmt.json) {
			printf("%-28s %-8s %s\n%-28s %-8s watches: %s\n", ru->id, sev_str(ru->sev),
			       ru->summary, "", "", w);
			continue;
		}
		if (!a || !(o = json_object_new_object()))
			break;
		jw_str(o, "id", ru->id);
		jw_str(o, "severity", sev_str(ru->sev));
		jw_str(o, "summary", ru->summary);
		jw_str(o, "watches", w);
		json_object_array_add(a, o);
	}
	output_open(&out, NULL);
	if (env.fmt.json)
		err = jw_line(out.f, a);
	return cli_output_close(&out, err) ? 2 : 0;
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
		log_err("out of memory");
		return;
	}
	jw_str(j, "source", source);
	jw_obj(j, "findings", arr);
	for (i = 0; i < p->nall; i++)
		json_object_array_add(arr, finding_json(&p->all[i]));
	s = json_object_new_object();
	for (k = 0; s && k < FINDING_NSEV; k++)
		jw_u64(s, keys[k], p->checker.nfindings[k]);
	if (s) {
		jw_u64(s, "repeats", p->checker.suppressed);
		jw_u64(s, "events", p->model.nevents);
		jw_u64(s, "lost", p->model.lost);
		jw_obj(j, "summary", s);
	}
	jw_obj(j, "error", error ? json_object_new_string(error) : NULL);
	printf("%s\n", json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
	json_object_put(j);
}

static int check_file(struct pipeline *p, char *why, size_t len)
{
	struct replay_ops ops = { pipeline_snapshot, NULL, p, pipeline_event };
	struct replay_result res;
	int err = replay_run(env.file, &ops, &res);

	if (res.counters_ok)	/* what no loss record in it reported */
		pipeline_lost(p, res.counters.v[ITR_CNT_LOST], 0);
	snprintf(why, len, "%s", res.why);
	if (!err && res.why[0])	/* a warning: the recorder was killed */
		log_warn("%s", res.why);
	return err;
}

int cmd_check(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &live_argp, 0, "Live window:", 0 },
		{ &json_argp, 0, "Output (one JSON document, findings and summary, with --json):", 0 },
		{},
	};
	static const struct argp argp = { opts, parse_arg, "[FILE]", doc, children, NULL, NULL };
	struct pipeline_opts po = { .model = true };
	struct stream_sink ss;
	struct output out;
	struct pipeline p;
	char why[256] = "", source[300];
	int err = 0, worst;

	memset(&env, 0, sizeof(env));
	env.fail_on = SEV_WARNING;
	if (cli_parse(&argp, argc, argv))
		return 2;
	if (env.list_rules)
		return list_rules();
	env.live.cfg.group_id = -1;
	po.mo.all_domains = env.live.cfg.all_domains;
	po.verbose = env.live.verbose;
	output_open(&out, NULL);
	if (pipeline_init(&p, &po)) {
		log_err("out of memory");
		return 2;
	}
	if (!env.fmt.json)	/* findings as they come; --json prints one document at the end */
		pipeline_add_sink(&p, stream_sink_init(&ss, &out, STREAM_TEXT, 0, false, true));
	if (env.file) {
		snprintf(source, sizeof(source), "recording %s", env.file);
		err = check_file(&p, why, sizeof(why));
		if (err)
			log_err("%s", why);
	} else {
		snprintf(source, sizeof(source), "snapshot + %.1f s live", env.live.duration);
		cli_snapshot(&p, env.live.sysfs_root);
		if (!env.fmt.json)
			pipeline_snapshot_note(&p, stderr);
		err = env.live.duration ? cli_run_live(&env.live, &p, NULL, NULL, NULL) : 0;
	}
	err = pipeline_close(&p) ?: err;
	if (env.fmt.json)
		print_json(&p, source, err ? why : NULL);
	else
		pipeline_summary(&p, stderr);
	err = cli_output_close(&out, err);
	worst = pipeline_worst(&p);
	pipeline_fini(&p);
	if (err)
		return 2;
	return worst >= (int)env.fail_on ? 1 : 0;
}
