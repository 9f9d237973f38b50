// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Choosing a method for each probe-table row (see select.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "source/select.h"

static const char *fentry_reason(int err)
{
	switch (err) {
	case -ENOENT:
		return "not in BTF";
	case -ESRCH:
		return "no ftrace site (inlined or notrace)";
	case -EPERM:
		return "refused by the kernel";
	default:
		return strerror(-err);
	}
}

static void select_func(const struct row_facts *f, const struct select_opts *o,
			struct target_state *s)
{
	char fwhy[64];
	const char *kwhy;

	if (o->no_fentry)
		snprintf(fwhy, sizeof(fwhy), "disabled (--no-fentry)");
	else if (!f->fentry_progs)
		snprintf(fwhy, sizeof(fwhy), "no fentry program");
	else if (f->fentry_err)
		snprintf(fwhy, sizeof(fwhy), "%s", fentry_reason(f->fentry_err));
	else {
		s->method = METHOD_FENTRY;
		snprintf(s->why, sizeof(s->why), "in BTF and traceable%s", s->t->module ? " (module or built in)" : "");
		return;
	}
	kwhy = !f->kprobes ? "no kprobe support" : !f->kprobe_progs ? "no kprobe program" :
	       !f->sym_found ? (s->t->module ? "not in kallsyms (module not loaded?)" : "not in kallsyms") :
	       NULL;
	if (!kwhy) {
		s->method = METHOD_KPROBE;
		snprintf(s->why, sizeof(s->why), "fentry: %s", fwhy);
		return;
	}
	s->method = METHOD_NONE;
	snprintf(s->why, sizeof(s->why), "fentry: %s; kprobe: %s", fwhy, kwhy);
}

/* An earlier row of the same alternative group that is usable, or -1. */
static int winner_before(const struct target *rows, const struct target_state *states, int i)
{
	int j;

	for (j = 0; rows[i].alt && j < i; j++)
		if (rows[j].alt && !strcmp(rows[j].alt, rows[i].alt) &&
		    (states[j].method == METHOD_FENTRY || states[j].method == METHOD_KPROBE ||
		     states[j].method == METHOD_TP))
			return j;
	return -1;
}

void select_methods(const struct target *rows, int n, const struct row_facts *facts,
		    const struct select_opts *o, struct target_state *states)
{
	int i, w;

	for (i = 0; i < n; i++) {
		struct target_state *s = &states[i];
		const struct row_facts *f = &facts[i];

		if ((w = winner_before(rows, states, i)) >= 0) {
			s->method = METHOD_SUPERSEDED;
			snprintf(s->why, sizeof(s->why), "%s is used instead", rows[w].name);
		} else if (o->tp_only && rows[i].kind != TGT_TP) {
			s->method = METHOD_OFF;
			snprintf(s->why, sizeof(s->why), "not needed");
		} else if (rows[i].kind == TGT_TP) {
			s->method = f->tp_exists && f->tp_prog ? METHOD_TP : METHOD_NONE;
			snprintf(s->why, sizeof(s->why), "%s", !f->tp_exists ?
				 "no such tracepoint in this kernel's BTF" :
				 f->tp_prog ? "tracepoint in BTF" : "no tp_btf program");
		} else {
			select_func(f, o, s);
		}
	}
}
