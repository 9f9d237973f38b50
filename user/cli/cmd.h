/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ITR_CMD_H
#define ITR_CMD_H

/* A subcommand: argv[0] is its name. Returns the process exit status. */
struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

#include <stdio.h>

/* The subcommands, sorted by name. */
extern const struct cmd itr_cmds[];
extern const int itr_ncmds;

void cmd_usage(FILE *f);
/* Find NAME in a table sorted by name; NULL if absent. */
const struct cmd *cmd_find(const struct cmd *cmds, int n, const char *name);

int cmd_aux(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_enforce(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_probe(int argc, char **argv);
int cmd_record(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_shim(int argc, char **argv);
int cmd_stat(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_version(int argc, char **argv);

extern const char *itr_version;

#endif
