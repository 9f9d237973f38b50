/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Small bounded sets of ids kept in fixed arrays (a group's members, a
 * domain's groups, ...). A full set does not grow: the add fails with
 * -ENOSPC and the caller counts what it dropped (house rule: count what
 * is lost).
 */
#ifndef ITR_SET_H
#define ITR_SET_H

#include <errno.h>
#include <linux/types.h>

/* Add v to a[0..*n) of capacity cap unless present: 1 added, 0 present, -ENOSPC full. */
#define SET_ADD(a, n, cap, v) ({						\
	int _i, _r = 1;								\
	for (_i = 0; _i < *(n); _i++)						\
		if ((a)[_i] == (v)) { _r = 0; break; }				\
	if (_r == 1) {								\
		if (*(n) >= (cap)) _r = -ENOSPC;				\
		else (a)[(*(n))++] = (v);					\
	}									\
	_r; })

/* Remove v from a[0..*n) (order not kept): 1 removed, 0 absent. */
#define SET_DEL(a, n, v) ({							\
	int _i, _r = 0;								\
	for (_i = 0; _i < *(n); _i++)						\
		if ((a)[_i] == (v)) { (a)[_i] = (a)[--(*(n))]; _r = 1; break; }	\
	_r; })

/* Whether a[0..n) holds v. */
#define SET_HAS(a, n, v) ({							\
	int _i, _r = 0;								\
	for (_i = 0; _i < (n); _i++)						\
		if ((a)[_i] == (v)) { _r = 1; break; }				\
	_r; })

#endif
