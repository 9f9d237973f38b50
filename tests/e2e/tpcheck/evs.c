// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The comparison kinds and the event lists each source fills. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tpcheck.h"

const char *const kind_name[K_NR] = { "map", "unmap", "attach" };

int name_kind(const struct name_kind *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(name, t[i].name))
			return t[i].kind;
	return -1;
}

int evs_push(struct evs *e, uint64_t ts, uint64_t iova, uint64_t size, uint64_t domain,
	     const char *dev)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 64;
		struct ev *v = realloc(e->v, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n] = (struct ev){ ts, iova, size, domain, "", false };
	snprintf(e->v[e->n++].dev, sizeof(e->v[0].dev), "%s", dev ?: "");
	e->bytes += size;
	return 0;
}

void evset_free(struct evset *s)
{
	int k;

	for (k = 0; k < K_NR; k++)
		free(s->k[k].v);
	free(s->sg.v);
}
