// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The enforcement's metrics (user/sink/metrics_enforce.h) rendered from a
 * read of the pins: decisions by rule, action and tier (a refusing rule at
 * the gate and at the kernel's copy, an allowing one at any tier), each
 * rule's counters, the policy gauges; and "nothing enforced" as a gauge.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "iommutrace.h"
#include "lib/httpd.h"
#include "sink/metrics_enforce.h"
#include "prom_fixture.h"

static char *render(const struct enf_pins *e, bool om)
{
	struct prom p;

	prom_init(&p, om);
	metrics_render_enforce(&p, e);
	cr_assert_eq(prom_end(&p), 0);
	return p.buf;	/* the caller frees it */
}

static void pins(struct enf_pins *e)
{
	memset(e, 0, sizeof(*e));
	e->generation = 3;
	e->slot = 1;
	e->nrules = 2;
	e->default_action = ITR_ENF_ALLOW;
	strcpy(e->rules[0].id, "(default)");
	e->rules[0].action = ITR_ENF_ALLOW;
	e->rules[0].c.allowed = 40;
	strcpy(e->rules[1].id, "no-pair-group");
	e->rules[1].action = ITR_ENF_DENY;
	e->rules[1].c = (struct itr_enf_counts){ .denied = 7, .audited = 6, .missed = 1 };
	strcpy(e->rules[2].id, "low-iova");
	e->rules[2].action = ITR_ENF_KILL;
	e->rules[2].c = (struct itr_enf_counts){ .denied = 2, .killed = 5, .raced = 3, .audited = 5 };
}

Test(prom_enforce, decisions_by_rule_action_and_tier)
{
	struct enf_pins e;
	char *doc;

	pins(&e);
	doc = render(&e, false);
	assert_line(doc, "iommutrace_enforcement_active 1");
	assert_line(doc, "iommutrace_enforcement_policy_generation 3");
	assert_line(doc, "iommutrace_enforcement_rules 2");
	assert_line(doc, "iommutrace_enforcement_dry_run 0");
	assert_line(doc, "# TYPE iommutrace_enforcement_decisions_total counter");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"(default)\",action=\"allow\",tier=\"any\"} 40");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"no-pair-group\",action=\"deny\",tier=\"gate\"} 7");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"no-pair-group\",action=\"deny\",tier=\"kernel-copy\"} 0");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"low-iova\",action=\"kill\",tier=\"gate\"} 2");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"low-iova\",action=\"kill\",tier=\"kernel-copy\"} 3");
	/* an allowing rule has no gate/kernel-copy split: the counters do not have one */
	cr_assert_null(strstr(doc, "rule=\"(default)\",action=\"allow\",tier=\"gate\""));
	assert_line(doc, "iommutrace_enforcement_denied_total{rule=\"no-pair-group\"} 7");
	assert_line(doc, "iommutrace_enforcement_audited_total{rule=\"no-pair-group\"} 6");
	assert_line(doc, "iommutrace_enforcement_missed_total{rule=\"no-pair-group\"} 1");
	assert_line(doc, "iommutrace_enforcement_killed_total{rule=\"low-iova\"} 5");
	assert_line(doc, "iommutrace_enforcement_raced_total{rule=\"low-iova\"} 3");
	assert_line(doc, "iommutrace_enforcement_raced_total{rule=\"(default)\"} 0");
	free(doc);
}

Test(prom_enforce, dry_run_and_openmetrics)
{
	struct enf_pins e;
	char *doc;

	pins(&e);
	e.flags = ITR_ENF_F_DRY_RUN;
	doc = render(&e, true);
	assert_line(doc, "iommutrace_enforcement_dry_run 1");
	assert_line(doc, "# TYPE iommutrace_enforcement_decisions counter");
	assert_line(doc, "iommutrace_enforcement_decisions_total{rule=\"low-iova\",action=\"kill\",tier=\"gate\"} 2");
	assert_line(doc, "# EOF");
	free(doc);
}

Test(prom_enforce, nothing_enforced_is_a_gauge)
{
	char *doc = render(NULL, false);

	assert_line(doc, "# TYPE iommutrace_enforcement_active gauge");
	assert_line(doc, "iommutrace_enforcement_active 0");
	cr_assert_null(strstr(doc, "iommutrace_enforcement_decisions"), "%s", doc);
	free(doc);
}

/* Bounded: a full policy gives 33 rules, 2 decision series each at most. */
Test(prom_enforce, cardinality_is_bounded)
{
	struct enf_pins e;
	char *doc, *s;
	int i, n = 0;

	memset(&e, 0, sizeof(e));
	e.nrules = ITR_ENF_MAX_RULES;
	for (i = 0; i <= ITR_ENF_MAX_RULES; i++) {
		snprintf(e.rules[i].id, sizeof(e.rules[i].id), "r%d", i);
		e.rules[i].action = ITR_ENF_KILL;
	}
	doc = render(&e, false);
	for (s = doc; (s = strstr(s, "\niommutrace_enforcement_decisions_total{")); s++)
		n++;
	cr_assert_eq(n, 2 * (ITR_ENF_MAX_RULES + 1));
	free(doc);
}

/* enforce --metrics: build info with both ABIs, the daemon's own counters, a whole document. */
Test(prom_enforce, daemon_document)
{
	struct enf_daemon_counts d = { .records = 7, .write_errors = 1 };
	struct metrics_enforce me = { .version = "9.9", .daemon = &d };
	struct httpd_reply r = {};
	char line[128];

	cr_assert_eq(metrics_enforce_http_render(&me, NULL, &r), 0);
	cr_assert_not_null(r.body);
	cr_assert_str_eq(r.ctype, PROM_TEXT_CTYPE);
	snprintf(line, sizeof(line), "iommutrace_build_info{version=\"9.9\",abi=\"%d\",enforce_abi=\"%d\"} 1",
		 ITR_ABI_VERSION, ITR_ENF_ABI_VERSION);
	assert_line(r.body, line);
	assert_line(r.body, "iommutrace_enforcement_audit_records_total 7");
	assert_line(r.body, "iommutrace_enforcement_audit_write_errors_total 1");
	assert_line(r.body, "# TYPE iommutrace_enforcement_active gauge");
	free(r.body);
}
