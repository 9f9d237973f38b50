// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <string.h>
#include "cli/cmd.h"

Test(cmd, table_is_sorted_and_complete)
{
	int i;

	cr_assert_gt(itr_ncmds, 0);
	for (i = 0; i < itr_ncmds; i++) {
		cr_assert_not_null(itr_cmds[i].fn, "%s", itr_cmds[i].name);
		cr_assert_not_null(itr_cmds[i].summary, "%s", itr_cmds[i].name);
		if (i)
			cr_assert_lt(strcmp(itr_cmds[i - 1].name, itr_cmds[i].name), 0,
				     "%s before %s", itr_cmds[i - 1].name, itr_cmds[i].name);
	}
}

Test(cmd, find_hits_every_entry_and_misses_others)
{
	int i;

	for (i = 0; i < itr_ncmds; i++)
		cr_assert_eq(cmd_find(itr_cmds, itr_ncmds, itr_cmds[i].name), &itr_cmds[i]);
	cr_assert_null(cmd_find(itr_cmds, itr_ncmds, ""));
	cr_assert_null(cmd_find(itr_cmds, itr_ncmds, "zzz"));
	cr_assert_null(cmd_find(itr_cmds, itr_ncmds, "sta"));
	cr_assert_null(cmd_find(itr_cmds, 0, "stat"));
}
