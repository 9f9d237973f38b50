/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The probe table: every kernel hook iommutrace can use, one row each, and
 * one attach loop (user/loader.c) that picks a method per row at load time.
 *
 * BPF programs follow one naming convention so that a row names only its
 * base: for base B the programs are fentry_B / fexit_B (SEC("?fentry/F"),
 * SEC("?fexit/F")), kprobe_B / kretprobe_B (SEC("?kprobe/F"),
 * SEC("?kretprobe/F")) and, for tracepoint rows, tp_B (SEC("?tp_btf/T")).
 * A row may lack some of them (say, no exit program); every program is
 * optional ("?") and only the chosen family is loaded.
 */
#ifndef ITR_TARGETS_H
#define ITR_TARGETS_H

#include <stdbool.h>
#include <stddef.h>

enum target_kind {
	TGT_FUNC = 0,	/* a kernel function: fentry/fexit, else kprobe/kretprobe */
	TGT_TP,		/* a BTF tracepoint: tp_btf only */
};

/* target.flags */
#define TGT_REQUIRED	(1u << 0)	/* the tool is useless without it */
#define TGT_NEEDS_EXIT	(1u << 1)	/* entry alone gives nothing: need fexit or kretprobe */

struct target {
	const char *name;	/* function name, or tracepoint name (without "iommu/") */
	const char *module;	/* NULL: vmlinux; else the module that has it */
	const char *base;	/* BPF program base name */
	enum target_kind kind;
	unsigned int flags;
	/*
	 * Rows with the same non-NULL `alt` are alternatives: the first one
	 * (in table order) that can attach is used, the others are reported
	 * "superseded" (e.g. iommu_map_nosync before iommu_map on 6.18+).
	 */
	const char *alt;
	const char *what;	/* one line: what the hook gives */
};

extern const struct target itr_targets[];
extern const int itr_ntargets;

#endif
