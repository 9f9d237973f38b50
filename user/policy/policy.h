/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Enforcement policies (docs/enforce.md): a YAML file parsed by libyaml
 * into struct policy (policy_parse), then compiled against this host's
 * device numbers and cgroups into the BPF maps' struct itr_enf_policy
 * (policy_compile). Rules are evaluated in file order and the first that
 * matches decides; none matching: the default action.
 *
 * Every error is one line "FILE:LINE:COLUMN: what was expected" in
 * policy_err.msg, and the call returns -EINVAL (nothing half-made is kept).
 */
#ifndef ITR_POLICY_H
#define ITR_POLICY_H

#include <stdbool.h>
#include "iommutrace_enforce.h"

#define POLICY_NAME_LEN 32
#define POLICY_PATH_LEN 256

struct policy_err {
	char msg[512];
};

/* Where a value was written (1-based), for errors found after parsing. */
struct policy_mark {
	unsigned int line;
	unsigned int col;
};

struct policy_rule {
	char name[POLICY_NAME_LEN];	/* "id:" in the file; "rule-N" when absent */
	struct itr_enf_rule r;		/* everything but what compile resolves */
	char cgroup[POLICY_PATH_LEN];	/* subject.cgroup; "" none */
	char node[POLICY_PATH_LEN];	/* object.node or /dev/vfio/<group>; "" none */
	struct policy_mark cgroup_at, node_at;
	/* limits.iova as written (compile sorts and merges them) */
	struct itr_enf_range allow[ITR_ENF_MAX_RANGES];
	struct itr_enf_range forbid[ITR_ENF_MAX_RANGES];
	unsigned int nallow, nforbid;
	struct policy_mark allow_at, forbid_at;
	char exe[POLICY_PATH_LEN];	/* subject.exe; "" none (compile resolves its identity) */
	struct policy_mark exe_at;
};

struct policy {
	char file[POLICY_PATH_LEN];
	__u32 default_action;
	unsigned int nrules;
	struct policy_rule rules[ITR_ENF_MAX_RULES];
};

/* Parse PATH (or, if TEXT is not NULL, TEXT named PATH in errors). */
int policy_parse(const char *path, const char *text, struct policy *p, struct policy_err *err);

/*
 * Where compile finds device nodes and cgroups: the real system by
 * default; tests point them elsewhere.
 */
struct policy_env {
	const char *cgroup_root;	/* NULL: /sys/fs/cgroup */
	const char *dev_root;		/* NULL: / (nodes are resolved under it) */
	const char *devices;		/* NULL: /proc/devices */
	const char *mountinfo;		/* NULL: /proc/self/mountinfo (executables' superblocks) */
};

/*
 * Resolve P's paths and ranges into OUT (device numbers of the host's VFIO
 * and iommufd nodes included). FLAGS: ITR_ENF_F_*.
 */
int policy_compile(const struct policy *p, const struct policy_env *env, __u32 flags,
		   struct itr_enf_policy *out, struct policy_err *err);

/* Names (sorted tables keyed by enum value). NULL when out of range. */
const char *policy_op_name(__u32 op);
const char *policy_action_name(__u32 action);
const char *policy_tier_name(__u32 tier);
const char *policy_verdict_name(__u32 verdict);
/* Lookups by name: the enum value, or -1. */
int policy_op_lookup(const char *name);
/* The operation bits a rule naming OP gets: OP's, and attach also pasid-attach's and replace's. */
__u64 policy_op_bits(int op);
int policy_action_lookup(const char *name);

/*
 * Decide Q as the BPF programs do (first match; cgroup ids at each level
 * given by CGROUP_AT, level -> id, NULL: no cgroup). Returns the rule
 * index (1..nrules) or 0 for the default; *action is set.
 */
unsigned int policy_decide(const struct itr_enf_policy *p, const struct itr_enf_req *q,
			   const __u64 *cgroup_at, unsigned int ncgroup, __u32 *action);

#endif
