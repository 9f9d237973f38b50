// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loading and attaching the linked BPF object, driven by the probe table:
 * for each row choose fentry/fexit, else kprobe/kretprobe, or tp_btf,
 * switch every other program off, load, then one attach loop.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "event/stats.h"
#include "lib/log.h"
#include "source/loader.h"	/* before the skeleton: it declares struct itr_config */
#include "iommutrace.skel.h"
#include "source/kernel.h"
#include "source/kview.h"
#include "source/select.h"

static bool verbose;

/* libbpf speaks only with -v: our own messages say what failed and why. */
static int print_libbpf(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	return verbose ? vfprintf(stderr, fmt, ap) : 0;
}

void loader_set_verbose(bool v)
{
	verbose = v;
	libbpf_set_print(print_libbpf);
}

const char *method_name(enum method m)
{
	static const char *const names[] = {
		[METHOD_NONE]		= "unavailable",
		[METHOD_FENTRY]		= "fentry",
		[METHOD_KPROBE]		= "kprobe",
		[METHOD_TP]		= "tracepoint",
		[METHOD_SUPERSEDED]	= "superseded",
		[METHOD_OFF]		= "off",
	};

	return m < sizeof(names) / sizeof(names[0]) ? names[m] : "?";
}

/* The program of a row for one family ("fentry", "fexit", ...), or NULL. */
static struct bpf_program *prog_of(const struct loader *l, const char *family, const char *base)
{
	char name[128];

	snprintf(name, sizeof(name), "%s_%s", family, base);
	return bpf_object__find_program_by_name(l->skel->obj, name);
}

/* Programs of the family chosen for a row: entry first, then exit. */
static const char *const families[][2] = {
	[METHOD_FENTRY] = { "fentry", "fexit" },
	[METHOD_KPROBE] = { "kprobe", "kretprobe" },
	[METHOD_TP]	= { "tp", NULL },
};

static bool family_usable(const struct loader *l, enum method m, const struct target *t)
{
	bool entry = prog_of(l, families[m][0], t->base);
	bool exit = families[m][1] && prog_of(l, families[m][1], t->base);

	return (t->flags & TGT_NEEDS_EXIT) ? exit : entry || exit;
}

/* Say once, not per row, that the kernel refuses fentry altogether. */
static void fentry_refused(struct loader *l, const struct kernel *k, int err)
{
	if (!l->fentry_ok)
		return;
	l->fentry_ok = false;
	snprintf(l->fentry_why, sizeof(l->fentry_why), "fentry/fexit refused by this kernel (%s)",
		 strerror(-err));
	if (k->kprobes)
		log_warn("%s: using kprobes instead", l->fentry_why);
	else	/* kprobes_why: "no kprobe PMU ..." */
		log_warn("%s, and %s: only the tracepoints attach", l->fentry_why, k->kprobes_why);
}

/* Gather the facts of one row that select_methods() decides on. */
static void gather(struct loader *l, struct kernel *k, const struct loader_opts *o,
		   const struct target *t, struct target_state *s, struct row_facts *f)
{
	f->fentry_progs = family_usable(l, METHOD_FENTRY, t);
	f->kprobe_progs = family_usable(l, METHOD_KPROBE, t);
	f->tp_prog = family_usable(l, METHOD_TP, t);
	f->kprobes = k->kprobes;
	if (t->kind == TGT_TP) {
		f->tp_exists = kernel_has_tp(k, t->name);
		snprintf(s->symbol, sizeof(s->symbol), "%s", t->name);
		return;
	}
	f->sym_found = !kernel_resolve_sym(k, t->name, s->symbol, sizeof(s->symbol));
	if (o->no_fentry || o->tp_only || !f->fentry_progs)
		return;
	/* once refused, refused for all: do not ask the kernel again */
	f->fentry_err = l->fentry_ok ? kernel_fentry_probe(k, t->module, t->name) : -EPERM;
	if (f->fentry_err == -EPERM)
		fentry_refused(l, k, f->fentry_err);
	else if (!f->fentry_err)
		snprintf(s->symbol, sizeof(s->symbol), "%s", t->name);
}

static int choose(struct loader *l, struct kernel *k, const struct loader_opts *o)
{
	struct select_opts so = { .no_fentry = o->no_fentry, .tp_only = o->tp_only };
	struct row_facts *facts = calloc(itr_ntargets, sizeof(*facts));
	int i;

	if (!facts)
		return -ENOMEM;
	l->fentry_ok = true;
	for (i = 0; i < itr_ntargets; i++) {
		l->targets[i].t = &itr_targets[i];
		gather(l, k, o, &itr_targets[i], &l->targets[i], &facts[i]);
	}
	select_methods(itr_targets, itr_ntargets, facts, &so, l->targets);
	free(facts);
	return 0;
}

/* Switch every program off, then on for the families chosen. */
static void set_autoload(struct loader *l)
{
	struct bpf_program *p;
	int i, f;

	bpf_object__for_each_program(p, l->skel->obj)
		bpf_program__set_autoload(p, false);
	/* the metrics' scrape-time query (bpf/stats.bpf.c): a syscall program */
	bpf_program__set_autoload(l->skel->progs.itr_ringbuf_fill, true);
	for (i = 0; i < itr_ntargets; i++) {
		struct target_state *s = &l->targets[i];

		if (s->method != METHOD_FENTRY && s->method != METHOD_KPROBE && s->method != METHOD_TP)
			continue;
		for (f = 0; f < 2; f++) {
			const char *fam = families[s->method][f];

			if (fam && (p = prog_of(l, fam, s->t->base)))
				bpf_program__set_autoload(p, true);
		}
	}
}

/* After a failed load: name the program that did not load. */
static void report_load_failure(const struct loader *l, int err)
{
	struct bpf_program *p;

	bpf_object__for_each_program(p, l->skel->obj)
		if (bpf_program__autoload(p) && bpf_program__fd(p) < 0) {
			log_err("failed to load BPF program '%s': %s%s", bpf_program__name(p),
				strerror(-err), verbose ? "" : " (run with -v for the verifier log)");
			return;
		}
	log_err("failed to load the BPF object: %s%s", strerror(-err),
		verbose ? "" : " (run with -v for libbpf's log)");
}

static int attach_one(struct loader *l, struct target_state *s)
{
	int f, err = 0;

	for (f = 0; f < 2 && !err; f++) {
		const char *fam = families[s->method][f];
		struct bpf_program *p = fam ? prog_of(l, fam, s->t->base) : NULL;
		struct bpf_link *link;

		if (!p)
			continue;
		if (s->method == METHOD_KPROBE) {
			LIBBPF_OPTS(bpf_kprobe_opts, ko, .retprobe = f == 1);
			link = bpf_program__attach_kprobe_opts(p, s->symbol, &ko);
		} else {
			link = bpf_program__attach(p);
		}
		if (!link) {
			err = -errno;
			snprintf(s->why, sizeof(s->why), "attach %s/%s failed: %s", fam, s->symbol,
				 strerror(-err));
		}
		s->links[f] = link;
	}
	if (err) {
		bpf_link__destroy(s->links[0]);
		bpf_link__destroy(s->links[1]);
		s->links[0] = s->links[1] = NULL;
		s->method = METHOD_NONE;
	}
	return err;
}

static int check_privileges(void)
{
	/* CapEff: CAP_SYS_ADMIN (21), or CAP_BPF (39) with CAP_PERFMON (38) */
	unsigned long long eff = 0;
	char line[128];
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	if (f)
		fclose(f);
	if ((eff >> 21 & 1) || ((eff >> 39 & 1) && (eff >> 38 & 1)))
		return 0;
	log_err("needs root: CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN) to load and attach BPF programs");
	return -EPERM;
}

int loader_start(struct loader *l, const struct itr_config *cfg, const struct loader_opts *o)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo, .btf_custom_path = o->btf_path);
	struct kernel k = {};
	int i, err, required_missing = 0;

	memset(l, 0, sizeof(*l));
	if (!o->dry_run && (err = check_privileges()))
		return err;
	l->ncpus = libbpf_num_possible_cpus();
	l->targets = calloc(itr_ntargets, sizeof(*l->targets));
	if (l->ncpus < 0 || !l->targets) {
		err = l->ncpus < 0 ? l->ncpus : -ENOMEM;
		log_err("failed to set up the loader: %s", strerror(-err));
		goto cleanup;
	}
	err = kernel_open(&k, o->btf_path);
	if (err)
		goto cleanup;
	l->skel = iommutrace_bpf__open_opts(&oo);
	if (!l->skel) {
		err = -errno;
		log_err("failed to open the BPF object: %s", strerror(-err));
		goto cleanup;
	}
	if (cfg)
		l->skel->rodata->itr_cfg = *cfg;
	if (o->ringbuf_size && (err = bpf_map__set_max_entries(l->skel->maps.events, o->ringbuf_size))) {
		log_err("invalid ring buffer size %u: %s", o->ringbuf_size, strerror(-err));
		goto cleanup;
	}
	if (o->wakeup_bytes > 0)
		l->skel->rodata->itr_wakeup_bytes = o->wakeup_bytes;
	else if (!o->wakeup_bytes)
		l->skel->rodata->itr_wakeup_bytes = bpf_map__max_entries(l->skel->maps.events) / 4;
	err = choose(l, &k, o);
	if (err) {
		log_err("failed to choose the hooks: %s", strerror(-err));
		goto cleanup;
	}
	if (o->dry_run)
		goto cleanup;
	set_autoload(l);
	kview_prepare(l, o->kview);
	err = iommutrace_bpf__load(l->skel);
	if (err) {
		report_load_failure(l, err);
		goto cleanup;
	}
	for (i = 0; i < itr_ntargets; i++) {
		struct target_state *s = &l->targets[i];

		if (s->method == METHOD_FENTRY || s->method == METHOD_KPROBE || s->method == METHOD_TP)
			l->nattached += !attach_one(l, s);
		if (s->method == METHOD_NONE && (s->t->flags & TGT_REQUIRED)) {
			log_err("required hook %s is unavailable: %s", s->t->name, s->why);
			required_missing++;
		}
	}
	if (required_missing || !l->nattached) {
		if (!l->nattached)
			log_err("no hook could attach on this kernel (see 'iommutrace probe')");
		err = -ENOENT;
	}
cleanup:
	kernel_close(&k);
	if (err)
		loader_stop(l);
	return err;
}

int loader_events_fd(const struct loader *l)
{
	return bpf_map__fd(l->skel->maps.events);
}

int loader_counters(const struct loader *l, struct itr_counters *out)
{
	struct itr_counters *percpu;
	__u32 zero = 0;
	int fd, err, cpu, i;

	percpu = calloc(l->ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	fd = bpf_map__fd(l->skel->maps.counters);
	err = bpf_map_lookup_elem(fd, &zero, percpu) ? -errno : 0;
	if (!err) {
		memset(out, 0, sizeof(*out));
		for (cpu = 0; cpu < l->ncpus; cpu++)
			for (i = 0; i < ITR_CNT_MAX; i++)
				out->v[i] += percpu[cpu].v[i];
	}
	free(percpu);
	return err;
}

int loader_stats(const struct loader *l, struct stats *out)
{
	struct itr_stat *percpu;
	__u64 key, *prev = NULL;
	int fd, err = 0, cpu;
	__u32 k;

	percpu = calloc(l->ncpus, sizeof(*percpu));
	if (!percpu)
		return -ENOMEM;
	memset(out, 0, sizeof(*out));
	fd = bpf_map__fd(l->skel->maps.itr_stats);
	for (k = 0; !err && k < ITR_ST_MAX; k++) {
		err = bpf_map_lookup_elem(fd, &k, percpu) ? -errno : 0;
		for (cpu = 0; !err && cpu < l->ncpus; cpu++)
			stats_add(&out->op[k], &percpu[cpu]);
	}
	fd = bpf_map__fd(l->skel->maps.itr_ioctl_stats);
	while (!err && out->nioctls < ITR_MAX_IOCTL_STATS && !bpf_map_get_next_key(fd, prev, &key)) {
		struct stats_ioctl *row = &out->ioctl[out->nioctls];

		prev = &row->key;
		row->key = key;
		if (bpf_map_lookup_elem(fd, &key, percpu))
			continue;	/* a row cannot go away: cannot happen */
		for (cpu = 0; cpu < l->ncpus; cpu++)
			stats_add(&row->st, &percpu[cpu]);
		out->nioctls++;
	}
	free(percpu);
	return err;
}

int loader_ringbuf_used(const struct loader *l, __u64 *used, __u64 *size)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);
	int fd = bpf_program__fd(l->skel->progs.itr_ringbuf_fill);

	if (fd < 0)
		return -ENOENT;
	if (bpf_prog_test_run_opts(fd, &run))
		return -errno;
	*used = run.retval;
	*size = bpf_map__max_entries(l->skel->maps.events);
	return 0;
}

int loader_prog_stats(const struct loader *l, loader_prog_fn fn, void *arg)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, l->skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd < 0)
			continue;	/* not loaded (the other family, or off) */
		if (bpf_obj_get_info_by_fd(fd, &info, &len))
			return -errno;
		fn(arg, bpf_program__name(prog), info.run_time_ns, info.run_cnt);
	}
	return 0;
}

void loader_stop(struct loader *l)
{
	int i, f;

	for (i = 0; l->targets && i < itr_ntargets; i++)
		for (f = 0; f < 2; f++)
			bpf_link__destroy(l->targets[i].links[f]);
	free(l->targets);
	l->targets = NULL;
	iommutrace_bpf__destroy(l->skel);
	l->skel = NULL;
}
