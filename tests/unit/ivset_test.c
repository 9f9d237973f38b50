// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "lib/ivset.h"

#define TOP	(~0ULL)

static struct ivset *s;

static void setup(void)
{
	s = ivset_new();
	cr_assert_not_null(s);
}

static void teardown(void)
{
	cr_assert_eq(ivset_check(s), 0, "tree invariants");
	ivset_free(s);
}

TestSuite(ivset, .init = setup, .fini = teardown);

/* Collects what foreach visits. */
struct seen {
	struct iv v[64];
	int n;
	int stop_at;	/* return 7 when visiting this index, -1 never */
};

static int collect(const struct iv *iv, void *arg)
{
	struct seen *se = arg;

	if (se->n < 64)
		se->v[se->n] = *iv;
	if (se->n++ == se->stop_at)
		return 7;
	return 0;
}

static void expect(const struct iv *want, int n)
{
	struct seen se = { .stop_at = -1 };
	int i;

	cr_assert_eq(ivset_foreach(s, collect, &se), 0);
	cr_assert_eq(se.n, n, "%d intervals, want %d", se.n, n);
	for (i = 0; i < n; i++)
		cr_assert(se.v[i].start == want[i].start && se.v[i].last == want[i].last,
			  "interval %d is [%#llx, %#llx], want [%#llx, %#llx]", i,
			  (unsigned long long)se.v[i].start, (unsigned long long)se.v[i].last,
			  (unsigned long long)want[i].start, (unsigned long long)want[i].last);
	cr_assert_eq(ivset_count(s), (__u64)n);
}

Test(ivset, empty_set)
{
	struct iv iv;

	cr_assert_eq(ivset_count(s), 0);
	cr_assert_eq(ivset_bytes(s), 0);
	cr_assert_gt(ivset_mem(s), 0);
	cr_assert_eq(ivset_find(s, 0, TOP, &iv), 0);
	expect(NULL, 0);
	ivset_free(NULL);
}

Test(ivset, insert_find_count_bytes)
{
	struct iv iv;

	cr_assert_eq(ivset_insert(s, 0x2000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x10000, 0x4000, NULL), 0);
	cr_assert_eq(ivset_count(s), 2);
	cr_assert_eq(ivset_bytes(s), 0x5000);
	cr_assert_eq(ivset_find(s, 0x2fff, 0x2fff, &iv), 1);
	cr_assert(iv.start == 0x2000 && iv.last == 0x2fff);
	cr_assert_eq(ivset_find(s, 0x3000, 0xffff, &iv), 0);
	cr_assert_eq(ivset_find(s, 0, TOP, &iv), 1);
	cr_assert_eq(iv.start, 0x2000, "the lowest one");
	cr_assert_eq(ivset_find(s, 0x3000, 0x10000, &iv), 1);
	cr_assert_eq(iv.start, 0x10000);
	cr_assert_eq(ivset_find(s, 2, 1, &iv), -EINVAL);
	cr_assert_eq(ivset_find(s, 0x2000, 0x2000, NULL), 1);
}

Test(ivset, bad_lengths)
{
	cr_assert_eq(ivset_insert(s, 0x1000, 0, NULL), -EINVAL);
	cr_assert_eq(ivset_insert(s, TOP, 2, NULL), -EINVAL);
	cr_assert_eq(ivset_insert(s, 2, TOP, NULL), -EINVAL);
	cr_assert_eq(ivset_insert_replace(s, 0x1000, 0), -EINVAL);
	cr_assert_eq(ivset_insert_replace(s, TOP - 1, 3), -EINVAL);
	cr_assert_eq(ivset_remove(s, 0x1000, 0, NULL), -EINVAL);
	cr_assert_eq(ivset_remove(s, TOP, 2, NULL), -EINVAL);
	cr_assert_eq(ivset_count(s), 0);
}

Test(ivset, overlaps_are_refused_with_the_lowest_hit)
{
	struct iv iv;

	cr_assert_eq(ivset_insert(s, 0x10000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x12000, 0x1000, NULL), 0);
	/* left edge, right edge, inside, around, exact */
	cr_assert_eq(ivset_insert(s, 0xf000, 0x1001, &iv), 1);
	cr_assert(iv.start == 0x10000 && iv.last == 0x10fff);
	cr_assert_eq(ivset_insert(s, 0x10fff, 0x1000, &iv), 1);
	cr_assert_eq(iv.start, 0x10000);
	cr_assert_eq(ivset_insert(s, 0x10100, 0x10, &iv), 1);
	cr_assert_eq(iv.start, 0x10000);
	cr_assert_eq(ivset_insert(s, 0x11800, 0x2000, &iv), 1);
	cr_assert_eq(iv.start, 0x12000);
	cr_assert_eq(ivset_insert(s, 0x12000, 0x1000, &iv), 1);
	cr_assert_eq(iv.start, 0x12000);
	/* spanning both: the lower one */
	cr_assert_eq(ivset_insert(s, 0, 0x100000, &iv), 1);
	cr_assert(iv.start == 0x10000 && iv.last == 0x10fff);
	cr_assert_eq(ivset_insert(s, 0x10fff, 2, NULL), 1);
	cr_assert_eq(ivset_count(s), 2);
	cr_assert_eq(ivset_bytes(s), 0x2000);
}

Test(ivset, adjacent_intervals_stay_apart)
{
	const struct iv want[] = { { 0x0, 0xfff }, { 0x1000, 0x1fff }, { 0x2000, 0x2fff } };

	cr_assert_eq(ivset_insert(s, 0x1000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x0, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x2000, 0x1000, NULL), 0);
	expect(want, 3);
}

Test(ivset, remove_exact_and_from_empty)
{
	struct iv_removed r;

	cr_assert_eq(ivset_remove(s, 0x1000, 0x1000, &r), 0);
	cr_assert(r.bytes == 0 && r.whole == 0 && r.cut == 0 && r.gap_bytes == 0x1000);
	cr_assert_eq(ivset_insert(s, 0x1000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_remove(s, 0x1000, 0x1000, &r), 0);
	cr_assert(r.bytes == 0x1000 && r.whole == 1 && r.cut == 0 && r.gap_bytes == 0);
	cr_assert_eq(ivset_count(s), 0);
	cr_assert_eq(ivset_bytes(s), 0);
	cr_assert_eq(ivset_remove(s, 0, TOP, NULL), 0);
}

Test(ivset, remove_splits_one_interval)
{
	const struct iv want[] = { { 0x10000, 0x10fff }, { 0x12000, 0x1ffff } };
	struct iv_removed r;

	cr_assert_eq(ivset_insert(s, 0x10000, 0x10000, NULL), 0);
	cr_assert_eq(ivset_remove(s, 0x11000, 0x1000, &r), 0);
	cr_assert(r.bytes == 0x1000 && r.whole == 0 && r.cut == 1 && r.gap_bytes == 0);
	cr_assert(r.first_cut.start == 0x10000 && r.first_cut.last == 0x1ffff);
	expect(want, 2);
	cr_assert_eq(ivset_bytes(s), 0xf000);
}

Test(ivset, remove_cuts_two_at_the_edges_and_spans_gaps)
{
	const struct iv want[] = { { 0x0, 0x17ff }, { 0x6800, 0x6fff } };
	struct iv_removed r;
	int i;

	/* [0,1fff] gap [3000,3fff] [4000,4fff] gap [6000,6fff] */
	cr_assert_eq(ivset_insert(s, 0x0, 0x2000, NULL), 0);
	for (i = 3; i <= 4; i++)
		cr_assert_eq(ivset_insert(s, i * 0x1000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x6000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_remove(s, 0x1800, 0x5000, &r), 0);
	cr_assert_eq(r.whole, 2);
	cr_assert_eq(r.cut, 2);
	cr_assert(r.first_cut.start == 0 && r.first_cut.last == 0x1fff);
	cr_assert_eq(r.bytes, 0x800 + 0x2000 + 0x800);
	cr_assert_eq(r.gap_bytes, 0x1000 + 0x1000);
	expect(want, 2);
	cr_assert_eq(ivset_bytes(s), 0x1800 + 0x800);
}

Test(ivset, remove_cut_on_one_side)
{
	const struct iv want[] = { { 0x1800, 0x1fff } };
	struct iv_removed r;

	cr_assert_eq(ivset_insert(s, 0x1000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_remove(s, 0x0, 0x1800, &r), 0);
	cr_assert(r.cut == 1 && r.whole == 0 && r.bytes == 0x800 && r.gap_bytes == 0x1000);
	cr_assert_eq(r.first_cut.start, 0x1000);
	expect(want, 1);
}

Test(ivset, top_of_the_address_space)
{
	const struct iv want[] = { { 0, TOP - 1 }, { TOP, TOP } };
	struct iv_removed r;
	struct iv iv;

	cr_assert_eq(ivset_insert(s, TOP - 0xfff, 0x1000, NULL), 0);
	cr_assert_eq(ivset_find(s, TOP, TOP, &iv), 1);
	cr_assert(iv.start == TOP - 0xfff && iv.last == TOP);
	cr_assert_eq(ivset_insert(s, TOP, 1, &iv), 1);
	cr_assert_eq(ivset_remove(s, TOP - 0x7ff, 0x800, &r), 0);
	cr_assert(r.cut == 1 && r.bytes == 0x800 && r.gap_bytes == 0);
	cr_assert_eq(ivset_find(s, TOP - 0x7ff, TOP, &iv), 0);
	cr_assert_eq(ivset_remove(s, 0, TOP, &r), 0);
	cr_assert_eq(r.whole, 1);
	cr_assert_eq(r.gap_bytes, TOP - 0x800);
	/* all 2^64 bytes: the byte count saturates */
	cr_assert_eq(ivset_insert(s, 0, TOP, NULL), 0);
	cr_assert_eq(ivset_insert(s, TOP, 1, NULL), 0);
	cr_assert_eq(ivset_bytes(s), TOP);
	expect(want, 2);
	cr_assert_eq(ivset_remove(s, TOP, 1, &r), 0);
	cr_assert_eq(ivset_bytes(s), TOP);
	cr_assert_eq(ivset_remove(s, 1, TOP - 1, &r), 0);
	cr_assert(r.cut == 1 && r.bytes == TOP - 1);
	cr_assert_eq(ivset_bytes(s), 1);
}

Test(ivset, insert_replace_keeps_outside_parts)
{
	const struct iv want[] = {
		{ 0x0, 0xfff }, { 0x1000, 0x2fff }, { 0x3000, 0x3fff }, { 0x4000, 0x47ff },
		{ 0x4800, 0x5fff }, { 0x6000, 0x6fff },
	};

	cr_assert_eq(ivset_insert(s, 0x0, 0x2000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x2000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_insert(s, 0x4000, 0x3000, NULL), 0);
	/* cuts [0,1fff] and swallows [2000,2fff] */
	cr_assert_eq(ivset_insert_replace(s, 0x1000, 0x2000), 0);
	/* strictly inside [4000,6fff]: splits it */
	cr_assert_eq(ivset_insert_replace(s, 0x4800, 0x1800), 0);
	/* into a gap */
	cr_assert_eq(ivset_insert_replace(s, 0x3000, 0x1000), 0);
	expect(want, 6);
	cr_assert_eq(ivset_bytes(s), 0x7000);
}

Test(ivset, foreach_stops_and_returns)
{
	struct seen se = { .stop_at = 2 };
	int i;

	for (i = 0; i < 200; i++)
		cr_assert_eq(ivset_insert(s, i * 0x2000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_foreach(s, collect, &se), 7);
	cr_assert_eq(se.n, 3);
	cr_assert_eq(se.v[2].start, 0x4000);
}

Test(ivset, clear_empties_and_gives_memory_back)
{
	size_t empty = ivset_mem(s);
	int i;

	for (i = 0; i < 10000; i++)
		cr_assert_eq(ivset_insert(s, (__u64)i << 12, 0x1000, NULL), 0);
	cr_assert_gt(ivset_mem(s), empty + 10000 * 16);
	ivset_clear(s);
	cr_assert_eq(ivset_count(s), 0);
	cr_assert_eq(ivset_bytes(s), 0);
	cr_assert_eq(ivset_mem(s), empty);
	cr_assert_eq(ivset_insert(s, 0x1000, 0x1000, NULL), 0);
	cr_assert_eq(ivset_count(s), 1);
}

Test(ivset, descending_and_ascending_runs_fill_leaves)
{
	__u64 i, n = 100000;

	for (i = 0; i < n; i++)
		cr_assert_eq(ivset_insert(s, (2 * n - i) << 12, 0x1000, NULL), 0);
	for (i = 0; i < n; i++)
		cr_assert_eq(ivset_insert(s, (2 * n + 1 + i) << 12, 0x1000, NULL), 0);
	cr_assert_eq(ivset_check(s), 0);
	cr_assert_lt(ivset_mem(s) / ivset_count(s), 18, "%llu bytes per interval",
		     (unsigned long long)(ivset_mem(s) / ivset_count(s)));
}

/*
 * Differential test: 100k random operations against a plain sorted array
 * over a small universe (offsets from base), compared after each one.
 */
#define U		(1u << 16)
#define REF_MAX		U

struct ref {
	struct iv a[REF_MAX];	/* offsets, ascending */
	int n;
};

static struct ref ref, tmp;

static __u64 rnd_state;

static __u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

/* The first interval ending at or after start (the array is sorted and disjoint), if it overlaps. */
static int ref_find(__u64 start, __u64 last)
{
	int lo = 0, hi = ref.n;

	while (lo < hi) {
		int mid = (lo + hi) / 2;

		if (ref.a[mid].last < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ref.n && ref.a[lo].start <= last ? lo : -1;
}

static void ref_add(struct ref *r, __u64 start, __u64 last)
{
	r->a[r->n].start = start;
	r->a[r->n].last = last;
	r->n++;
}

static void ref_remove(__u64 start, __u64 last, struct iv_removed *out)
{
	int i;

	memset(out, 0, sizeof(*out));
	tmp.n = 0;
	for (i = 0; i < ref.n; i++) {
		struct iv a = ref.a[i];

		if (a.last < start || a.start > last) {
			ref_add(&tmp, a.start, a.last);
			continue;
		}
		out->bytes += (a.last < last ? a.last : last) - (a.start > start ? a.start : start) + 1;
		if (a.start >= start && a.last <= last) {
			out->whole++;
			continue;
		}
		if (out->cut++ == 0)
			out->first_cut = a;
		if (a.start < start)
			ref_add(&tmp, a.start, start - 1);
		if (a.last > last)
			ref_add(&tmp, last + 1, a.last);
	}
	out->gap_bytes = last - start + 1 - out->bytes;
	memcpy(ref.a, tmp.a, tmp.n * sizeof(tmp.a[0]));
	ref.n = tmp.n;
}

static void ref_insert(__u64 start, __u64 last)
{
	int i = ref.n;

	while (i > 0 && ref.a[i - 1].start > start) {
		ref.a[i] = ref.a[i - 1];
		i--;
	}
	ref.a[i].start = start;
	ref.a[i].last = last;
	ref.n++;
}

struct walk {
	__u64 base;
	int i;
};

static int walk_cb(const struct iv *iv, void *arg)
{
	struct walk *w = arg;

	if (w->i >= ref.n || iv->start - w->base != ref.a[w->i].start ||
	    iv->last - w->base != ref.a[w->i].last)
		return -1;
	w->i++;
	return 0;
}

static void compare(__u64 base, long op)
{
	struct walk w = { base, 0 };
	__u64 bytes = 0;
	int i;

	for (i = 0; i < ref.n; i++)
		bytes += ref.a[i].last - ref.a[i].start + 1;
	cr_assert_eq(ivset_count(s), (__u64)ref.n, "op %ld: count", op);
	cr_assert_eq(ivset_bytes(s), bytes, "op %ld: bytes", op);
	cr_assert_eq(ivset_foreach(s, walk_cb, &w), 0, "op %ld: foreach differs at %d", op, w.i);
	cr_assert_eq(w.i, ref.n, "op %ld: foreach", op);
	for (i = 0; i < 4; i++) {
		__u64 a = rnd() % U, b = a + rnd() % 64;
		struct iv got;
		int j, found;

		if (b >= U)
			b = U - 1;
		j = ref_find(a, b);
		found = ivset_find(s, base + a, base + b, &got);
		cr_assert_eq(found, j >= 0, "op %ld: find [%llu, %llu]", op,
			     (unsigned long long)a, (unsigned long long)b);
		if (found)
			cr_assert(got.start - base == ref.a[j].start && got.last - base == ref.a[j].last,
				  "op %ld: find", op);
	}
	if (op % 1024 == 0)
		cr_assert_eq(ivset_check(s), 0, "op %ld: invariants", op);
}

/* Sizes go up to big intervals (more than 63 * 63 for three levels of nodes). */
static void differential(__u64 base, __u64 seed, int big)
{
	long op, ops = 100000;
	int target = 0, max_n = 0;

	ref.n = 0;
	rnd_state = seed;
	for (op = 0; op < ops; op++) {
		__u64 r = rnd(), start = rnd() % U, len, last;
		struct iv_removed got, want;
		struct iv hit;
		int kind = r % 100, ins = ref.n < target ? 55 : 25, ret, j;

		/* grow past two levels, shrink to one leaf, again and again */
		if (op % 10000 == 0)
			target = op % 20000 ? 10 + (int)(rnd() % 50) : big + (int)(rnd() % 500);
		len = 1 + rnd() % (kind < 3 ? 2048 : 8);
		if (start + len > U)
			len = U - start;
		last = start + len - 1;
		if (kind < ins) {
			j = ref_find(start, last);
			ret = ivset_insert(s, base + start, len, &hit);
			cr_assert_eq(ret, j >= 0, "op %ld: insert [%llu, +%llu]: %d", op,
				     (unsigned long long)start, (unsigned long long)len, ret);
			if (j >= 0)
				cr_assert(hit.start - base == ref.a[j].start &&
					  hit.last - base == ref.a[j].last, "op %ld: hit", op);
			else
				ref_insert(start, last);
		} else if (kind < ins + 10) {
			cr_assert_eq(ivset_insert_replace(s, base + start, len), 0, "op %ld", op);
			ref_remove(start, last, &want);
			ref_insert(start, last);
		} else {
			/* often exactly one live interval, as unmaps are */
			if (kind < 80 && ref.n) {
				j = rnd() % ref.n;
				start = ref.a[j].start;
				len = ref.a[j].last - start + 1;
				last = ref.a[j].last;
			}
			cr_assert_eq(ivset_remove(s, base + start, len, &got), 0, "op %ld", op);
			ref_remove(start, last, &want);
			cr_assert(got.bytes == want.bytes && got.whole == want.whole &&
				  got.cut == want.cut && got.gap_bytes == want.gap_bytes,
				  "op %ld: remove [%llu, +%llu]: bytes %llu/%llu whole %llu/%llu cut %llu/%llu",
				  op, (unsigned long long)start, (unsigned long long)len,
				  (unsigned long long)got.bytes, (unsigned long long)want.bytes,
				  (unsigned long long)got.whole, (unsigned long long)want.whole,
				  (unsigned long long)got.cut, (unsigned long long)want.cut);
			if (want.cut)
				cr_assert(got.first_cut.start - base == want.first_cut.start &&
					  got.first_cut.last - base == want.first_cut.last,
					  "op %ld: first_cut", op);
		}
		if (ref.n > max_n)
			max_n = ref.n;
		compare(base, op);
	}
	cr_assert_geq(max_n, big * 9 / 10, "the set should have grown to %d: %d", big, max_n);
}

Test(ivset, differential_low, .timeout = 120)
{
	differential(0, 0x9e3779b97f4a7c15ULL, 4500);
}

Test(ivset, differential_at_the_top, .timeout = 120)
{
	differential(TOP - U + 1, 0x1234567887654321ULL, 1000);
}

/*
 * An allocator's churn: maps past the newest, unmaps of the oldest, so the
 * leaves' intervals start past their first slot; now and then a map into a
 * hole or below the oldest and an unmap anywhere, against the array.
 */
Test(ivset, differential_fifo_churn, .timeout = 120)
{
	__u64 oldest = 2 * 4000, next = oldest;	/* even offsets, holes between */
	struct iv_removed got, want;
	long op;
	int j;

	ref.n = 0;
	rnd_state = 0x2545f4914f6cdd1dULL;
	for (op = 0; op < 40000 && next + 2 < U; op++) {
		__u64 r = rnd() % 100, at;

		if (op < 3000 || r < 40) {		/* the newest */
			cr_assert_eq(ivset_insert(s, next, 1, NULL), 0, "op %ld", op);
			ref_insert(next, next);
			next += 2;
		} else if (r < 80 && ref.n) {		/* the oldest */
			at = ref.a[0].start;
			cr_assert_eq(ivset_remove(s, at, 1, &got), 0, "op %ld", op);
			ref_remove(at, at, &want);
			cr_assert(got.whole == 1 && want.whole == 1, "op %ld", op);
			if (at == oldest)
				oldest += 2;
		} else if (r < 88 && ref.n) {		/* into a hole of the live ones */
			at = ref.a[0].start + 1 + 2 * (rnd() % (ref.n / 2 + 1));
			j = ref_find(at, at);
			cr_assert_eq(ivset_insert(s, at, 1, NULL), j >= 0, "op %ld", op);
			if (j < 0)
				ref_insert(at, at);
		} else if (r < 94 && oldest >= 4) {	/* below the oldest: descending */
			oldest -= 2;
			j = ref_find(oldest, oldest);
			cr_assert_eq(ivset_insert(s, oldest, 1, NULL), j >= 0, "op %ld", op);
			if (j < 0)
				ref_insert(oldest, oldest);
		} else if (ref.n) {			/* any one */
			j = rnd() % ref.n;
			at = ref.a[j].start;
			cr_assert_eq(ivset_remove(s, at, ref.a[j].last - at + 1, &got), 0, "op %ld", op);
			ref_remove(at, at, &want);
		}
		compare(0, op);
	}
	cr_assert_eq(ivset_check(s), 0);
	cr_assert_geq(op, 20000, "%ld operations", op);
}

Test(ivset, million_then_random_removes, .timeout = 120)
{
	__u64 i, n = 1000000, *order = malloc(n * sizeof(*order));
	size_t empty = ivset_mem(s);

	cr_assert_not_null(order);
	for (i = 0; i < n; i++) {
		cr_assert_eq(ivset_insert(s, (i + 16) << 12, 0x1000, NULL), 0);
		order[i] = i;
	}
	cr_assert_eq(ivset_count(s), n);
	cr_assert_eq(ivset_bytes(s), n << 12);
	cr_assert_eq(ivset_check(s), 0);
	cr_assert_leq(ivset_mem(s), n * 20, "%zu bytes", ivset_mem(s));
	rnd_state = 42;
	for (i = n - 1; i > 0; i--) {
		__u64 j = rnd() % (i + 1), t = order[i];

		order[i] = order[j];
		order[j] = t;
	}
	for (i = 0; i < n; i++) {
		struct iv_removed r;

		cr_assert_eq(ivset_remove(s, (order[i] + 16) << 12, 0x1000, &r), 0);
		cr_assert(r.whole == 1 && r.bytes == 0x1000, "remove %llu", (unsigned long long)i);
		if (i == n / 2)
			cr_assert_eq(ivset_check(s), 0);
	}
	free(order);
	cr_assert_eq(ivset_count(s), 0);
	cr_assert_eq(ivset_bytes(s), 0);
	cr_assert_leq(ivset_mem(s), empty + 16 * 1024, "%zu bytes left", ivset_mem(s));
}
