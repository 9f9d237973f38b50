// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * guest-countonly: the DMA-API hot-path benchmark's count-only tracer, run
 * in a test-bed guest. Attaches countonly.bpf.o (next to this binary) to
 * FUNC... with the family iommutrace chose for them (fentry or kprobe:
 * tests/bench/guest/bench.sh reads it from `iommutrace probe`), says
 * "ready" on stderr, counts until SIGINT or SIGTERM, then prints
 * "calls N" (every CPU's count) on stdout.
 *
 *   guest-countonly fentry|kprobe FUNC...
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#define SLOTS 8

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* the object next to the running binary */
static int object_path(char *path, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", path, len - 1);
	char *slash;

	if (n < 0)
		return -errno;
	path[n] = 0;
	slash = strrchr(path, '/');
	if (!slash || (size_t)(slash - path) + sizeof("/guest-countonly.bpf.o") > len)
		return -ENAMETOOLONG;
	strcpy(slash, "/guest-countonly.bpf.o");
	return 0;
}

static unsigned long long total(struct bpf_object *obj)
{
	int ncpu = libbpf_num_possible_cpus(), fd, i;
	unsigned long long sum = 0, *v;
	__u32 zero = 0;

	fd = bpf_object__find_map_fd_by_name(obj, "calls");
	if (ncpu <= 0 || fd < 0 || !(v = calloc(ncpu, sizeof(*v))))
		return 0;
	if (!bpf_map_lookup_elem(fd, &zero, v))
		for (i = 0; i < ncpu; i++)
			sum += v[i];
	free(v);
	return sum;
}

int main(int argc, char **argv)
{
	struct bpf_link *links[SLOTS] = {};
	struct bpf_object *obj = NULL;
	struct bpf_program *p;
	char path[PATH_MAX], name[32];
	int nfunc = argc - 2, kp, i, err = 0;

	if (argc < 3 || nfunc > SLOTS || (strcmp(argv[1], "fentry") && strcmp(argv[1], "kprobe"))) {
		fprintf(stderr, "usage: guest-countonly fentry|kprobe FUNC... (at most %d)\n", SLOTS);
		return 2;
	}
	kp = !strcmp(argv[1], "kprobe");
	err = object_path(path, sizeof(path));
	if (err) {
		fprintf(stderr, "guest-countonly: cannot find its BPF object: %s\n", strerror(-err));
		return 1;
	}
	obj = bpf_object__open_file(path, NULL);
	if (!obj) {
		err = -errno;
		fprintf(stderr, "guest-countonly: cannot open %s: %s\n", path, strerror(-err));
		return 1;
	}
	for (i = 0; !kp && i < nfunc; i++) {
		snprintf(name, sizeof(name), "co_fentry_%d", i);
		p = bpf_object__find_program_by_name(obj, name);
		err = p ? bpf_program__set_attach_target(p, 0, argv[i + 2]) : -ENOENT;
		if (!err)
			err = bpf_program__set_autoload(p, true);
		if (err) {
			fprintf(stderr, "guest-countonly: fentry/%s: %s\n", argv[i + 2], strerror(-err));
			goto cleanup;
		}
	}
	if (kp)
		bpf_program__set_autoload(bpf_object__find_program_by_name(obj, "co_kprobe"), true);
	err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "guest-countonly: cannot load %s: %s\n", path, strerror(-err));
		goto cleanup;
	}
	for (i = 0; i < nfunc; i++) {
		if (kp) {
			p = bpf_object__find_program_by_name(obj, "co_kprobe");
			links[i] = bpf_program__attach_kprobe(p, false, argv[i + 2]);
		} else {
			snprintf(name, sizeof(name), "co_fentry_%d", i);
			links[i] = bpf_program__attach(bpf_object__find_program_by_name(obj, name));
		}
		if (!links[i]) {
			err = -errno;
			fprintf(stderr, "guest-countonly: failed to attach %s/%s: %s\n", argv[1], argv[i + 2],
				strerror(-err));
			goto cleanup;
		}
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	fprintf(stderr, "ready: %s on %d functions\n", argv[1], nfunc);
	while (!stop)
		pause();
	printf("calls %llu\n", total(obj));
cleanup:
	for (i = 0; i < SLOTS; i++)
		bpf_link__destroy(links[i]);
	bpf_object__close(obj);
	return err ? 1 : 0;
}
