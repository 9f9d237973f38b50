/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * One hook, two families. A hooked kernel function gets fentry/fexit
 * programs and kprobe/kretprobe programs; the loader keeps one family per
 * function (user/loader.c) and switches the other off. Both families call
 * the same static __always_inline body, which sees its call through a
 * struct itr_call: the context and the family. Arguments and the return
 * value are read as __u64 scalars, so a body casts what it needs.
 *
 *	ITR_HOOK(name, func, enter, exit, consts...)
 *		fentry_NAME, kprobe_NAME call enter(call, consts...);
 *		fexit_NAME, kretprobe_NAME call exit(call, consts...)
 *	ITR_HOOK_ENTRY(name, func, enter, consts...)	entry programs only
 *	ITR_HOOK_EXIT(name, func, exit, consts...)	exit programs only
 *
 * Program names are what the probe table's `base` names (user/targets.c):
 * fentry_NAME, fexit_NAME, kprobe_NAME, kretprobe_NAME. Every program is
 * optional (SEC("?...")): the loader turns on those it attaches.
 */
#ifndef ITR_LIB_HOOK_BPF_H
#define ITR_LIB_HOOK_BPF_H

#include <vmlinux.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

/* A call as a hook body sees it: ctx and whether it is a kprobe's. */
struct itr_call {
	void *ctx;
	bool kp;	/* kprobe/kretprobe (ctx: struct pt_regs); else fentry/fexit */
};

/*
 * kprobe: argument n (0-based, up to 5), as a scalar. libbpf 1.1 has no
 * PT_REGS_PARM6; the sixth argument is x86-64's r9 (other arches: 0).
 */
static __always_inline __u64 itr_kprobe_arg(struct pt_regs *regs, __u32 n)
{
	switch (n) {
	case 0: return PT_REGS_PARM1(regs);
	case 1: return PT_REGS_PARM2(regs);
	case 2: return PT_REGS_PARM3(regs);
	case 3: return PT_REGS_PARM4(regs);
	case 4: return PT_REGS_PARM5(regs);
#if defined(__TARGET_ARCH_x86)
	case 5: return regs->r9;
#endif
	default: return 0;
	}
}

/* fentry/fexit: argument n (0 where there is none), or the return value */
static __always_inline __u64 itr_fentry_arg(void *ctx, __u32 n)
{
	__u64 v = 0;

	bpf_get_func_arg(ctx, n, &v);
	return v;
}

static __always_inline __u64 itr_fexit_ret(void *ctx)
{
	__u64 v = 0;

	bpf_get_func_ret(ctx, &v);
	return v;
}

/* Argument n of the call (n a constant). */
static __always_inline __u64 itr_call_arg(struct itr_call c, __u32 n)
{
	return c.kp ? itr_kprobe_arg(c.ctx, n) : itr_fentry_arg(c.ctx, n);
}

/* The return value, in an exit program. */
static __always_inline __u64 itr_call_ret(struct itr_call c)
{
	return c.kp ? PT_REGS_RC((struct pt_regs *)c.ctx) : itr_fexit_ret(c.ctx);
}

/* The number of arguments where the family knows it (fentry); 0: unknown. */
static __always_inline long itr_call_nargs(struct itr_call c)
{
	return c.kp ? 0 : bpf_get_func_arg_cnt(c.ctx);
}

#define ITR__FENTRY(name, func, body, ...)						\
SEC("?fentry/" #func)									\
int fentry_##name(unsigned long long *ctx)						\
{											\
	return body((struct itr_call){ .ctx = ctx, .kp = false }, ##__VA_ARGS__);	\
}

#define ITR__FEXIT(name, func, body, ...)						\
SEC("?fexit/" #func)									\
int fexit_##name(unsigned long long *ctx)						\
{											\
	return body((struct itr_call){ .ctx = ctx, .kp = false }, ##__VA_ARGS__);	\
}

#define ITR__KPROBE(name, func, body, ...)						\
SEC("?kprobe/" #func)									\
int kprobe_##name(struct pt_regs *ctx)							\
{											\
	return body((struct itr_call){ .ctx = ctx, .kp = true }, ##__VA_ARGS__);	\
}

#define ITR__KRETPROBE(name, func, body, ...)						\
SEC("?kretprobe/" #func)								\
int kretprobe_##name(struct pt_regs *ctx)						\
{											\
	return body((struct itr_call){ .ctx = ctx, .kp = true }, ##__VA_ARGS__);	\
}

#define ITR_HOOK(name, func, enter, exit, ...)						\
	ITR__FENTRY(name, func, enter, ##__VA_ARGS__)					\
	ITR__FEXIT(name, func, exit, ##__VA_ARGS__)					\
	ITR__KPROBE(name, func, enter, ##__VA_ARGS__)					\
	ITR__KRETPROBE(name, func, exit, ##__VA_ARGS__)

#define ITR_HOOK_ENTRY(name, func, enter, ...)						\
	ITR__FENTRY(name, func, enter, ##__VA_ARGS__)					\
	ITR__KPROBE(name, func, enter, ##__VA_ARGS__)

#define ITR_HOOK_EXIT(name, func, exit, ...)						\
	ITR__FEXIT(name, func, exit, ##__VA_ARGS__)					\
	ITR__KRETPROBE(name, func, exit, ##__VA_ARGS__)

#endif /* ITR_LIB_HOOK_BPF_H */
