/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The checker: hears what the model announces (struct m_change), runs the
 * rules that watch that kind of change (the rule table, check/rules.c),
 * deduplicates their findings and hands each new one to a callback. Rules
 * read the model through const pointers and never change it; what a rule
 * must remember across changes (an operation's pending cut) the checker
 * keeps, not the model.
 */
#ifndef ITR_CHECKER_H
#define ITR_CHECKER_H

#include <stdbool.h>
#include "check/finding.h"
#include "lib/htab.h"
#include "lib/ivset.h"
#include "model/model.h"

/* A finding a rule holds back until its operation ends. */
struct check_pending {
	struct finding f;
	__u64 domain;
	struct iv iv;
};

struct checker {
	struct htab seen;	/* finding keys already reported -> count */
	struct htab pending;	/* operation id -> struct check_pending */
	__u64 nfindings[FINDING_NSEV];
	__u64 suppressed;	/* repeats of a finding already reported */
	__u64 dropped;		/* findings lost for want of memory */
	__u64 suspended[R_NRULES];	/* judgments not made: the state was not trusted after a gap */
	/* by change kind, the rules that watch it, in rule order (from the rule table) */
	unsigned char watchers[MC_NKINDS][R_NRULES];
	unsigned char nwatchers[MC_NKINDS];
	finding_cb_t cb;
	void *cb_arg;
	/* the kernel's own view (check/confirm.c); see checker_set_kview */
	bool kview_asked;
	int (*kview)(void *arg, struct itr_kview *q);
	void *kview_arg;
};

int checker_init(struct checker *c, finding_cb_t cb, void *arg);
void checker_fini(struct checker *c);
/* The model's change callback (model_change_fn; arg: the checker). */
void checker_changed(void *arg, const struct model *m, const struct m_change *ch);
/* The most severe finding so far; -1: none. */
int checker_worst(const struct checker *c);

/*
 * A live run: confirm or refute each new finding of a rule that has a
 * kernel check against the kernel's own state (kview: the shim's kfuncs,
 * source/kview.h), or mark it unavailable when kview is NULL (no shim).
 * Without this call (a recording, tests) findings say nothing about it.
 */
void checker_set_kview(struct checker *c, int (*kview)(void *arg, struct itr_kview *q), void *arg);
/* check/confirm.c: set f->kernel by asking c's kview, when f's rule has a check. */
void checker_confirm(struct checker *c, struct finding *f);

/* For rules: report f (deduplicated by its key). */
void checker_report(struct checker *c, struct finding *f);
/* For rules: the finding pending for operation op_id; NULL none (create: a new one, NULL when out of memory). */
struct check_pending *checker_pending(struct checker *c, __u64 op_id, bool create);
/* ... and its release once judged. */
void checker_pending_drop(struct checker *c, __u64 op_id);

#endif
