/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A set of disjoint IOVA intervals: what one IOMMU domain has mapped, as the
 * model replaying a recording sees it.
 *
 * Intervals are inclusive, [start, last], so one may end at 2^64-1. Each map
 * stays its own interval: adjacent intervals are never merged, so a later
 * unmap can tell whether it matched a map exactly, cut it or spanned several.
 * Lengths are __u64; a length of 0, or a range wrapping past 2^64-1, is
 * -EINVAL. On any error the set is left unchanged.
 *
 * Kept in a B+tree of 1 KiB nodes (63 intervals per leaf, 16 bytes each):
 * about 16.5 bytes per interval for the ascending or descending runs of an
 * IOVA allocator, which fill leaves completely, 24-27 for random IOVAs;
 * O(log n) per operation.
 * Not thread-safe: one owner per set.
 */
#ifndef ITR_IVSET_H
#define ITR_IVSET_H

#include <stddef.h>
#include <linux/types.h>

struct ivset;

struct iv {
	__u64 start;
	__u64 last;	/* inclusive */
};

/* What ivset_remove() found in its range. */
struct iv_removed {
	__u64 bytes;		/* bytes of intervals inside the range, removed */
	__u64 whole;		/* intervals entirely inside the range, removed */
	__u64 cut;		/* intervals only partly inside (0, 1 or 2): their outside parts stay */
	struct iv first_cut;	/* the lowest cut interval, as it was before; valid when cut > 0 */
	__u64 gap_bytes;	/* bytes of the range that no interval covered */
};

/* An empty set, NULL when out of memory. */
struct ivset *ivset_new(void);
/* Free the set and everything in it; NULL is ignored. */
void ivset_free(struct ivset *s);
/* Remove every interval and give back all memory but the empty root. */
void ivset_clear(struct ivset *s);

/* Number of intervals. */
__u64 ivset_count(const struct ivset *s);
/* Sum of the intervals' lengths; 2^64-1 if the set covers all 2^64 bytes. */
__u64 ivset_bytes(const struct ivset *s);
/* Bytes the set holds from malloc (nodes in use and spare, and the handle). */
size_t ivset_mem(const struct ivset *s);

/*
 * Insert [start, start+len-1]. 0 inserted; 1 it overlaps the set: nothing is
 * inserted and *hit (if not NULL) is the lowest overlapping interval;
 * -EINVAL len 0 or wrapping past 2^64-1; -ENOMEM.
 */
int ivset_insert(struct ivset *s, __u64 start, __u64 len, struct iv *hit);

/*
 * Insert [start, start+len-1], first removing whatever overlaps it: intervals
 * cut by the range keep their parts outside it. For a model following a
 * kernel that accepted an overlapping map. 0, -EINVAL or -ENOMEM.
 */
int ivset_insert_replace(struct ivset *s, __u64 start, __u64 len);

/*
 * Remove [start, start+len-1] from the set, cutting intervals that stick out
 * of it; fills *r if not NULL. 0, -EINVAL, or -ENOMEM when cutting the middle
 * out of one interval needs a node and none can be had.
 */
int ivset_remove(struct ivset *s, __u64 start, __u64 len, struct iv_removed *r);

/*
 * The lowest interval overlapping [start, last] (inclusive) into *out (if not
 * NULL): 1 found, 0 none, -EINVAL start > last.
 */
int ivset_find(const struct ivset *s, __u64 start, __u64 last, struct iv *out);

/*
 * Call cb on every interval in ascending order; cb must not change the set.
 * Stops at the first non-zero return of cb and returns it; 0 otherwise.
 */
int ivset_foreach(const struct ivset *s, int (*cb)(const struct iv *iv, void *arg), void *arg);

/* Verify the tree's invariants (for tests): 0, or -EUCLEAN if broken. */
int ivset_check(const struct ivset *s);

#endif
