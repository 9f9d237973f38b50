// SPDX-License-Identifier: GPL-2.0
/* Anonymous, populated memory for DMA mappings, and what it has locked. */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "log.h"
#include "workload.h"

int buf_alloc(struct buf *b, size_t size)
{
	b->va = mmap(NULL, size, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (b->va == MAP_FAILED) {
		int err = errno;

		b->va = NULL;
		b->size = 0;
		return log_failf("mmap", err, "%zu bytes of anonymous memory", size);
	}
	b->size = size;
	return 0;
}

void buf_free(struct buf *b)
{
	if (b->va)
		munmap(b->va, b->size);
	b->va = NULL;
	b->size = 0;
}

const struct map_spec wl_maps[WL_NMAPS] = {
	{ .iova = 0x00100000, .size = 4 * KiB },
	{ .iova = 0x00200000, .size = 64 * KiB },
	{ .iova = 0x00400000, .size = 2 * MiB },
	{ .iova = 0x00800000, .size = 1 * MiB },
};

/* One buffer per map_spec; on failure the ones made are freed. */
int bufs_alloc(struct buf *bufs, const struct map_spec *maps, size_t n)
{
	size_t i;
	int err;

	for (i = 0; i < n; i++) {
		err = buf_alloc(&bufs[i], maps[i].size);
		if (err) {
			bufs_free(bufs, i);
			return err;
		}
	}
	return 0;
}

void bufs_free(struct buf *bufs, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_free(&bufs[i]);
}

/* The process's VmLck (mm->locked_vm, what VFIO type1 charges) in KiB, or -errno. */
int64_t proc_vmlck_kb(void)
{
	FILE *f = fopen("/proc/self/status", "re");
	char line[256];
	long long kb = -1;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %lld kB", &kb) == 1)
			break;
	fclose(f);
	return kb < 0 ? -ENOENT : kb;
}
