// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iommutrace enforce: the enforcement daemon and its controls (--check,
 * --reload, --stop, --status). The policy is user/policy's; loading,
 * pinning, the audit and the status are user/enforce's.
 */
#include <argp.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"
#include "cli/enforce_metrics.h"
#include "cli/run.h"
#include "enforce/enforce.h"
#include "lib/httpd.h"
#include "lib/log.h"
#include "policy/policy.h"

enum { OPT_CHECK = 0x100, OPT_RELOAD, OPT_STOP, OPT_STATUS, OPT_DRY_RUN, OPT_AUDIT, OPT_AUDIT_ALL,
       OPT_METRICS, OPT_STRICT };

static struct {
	const char *policy;
	const char *check;
	const char *audit;
	const char *metrics;	/* serve metrics on this address; NULL: no */
	bool reload, stop, status, dry_run, audit_all, json, verbose, strict;
} env;

static const char doc[] =
	"Deny, in the kernel, the VFIO and iommufd operations a policy forbids\n"
	"(BPF LSM), and audit every decision as JSON lines. Programs, links, the\n"
	"policy and the audit ring stay pinned under " ITR_ENF_PIN_DIR ": they\n"
	"outlive the daemon until --stop. See docs/enforce.md for the policy file.\n"
	"\n"
	"USAGE: iommutrace enforce --policy FILE [--strict] [--dry-run] [--audit FILE] [--audit-all]\n"
	"       iommutrace enforce --check FILE [--strict]\n"
	"       iommutrace enforce --reload --policy FILE [--strict]\n"
	"       iommutrace enforce --status [--json] | --stop\n"
	"\n"
	"EXAMPLES:\n"
	"    iommutrace enforce --check tenant.yaml          # validate, load nothing\n"
	"    iommutrace enforce --policy tenant.yaml --audit /var/log/iommutrace.audit\n"
	"    iommutrace enforce --reload --policy tenant.yaml  # make-before-break\n"
	"    iommutrace enforce --status\n"
	"    iommutrace enforce --policy tenant.yaml --metrics 8739\n"
	"    iommutrace enforce --policy tenant.yaml --strict  # maps: the shim's strict tier\n"
	"\n"
	"Exit status: 0 ok, 1 failure, 2 bad usage or a bad policy.\n";

static const struct argp_option options[] = {
	{ "policy", 'p', "FILE", 0, "Enforce (or with --reload, switch to) the policy in FILE", 0 },
	{ "check", OPT_CHECK, "FILE", 0, "Validate the policy in FILE; load nothing", 0 },
	{ "dry-run", OPT_DRY_RUN, NULL, 0, "Audit what would be denied; deny nothing", 0 },
	{ "audit", OPT_AUDIT, "FILE", 0, "Append audit JSON lines to FILE (default: stdout)", 0 },
	{ "audit-all", OPT_AUDIT_ALL, NULL, 0, "Audit allowed decisions too", 0 },
	{ "strict", OPT_STRICT, NULL, 0,
	  "Decide maps on the kernel's own copy through the shim's strict tier (docs/strict.md)", 0 },
	{ "reload", OPT_RELOAD, NULL, 0, "Replace the policy in force with --policy FILE", 0 },
	{ "stop", OPT_STOP, NULL, 0, "Remove every program, link and map of enforcement", 0 },
	{ "status", OPT_STATUS, NULL, 0, "Show the policy in force, each rule's tier and counters", 0 },
	{ "metrics", OPT_METRICS, "ADDR", 0,
	  "Also serve Prometheus metrics (decisions, audit) on [HOST:]PORT (docs/metrics.md)", 0 },
	{ "json", 'j', NULL, 0, "--status as one JSON object", 0 },
	{ "verbose", 'v', NULL, 0, "Show libbpf's messages", 0 },
	{},
};

static error_t parse_arg(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'p': env.policy = cli_readable(state, "--policy", arg); break;
	case OPT_CHECK: env.check = arg; break;
	case OPT_DRY_RUN: env.dry_run = true; break;
	case OPT_AUDIT: env.audit = cli_output(state, arg); break;
	case OPT_AUDIT_ALL: env.audit_all = true; break;
	case OPT_STRICT: env.strict = true; break;
	case OPT_RELOAD: env.reload = true; break;
	case OPT_STOP: env.stop = true; break;
	case OPT_STATUS: env.status = true; break;
	case 'j': env.json = true; break;
	case OPT_METRICS:
		if (cli_metrics_addr_check(arg, state))
			return EINVAL;
		env.metrics = arg;
		break;
	case 'v': env.verbose = true; break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	case ARGP_KEY_END:
		if (!!env.check + env.reload + env.stop + env.status > 1)
			argp_error(state, "--check, --reload, --stop and --status exclude each other");
		if (!env.check && !env.stop && !env.status && !env.policy)
			argp_error(state, "--policy FILE is required");
		if ((env.check || env.stop || env.status) && env.policy)
			argp_error(state, "--policy goes with the daemon or --reload only");
		if (env.metrics && (env.check || env.reload || env.stop || env.status))
			argp_error(state, "--metrics goes with the daemon only");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* Parse and compile FILE into OUT; prints the one-line error. 0 or 2. */
static int compile_file(const char *file, __u32 flags, struct policy *p, struct itr_enf_policy *out)
{
	struct policy_err err;

	if (policy_parse(file, NULL, p, &err) || policy_compile(p, NULL, flags, out, &err)) {
		log_err("%s", err.msg);
		return 2;
	}
	return 0;
}

int cmd_enforce(int argc, char **argv)
{
	static const struct argp argp = { options, parse_arg, NULL, doc, NULL, NULL, NULL };
	static struct itr_enf_policy kp;
	static struct policy p;
	struct enforce_opts eo = {};
	struct httpd *h = NULL;
	__u32 flags;
	int err;

	memset(&env, 0, sizeof(env));
	err = argp_parse(&argp, argc, argv, 0, NULL, NULL);
	if (err)
		return 2;
	if (env.stop)
		return enforce_stop() ? 1 : 0;
	if (env.status)
		return enforce_status(stdout, env.json) ? 1 : 0;
	flags = (env.dry_run ? ITR_ENF_F_DRY_RUN : 0) | (env.audit_all ? ITR_ENF_F_AUDIT_ALL : 0) |
		(env.strict ? ITR_ENF_F_STRICT : 0);
	if (compile_file(env.check ? env.check : env.policy, flags, &p, &kp) ||
	    enforce_strict_check(&p, &kp))
		return 2;
	if (env.check) {
		printf("%s: %u rules, default %s: ok\n", env.check, p.nrules,
		       policy_action_name(p.default_action));
		return 0;
	}
	eo.audit = env.audit;
	eo.verbose = env.verbose;
	if (env.reload)
		return enforce_reload(&p, &kp) ? 1 : 0;
	if (env.metrics && !(h = cli_enforce_metrics_start(env.metrics, &eo)))
		return 1;
	err = enforce_run(&p, &kp, &eo);
	httpd_stop(h);
	return err ? 1 : 0;
}
