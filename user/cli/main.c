// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace: pick the subcommand (user/cmd.c) and run it. */
#include <argp.h>
#include <stdio.h>
#include <string.h>
#include "cli/cmd.h"
#include "lib/log.h"

int main(int argc, char **argv)
{
	static char name[64];
	const struct cmd *c;

	argp_err_exit_status = 2;
	if (argc < 2) {
		cmd_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		argv[1] = "help";
	else if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		argv[1] = "version";
	c = cmd_find(itr_cmds, itr_ncmds, argv[1]);
	if (!c) {
		log_err("unknown command '%s' (try 'iommutrace help')", argv[1]);
		return 2;
	}
	/* argp's messages then say "iommutrace trace: ..." */
	snprintf(name, sizeof(name), "iommutrace %s", c->name);
	argv[1] = name;
	return c->fn(argc - 1, argv + 1);
}
