// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The subcommand table and its lookup. */
#include <stdio.h>
#include <string.h>
#include "cli/cli.h"
#include "cli/cmd.h"

#ifndef ITR_VERSION
#define ITR_VERSION "0.1.0"
#endif

const char *itr_version = ITR_VERSION;

static int cmd_help(int argc, char **argv);

/* Sorted by name (cmd_find bisects; a unit test checks the order). */
const struct cmd itr_cmds[] = {
	{ "aux",	cmd_aux,	"the kernel shim's aux-domain helpers: alloc, attach, detach, replace, map, unmap, list, free" },
	{ "check",	cmd_check,	"judge a live window or a recording; exit 1 on findings" },
	{ "enforce",	cmd_enforce,	"deny what a policy forbids (BPF LSM), audit every decision" },
	{ "help",	cmd_help,	"show the subcommands" },
	{ "monitor",	cmd_monitor,	"live events and findings as they happen" },
	{ "probe",	cmd_probe,	"what this kernel offers and how each hook attaches" },
	{ "record",	cmd_record,	"record events and the sysfs snapshot to a file" },
	{ "report",	cmd_report,	"sum up a recording: domains, devices, mappers, latencies, findings" },
	{ "serve",	cmd_serve,	"serve Prometheus metrics: exact in-kernel counts and histograms" },
	{ "shim",	cmd_shim,	"load, unload or show the kernel shim (aux helpers, kfuncs)" },
	{ "stat",	cmd_stat,	"exact totals of the kernel's iommu tracepoints" },
	{ "trace",	cmd_trace,	"IOMMU core events as text or JSON lines, filtered in BPF" },
	{ "version",	cmd_version,	"show the version and ABI" },
};

const int itr_ncmds = sizeof(itr_cmds) / sizeof(itr_cmds[0]);

void cmd_usage(FILE *f)
{
	int i;

	fprintf(f, "Usage: iommutrace COMMAND [OPTIONS]\n\nCommands:\n");
	for (i = 0; i < itr_ncmds; i++)
		fprintf(f, "  %-10s %s\n", itr_cmds[i].name, itr_cmds[i].summary);
	fprintf(f, "\n'iommutrace COMMAND --help' shows a command's options.\n");
}

static int cmd_help(int argc, char **argv)
{
	static const struct argp argp = { NULL, cli_no_args, NULL,
		"Show the subcommands; 'iommutrace COMMAND --help' shows a command's options.", NULL, NULL, NULL };
	struct output out;

	if (cli_parse(&argp, argc, argv))
		return 2;
	output_open(&out, NULL);
	cmd_usage(out.f);
	return cli_output_close(&out, 0) ? 1 : 0;
}

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
