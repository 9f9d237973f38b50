// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The enforcement's metrics (sink/metrics_enforce.h; docs/metrics.md). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include "iommutrace.h"
#include "lib/httpd.h"
#include "lib/util.h"
#include "policy/policy.h"
#include "sink/metrics_enforce.h"

/* Each rule's own counters: one family per field of struct itr_enf_counts. */
static const struct {
	const char *name, *help;
	size_t off;
} rule_counters[] = {
	{ "iommutrace_enforcement_audited_total", "Audit records written by the kernel, by rule",
	  offsetof(struct itr_enf_counts, audited) },
	{ "iommutrace_enforcement_denied_total", "Operations refused with EPERM, by rule",
	  offsetof(struct itr_enf_counts, denied) },
	{ "iommutrace_enforcement_killed_total", "Callers sent SIGKILL (gate kills and races), by rule",
	  offsetof(struct itr_enf_counts, killed) },
	{ "iommutrace_enforcement_missed_total",
	  "Audit records lost because the audit ring was full, by rule",
	  offsetof(struct itr_enf_counts, missed) },
	{ "iommutrace_enforcement_raced_total",
	  "Maps whose kernel copy broke the policy that user memory kept, by rule",
	  offsetof(struct itr_enf_counts, raced) },
};

static __u64 field(const struct itr_enf_counts *c, size_t off)
{
	return *(const __u64 *)((const char *)c + off);
}

/*
 * Decisions: an allow or audit rule allows (every tier, the kernel-copy
 * re-check of a map included: the counters do not tell the tiers apart);
 * a deny or kill rule refuses at a gate (open, receive, ioctl,
 * ioctl-compat) or catches a race at the kernel's copy.
 */
static void render_decisions(struct prom *p, const struct enf_pins *e)
{
	const char *name = "iommutrace_enforcement_decisions_total";
	struct prom_label l[3];
	__u32 i;

	prom_family(p, name, PROM_COUNTER,
		    "Enforcement decisions of the policy in force, by rule, its action and the tier");
	for (i = 0; i <= e->nrules; i++) {
		const struct enf_pins_rule *r = &e->rules[i];
		bool refuses = r->action == ITR_ENF_DENY || r->action == ITR_ENF_KILL;

		l[0] = (struct prom_label){ "rule", r->id };
		l[1] = (struct prom_label){ "action", policy_action_name(r->action) };
		l[2] = (struct prom_label){ "tier", refuses ? "gate" : "any" };
		prom_sample_u64(p, name, l, 3, refuses ? r->c.denied : r->c.allowed);
		if (refuses) {
			l[2] = (struct prom_label){ "tier", "kernel-copy" };
			prom_sample_u64(p, name, l, 3, r->c.raced);
		}
	}
}

void metrics_render_enforce(struct prom *p, const struct enf_pins *e)
{
	struct prom_label l;
	__u32 i;
	int k;

	prom_family(p, "iommutrace_enforcement_active", PROM_GAUGE,
		    "1 when an enforcement policy is pinned and in force, 0 when nothing is enforced");
	prom_sample_u64(p, "iommutrace_enforcement_active", NULL, 0, e != NULL);
	if (!e)
		return;
	prom_family(p, "iommutrace_enforcement_policy_generation", PROM_GAUGE,
		    "Generation of the policy in force (each load or reload increases it)");
	prom_sample_u64(p, "iommutrace_enforcement_policy_generation", NULL, 0, e->generation);
	prom_family(p, "iommutrace_enforcement_rules", PROM_GAUGE, "Rules of the policy in force");
	prom_sample_u64(p, "iommutrace_enforcement_rules", NULL, 0, e->nrules);
	prom_family(p, "iommutrace_enforcement_dry_run", PROM_GAUGE,
		    "1 when the policy in force only audits what it would deny");
	prom_sample_u64(p, "iommutrace_enforcement_dry_run", NULL, 0,
			!!(e->flags & ITR_ENF_F_DRY_RUN));
	render_decisions(p, e);
	for (k = 0; k < ARRAY_SIZE(rule_counters); k++) {
		prom_family(p, rule_counters[k].name, PROM_COUNTER, rule_counters[k].help);
		for (i = 0; i <= e->nrules; i++) {
			l = (struct prom_label){ "rule", e->rules[i].id };
			prom_sample_u64(p, rule_counters[k].name, &l, 1,
					field(&e->rules[i].c, rule_counters[k].off));
		}
	}
}

int metrics_enforce_pinned(struct prom *p)
{
	struct enf_pins *e = malloc(sizeof(*e));	/* ~3 KiB, on a server thread */

	if (!e)
		return -ENOMEM;
	/* not pinned, or unreadable: nothing is enforced that this process can see */
	metrics_render_enforce(p, enf_pins_read(ITR_ENF_PIN_DIR, e) ? NULL : e);
	free(e);
	return p->err;
}

static void render_daemon(struct prom *p, const struct enf_daemon_counts *d)
{
	prom_family(p, "iommutrace_enforcement_audit_records_total", PROM_COUNTER,
		    "Audit records the enforcement daemon wrote as JSON lines");
	prom_sample_u64(p, "iommutrace_enforcement_audit_records_total", NULL, 0,
			__atomic_load_n(&d->records, __ATOMIC_RELAXED));
	prom_family(p, "iommutrace_enforcement_audit_write_errors_total", PROM_COUNTER,
		    "Audit records the enforcement daemon failed to write");
	prom_sample_u64(p, "iommutrace_enforcement_audit_write_errors_total", NULL, 0,
			__atomic_load_n(&d->write_errors, __ATOMIC_RELAXED));
}

int metrics_enforce_http_render(void *arg, const char *accept, struct httpd_reply *out)
{
	const struct metrics_enforce *me = arg;
	struct prom_label l[3];
	char abi[16], enf_abi[16];
	struct prom p;

	prom_init(&p, prom_wants_openmetrics(accept));
	snprintf(abi, sizeof(abi), "%d", ITR_ABI_VERSION);
	snprintf(enf_abi, sizeof(enf_abi), "%d", ITR_ENF_ABI_VERSION);
	prom_family(&p, "iommutrace_build_info", PROM_GAUGE,
		    "iommutrace's version, event ABI and enforcement ABI");
	l[0] = (struct prom_label){ "version", me->version };
	l[1] = (struct prom_label){ "abi", abi };
	l[2] = (struct prom_label){ "enforce_abi", enf_abi };
	prom_sample_u64(&p, "iommutrace_build_info", l, 3, 1);
	if (me->daemon)
		render_daemon(&p, me->daemon);
	return prom_reply(&p, metrics_enforce_pinned(&p) ?: prom_end(&p), out);
}
