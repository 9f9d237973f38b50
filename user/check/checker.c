// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The checker (user/check/checker.h): changes -> rules -> findings. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check/checker.h"
#include "check/rules.h"

_Static_assert(R_NRULES <= 256, "rule indexes fit checker.watchers");

int checker_init(struct checker *c, finding_cb_t cb, void *arg)
{
	int k, r;

	memset(c, 0, sizeof(*c));
	c->cb = cb;
	c->cb_arg = arg;
	for (k = 0; k < MC_NKINDS; k++)
		for (r = 0; r < R_NRULES; r++)
			if (rule_table[r].watches & (1u << k))
				c->watchers[k][c->nwatchers[k]++] = r;
	return 0;
}

void checker_set_kview(struct checker *c, int (*kview)(void *arg, struct itr_kview *q), void *arg)
{
	c->kview_asked = true;
	c->kview = kview;
	c->kview_arg = arg;
}

void checker_fini(struct checker *c)
{
	size_t pos = 0;
	void *v;

	while ((v = htab_next(&c->pending, &pos, NULL)))
		free(v);
	htab_fini(&c->pending);
	htab_fini(&c->seen);
}

void checker_changed(void *arg, const struct model *m, const struct m_change *ch)
{
	struct checker *c = arg;
	int i, r;

	for (i = 0; i < c->nwatchers[ch->kind]; i++) {
		r = c->watchers[ch->kind][i];
		if (rule_suspended(m, rule_table[r].needs, ch)) {
			c->suspended[r]++;
			if (ch->kind == MC_OP_END)	/* nothing held for it can be judged */
				checker_pending_drop(c, ch->op_id);
			continue;
		}
		rule_table[r].judge(c, m, ch);
	}
}

void checker_report(struct checker *c, struct finding *f)
{
	__u64 key = finding_key(f), n;

	f->key = key;
	n = (__u64)(uintptr_t)htab_get(&c->seen, key);
	if (htab_put(&c->seen, key, (void *)(uintptr_t)(n + 1))) {
		c->dropped++;
		return;
	}
	if (n) {
		c->suppressed++;
		return;
	}
	c->nfindings[f->sev]++;
	if (c->kview_asked)
		checker_confirm(c, f);
	if (c->cb)
		c->cb(c->cb_arg, f);
}

int checker_worst(const struct checker *c)
{
	int s;

	for (s = FINDING_NSEV - 1; s >= 0; s--)
		if (c->nfindings[s])
			return s;
	return -1;
}

struct check_pending *checker_pending(struct checker *c, __u64 op_id, bool create)
{
	struct check_pending *p;
	bool created;

	if (!create)
		return htab_get(&c->pending, htab_key(op_id));
	p = htab_get_or_new(&c->pending, htab_key(op_id), sizeof(*p), &created);
	if (!p)
		c->dropped++;
	return p;
}

void checker_pending_drop(struct checker *c, __u64 op_id)
{
	free(htab_del(&c->pending, htab_key(op_id)));
}
