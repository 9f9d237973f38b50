// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <string.h>
#include "cmd.h"

#ifndef ITR_VERSION
#define ITR_VERSION "0.1.0"
#endif

const char *itr_version = ITR_VERSION;

const struct cmd *cmd_find(const struct cmd *cmds, int n, const char *name)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(name, cmds[mid].name);

		if (!c)
			return &cmds[mid];
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return NULL;
}
