// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * tpcheck locked WORKLOAD.jsonl EVENTS.jsonl: for every type1
 * MAP_DMA/UNMAP_DMA the workload logged with its VmLck before and after (on
 * a vfio-container ioctl record), the pinned-page accounting of that
 * ioctl sums to the VmLck change in pages, and the last locked_vm is VmLck
 * after, in pages. The accounting is the ioctl record's own
 * locked_pages/locked_vm (ABI 7 folds it there) plus any `locked` records
 * carrying its op_id (ABI 6, or what BPF did not fold). The ops are paired with their
 * records by ioctls.c.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "tpcheck.h"

/*
 * type1 pinned-page accounting of one logged MAP_DMA/UNMAP_DMA (c: its
 * ioctl record): the `locked` records of its op sum to the logged VmLck
 * change, and the last one leaves locked_vm at VmLck after. Counted in T
 * when it applies.
 */
void locked_check(json_object *logged, const struct ioc *c, const struct jsonl *ev, struct ioc_tally *t)
{
	int64_t before = jint(logged, "vmlck_kb_before", -1), after = jint(logged, "vmlck_kb", -1);
	int64_t sum = 0, last_vm = -1, n = 0;
	size_t i;

	if (before < 0 || after < 0 || !c->op_id || !c->layer || strcmp(c->layer, "vfio-container"))
		return;
	t->lk_checked++;
	for (i = 0; i < ev->n; i++) {
		const char *k = jstr(ev->v[i], "kind"), *id = jstr(ev->v[i], "op_id");

		if (!k || strcmp(k, "locked") || !id || strcmp(id, c->op_id))
			continue;
		sum += jint(ev->v[i], "npages", 0);
		last_vm = jint(ev->v[i], "locked_vm", -1);
		n++;
	}
	/* folded into the ioctl record itself (it comes after the op's records) */
	if (json_object_object_get_ex(c->o, "locked_pages", NULL)) {
		sum += jint(c->o, "locked_pages", 0);
		last_vm = jint(c->o, "locked_vm", -1);
		n++;
	}
	t->lk_records += n;
	if (sum * 4 == after - before && (!n || last_vm * 4 == after))
		return;
	t->lk_bad++;
	printf("  %s fd %" PRId64 " op %s: VmLck %" PRId64 " -> %" PRId64 " KiB; %" PRId64
	       " accountings (locked records, folded) sum %+" PRId64 " pages, last locked_vm %" PRId64 "\n",
	       c->name, c->fd, c->op_id, before, after, n, sum, last_vm);
}

/* The verdict is the VmLck check's alone; the pairing's findings are printed too. */
int cmd_locked(const char *log, const char *events)
{
	struct ioc_tally t = {};

	if (ioc_compare(log, events, &t))
		return 2;
	printf("locked: %lu type1 maps/unmaps with VmLck, %lu accountings (locked records or folded), %lu disagree\n",
	       t.lk_checked, t.lk_records, t.lk_bad);
	return !t.lk_checked || !t.lk_records || t.lk_bad;
}
