/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Loading the linked BPF object: open -> configure (.rodata itr_cfg) ->
 * choose a method per probe-table row (user/targets.h) -> load -> attach
 * each chosen row. A row that cannot attach is reported, not fatal, unless
 * it is TGT_REQUIRED or nothing at all attached.
 */
#ifndef ITR_LOADER_H
#define ITR_LOADER_H

#include <stdbool.h>
#include "iommutrace.h"
#include "source/targets.h"

struct iommutrace_bpf;
struct bpf_link;

enum method {
	METHOD_NONE = 0,	/* unavailable (see why) */
	METHOD_FENTRY,		/* fentry/fexit */
	METHOD_KPROBE,		/* kprobe/kretprobe */
	METHOD_TP,		/* tp_btf */
	METHOD_SUPERSEDED,	/* an earlier alternative was chosen */
	METHOD_OFF,		/* not wanted (kinds filter) */
};

const char *method_name(enum method m);

/* What happened to one probe-table row. */
struct target_state {
	const struct target *t;
	enum method method;
	char symbol[128];	/* the symbol attached (kprobes: may be a .isra clone) */
	char why[256];		/* why this method, or why none */
	struct bpf_link *links[2];
};

struct loader_opts {
	bool verbose;		/* libbpf's messages, verifier logs */
	const char *btf_path;	/* kernel BTF when /sys/kernel/btf/vmlinux is absent */
	bool no_fentry;		/* force kprobes (testing the fallback) */
	bool dry_run;		/* choose methods but do not load or attach (probe) */
	bool tp_only;		/* only tracepoint rows (stat); the rest is "off" */
	unsigned int ringbuf_size; /* bytes (a power of 2, >= page size); 0: default */
	int wakeup_bytes;	/* BPF wakes the consumer at this fill; 0: a quarter of the ring; -1: every record */
	bool kview;		/* load the kernel-view program if the shim is there (source/kview.h) */
};

struct loader {
	struct iommutrace_bpf *skel;
	int ncpus;
	int nattached;
	struct target_state *targets;	/* itr_ntargets rows */
	bool fentry_ok;			/* the kernel accepts fentry programs */
	bool kview;			/* the kernel-view program is loaded (source/kview.h) */
	char fentry_why[160];
};

/* Route libbpf's own messages to stderr only when verbose. */
void loader_set_verbose(bool verbose);

/*
 * open -> configure -> choose -> load -> attach. cfg may be NULL (no
 * filters). 0 or -errno; on failure a one-line reason was printed.
 */
int loader_start(struct loader *l, const struct itr_config *cfg, const struct loader_opts *o);
/* The ring buffer map's fd (for ring_buffer__new). */
int loader_events_fd(const struct loader *l);
/* Sum the per-CPU counters into *out; 0 or -errno. */
int loader_counters(const struct loader *l, struct itr_counters *out);
/* Sum the per-CPU operation statistics (event/stats.h) into *out; 0 or -errno. */
struct stats;
int loader_stats(const struct loader *l, struct stats *out);
/* The ring buffer's unconsumed bytes now and its size; 0 or -errno. */
int loader_ringbuf_used(const struct loader *l, __u64 *used, __u64 *size);
/*
 * Each loaded program's run time and run count (kernel.bpf_stats_enabled;
 * zeros while it is off): fn(arg, program name, ns, runs). 0 or -errno.
 */
typedef void (*loader_prog_fn)(void *arg, const char *prog, __u64 run_ns, __u64 run_cnt);
int loader_prog_stats(const struct loader *l, loader_prog_fn fn, void *arg);
/* Destroy every link and the skeleton; accepts a zeroed loader. */
void loader_stop(struct loader *l);

#endif
