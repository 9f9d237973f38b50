/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Event filters: the CLI's options -> struct itr_config, applied in BPF
 * (bpf/lib). The options themselves are the CLI's (cli/options.c).
 * Semantics: docs/events.md, "Filters".
 */
#ifndef ITR_FILTER_H
#define ITR_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include "iommutrace.h"

/* Option keys of the filters (short ones: -p, -c). */
enum {
	FILTER_PID = 'p',
	FILTER_COMM = 'c',
	FILTER_CGROUP = 0x100,
	FILTER_DEV,
	FILTER_GROUP,
	FILTER_TYPE,
	FILTER_KINDS,
	FILTER_ALL_DOMAINS,
};

/*
 * The filter options as an argp child: give it a struct itr_config * as
 * its input (state->child_inputs[i]); it runs filter_init() on it first.
 * A bad value is one line naming the option and the value (argp_error).
 */
/* No filter: zero, group_id -1. */
void filter_init(struct itr_config *cfg);
/* Apply one option (key FILTER_*, arg its value); 0 or -EINVAL with why. */
int filter_parse(struct itr_config *cfg, int key, const char *arg, char *why, size_t len);

/* The domain-type filter's bit for a type (the ABI's, as BPF uses it). */
static inline __u32 filter_type_bit(__u32 type)
{
	return itr_type_bit(type);
}


#endif
