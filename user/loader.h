/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
#ifndef ITR_LOADER_H
#define ITR_LOADER_H

#include <stdbool.h>
#include "iommutrace.h"

struct iommutrace_bpf;

struct loader {
	struct iommutrace_bpf *skel;
	int ncpus;
};

/* Route libbpf's own messages to stderr only when verbose. */
void loader_set_verbose(bool verbose);

/* open -> configure -> load -> attach; 0 or -errno, message printed. */
int loader_start(struct loader *l);
/* Sum the per-CPU counters into *out; 0 or -errno. */
int loader_counters(const struct loader *l, struct itr_counters *out);
/* Destroy every link and the skeleton; accepts a zeroed loader. */
void loader_stop(struct loader *l);

#endif
