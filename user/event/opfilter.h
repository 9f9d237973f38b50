/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Filters on VFIO/iommufd operations, applied in user space because they
 * need what only user space knows: the decoded ioctl argument, and what
 * earlier records taught (a container fd's file, an HWPT's domain).
 * --fd, --ioas, --hwpt, --container; semantics in docs/events.md,
 * "Filters". Several given: a record must pass each.
 */
#ifndef ITR_OPFILTER_H
#define ITR_OPFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include "event/event.h"

/* Option keys (long only). */
enum {
	OPFILTER_FD = 0x180,
	OPFILTER_IOAS,
	OPFILTER_HWPT,
	OPFILTER_CONTAINER,
};

#define OPFILTER_NFILES 8	/* files of one --container fd (the number reused) */
#define OPFILTER_NDOMAINS 64	/* domains of the HWPTs --ioas/--hwpt follow */

struct opfilter {
	__s32 fd;		/* --fd: -1 any */
	__u32 ioas;		/* --ioas: 0 any (iommufd ids start at 1) */
	__u32 hwpt;		/* --hwpt: 0 any */
	__s32 container;	/* --container: -1 any */
	/* learnt: file ids of the container fd, domains of the HWPTs followed */
	__u64 files[OPFILTER_NFILES];
	unsigned int nfiles;
	struct {
		__u64 id;	/* 0: free slot */
		__u32 why;	/* followed for --ioas (1), --hwpt (2) */
	} domains[OPFILTER_NDOMAINS];
	unsigned int next_domain;
	__u64 evicted;		/* files or domains forgotten to make room (bounded) */
};

/* Give it a struct opfilter * as input; it runs opfilter_init() on it first. */
void opfilter_init(struct opfilter *f);
/* Apply one option; 0 or -EINVAL with why. */
int opfilter_parse(struct opfilter *f, int key, const char *arg, char *why, size_t len);
/* Whether any of these filters is set. */
bool opfilter_active(const struct opfilter *f);
/* Learn from ev, then say whether it passes. Feed it every decoded record, in order. */
bool opfilter_match(struct opfilter *f, const struct itr_event *ev);

#endif
