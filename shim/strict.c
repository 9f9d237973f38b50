// SPDX-License-Identifier: GPL-2.0
/*
 * The strict enforcement tier (docs/strict.md): a kprobe at the entry of
 * each function that receives the kernel's own copy of a map
 * (ITR_SHIM_STRICT_TARGETS of include/iommutrace_shim.h). Its pre-handler
 * hands the raw arguments to itr_shim_strict_decide(), where a BPF program
 * of the enforcement skeleton (bpf/enforce/strict.bpf.c) judges them under
 * the policy in force and answers through the kfunc
 * itr_shim_strict_verdict(). On -EPERM the probed function is not run: the
 * pre-handler sends execution to strict_eperm(), which returns -EPERM to
 * the probed function's caller (the kprobes documentation's "changing
 * execution path", as bpf_override_return does; with ftrace-based kprobes
 * too, since the pre-handler returns 1). At a function's entry nothing is
 * locked or allocated yet, and each caller unwinds an error there.
 *
 * No verdict (the BPF program gone while armed) is a denial: fail closed.
 * Arming is all or nothing: every kprobe is registered disabled, and they
 * are enabled only when all of them were; otherwise the missing ones are
 * named and nothing is armed. While armed the module holds a reference on
 * itself: it cannot be unloaded before a disarm (enforce --stop).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/btf.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>

#include "shim.h"

#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif

#define STRICT_UNDECIDED	1	/* neither 0 nor -EPERM */

#define STRICT_NAME(k, name) [k] = name,
static const char *const strict_names[ITR_SHIM_STRICT_NKINDS] = {
	ITR_SHIM_STRICT_TARGETS(STRICT_NAME)
};
#undef STRICT_NAME

/* The decision under way on this CPU (kprobe handlers run with preemption off). */
struct strict_slot {
	bool active;
	int verdict;
};
static DEFINE_PER_CPU(struct strict_slot, strict_slot);

static DEFINE_MUTEX(strict_lock);
static struct kprobe strict_kp[ITR_SHIM_STRICT_NKINDS];
static u32 strict_armed;
static atomic64_t strict_decided, strict_denied, strict_undecided;

/*
 * Where BPF attaches (fentry): CALL is the probed call. Returns 0. noipa:
 * no clone (.isra, .constprop) may be called instead of the symbol BPF
 * attaches to.
 */
#if __has_attribute(__noipa__)
__attribute__((__noipa__))
#endif
noinline int itr_shim_strict_decide(const struct itr_shim_strict_call *call)
{
	/* not optimised away: the BPF program's attach point */
	asm volatile("" : : "r"(call) : "memory");
	return 0;
}

/* The kfunc: the BPF program's verdict (0 or -EPERM) on the call being decided. */
__bpf_kfunc int itr_shim_strict_verdict(s32 err)
{
	struct strict_slot *s = this_cpu_ptr(&strict_slot);

	if (!s->active || (err && err != -EPERM))
		return -EINVAL;
	s->verdict = err;
	return 0;
}

/* The probed function's replacement on a denial: its caller sees -EPERM. */
static noinline long strict_eperm(void)
{
	return -EPERM;
}

static int strict_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct itr_shim_strict_call call = { .kind = kp - strict_kp };
	struct strict_slot *s = this_cpu_ptr(&strict_slot);
	unsigned int i;
	int v;

	for (i = 0; i < ARRAY_SIZE(call.arg); i++)
		call.arg[i] = regs_get_kernel_argument(regs, i);
	s->verdict = STRICT_UNDECIDED;
	s->active = true;
	itr_shim_strict_decide(&call);
	s->active = false;
	v = s->verdict;
	atomic64_inc(&strict_decided);
	if (v == STRICT_UNDECIDED) {
		atomic64_inc(&strict_undecided);
		pr_warn_ratelimited("strict: %s: no verdict (is enforcement attached?): denied\n",
				    strict_names[call.kind]);
		v = -EPERM;
	}
	if (!v)
		return 0;
	atomic64_inc(&strict_denied);
	instruction_pointer_set(regs, (unsigned long)strict_eperm);
	return 1;
}
NOKPROBE_SYMBOL(strict_pre);

/*
 * Empty, and there for its presence: a kprobe with a post-handler is
 * never jump-optimised, and an optimised kprobe cannot change the
 * execution path (Documentation/trace/kprobes.rst). Ftrace-based kprobes
 * (every profile) are not optimised anyway.
 */
static void strict_post(struct kprobe *kp, struct pt_regs *regs, unsigned long flags)
{
}
NOKPROBE_SYMBOL(strict_post);

static void strict_fill(struct itr_shim_strict *s)
{
	int k;

	s->kinds = strict_armed;
	s->decided = atomic64_read(&strict_decided);
	s->denied = atomic64_read(&strict_denied);
	s->undecided = atomic64_read(&strict_undecided);
	s->missed = 0;
	for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++)
		if (strict_armed & (1u << k))
			s->missed += strict_kp[k].nmissed;
}

static void strict_unregister(u32 kinds)
{
	struct kprobe *kps[ITR_SHIM_STRICT_NKINDS];
	int k, n = 0;

	for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++)
		if (kinds & (1u << k))
			kps[n++] = &strict_kp[k];
	if (n)
		unregister_kprobes(kps, n);
}

int shim_strict_arm(struct itr_shim_strict *s)
{
	u32 want = s->kinds, done = 0;
	size_t len = 0;
	int k, ret = 0;

	if (!IS_ENABLED(CONFIG_X86_64))
		return shim_why(s->msg, -EOPNOTSUPP, "the strict tier is x86-64 only");
	if (!want || (want & ~ITR_SHIM_STRICT_ALL))
		return shim_why(s->msg, -EINVAL, "kinds 0x%x: want a subset of 0x%x", want,
				ITR_SHIM_STRICT_ALL);
	mutex_lock(&strict_lock);
	if (strict_armed) {
		ret = shim_why(s->msg, -EBUSY, "the strict tier is armed already (0x%x)", strict_armed);
		goto out_unlock;
	}
	s->missing = 0;
	for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++) {
		struct kprobe *kp = &strict_kp[k];

		if (!(want & (1u << k)))
			continue;
		memset(kp, 0, sizeof(*kp));
		kp->symbol_name = strict_names[k];
		kp->pre_handler = strict_pre;
		kp->post_handler = strict_post;
		kp->flags = KPROBE_FLAG_DISABLED;	/* none fires before all are there */
		if (register_kprobe(kp)) {
			s->missing |= 1u << k;
			len += scnprintf(s->msg + len, ITR_SHIM_MSG_LEN - len, "%s%s",
					 len ? " " : "missing: ", strict_names[k]);
			continue;
		}
		done |= 1u << k;
	}
	if (s->missing) {
		strict_unregister(done);
		pr_info("refused (%d): strict: %s\n", -ENOENT, s->msg);
		ret = -ENOENT;
		goto out_unlock;
	}
	__module_get(THIS_MODULE);	/* no unload while armed */
	for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++)
		if (done & (1u << k))
			enable_kprobe(&strict_kp[k]);
	strict_armed = done;
	pr_info("strict: armed 0x%x\n", done);
out_unlock:
	strict_fill(s);
	mutex_unlock(&strict_lock);
	return ret;
}

int shim_strict_disarm(struct itr_shim_strict *s)
{
	mutex_lock(&strict_lock);
	if (strict_armed) {
		strict_unregister(strict_armed);
		pr_info("strict: disarmed 0x%x\n", strict_armed);
		strict_armed = 0;
		module_put(THIS_MODULE);
	}
	strict_fill(s);
	mutex_unlock(&strict_lock);
	return 0;
}

int shim_strict_status(struct itr_shim_strict *s)
{
	mutex_lock(&strict_lock);
	strict_fill(s);
	mutex_unlock(&strict_lock);
	return 0;
}
