// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ivset speed and size with a million live 4 KiB mappings: ns per operation
 * (thread CPU time, so a busy machine skews it less) and bytes per live
 * mapping (ivset_mem() / ivset_count()).
 *
 *   ivset_bench [N]      N live mappings, default 1000000
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "lib/ivset.h"

#define PAGE	4096ULL
#define BASE	(1ULL << 32)

static __u64 rnd_state = 0x9e3779b97f4a7c15ULL;

static __u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void shuffle(__u64 *a, __u64 n)
{
	__u64 i;

	for (i = n - 1; i > 0; i--) {
		__u64 j = rnd() % (i + 1), t = a[i];

		a[i] = a[j];
		a[j] = t;
	}
}

static void report(const char *what, __u64 ops, double ns, const struct ivset *s)
{
	__u64 n = ivset_count(s);

	printf("%-34s %9llu ops %7.1f ns/op  live %8llu  mem %9zu B",
	       what, (unsigned long long)ops, ns / ops, (unsigned long long)n, ivset_mem(s));
	if (n)
		printf("  %5.1f B/mapping", (double)ivset_mem(s) / n);
	printf("\n");
}

/* Each phase: 0 or the error of the operation that failed (1: an unexpected overlap). */
static int ascending_then_random_removes(struct ivset *s, __u64 n, __u64 *order)
{
	double t = now();
	__u64 i;
	int err;

	for (i = 0; i < n; i++) {
		err = ivset_insert(s, BASE + i * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	report("insert ascending", n, now() - t, s);
	for (i = 0; i < n; i++)
		order[i] = i;
	shuffle(order, n);
	t = now();
	for (i = 0; i < n; i++) {
		err = ivset_remove(s, BASE + order[i] * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	report("remove random order", n, now() - t, s);
	return 0;
}

/* The Linux IOVA allocator's top-down order, removed in the same order. */
static int descending(struct ivset *s, __u64 n)
{
	double t = now();
	__u64 i;
	int err;

	for (i = 0; i < n; i++) {
		err = ivset_insert(s, BASE + (n - i) * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	report("insert descending", n, now() - t, s);
	t = now();
	for (i = 0; i < n; i++) {
		err = ivset_remove(s, BASE + (n - i) * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	report("remove descending", n, now() - t, s);
	return 0;
}

/* Streaming DMA: a ring of n live mappings, map at the head, unmap the tail. */
static int ring(struct ivset *s, __u64 n)
{
	double t;
	__u64 i;
	int err;

	for (i = 0; i < n; i++) {
		err = ivset_insert(s, BASE + i * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	t = now();
	for (i = 0; i < n; i++) {
		err = ivset_insert(s, BASE + (n + i) * PAGE, PAGE, NULL);
		if (!err)
			err = ivset_remove(s, BASE + i * PAGE, PAGE, NULL);
		if (err)
			return err;
	}
	report("ring: insert head + remove tail", 2 * n, now() - t, s);
	ivset_clear(s);
	return 0;
}

/* Map a random free one of slots 4 KiB slots into *slot; counts the tries in *ops. */
static int insert_random(struct ivset *s, __u64 slots, __u64 *slot, __u64 *ops)
{
	int err;

	do {
		*slot = rnd() % slots;
		err = ivset_insert(s, BASE + *slot * PAGE, PAGE, NULL);
		(*ops)++;
	} while (err == 1);
	return err;
}

/*
 * Steady state at random IOVAs: n live among 4n slots; each step unmaps a
 * random live one and maps a random free slot (retries on overlap count as
 * operations).
 */
static int random_steady(struct ivset *s, __u64 n, __u64 *slot)
{
	__u64 i, ops = 0;
	double t = now();
	int err;

	for (i = 0; i < n; i++) {
		err = insert_random(s, 4 * n, &slot[i], &ops);
		if (err)
			return err;
	}
	report("insert random (fill)", ops, now() - t, s);
	ops = 0;
	t = now();
	for (i = 0; i < n; i++) {
		__u64 k = rnd() % n;

		err = ivset_remove(s, BASE + slot[k] * PAGE, PAGE, NULL);
		ops++;
		if (!err)
			err = insert_random(s, 4 * n, &slot[k], &ops);
		if (err)
			return err;
	}
	report("random: remove + insert", ops, now() - t, s);
	return 0;
}

int main(int argc, char **argv)
{
	__u64 n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1000000, *buf = NULL;
	struct ivset *s = ivset_new();
	int err = -ENOMEM;

	if (!n) {
		fprintf(stderr, "usage: ivset_bench [N]\n");
		err = -EINVAL;
		goto cleanup;
	}
	buf = malloc(n * sizeof(*buf));
	if (!s || !buf)
		goto cleanup;
	err = ascending_then_random_removes(s, n, buf);
	if (!err)
		err = descending(s, n);
	if (!err)
		err = ring(s, n);
	if (!err)
		err = random_steady(s, n, buf);
cleanup:
	if (err)
		fprintf(stderr, "ivset_bench: failed: %s\n", err > 0 ? "unexpected overlap" : strerror(-err));
	free(buf);
	ivset_free(s);
	return err ? 1 : 0;
}
