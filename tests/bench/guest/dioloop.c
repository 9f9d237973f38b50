// SPDX-License-Identifier: GPL-2.0
/*
 * guest-dioloop: the DMA API's hot path as a benchmark's workload, run in a
 * test-bed guest (tests/vm/run --disk). Reads a block device with O_DIRECT,
 * one request at a time, as fast as the device answers:
 *
 *   guest-dioloop DEVICE BYTES READS|-
 *
 * Each read of BYTES (a multiple of 4096) goes at the next BYTES-aligned
 * offset, wrapping at the device's end: every read is a request through
 * the driver, whose buffers the DMA API maps (iommu_map) and unmaps on a
 * device behind an IOMMU. One line on stdout, after the loop:
 * "reads N bytes B ns T ns_per_read P". The open and the buffer are
 * outside the timing; the first failed or short read stops the loop
 * (exit 1). With "-", loops of the READS each line of stdin says, one
 * result line each, until EOF: the buffer, locked in memory, stays the
 * same physical pages for every loop, so every loop makes the same maps
 * (the DMA API maps a buffer's physically contiguous pages as one).
 */
#define _GNU_SOURCE	/* O_DIRECT */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define ALIGN 4096UL

static int fail(const char *what)
{
	fprintf(stderr, "guest-dioloop: %s: %s\n", what, strerror(errno));
	return 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* a positive number, or 0 */
static unsigned long number(const char *s)
{
	unsigned long v;
	char *end;

	errno = 0;
	v = strtoul(s, &end, 10);
	return errno || *end || end == s ? 0 : v;
}

/* READS reads of bytes each at *off onwards; 0 or 1 (failed) */
static int loop(int fd, void *buf, unsigned long bytes, uint64_t size, uint64_t *off,
		unsigned long reads)
{
	uint64_t t0 = now_ns(), ns;
	unsigned long i;
	ssize_t n;

	for (i = 0; i < reads; i++) {
		if (*off + bytes > size)
			*off = 0;
		n = pread(fd, buf, bytes, *off);
		if (n != (ssize_t)bytes) {
			if (n >= 0)
				errno = EIO;
			return fail("pread");
		}
		*off += bytes;
	}
	ns = now_ns() - t0;
	printf("reads %lu bytes %lu ns %llu ns_per_read %llu\n", reads, bytes,
	       (unsigned long long)ns, (unsigned long long)(ns / reads));
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long bytes, reads = 0;
	uint64_t size = 0, off = 0;
	char line[64];
	void *buf;
	int fd, err = 0;

	if (argc != 4) {
		fprintf(stderr, "usage: guest-dioloop DEVICE BYTES READS|-\n");
		return 2;
	}
	bytes = number(argv[2]);
	if (!bytes || bytes % ALIGN || bytes > (64UL << 20)) {
		fprintf(stderr, "guest-dioloop: invalid BYTES '%s': want a multiple of 4096 up to 64 MiB\n", argv[2]);
		return 2;
	}
	if (strcmp(argv[3], "-") && !(reads = number(argv[3]))) {
		fprintf(stderr, "guest-dioloop: invalid READS '%s': want a positive number or -\n", argv[3]);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_DIRECT);
	if (fd < 0)
		return fail(argv[1]);
	if (ioctl(fd, BLKGETSIZE64, &size))
		return fail("BLKGETSIZE64");
	if (size < bytes) {
		fprintf(stderr, "guest-dioloop: %s: %llu bytes, smaller than one read\n", argv[1],
			(unsigned long long)size);
		return 1;
	}
	errno = posix_memalign(&buf, ALIGN, bytes);
	if (errno)
		return fail("posix_memalign");
	memset(buf, 0, bytes);
	if (mlock(buf, bytes))
		return fail("mlock");
	if (reads)
		err = loop(fd, buf, bytes, size, &off, reads);
	while (!reads && !err && fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\n")] = 0;
		if (!number(line)) {
			fprintf(stderr, "guest-dioloop: invalid READS '%s' on stdin\n", line);
			return 2;
		}
		err = loop(fd, buf, bytes, size, &off, number(line));
	}
	close(fd);
	free(buf);
	return err;
}
