// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* iommutrace: the subcommand table. */
#include <stdio.h>
#include <string.h>
#include "cmd.h"

static int cmd_help(int argc, char **argv);

/* Sorted by name. */
static const struct cmd cmds[] = {
	{ "help",	cmd_help,	"show the subcommands" },
	{ "stat",	cmd_stat,	"exact totals of the kernel's iommu tracepoints" },
	{ "version",	cmd_version,	"show the version and ABI" },
};

#define NCMDS ((int)(sizeof(cmds) / sizeof(cmds[0])))

static void usage(FILE *f)
{
	int i;

	fprintf(f, "Usage: iommutrace COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f, "\n'iommutrace COMMAND --help' shows a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	usage(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const struct cmd *c;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V"))
		return cmd_version(argc - 1, argv + 1);
	c = cmd_find(cmds, NCMDS, argv[1]);
	if (!c) {
		fprintf(stderr, "iommutrace: unknown command '%s' (try 'iommutrace help')\n", argv[1]);
		return 2;
	}
	return c->fn(argc - 1, argv + 1);
}
