/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Findings: what the checker reports when the kernel's pieces disagree.
 * Each names its rule (a stable id from the rule table, check/rules.c), a
 * severity, a one-line explanation, the objects involved and the first
 * event that made it true. Formats: docs/findings.md.
 */
#ifndef ITR_FINDING_H
#define ITR_FINDING_H

#include <stdio.h>
#include <json-c/json.h>
#include "iommutrace.h"

enum finding_sev {
	SEV_INFO = 0,
	SEV_WARNING,
	SEV_ERROR,
	FINDING_NSEV,
};

/* Rule ids, sorted by name: the index into rule_table. */
enum rule_id {
	R_DETACH_AMBIGUOUS = 0,
	R_DETACH_NOT_PROPAGATED,
	R_DOMAIN_FREED_WITH_MAPPINGS,
	R_GROUP_CHANGED_DURING_ATTACH,
	R_GROUP_SPLIT,
	R_MAP_OVERLAP,
	R_PASID_REUSE,
	R_PASID_WITHOUT_PARENT,
	R_RESERVED_OVERLAP,
	R_STALE_HWPT_VIEW,
	R_UNMAP_PARTIAL,
	R_UNMAP_SIZE_MISMATCH,
	R_UNMAP_UNMAPPED,
	R_NRULES,
};

/*
 * What the kernel's own state (the shim's kfuncs, check/confirm.c) said
 * when the finding was made: only for rules that have a kernel check, in
 * a live run (a recording: none).
 */
enum finding_kernel {
	FK_NONE = 0,		/* not asked */
	FK_UNAVAILABLE,		/* asked, but the kernel shim is not loaded */
	FK_CONFIRMED,
	FK_REFUTED,
};

/* The objects a finding names (0 / "" / -1: not involved). */
struct finding_objs {
	char dev[ITR_DEV_LEN];
	char dev2[ITR_DEV_LEN];
	__s32 group;
	__u32 pasid;
	__u64 domain;
	__u64 domain2;
	__u32 hwpt;
	__u32 hwpt2;
	__u64 iova;
	__u64 size;
	__u64 bytes;		/* bytes involved (mappings left or torn down) */
	__s32 fd;
	__u32 pad;
	__u64 file_id;
};

struct finding {
	enum rule_id rule;
	enum finding_sev sev;
	char msg[256];		/* one line */
	struct finding_objs o;
	/* the first event that made it true */
	__u16 ev_kind;
	__u64 ev_ts_ns;
	__u64 ev_seq;		/* its index in the stream (from 1) */
	__u64 ev_op_id;
	__u32 ev_tgid;
	char ev_comm[ITR_COMM_LEN];
	const char *ev_ioctl;	/* the ioctl's name when the event is one; else NULL */
	/* repeats: the model reports the first, counts the rest */
	__u64 key;
	enum finding_kernel kernel;
};

typedef void (*finding_cb_t)(void *arg, const struct finding *f);

/* "info", "warning", "error" and back (-ENOENT). */
const char *sev_str(enum finding_sev s);
int sev_parse(const char *s, enum finding_sev *out);
/* Init a finding of rule r with its default severity; objects unset. */
void finding_init(struct finding *f, enum rule_id r);
/* The dedup key: the rule and its objects. */
__u64 finding_key(const struct finding *f);

/* One text line: "error stale-hwpt-view: ... [device 0000:01:01.0 ...] (event #12 attach at 0.33s)". */
int finding_text(FILE *out, const struct finding *f, __u64 t0_ns);
json_object *finding_json(const struct finding *f);

#endif
