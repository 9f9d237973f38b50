// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model's hash table (user/htab.h). */
#include <errno.h>
#include <stdlib.h>
#include "lib/htab.h"

__u64 htab_str(const char *s)
{
	__u64 h = 0xcbf29ce484222325ULL;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return htab_key(h);
}

static size_t slot_of(__u64 key, size_t cap)
{
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdULL;
	key ^= key >> 33;
	return key & (cap - 1);
}

void *htab_get(const struct htab *h, __u64 key)
{
	size_t i;

	if (!h->cap)
		return NULL;
	for (i = slot_of(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
		if (h->slots[i].key == key)
			return h->slots[i].val;
		if (!h->slots[i].key)
			return NULL;
	}
}

static int grow(struct htab *h)
{
	size_t cap = h->n * 2 >= h->cap ? (h->cap ? h->cap * 2 : 16) : h->cap;
	struct htab_slot *old = h->slots, *s;
	size_t i, oldcap = h->cap;

	s = calloc(cap, sizeof(*s));
	if (!s)
		return -ENOMEM;
	h->slots = s;
	h->cap = cap;
	h->used = h->n;
	for (i = 0; i < oldcap; i++) {
		size_t j;

		if (!old[i].key || old[i].key == HTAB_TOMB)
			continue;
		for (j = slot_of(old[i].key, cap); s[j].key; j = (j + 1) & (cap - 1))
			;
		s[j] = old[i];
	}
	free(old);
	return 0;
}

int htab_put(struct htab *h, __u64 key, void *val)
{
	size_t i, tomb = (size_t)-1;

	if ((h->used + 1) * 4 > h->cap * 3 && grow(h))
		return -ENOMEM;
	for (i = slot_of(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
		if (h->slots[i].key == key) {
			h->slots[i].val = val;
			return 0;
		}
		if (h->slots[i].key == HTAB_TOMB && tomb == (size_t)-1)
			tomb = i;
		if (!h->slots[i].key)
			break;
	}
	if (tomb != (size_t)-1)
		i = tomb;
	else
		h->used++;
	h->slots[i].key = key;
	h->slots[i].val = val;
	h->n++;
	return 0;
}

void *htab_del(struct htab *h, __u64 key)
{
	size_t i;
	void *v;

	if (!h->cap)
		return NULL;
	for (i = slot_of(key, h->cap);; i = (i + 1) & (h->cap - 1)) {
		if (!h->slots[i].key)
			return NULL;
		if (h->slots[i].key == key)
			break;
	}
	v = h->slots[i].val;
	h->slots[i].key = HTAB_TOMB;
	h->slots[i].val = NULL;
	h->n--;
	return v;
}

void htab_fini(struct htab *h)
{
	free(h->slots);
	h->slots = NULL;
	h->cap = h->n = h->used = 0;
}

void *htab_next(const struct htab *h, size_t *pos, __u64 *key)
{
	while (*pos < h->cap) {
		const struct htab_slot *s = &h->slots[(*pos)++];

		if (s->key && s->key != HTAB_TOMB) {
			if (key)
				*key = s->key;
			return s->val;
		}
	}
	return NULL;
}

void *htab_get_or_new(struct htab *h, __u64 key, size_t size, bool *created)
{
	void *v = htab_get(h, key);

	*created = false;
	if (v)
		return v;
	v = calloc(1, size);
	if (!v)
		return NULL;
	if (htab_put(h, key, v)) {
		free(v);
		return NULL;
	}
	*created = true;
	return v;
}
