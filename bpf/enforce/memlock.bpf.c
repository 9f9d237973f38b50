// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The pinned-bytes cap (docs/enforce.md, "The pinned-bytes cap"): a rule
 * with limits.max-pinned caps its subject through the kernel's own memlock
 * accounting, which both pin paths check against the mapping task's
 * RLIMIT_MEMLOCK unless it has CAP_IPC_LOCK:
 *   type1: vfio_pin_pages_remote() counts mm->locked_vm against
 *     rlimit(RLIMIT_MEMLOCK) unless dma->lock_cap, which vfio_dma_do_map()
 *     took from capable(CAP_IPC_LOCK); -ENOMEM past it;
 *   iommufd: iopt_alloc_pages() makes the pages unaccounted when
 *     capable(CAP_IPC_LOCK), else incr_user_locked_vm() counts
 *     user->locked_vm against task_rlimit(RLIMIT_MEMLOCK) (the VFIO
 *     compat: mm->locked_vm); -ENOMEM past it.
 * So, for a capped subject: capable(CAP_IPC_LOCK) is refused here,
 * raising RLIMIT_MEMLOCK above the cap is refused here, and (BPF cannot
 * write a limit) the map gate refuses its maps while the limit in force
 * is above the cap (gate.bpf.c): the subject lowers it, and the kernel's
 * own accounting does the rest.
 * These operations are implied by a cap; when no capped rule matches
 * they are allowed, whatever the policy's default.
 */
#include "enforce/enforce.bpf.h"

#define ENF_CAP_IPC_LOCK	14

static __always_inline int enf_memlock_decide(struct enf_req *r)
{
	const struct itr_enf_policy *p = enf_policy_get(r);

	if (!p || !(p->flags & ITR_ENF_F_PINNED))
		return 0;
	if (r->task)
		enf_task_subject(r, r->task);
	else
		enf_subject(r);
	enf_decide(p, r);
	if (!r->rule)
		return 0;
	return enf_verdict(p, r, NULL);
}

SEC("lsm/capable")
int BPF_PROG(enf_capable, const struct cred *cred, struct user_namespace *ns, int cap,
	     unsigned int opts, int ret)
{
	struct enf_req r = { .tier = ITR_ENF_TIER_CAPABLE, .q.op = ITR_ENF_OP_CAP_IPC_LOCK };

	/* every capability check of the system passes here: the cheap test first */
	if (ret || cap != ENF_CAP_IPC_LOCK)
		return ret;
	return enf_memlock_decide(&r);
}

SEC("lsm/task_setrlimit")
int BPF_PROG(enf_task_setrlimit, struct task_struct *p, unsigned int resource,
	     struct rlimit *new_rlim, int ret)
{
	struct enf_req r = { .tier = ITR_ENF_TIER_SETRLIMIT, .q.op = ITR_ENF_OP_SET_MEMLOCK };

	if (ret || resource != ENF_RLIMIT_MEMLOCK)
		return ret;
	/* prlimit(2) on another process: that process is the subject */
	if (p != bpf_get_current_task_btf())
		r.task = p;
	r.q.memlock = BPF_CORE_READ(new_rlim, rlim_cur);
	r.q.size = r.q.memlock;	/* the audit record's size: the limit asked for */
	return enf_memlock_decide(&r);
}
