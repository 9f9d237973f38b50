/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Choosing a method for each probe-table row, from facts gathered by the
 * loader. Pure: no kernel, no BPF object, so it is unit tested directly.
 */
#ifndef ITR_SELECT_H
#define ITR_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include "source/loader.h"

/* What the loader found out about one row. */
struct row_facts {
	bool fentry_progs;	/* the object has usable fentry/fexit programs for it */
	bool kprobe_progs;	/* ... kprobe/kretprobe programs */
	bool tp_prog;		/* ... a tp_btf program */
	int fentry_err;		/* kernel_fentry_probe(): 0, -ENOENT, -ESRCH, -EPERM, ... */
	bool kprobes;		/* the kernel supports kprobes */
	bool sym_found;		/* kallsyms resolves the function (or a clone) */
	bool tp_exists;		/* the tracepoint is in BTF */
};

struct select_opts {
	bool no_fentry;
	bool tp_only;
};

/*
 * Choose the method of every row (states[i].t must point to rows[i]):
 * fentry, else kprobe, or tracepoint; alternatives after a usable one are
 * superseded. Writes method and why of each state.
 */
void select_methods(const struct target *rows, int n, const struct row_facts *facts,
		    const struct select_opts *o, struct target_state *states);

#endif
