/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * A reader of the enforcement daemon's pinned maps (include/iommutrace_enforce.h,
 * docs/enforce.md "Pinned maps") for those who only look: the exporter
 * (sink/metrics_enforce.c), from `serve`, `monitor --metrics` and
 * `enforce --metrics`. It opens the pins read-only, reads the slot in
 * force and sums each rule's per-CPU counters; it never writes, never
 * loads anything and needs nothing of user/enforce (a layer above it).
 * Bounded: at most ITR_ENF_MAX_RULES + 1 rules (the default first).
 *
 * Also here: the counters the daemon itself keeps in user space (records
 * it wrote), which it fills and the exporter reads from another thread.
 */
#ifndef ITR_SOURCE_ENFORCE_PINS_H
#define ITR_SOURCE_ENFORCE_PINS_H

#include <linux/types.h>
#include "iommutrace_enforce.h"

#define ENF_PINS_NRULES (ITR_ENF_MAX_RULES + 1)

struct enf_pins_rule {
	char id[ITR_ENF_NAME_LEN + 12];	/* the rule's id; "(default)" for rule 0; unique */
	__u32 action;			/* enum itr_enf_action */
	struct itr_enf_counts c;	/* summed over the CPUs */
};

/* The policy in force and its counters. */
struct enf_pins {
	__u32 generation, slot, flags, default_action;
	__u32 nrules;			/* rules[0] (the default) and nrules more */
	struct enf_pins_rule rules[ENF_PINS_NRULES];
};

/*
 * Read what is pinned under dir (ITR_ENF_PIN_DIR). 0; -ENOENT when
 * nothing is pinned (no enforcement); another -errno when it cannot be read.
 */
int enf_pins_read(const char *dir, struct enf_pins *out);

/*
 * Sum the per-CPU counters at key of the enf_counters map fd into out,
 * with per (ncpu entries) as scratch. 0 or -errno.
 */
int enf_pins_sum(int fd, __u32 key, struct itr_enf_counts *per, int ncpu,
		 struct itr_enf_counts *out);

/* The daemon's own counters (updated with atomics, read by scrapes). */
struct enf_daemon_counts {
	__u64 records;		/* audit records written as JSON lines */
	__u64 write_errors;	/* audit records the daemon failed to write */
};

#endif
