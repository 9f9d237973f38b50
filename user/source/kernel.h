/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Facts about the running kernel that decide how a hook can attach: its
 * BTF (vmlinux and modules), its symbols (kallsyms, with compiler clones),
 * whether fentry and kprobes are allowed. Probed once, read-only after.
 */
#ifndef ITR_KERNEL_H
#define ITR_KERNEL_H

#include <stdbool.h>
#include <stddef.h>

struct btf;

struct kernel {
	struct btf *vmlinux;		/* base BTF */
	char btf_source[256];		/* where it came from */
	bool kprobes;			/* the kprobe PMU exists */
	char kprobes_why[128];
	char *kallsyms;			/* "\nname\n...": text symbols */
	size_t kallsyms_len;
	char *ftrace;			/* "\nname\n...": available_filter_functions */
	size_t ftrace_len;		/* 0: unknown (no tracefs) */
};

/* Load BTF (btf_path, or /sys/kernel/btf/vmlinux) and read kallsyms. */
int kernel_open(struct kernel *k, const char *btf_path);
void kernel_close(struct kernel *k);

/*
 * BTF of MODULE (NULL: vmlinux) as split BTF, cached. A module without BTF
 * of its own is built in (or not loaded): vmlinux's BTF is returned, where
 * a built-in module's functions are.
 */
struct btf *kernel_btf(struct kernel *k, const char *module);
/* The kernel's BTF object fd of MODULE (for attach_btf_obj_fd); -errno. */
int kernel_module_btf_fd(const char *module);

/* FUNC is a BTF_KIND_FUNC in MODULE's (or vmlinux's) BTF. */
bool kernel_has_btf_func(struct kernel *k, const char *module, const char *func);
/* A BTF tracepoint (typedef btf_trace_NAME) exists. */
bool kernel_has_tp(struct kernel *k, const char *name);

/*
 * Resolve FUNC to an attachable text symbol: itself, or a compiler clone
 * (FUNC.isra.N, FUNC.constprop.N, FUNC.part.N, ...). 0 and the name in
 * buf, or -ENOENT.
 */
int kernel_resolve_sym(const struct kernel *k, const char *func, char *buf, size_t len);

/*
 * Can a fentry program attach to FUNC? Loads a trivial program against
 * its BTF id (bcc's fentry_can_attach). 0, or -errno: -ENOENT not in
 * BTF, -ESRCH not an ftrace site (inlined, notrace), else the kernel's
 * verdict (-EPERM: tracing programs refused altogether).
 */
int kernel_fentry_probe(struct kernel *k, const char *module, const char *func);

/* The active LSMs include "bpf": 1, 0, or -errno when unknown (no securityfs). */
int kernel_bpf_lsm(void);
/* MODULE is a loadable module of the running kernel (modules.dep has it). */
bool kernel_module_exists(const char *module);

#endif
