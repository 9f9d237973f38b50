// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Probe-table method selection: fentry, else kprobe, tracepoints, alternatives. */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include "source/select.h"

static const struct target rows[] = {
	{ "iommu_map_nosync", NULL, "map_nosync", TGT_FUNC, 0, "map", "map (6.18+)" },
	{ "iommu_map", NULL, "map", TGT_FUNC, 0, "map", "map" },
	{ "iommu_unmap", NULL, "unmap", TGT_FUNC, TGT_REQUIRED, NULL, "unmap" },
	{ "map", NULL, "cnt_map", TGT_TP, 0, NULL, "tracepoint" },
};
#define N ((int)(sizeof(rows) / sizeof(rows[0])))

static const struct row_facts all_good = {
	.fentry_progs = true, .kprobe_progs = true, .tp_prog = true,
	.kprobes = true, .sym_found = true, .tp_exists = true,
};

static void run(const struct row_facts *f, const struct select_opts *o, struct target_state *s)
{
	int i;

	memset(s, 0, N * sizeof(*s));
	for (i = 0; i < N; i++)
		s[i].t = &rows[i];
	select_methods(rows, N, f, o, s);
}

Test(select, fentry_is_preferred_and_alternatives_are_superseded)
{
	struct row_facts f[N] = { all_good, all_good, all_good, all_good };
	struct select_opts o = {};
	struct target_state s[N];

	run(f, &o, s);
	cr_assert_eq(s[0].method, METHOD_FENTRY);
	cr_assert_eq(s[1].method, METHOD_SUPERSEDED, "%s", s[1].why);
	cr_assert(strstr(s[1].why, "iommu_map_nosync"), "%s", s[1].why);
	cr_assert_eq(s[2].method, METHOD_FENTRY);
	cr_assert_eq(s[3].method, METHOD_TP);
}

Test(select, missing_first_alternative_lets_the_second_win)
{
	struct row_facts f[N] = { all_good, all_good, all_good, all_good };
	struct select_opts o = {};
	struct target_state s[N];

	f[0].fentry_err = -ENOENT;	/* 6.1: no iommu_map_nosync at all */
	f[0].sym_found = false;
	run(f, &o, s);
	cr_assert_eq(s[0].method, METHOD_NONE);
	cr_assert(strstr(s[0].why, "not in BTF") && strstr(s[0].why, "not in kallsyms"), "%s", s[0].why);
	cr_assert_eq(s[1].method, METHOD_FENTRY);
}

Test(select, kprobe_fallbacks_and_their_reasons)
{
	struct row_facts f[N] = { all_good, all_good, all_good, all_good };
	struct select_opts o = {};
	struct target_state s[N];

	f[2].fentry_err = -ESRCH;	/* inlined: kprobe on a clone instead */
	run(f, &o, s);
	cr_assert_eq(s[2].method, METHOD_KPROBE);
	cr_assert(strstr(s[2].why, "no ftrace site"), "%s", s[2].why);

	f[2].fentry_err = -EPERM;	/* the build host: fentry refused, no kprobes */
	f[2].kprobes = false;
	run(f, &o, s);
	cr_assert_eq(s[2].method, METHOD_NONE);
	cr_assert(strstr(s[2].why, "refused") && strstr(s[2].why, "no kprobe support"), "%s", s[2].why);

	f[2] = all_good;
	f[2].fentry_progs = false;	/* e.g. TGT_NEEDS_EXIT without fexit */
	run(f, &o, s);
	cr_assert_eq(s[2].method, METHOD_KPROBE);
	cr_assert(strstr(s[2].why, "no fentry program"), "%s", s[2].why);
}

Test(select, no_fentry_forces_kprobes)
{
	struct row_facts f[N] = { all_good, all_good, all_good, all_good };
	struct select_opts o = { .no_fentry = true };
	struct target_state s[N];

	run(f, &o, s);
	cr_assert_eq(s[0].method, METHOD_KPROBE);
	cr_assert_eq(s[1].method, METHOD_SUPERSEDED);
	cr_assert_eq(s[2].method, METHOD_KPROBE);
	cr_assert(strstr(s[2].why, "--no-fentry"), "%s", s[2].why);
}

Test(select, tracepoints_and_tp_only)
{
	struct row_facts f[N] = { all_good, all_good, all_good, all_good };
	struct select_opts o = { .tp_only = true };
	struct target_state s[N];

	run(f, &o, s);
	cr_assert_eq(s[0].method, METHOD_OFF);
	cr_assert_eq(s[2].method, METHOD_OFF);
	cr_assert_eq(s[3].method, METHOD_TP);

	f[3].tp_exists = false;
	run(f, &o, s);
	cr_assert_eq(s[3].method, METHOD_NONE);
	cr_assert(strstr(s[3].why, "no such tracepoint"), "%s", s[3].why);
}
