// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The strict tier (docs/strict.md): the kernel shim's kprobes on the
 * functions that receive the kernel's own copy of a map call
 * itr_shim_strict_decide(call) (shim/strict.c); this program, attached
 * there, decides the map under the policy in force (the same enf_decide
 * and enf_verdict as the gates, on the same decoding as the kernel-copy
 * tier: kcopy.bpf.h) and gives the verdict through the shim's kfunc. On
 * -EPERM the probed function returns -EPERM to its caller: the map fails
 * cleanly, nothing was pinned or mapped, and no second thread can change
 * what was judged. Under the strict tier (ITR_ENF_F_STRICT) the ioctl
 * gates leave maps to this program. The kfunc is weak: without the shim
 * the program is never loaded (autoload off; user/enforce/strict.c).
 */
#include "enforce/enforce.bpf.h"
#include "enforce/kcopy.bpf.h"
#include "iommutrace_shim.h"

extern int itr_shim_strict_verdict(__s32 err) __ksym __weak;

static __always_inline int enf_strict_map(const struct enf_kmap *m)
{
	struct enf_req r = { .tier = ITR_ENF_TIER_STRICT, .flags = m->flags };
	const struct itr_enf_policy *p = enf_policy_get(&r);

	if (!p || !(p->flags & ITR_ENF_F_STRICT))
		return 0;
	r.q.op = ITR_ENF_OP_MAP;
	r.q.iova = m->iova;
	r.q.size = m->size;
	/* a capped subject maps only while its limit is within the cap (memlock.bpf.c) */
	if (p->flags & ITR_ENF_F_PINNED)
		r.q.memlock = enf_task_memlock(bpf_get_current_task_btf());
	enf_subject(&r);
	enf_decide(p, &r);
	return enf_verdict(p, &r, NULL);
}

/* 0 or -ENF_EPERM for the probed call C */
static __always_inline int enf_strict_call(const struct itr_shim_strict_call *c)
{
	struct enf_kmap m;

	switch (c->kind) {
	case ITR_SHIM_STRICT_TYPE1_PIN:
		if (enf_kmap_type1(c->arg[0], c->arg[1], c->arg[2], &m))
			return 0;
		return enf_strict_map(&m);
	case ITR_SHIM_STRICT_IOPT_MAP:
		enf_kmap_iopt(c->arg[2], c->arg[3], c->arg[5], &m);
		return enf_strict_map(&m);
	default:
		return -ENF_EPERM;	/* a target this program does not know: fail closed */
	}
}

SEC("?fentry/itr_shim_strict_decide")
int BPF_PROG(enf_strict, const struct itr_shim_strict_call *call)
{
	struct itr_shim_strict_call c;
	int v = -ENF_EPERM;

	if (!bpf_probe_read_kernel(&c, sizeof(c), call))
		v = enf_strict_call(&c);
	itr_shim_strict_verdict(v);
	return 0;
}
