// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Loading and attaching the linked BPF object. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "iommutrace.skel.h"
#include "loader.h"

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

int loader_start(struct loader *l)
{
	int err;

	memset(l, 0, sizeof(*l));
	l->ncpus = libbpf_num_possible_cpus();
	if (l->ncpus < 0) {
		fprintf(stderr, "cannot count possible CPUs: %s\n", strerror(-l->ncpus));
		return l->ncpus;
	}
	l->skel = iommutrace_bpf__open();
	if (!l->skel) {
		err = -errno;
		fprintf(stderr, "failed to open the BPF object: %s\n", strerror(-err));
		return err;
	}
	err = iommutrace_bpf__load(l->skel);
	if (err) {
		fprintf(stderr, "failed to load the BPF programs: %s%s\n", strerror(-err),
			verbose ? "" : " (run with -v for the verifier log)");
		goto cleanup;
	}
	err = iommutrace_bpf__attach(l->skel);
	if (err) {
		fprintf(stderr, "failed to attach the BPF programs: %s\n", strerror(-err));
		goto cleanup;
	}
	return 0;
cleanup:
	loader_stop(l);
	return err;
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

void loader_stop(struct loader *l)
{
	iommutrace_bpf__destroy(l->skel);
	l->skel = NULL;
}
