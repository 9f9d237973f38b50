// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The daemon's part of the pinned-bytes cap (docs/enforce.md, "The
 * pinned-bytes cap"): BPF cannot write a limit, so when a capped subject's
 * process shows a RLIMIT_MEMLOCK above its cap, the daemon sets it to the
 * cap with prlimit(2). The soft limit only: it is the one both pin paths
 * check, and task_setrlimit refuses raising it above the cap again, so the
 * hard limit (which a setrlimit keeping it would otherwise trip over with
 * EINVAL) is left alone. Two records say so, both
 * decided in the kernel by the rule in force: an over-cap record (the
 * process opened or received a VFIO/iommufd file: before its first map,
 * in the common case) and a map denied by a max-pinned rule (a process
 * that had its files before the policy). The cap is read from the pinned
 * policy of the record's slot, not from the daemon's own copy, so a
 * --reload from another process is honoured.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <sys/resource.h>
#include <bpf/bpf.h>
#include "enforce/enforce.h"
#include "lib/clock.h"

/* The cap of the rule a record names, from the pinned policy; 0: none (not capped). */
static __u64 record_cap(int policy_fd, const struct itr_enf_audit *a)
{
	static struct itr_enf_policy p;
	__u32 slot = a->slot & 1;

	if (!a->rule_id || a->rule_id > ITR_ENF_MAX_RULES || bpf_map_lookup_elem(policy_fd, &slot, &p) ||
	    p.generation != a->generation || (p.flags & ITR_ENF_F_DRY_RUN))
		return 0;
	return p.rules[a->rule_id - 1].match & ITR_ENF_M_MAX_PINNED ? p.rules[a->rule_id - 1].max_pinned : 0;
}

int enforce_memlock_lower(int policy_fd, const struct itr_enf_audit *a, struct itr_enf_audit *out)
{
	struct rlimit lim;
	__u64 cap;

	if (a->verdict != ITR_ENF_V_OVER_CAP &&
	    (a->verdict != ITR_ENF_V_DENIED || a->op != ITR_ENF_OP_MAP))
		return 0;
	cap = record_cap(policy_fd, a);
	if (!cap)
		return 0;
	/* the process may be gone already (a refused map's caller that gave up) */
	if (prlimit(a->tgid, RLIMIT_MEMLOCK, NULL, &lim))
		return errno == ESRCH ? 0 : -errno;
	if (lim.rlim_cur <= cap)
		return 0;
	lim.rlim_cur = cap;
	if (prlimit(a->tgid, RLIMIT_MEMLOCK, &lim, NULL))
		return errno == ESRCH ? 0 : -errno;
	*out = *a;
	out->ts_ns = now_ns();
	out->op = ITR_ENF_OP_SET_MEMLOCK;
	out->verdict = ITR_ENF_V_LOWERED;
	out->size = cap;
	return 1;
}
