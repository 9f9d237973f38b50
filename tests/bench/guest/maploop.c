// SPDX-License-Identifier: GPL-2.0
/*
 * guest-maploop: the benchmarks' and the stress scenario's workload, run in
 * a test-bed guest. Pairs of a 4 KiB map and its unmap, as fast as the
 * kernel takes them, through one of:
 *
 *   type1 BDF PAIRS   VFIO type1 container: VFIO_IOMMU_MAP_DMA + UNMAP_DMA
 *                     (BDF bound to vfio-pci, its group viable)
 *   ioas PAIRS        iommufd: an IOAS with an IOMMUFD_TEST mock domain
 *                     attached, IOMMU_IOAS_MAP (fixed IOVA) + IOMMU_IOAS_UNMAP
 *
 * One line on stdout, after the loop: "pairs N ns T ns_per_pair P". The
 * setup (container, group, IOAS, mock device) is outside the timing; every
 * call is checked, and the first failure stops the loop (exit 1).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "iommufd_test.h"

#define PAGE 4096ULL
#define IOVA 0x100000ULL		/* type1 */
#define MOCK_IOVA 0x1000000ULL		/* the mock domain's aperture starts at 16 MiB */

#define IOMMU_TEST_OP_MOCK_DOMAIN 2

static int fail(const char *what)
{
	fprintf(stderr, "guest-maploop: %s: %s\n", what, strerror(errno));
	return 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void report(unsigned long pairs, uint64_t ns)
{
	printf("pairs %lu ns %llu ns_per_pair %llu\n", pairs, (unsigned long long)ns,
	       (unsigned long long)(pairs ? ns / pairs : 0));
}

static int group_of(const char *bdf)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;
	const char *slash;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return -1;
	link[n] = 0;
	slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

static int type1(const char *bdf, unsigned long pairs, void *buf)
{
	struct vfio_group_status st = { .argsz = sizeof(st) };
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map), .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)buf, .iova = IOVA, .size = PAGE,
	};
	struct vfio_iommu_type1_dma_unmap unmap = { .argsz = sizeof(unmap), .iova = IOVA, .size = PAGE };
	int container, group, g = group_of(bdf);
	char path[64];
	unsigned long i;
	uint64_t t0;

	if (g < 0)
		return fail("no IOMMU group for the device");
	snprintf(path, sizeof(path), "/dev/vfio/%d", g);
	container = open("/dev/vfio/vfio", O_RDWR);
	group = open(path, O_RDWR);
	if (container < 0 || group < 0)
		return fail("open /dev/vfio");
	if (ioctl(group, VFIO_GROUP_GET_STATUS, &st) || !(st.flags & VFIO_GROUP_FLAGS_VIABLE))
		return fail("group not viable");
	if (ioctl(group, VFIO_GROUP_SET_CONTAINER, &container))
		return fail("VFIO_GROUP_SET_CONTAINER");
	if (ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		return fail("VFIO_SET_IOMMU");
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		if (ioctl(container, VFIO_IOMMU_MAP_DMA, &map))
			return fail("VFIO_IOMMU_MAP_DMA");
		unmap.size = PAGE;
		if (ioctl(container, VFIO_IOMMU_UNMAP_DMA, &unmap) || unmap.size != PAGE)
			return fail("VFIO_IOMMU_UNMAP_DMA");
	}
	report(pairs, now_ns() - t0);
	close(group);
	close(container);
	return 0;
}

static int ioas(unsigned long pairs, void *buf)
{
	struct iommu_ioas_alloc alloc = { .size = sizeof(alloc) };
	struct iommu_test_cmd mock = { .size = sizeof(mock), .op = IOMMU_TEST_OP_MOCK_DOMAIN };
	struct iommu_ioas_map map = {
		.size = sizeof(map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uintptr_t)buf, .length = PAGE, .iova = MOCK_IOVA,
	};
	struct iommu_ioas_unmap unmap = { .size = sizeof(unmap), .iova = MOCK_IOVA, .length = PAGE };
	int fd = open("/dev/iommu", O_RDWR);
	unsigned long i;
	uint64_t t0;

	if (fd < 0)
		return fail("open /dev/iommu");
	if (ioctl(fd, IOMMU_IOAS_ALLOC, &alloc))
		return fail("IOMMU_IOAS_ALLOC");
	mock.id = alloc.out_ioas_id;
	if (ioctl(fd, IOMMU_TEST_CMD, &mock))
		return fail("IOMMU_TEST_OP_MOCK_DOMAIN (a kernel with IOMMUFD_TEST)");
	map.ioas_id = unmap.ioas_id = alloc.out_ioas_id;
	t0 = now_ns();
	for (i = 0; i < pairs; i++) {
		if (ioctl(fd, IOMMU_IOAS_MAP, &map))
			return fail("IOMMU_IOAS_MAP");
		unmap.length = PAGE;
		if (ioctl(fd, IOMMU_IOAS_UNMAP, &unmap) || unmap.length != PAGE)
			return fail("IOMMU_IOAS_UNMAP");
	}
	report(pairs, now_ns() - t0);
	close(fd);	/* destroys the mock device, its domain, the IOAS */
	return 0;
}

int main(int argc, char **argv)
{
	unsigned long pairs;
	char *end;
	void *buf;

	if (argc < 3 || ((strcmp(argv[1], "type1") || argc != 4) && (strcmp(argv[1], "ioas") || argc != 3))) {
		fprintf(stderr, "usage: guest-maploop type1 BDF PAIRS | ioas PAIRS\n");
		return 2;
	}
	errno = 0;
	pairs = strtoul(argv[argc - 1], &end, 10);
	if (errno || *end || end == argv[argc - 1]) {
		fprintf(stderr, "guest-maploop: invalid PAIRS '%s'\n", argv[argc - 1]);
		return 2;
	}
	buf = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return fail("mmap");
	memset(buf, 0x5a, PAGE);
	return argv[1][0] == 't' ? type1(argv[2], pairs, buf) : ioas(pairs, buf);
}
