// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * make bench: the per-event cost of the in-kernel counting (itr_stat: a
 * per-CPU map lookup, calls, bytes, latency and size log2 histograms),
 * measured in the kernel: bpf/stats.bpf.c's itr_bench_count runs it in a
 * bpf_loop of 100 000 iterations, itr_bench_base the same loop with the
 * same timestamp read and no counting; both through BPF_PROG_TEST_RUN.
 * The difference per iteration is what counting adds to each hooked call.
 * Needs root (CAP_BPF): says so and exits 0 otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define LOOPS 100000
#define RUNS 20

static double wall_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The best of RUNS runs, in ns per iteration; < 0 on failure. */
static double run(struct bpf_program *p)
{
	double best = 1e30;
	int i;

	for (i = 0; i < RUNS; i++) {
		LIBBPF_OPTS(bpf_test_run_opts, o);
		double t0 = wall_s(), t;

		if (bpf_prog_test_run_opts(bpf_program__fd(p), &o) || o.retval != LOOPS)
			return -1;
		t = (wall_s() - t0) / LOOPS * 1e9;
		if (t < best)
			best = t;
	}
	return best;
}

static int no_print(enum libbpf_print_level l, const char *f, va_list ap)
{
	(void)l;
	(void)f;
	(void)ap;
	return 0;
}

int main(int argc, char **argv)
{
	const char *out = getenv("OUTPUT");
	char def[512];
	const char *path = def;

	snprintf(def, sizeof(def), "%s/iommutrace.bpf.o", out && *out ? out : "build");
	if (argc > 1)
		path = argv[1];
	struct bpf_program *p, *count, *base;
	struct bpf_object *o;
	double c, b;

	if (geteuid()) {
		printf("in-kernel counting cost: skipped (needs root)\n");
		return 0;
	}
	libbpf_set_print(no_print);
	o = bpf_object__open_file(path, NULL);
	if (!o) {
		fprintf(stderr, "count_bench: cannot open %s\n", path);
		return 1;
	}
	bpf_object__for_each_program(p, o)
		bpf_program__set_autoload(p, false);
	count = bpf_object__find_program_by_name(o, "itr_bench_count");
	base = bpf_object__find_program_by_name(o, "itr_bench_base");
	if (!count || !base) {
		fprintf(stderr, "count_bench: no itr_bench_* programs in %s\n", path);
		return 1;
	}
	bpf_program__set_autoload(count, true);
	bpf_program__set_autoload(base, true);
	if (bpf_object__load(o)) {
		fprintf(stderr, "count_bench: cannot load the programs\n");
		return 1;
	}
	c = run(count);
	b = run(base);
	if (c < 0 || b < 0) {
		fprintf(stderr, "count_bench: a run failed\n");
		return 1;
	}
	printf("in-kernel counting: %.1f ns per event (%.1f ns with it, %.1f ns without; best of %d x %d)\n",
	       c - b, c, b, RUNS, LOOPS);
	bpf_object__close(o);
	return 0;
}
