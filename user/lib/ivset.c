// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * A set of disjoint IOVA intervals in a B+tree (see ivset.h).
 *
 * Leaves hold sorted arrays of intervals; inner nodes hold children and
 * separator keys. key[i] (i >= 1) of an inner node separates its children:
 * every start in child[i-1] < key[i] <= every start in child[i]; key[0] is
 * not used for routing. Only starts are ordered by the keys: an interval's
 * last may reach past the next separator. Removals leave keys as they are:
 * a separator may then be lower than its child's smallest start, which
 * keeps it valid, so a search for x may land at position 0 of a leaf while
 * x's predecessor sits in the previous leaf; the searches look there
 * (peek()). A start only moves up when an unmap cuts an interval's front;
 * if that passes the next separator, the separator moves up with it.
 *
 * Every leaf but an empty root holds at least one interval; an inner root
 * has at least two children, other inner nodes at least one. Leaves and
 * inner nodes may otherwise be underfull: a leaf left with fewer than
 * LEAF_MIN intervals is merged into a sibling under the same parent if the
 * two fit in LEAF_MERGE, empty nodes are freed, a one-child root collapses.
 *
 * Splits follow the allocator: an interval appended to a full leaf (or put
 * before its first one) goes into a new leaf of its own, or to the front of
 * the next leaf if that one has room, so ascending and descending runs fill
 * leaves completely; other splits halve the leaf.
 *
 * Leaves and inner nodes have the same size, so freed nodes of both kinds go
 * to one list of spares. Operations reserve the nodes they may need before
 * they change anything: on -ENOMEM the set is unchanged.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/ivset.h"

#define LEAF_MAX	63
#define INNER_MAX	63
#define LEAF_MIN	(LEAF_MAX / 4)
#define LEAF_MERGE	(LEAF_MAX * 3 / 4)
/* Growing a level takes 32 times the intervals ever inserted: 12 is 2^60. */
#define MAX_HEIGHT	16
/* Spare nodes kept when nodes are freed (reserve() may keep more). */
#define SPARE_MAX	8

/*
 * A leaf's intervals are slot[lo, lo+n): removing the lowest ones (an
 * oldest-first unmap) moves lo up instead of the rest down; an insertion
 * shifts whichever side is shorter if the free head allows. lo sits in what
 * would be padding: the node size stays the same.
 */
struct leaf {
	unsigned int n;
	unsigned int lo;
	struct iv slot[LEAF_MAX];
};

/* The intervals of leaf lf, lowest first. */
#define E(lf)	((lf)->slot + (lf)->lo)

struct inner {
	unsigned int n;
	__u64 key[INNER_MAX];
	void *child[INNER_MAX];
};

_Static_assert(sizeof(struct leaf) == sizeof(struct inner), "one node size");
#define NODE_SIZE	sizeof(struct leaf)

struct spare {
	struct spare *next;
};

struct ivset {
	void *root;
	unsigned int height;		/* inner levels above the leaves; 0: root is a leaf */
	unsigned int nspare;
	struct spare *spare;
	size_t nodes;			/* allocated: in the tree and spare */
	__u64 count;
	unsigned __int128 bytes;	/* up to 2^64 */
};

/* A leaf and the way down to it: in[l] and the child taken there, idx[l]. */
struct path {
	struct inner *in[MAX_HEIGHT];
	unsigned int idx[MAX_HEIGHT];
	struct leaf *leaf;
	unsigned int h;
};

static int reserve(struct ivset *s, unsigned int n)
{
	/* paths must stay able to hold two more levels */
	if (s->height + 2 > MAX_HEIGHT)
		return -ENOMEM;
	while (s->nspare < n) {
		struct spare *p = malloc(NODE_SIZE);

		if (!p)
			return -ENOMEM;
		p->next = s->spare;
		s->spare = p;
		s->nspare++;
		s->nodes++;
	}
	return 0;
}

/* A node from the spares; reserve() made sure there is one. */
static void *node_get(struct ivset *s)
{
	struct spare *p = s->spare;

	s->spare = p->next;
	s->nspare--;
	return p;
}

static void node_put(struct ivset *s, void *node)
{
	struct spare *p = node;

	if (s->nspare >= SPARE_MAX) {
		free(p);
		s->nodes--;
		return;
	}
	p->next = s->spare;
	s->spare = p;
	s->nspare++;
}

/* Nodes an insertion may take: a leaf, one inner node per level and a new root. */
static unsigned int insert_need(const struct ivset *s)
{
	return s->height + 2;
}

static __u64 iv_len(const struct iv *iv)
{
	return iv->last - iv->start + 1;
}

/* The child of in whose subtree holds x: the last i with key[i] <= x. */
static unsigned int inner_pick(const struct inner *in, __u64 x)
{
	unsigned int lo = 1, hi = in->n;

	if (in->key[hi - 1] <= x)	/* ascending runs: the last child */
		return hi - 1;
	if (hi < 2 || in->key[1] > x)	/* oldest-first unmaps: the first */
		return 0;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (in->key[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo - 1;
}

/* The number of intervals of lf starting at or below x. */
static unsigned int leaf_rank(const struct leaf *lf, __u64 x)
{
	const struct iv *e = E(lf);
	unsigned int lo = 0, hi = lf->n;

	if (hi && e[hi - 1].start <= x)
		return hi;
	if (hi > 1 && e[1].start > x)	/* oldest-first unmaps: the first */
		return e[0].start <= x;
	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (e[mid].start <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Walk down to the leaf for x; returns leaf_rank() there. */
static unsigned int seek(const struct ivset *s, struct path *pa, __u64 x)
{
	void *node = s->root;
	unsigned int l;

	pa->h = s->height;
	for (l = 0; l < s->height; l++) {
		struct inner *in = node;

		pa->in[l] = in;
		pa->idx[l] = inner_pick(in, x);
		node = in->child[pa->idx[l]];
	}
	pa->leaf = node;
	return leaf_rank(pa->leaf, x);
}

/* The level where the way to the next (dir 1) or previous (-1) leaf turns; -1 if none. */
static int turn_level(const struct path *pa, int dir)
{
	int l;

	for (l = (int)pa->h - 1; l >= 0; l--)
		if (dir > 0 ? pa->idx[l] + 1 < pa->in[l]->n : pa->idx[l] > 0)
			return l;
	return -1;
}

/* The next (dir 1) or previous (-1) leaf, NULL if none; pa stays. */
static struct leaf *peek(const struct path *pa, int dir)
{
	int l = turn_level(pa, dir);
	void *node;

	if (l < 0)
		return NULL;
	node = pa->in[l]->child[pa->idx[l] + dir];
	for (l++; l < (int)pa->h; l++) {
		struct inner *in = node;

		node = in->child[dir > 0 ? 0 : in->n - 1];
	}
	return node;
}

/* Move pa to the next (dir 1) or previous (-1) leaf: 1, or 0 if none. */
static int step(struct path *pa, int dir)
{
	int l = turn_level(pa, dir);
	void *node;

	if (l < 0)
		return 0;
	pa->idx[l] += dir;
	node = pa->in[l]->child[pa->idx[l]];
	for (l++; l < (int)pa->h; l++) {
		struct inner *in = node;

		pa->in[l] = in;
		pa->idx[l] = dir > 0 ? 0 : in->n - 1;
		node = in->child[pa->idx[l]];
	}
	pa->leaf = node;
	return 1;
}

/* The separator between pa's leaf and the next one, NULL if none. */
static __u64 *next_key(const struct path *pa)
{
	int l = turn_level(pa, 1);

	return l < 0 ? NULL : &pa->in[l]->key[pa->idx[l] + 1];
}

/*
 * After p = seek(start): the index of the lowest interval overlapping
 * [start, last], moving pa to its leaf, or -1 (pa stays). Candidates: the
 * interval before position p (it starts at or below start) and the one at p.
 */
static int first_at(struct path *pa, unsigned int p, __u64 start, __u64 last)
{
	struct leaf *lf = pa->leaf, *nb;

	if (p > 0) {
		if (E(lf)[p - 1].last >= start)
			return p - 1;
	} else if ((nb = peek(pa, -1)) && E(nb)[nb->n - 1].last >= start) {
		step(pa, -1);
		return nb->n - 1;
	}
	if (p < lf->n)
		return E(lf)[p].start <= last ? (int)p : -1;
	if ((nb = peek(pa, 1)) && E(nb)[0].start <= last) {
		step(pa, 1);
		return 0;
	}
	return -1;
}

/* Put v at position p of lf, which is not full. */
static void leaf_put(struct leaf *lf, unsigned int p, struct iv v)
{
	struct iv *e;

	if (lf->lo && (p < lf->n / 2 || lf->lo + lf->n == LEAF_MAX)) {
		lf->lo--;	/* the p lower ones move down into the free head */
		e = E(lf);
		memmove(e, e + 1, p * sizeof(e[0]));
	} else {
		e = E(lf);
		memmove(e + p + 1, e + p, (lf->n - p) * sizeof(e[0]));
	}
	e[p] = v;
	lf->n++;
}

/* Move lf's intervals to the start of its slots. */
static void leaf_pack(struct leaf *lf)
{
	memmove(lf->slot, E(lf), lf->n * sizeof(lf->slot[0]));
	lf->lo = 0;
}

static void inner_put(struct inner *in, unsigned int p, __u64 key, void *child)
{
	memmove(in->key + p + 1, in->key + p, (in->n - p) * sizeof(in->key[0]));
	memmove(in->child + p + 1, in->child + p, (in->n - p) * sizeof(in->child[0]));
	in->key[p] = key;
	in->child[p] = child;
	in->n++;
}

/*
 * Link node, whose smallest start is key, right after the node at depth l of
 * pa (depth pa->h is the leaf), splitting full parents on the way up.
 */
static void add_right(struct ivset *s, struct path *pa, unsigned int l, __u64 key, void *node)
{
	struct inner *in, *rn;
	unsigned int p, m;

	if (l == 0) {
		in = node_get(s);
		in->n = 2;
		in->key[0] = 0;
		in->child[0] = s->root;
		in->key[1] = key;
		in->child[1] = node;
		s->root = in;
		s->height++;
		return;
	}
	in = pa->in[l - 1];
	p = pa->idx[l - 1] + 1;
	if (in->n < INNER_MAX) {
		inner_put(in, p, key, node);
		return;
	}
	rn = node_get(s);
	if (p == INNER_MAX) {
		rn->n = 1;
		rn->key[0] = key;
		rn->child[0] = node;
	} else {
		m = (INNER_MAX + 1) / 2;
		rn->n = in->n - m;
		memcpy(rn->key, in->key + m, rn->n * sizeof(rn->key[0]));
		memcpy(rn->child, in->child + m, rn->n * sizeof(rn->child[0]));
		in->n = m;
		if (p <= m)
			inner_put(in, p, key, node);
		else
			inner_put(rn, p - m, key, node);
	}
	/* rn->key[0] is the separator of rn's first child: rn's own */
	add_right(s, pa, l - 1, rn->key[0], rn);
}

/* Put v at position p of pa's leaf; insert_need() nodes are reserved. */
static void leaf_insert(struct ivset *s, struct path *pa, unsigned int p, struct iv v)
{
	struct leaf *lf = pa->leaf, *nl;
	unsigned int m;

	s->count++;
	s->bytes += iv_len(&v);
	if (lf->n < LEAF_MAX) {
		leaf_put(lf, p, v);
		return;
	}
	if (p == LEAF_MAX) {
		nl = peek(pa, 1);
		if (nl && nl->n < LEAF_MAX) {
			/* front of the next leaf: its separator comes down to v */
			leaf_put(nl, 0, v);
			*next_key(pa) = v.start;
			return;
		}
	}
	nl = node_get(s);
	nl->lo = 0;		/* lf is full: its lo is 0 too */
	if (p == LEAF_MAX) {		/* v alone in the new right leaf */
		nl->n = 0;
		lf = nl;
		p = 0;
	} else if (p == 0) {		/* v alone in the left one */
		memcpy(nl, lf, sizeof(*lf));
		lf->n = 0;
	} else {
		m = LEAF_MAX / 2;
		nl->n = LEAF_MAX - m;
		memcpy(E(nl), E(lf) + m, nl->n * sizeof(E(lf)[0]));
		lf->n = m;
		if (p > m) {
			lf = nl;
			p -= m;
		}
	}
	leaf_put(lf, p, v);
	add_right(s, pa, pa->h, E(nl)[0].start, nl);
}

static void collapse(struct ivset *s)
{
	while (s->height > 0 && ((struct inner *)s->root)->n == 1) {
		void *old = s->root;

		s->root = ((struct inner *)old)->child[0];
		s->height--;
		node_put(s, old);
	}
}

/*
 * Free node, at depth l of pa (the child idx[l-1] of in[l-1]), and unlink it;
 * parents left without children go too.
 */
static void drop(struct ivset *s, struct path *pa, unsigned int l, void *node)
{
	for (;;) {
		struct inner *in = pa->in[l - 1];
		unsigned int i = pa->idx[l - 1], tail = in->n - i - 1;

		node_put(s, node);
		memmove(in->key + i, in->key + i + 1, tail * sizeof(in->key[0]));
		memmove(in->child + i, in->child + i + 1, tail * sizeof(in->child[0]));
		if (--in->n > 0 || l == 1)
			break;
		node = in;
		l--;
	}
	collapse(s);
}

/* After intervals left pa's leaf: free it if empty, else merge it if small. */
static void leaf_fix(struct ivset *s, struct path *pa)
{
	struct leaf *lf = pa->leaf, *sib;
	struct inner *in;
	unsigned int i, h = pa->h;

	if (h == 0 || lf->n >= LEAF_MIN)
		return;
	if (lf->n == 0) {
		drop(s, pa, h, lf);
		return;
	}
	in = pa->in[h - 1];
	i = pa->idx[h - 1];
	if (i + 1 < in->n && (sib = in->child[i + 1])->n + lf->n <= LEAF_MERGE) {
		leaf_pack(lf);
		memcpy(E(lf) + lf->n, E(sib), sib->n * sizeof(E(sib)[0]));
		lf->n += sib->n;
		pa->idx[h - 1] = i + 1;
		drop(s, pa, h, sib);
	} else if (i > 0 && (sib = in->child[i - 1])->n + lf->n <= LEAF_MERGE) {
		leaf_pack(sib);
		memcpy(E(sib) + sib->n, E(lf), lf->n * sizeof(E(lf)[0]));
		sib->n += lf->n;
		drop(s, pa, h, lf);
	}
}

static void note_cut(struct iv_removed *r, const struct iv *iv)
{
	if (r->cut++ == 0)
		r->first_cut = *iv;
}

/*
 * Remove [start, last], one leaf at a time. Can fail (-ENOMEM) only when the
 * range is strictly inside one interval, before anything has changed.
 */
static int do_remove(struct ivset *s, __u64 start, __u64 last, struct iv_removed *r)
{
	struct path pa;

	for (;;) {
		unsigned int p = seek(s, &pa, start), j, k, n;
		int i = first_at(&pa, p, start, last), more;
		struct leaf *lf = pa.leaf;
		struct iv *e;
		__u64 b, *key;

		if (i < 0)
			return 0;
		j = i;
		n = lf->n;
		e = &E(lf)[j];
		if (e->start < start) {
			if (e->last > last) {
				/* keep both ends: [e->start, start-1] and [last+1, e->last] */
				struct iv hi = { last + 1, e->last };

				if (reserve(s, insert_need(s)))
					return -ENOMEM;
				note_cut(r, e);
				r->bytes += last - start + 1;
				s->bytes -= e->last - start + 1;
				e->last = start - 1;
				/* e may reach past the next leaf's separator: route hi */
				leaf_insert(s, &pa, seek(s, &pa, hi.start), hi);
				return 0;
			}
			note_cut(r, e);
			b = e->last - start + 1;
			r->bytes += b;
			s->bytes -= b;
			e->last = start - 1;
			j++;
		}
		for (k = j; k < n && E(lf)[k].last <= last; k++) {
			b = iv_len(&E(lf)[k]);
			r->bytes += b;
			s->bytes -= b;
		}
		r->whole += k - j;
		s->count -= k - j;
		/* the range may go on into the next leaf */
		more = k == n && E(lf)[n - 1].last < last;
		if (k < n && E(lf)[k].start <= last) {
			note_cut(r, &E(lf)[k]);
			b = last - E(lf)[k].start + 1;
			r->bytes += b;
			s->bytes -= b;
			E(lf)[k].start = last + 1;
			/*
			 * Starts in this leaf stay below the next leaf's separator;
			 * the next leaf starts past this interval's last, so no overflow.
			 */
			if (k == n - 1 && (key = next_key(&pa)) && *key <= last + 1)
				*key = last + 2;
		}
		if (k > j) {
			/* close the hole from its shorter side */
			if (j < n - k) {
				memmove(E(lf) + k - j, E(lf), j * sizeof(lf->slot[0]));
				lf->lo += k - j;
			} else {
				memmove(E(lf) + j, E(lf) + k, (n - k) * sizeof(lf->slot[0]));
			}
			lf->n -= k - j;
			leaf_fix(s, &pa);
		}
		if (!more)
			return 0;
	}
}

/* [start, start+len-1] as an interval; -EINVAL if empty or wrapping. */
static int range(__u64 start, __u64 len, struct iv *iv)
{
	if (!len || len - 1 > ~0ULL - start)
		return -EINVAL;
	iv->start = start;
	iv->last = start + (len - 1);
	return 0;
}

struct ivset *ivset_new(void)
{
	struct ivset *s = calloc(1, sizeof(*s));
	struct leaf *root;

	if (!s)
		return NULL;
	root = malloc(NODE_SIZE);
	if (!root) {
		free(s);
		return NULL;
	}
	root->n = 0;
	root->lo = 0;
	s->root = root;
	s->nodes = 1;
	return s;
}

static void free_tree(struct ivset *s, void *node, unsigned int h)
{
	unsigned int i;

	if (h) {
		struct inner *in = node;

		for (i = 0; i < in->n; i++)
			free_tree(s, in->child[i], h - 1);
	}
	free(node);
	s->nodes--;
}

static void free_spares(struct ivset *s)
{
	while (s->spare) {
		struct spare *p = s->spare;

		s->spare = p->next;
		free(p);
		s->nodes--;
	}
	s->nspare = 0;
}

void ivset_clear(struct ivset *s)
{
	unsigned int i;

	if (s->height) {
		/* the root's node becomes the empty leaf */
		struct inner *in = s->root;

		for (i = 0; i < in->n; i++)
			free_tree(s, in->child[i], s->height - 1);
	}
	((struct leaf *)s->root)->n = 0;
	((struct leaf *)s->root)->lo = 0;
	s->height = 0;
	s->count = 0;
	s->bytes = 0;
	free_spares(s);
}

void ivset_free(struct ivset *s)
{
	if (!s)
		return;
	free_tree(s, s->root, s->height);
	free_spares(s);
	free(s);
}

__u64 ivset_count(const struct ivset *s)
{
	return s->count;
}

__u64 ivset_bytes(const struct ivset *s)
{
	return s->bytes > ~0ULL ? ~0ULL : (__u64)s->bytes;
}

size_t ivset_mem(const struct ivset *s)
{
	return sizeof(*s) + s->nodes * NODE_SIZE;
}

int ivset_insert(struct ivset *s, __u64 start, __u64 len, struct iv *hit)
{
	struct path pa;
	struct iv v;
	unsigned int p;
	int i, err;

	err = range(start, len, &v);
	if (err)
		return err;
	p = seek(s, &pa, start);
	i = first_at(&pa, p, v.start, v.last);
	if (i >= 0) {
		if (hit)
			*hit = E(pa.leaf)[i];
		return 1;
	}
	if (pa.leaf->n == LEAF_MAX) {
		err = reserve(s, insert_need(s));
		if (err)
			return err;
	}
	leaf_insert(s, &pa, p, v);
	return 0;
}

int ivset_insert_replace(struct ivset *s, __u64 start, __u64 len)
{
	struct iv_removed r = {};
	struct path pa;
	struct iv v;
	int err;

	err = range(start, len, &v);
	if (err)
		return err;
	/* the removal may split an interval (and add a level), then the insertion */
	err = reserve(s, 2 * insert_need(s) + 1);
	if (err)
		return err;
	do_remove(s, v.start, v.last, &r);
	leaf_insert(s, &pa, seek(s, &pa, v.start), v);
	return 0;
}

int ivset_remove(struct ivset *s, __u64 start, __u64 len, struct iv_removed *r)
{
	struct iv_removed local;
	struct iv v;
	int err;

	err = range(start, len, &v);
	if (err)
		return err;
	if (!r)
		r = &local;
	memset(r, 0, sizeof(*r));
	err = do_remove(s, v.start, v.last, r);
	if (err)
		return err;
	r->gap_bytes = len - r->bytes;
	return 0;
}

int ivset_find(const struct ivset *s, __u64 start, __u64 last, struct iv *out)
{
	struct path pa;
	int i;

	if (start > last)
		return -EINVAL;
	i = first_at(&pa, seek(s, &pa, start), start, last);
	if (i < 0)
		return 0;
	if (out)
		*out = E(pa.leaf)[i];
	return 1;
}

int ivset_foreach(const struct ivset *s, int (*cb)(const struct iv *iv, void *arg), void *arg)
{
	struct path pa;
	unsigned int i;
	int ret;

	seek(s, &pa, 0);
	do {
		for (i = 0; i < pa.leaf->n; i++) {
			ret = cb(&E(pa.leaf)[i], arg);
			if (ret)
				return ret;
		}
	} while (step(&pa, 1));
	return 0;
}

struct check {
	__u64 count;
	unsigned __int128 bytes;
	const struct iv *prev;
	size_t nodes;
};

/* Every start under node in [lo, hi] (hi inclusive), intervals ascending and disjoint. */
static int check_node(const void *node, unsigned int h, int root, __u64 lo, __u64 hi,
		      struct check *c)
{
	unsigned int i;

	c->nodes++;
	if (h) {
		const struct inner *in = node;

		if (in->n < (root ? 2u : 1u) || in->n > INNER_MAX)
			return -EUCLEAN;
		for (i = 0; i < in->n; i++) {
			__u64 clo = i ? in->key[i] : lo, chi = i + 1 < in->n ? in->key[i + 1] - 1 : hi;

			if (clo < lo || (i + 1 < in->n && (in->key[i + 1] <= clo || in->key[i + 1] > hi)))
				return -EUCLEAN;
			if (check_node(in->child[i], h - 1, 0, clo, chi, c))
				return -EUCLEAN;
		}
		return 0;
	}
	{
		const struct leaf *lf = node;

		if (lf->n > LEAF_MAX || lf->lo + lf->n > LEAF_MAX || (!root && lf->n == 0))
			return -EUCLEAN;
		for (i = 0; i < lf->n; i++) {
			const struct iv *e = &E(lf)[i];

			if (e->start > e->last || e->start < lo || e->start > hi ||
			    (c->prev && c->prev->last >= e->start))
				return -EUCLEAN;
			c->prev = e;
			c->count++;
			c->bytes += iv_len(e);
		}
	}
	return 0;
}

int ivset_check(const struct ivset *s)
{
	struct check c = {};
	const struct spare *p;
	unsigned int n = 0;

	if (s->height > MAX_HEIGHT || check_node(s->root, s->height, 1, 0, ~0ULL, &c))
		return -EUCLEAN;
	for (p = s->spare; p; p = p->next)
		n++;
	if (c.count != s->count || c.bytes != s->bytes || n != s->nspare ||
	    c.nodes + n != s->nodes)
		return -EUCLEAN;
	return 0;
}
