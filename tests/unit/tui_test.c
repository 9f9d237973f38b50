// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The live view's logic without a terminal (user/sink/tui.h): filters and rates. */
#include <criterion/criterion.h>
#include <string.h>
#include "sink/tui.h"

#define SEC 1000000000ULL

Test(tui, proc_filter_by_pid_or_comm_prefix)
{
	struct tui_filter f = {};

	cr_assert(tui_match_proc(&f, 1, "anything"));
	strcpy(f.proc, "840");
	cr_assert(tui_match_proc(&f, 840, "qemu"));
	cr_assert_not(tui_match_proc(&f, 84, "qemu"));
	cr_assert_not(tui_match_proc(&f, 8400, "840"), "a pid is matched as a number, not as a comm");
	strcpy(f.proc, "qemu");
	cr_assert(tui_match_proc(&f, 1, "qemu-system-x86"));
	cr_assert_not(tui_match_proc(&f, 1, "iommutrace-work"));
	cr_assert_not(tui_match_proc(&f, 1, NULL));
	strcpy(f.proc, "9p");	/* digits first, not a number: a comm */
	cr_assert(tui_match_proc(&f, 9, "9pfs"));
}

Test(tui, dev_filter_is_a_substring)
{
	struct tui_filter f = {};

	cr_assert(tui_match_dev(&f, NULL));
	strcpy(f.dev, "01:02");
	cr_assert(tui_match_dev(&f, "0000:01:02.0"));
	cr_assert_not(tui_match_dev(&f, "0000:01:01.0"));
	cr_assert_not(tui_match_dev(&f, NULL));
}

Test(tui, rate_is_the_last_whole_second)
{
	struct tui_rate r = {};
	int i;

	for (i = 0; i < 5; i++)
		tui_rate_add(&r, 10 * SEC + i);
	cr_assert_eq(tui_rate_per_sec(&r, 10 * SEC + 500), 0, "second 10 is not over yet, 9 had none");
	cr_assert_eq(tui_rate_per_sec(&r, 11 * SEC), 5);
	cr_assert_eq(tui_rate_per_sec(&r, 12 * SEC), 0, "idle for a whole second: 0");
	tui_rate_add(&r, 11 * SEC + 1);
	cr_assert_eq(tui_rate_per_sec(&r, 11 * SEC + 2), 5, "second 10's count while 11 runs");
	tui_rate_add(&r, 13 * SEC);
	cr_assert_eq(tui_rate_per_sec(&r, 13 * SEC + 1), 0, "second 12 had none");
	cr_assert_eq(r.total, 7);
}
