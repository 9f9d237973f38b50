/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the subcommands share: the option children (one home for each
 * option: cli/options.c), option value parsers, and the output's open and
 * close with its error handling.
 */
#ifndef ITR_CLI_H
#define ITR_CLI_H

#include <argp.h>
#include <stdbool.h>
#include "lib/output.h"

/*
 * argp children. live_argp (input: struct live_opts *): -d/--duration and
 * the hidden test options --ringbuf-size, --domain-key, --sysfs-root, with
 * kernel_argp as its child: -v/--verbose, --btf, --no-fentry.
 * filter_argp (input: struct itr_config *): the BPF filters.
 * opfilter_argp (input: struct opfilter *): the user-space operation filters.
 */
extern const struct argp live_argp;
/*
 * The output's options (input: struct cli_fmt *): json_argp -j/--json;
 * output_argp -j/--json and -o/--output FILE. Both refuse a positional argument the
 * command itself did not take ("unexpected argument").
 */
struct cli_fmt {
	bool json;
	const char *output;	/* NULL: stdout */
};
extern const struct argp json_argp;
extern const struct argp output_argp;
extern const struct argp kernel_argp;
extern const struct argp filter_argp;
extern const struct argp opfilter_argp;

/*
 * argp_parse(argp, argc, argv, 0, NULL, NULL) whose usage errors are one
 * line (the message, no "Try --help" hint): cli/usage.c. 0 or an errno.
 */
int cli_parse(const struct argp *argp, int argc, char **argv);

/* An argp parser for a command that takes no argument ("unexpected argument"). */
error_t cli_no_args(int key, char *arg, struct argp_state *state);

/* The long name of option KEY in an argp option table; NULL if absent. */
const char *cli_option_name(const struct argp_option *opts, int key);

/* Option values: argp_error() naming OPT and ARG on a bad one. */
#define CLI_SECONDS_MAX	(365 * 24 * 3600)	/* cli_seconds' bound: ns fit a u64 */
double cli_seconds(struct argp_state *state, const char *opt, const char *arg);
/* --output FILE: not empty (the file is created by the command). */
const char *cli_output(struct argp_state *state, const char *arg);
const char *cli_readable(struct argp_state *state, const char *opt, const char *arg);

/*
 * -EEXIST (printed) when path is one of the files of the NULL-terminated
 * inputs (same device and inode: a link or another name too); else 0.
 */
int cli_output_clash(const char *path, const char *const *inputs);
/*
 * Open --output (NULL: stdout) through a temporary file (lib/output.h),
 * refused when it is one of inputs (cli_output_clash); prints why not.
 * 0 or -errno.
 */
int cli_output_open(struct output *o, const char *path, const char *const *inputs);
/*
 * Close the output and judge the run: a reader that went away (EPIPE, as
 * with | head) is no failure; any other write failure is printed and
 * fails the run. Returns err, or the write failure when err is 0.
 */
int cli_output_close(struct output *o, int err);

#endif
