/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* What the subcommands share: option values, the clock, Ctrl-C. */
#ifndef ITR_CLI_H
#define ITR_CLI_H

#include <argp.h>
#include <signal.h>
#include <stdbool.h>
#include <linux/types.h>

/* Set by SIGINT/SIGTERM once cli_catch_signals() ran. */
extern volatile sig_atomic_t cli_exiting;
void cli_catch_signals(void);

/* CLOCK_MONOTONIC in ns: the clock of bpf_ktime_get_ns(). */
__u64 cli_now_ns(void);
/* The deadline for --duration SEC from now; 0 (none) when sec is 0. */
__u64 cli_deadline_ns(double sec);
/* cli_exiting, or past a deadline (0: none). */
bool cli_done(__u64 deadline_ns);

/* The long name of option KEY in an argp option table; NULL if absent. */
const char *cli_option_name(const struct argp_option *opts, int key);

/* Option values: argp_error() naming OPT and ARG on a bad one. */
double cli_seconds(struct argp_state *state, const char *opt, const char *arg);
/* --output FILE: not empty (the file is created by the command). */
const char *cli_output(struct argp_state *state, const char *arg);
const char *cli_readable(struct argp_state *state, const char *opt, const char *arg);

#endif
