/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A hash table from non-zero 64-bit keys to pointers: open addressing,
 * linear probing, tombstones on delete, grown at 3/4 load. The model's
 * index of every object kind (user/model.h).
 */
#ifndef ITR_HTAB_H
#define ITR_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>

struct htab_slot {
	__u64 key;		/* 0: empty; HTAB_TOMB: deleted */
	void *val;
};

struct htab {
	struct htab_slot *slots;
	size_t cap;		/* a power of 2, or 0 */
	size_t n;		/* live entries */
	size_t used;		/* live + tombstones */
};

#define HTAB_TOMB (~0ULL)

/* Key 0 and HTAB_TOMB are not keys: callers fold them (htab_key()). */
static inline __u64 htab_key(__u64 k)
{
	return k == 0 || k == HTAB_TOMB ? 0x9e3779b97f4a7c15ULL : k;
}

/* A 64-bit hash of a string (FNV-1a), for keying by name. */
__u64 htab_str(const char *s);

void *htab_get(const struct htab *h, __u64 key);
/* Insert or replace; 0 or -ENOMEM. */
int htab_put(struct htab *h, __u64 key, void *val);
/*
 * Find-or-create: the value under key, else a new zeroed object of size
 * bytes put there (*created set). NULL when out of memory.
 */
void *htab_get_or_new(struct htab *h, __u64 key, size_t size, bool *created);
/* Remove; returns the value, or NULL when absent. */
void *htab_del(struct htab *h, __u64 key);
/* Free the table (not the values: walk them first with htab_next). */
void htab_fini(struct htab *h);
/* Iterate: start with *pos = 0; NULL at the end. */
void *htab_next(const struct htab *h, size_t *pos, __u64 *key);

#endif
