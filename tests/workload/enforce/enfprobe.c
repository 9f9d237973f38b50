// SPDX-License-Identifier: GPL-2.0
/*
 * enfprobe: one VFIO/iommufd operation per run, for the enforcement e2e
 * check (tests/e2e/checks/90-enforce.sh). Built twice: native and -m32 (a
 * 32-bit caller goes through the kernel's compat ioctl path). No library
 * beyond libc, so the 32-bit build needs only gcc-multilib.
 *
 *   enfprobe open PATH                       open O_RDWR
 *   enfprobe type1 GROUP IOVA SIZE           container + group, MAP_DMA (then unmap)
 *   enfprobe ioas IOVA SIZE                  /dev/iommu, IOAS_ALLOC, IOAS_MAP (fixed IOVA)
 *   enfprobe pass PATH COMM                  open PATH, pass it over a unix socket to a
 *                                            child named COMM: did it arrive?
 *   enfprobe open-loop PATH SECONDS          open PATH again and again: how many opened
 *   enfprobe cost GROUP IOVA N               N MAP_DMA + UNMAP_DMA pairs of 4 KiB: ns per pair
 *   enfprobe race-type1 GROUP OK BAD SECONDS  a thread flips MAP_DMA's iova OK <-> BAD
 *                                            (past SECONDS, up to 3x, until one race is won)
 *   enfprobe race-ioas CDEV OK BAD SECONDS    the same with IOMMU_IOAS_MAP, a device attached
 *   enfprobe attach CDEV PASID               bind CDEV to a new iommufd, attach an IOAS:
 *                                            PASID 0 the device's RID, else that PASID
 *   enfprobe replace CDEV                    bind CDEV, attach an IOAS, then replace it by
 *                                            another: each one's errno
 *   enfprobe race-attach CDEV SECONDS         a thread flips the attach's flags between
 *                                            RID and PASID 1 while another attaches (and
 *                                            detaches): how many PASID attaches reached
 *                                            the kernel's driver (its own errno, not EPERM)
 *
 * Prints one "key=value ..." line. Exit status: the errno of the operation
 * (0: it succeeded); 100+: a setup step failed (said on stderr); for pass,
 * 0 received, 1 refused; for open-loop, 0 when nothing opened; for the
 * races, 0 when no forbidden mapping is left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "scm.h"
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define MAP_SZ 4096

static int die(int code, const char *what)
{
	fprintf(stderr, "enfprobe: %s: %s\n", what, strerror(errno));
	exit(code);
}

static uint64_t num(const char *s)
{
	return strtoull(s, NULL, 0);
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

static void *buf_alloc(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die(101, "mmap");
	memset(p, 0, size);
	return p;
}

/* A type1 container holding /dev/vfio/GROUP. */
static int type1_setup(const char *group)
{
	char path[64];
	int c, g, type = VFIO_TYPE1v2_IOMMU;

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	c = open("/dev/vfio/vfio", O_RDWR);
	if (c < 0)
		die(102, "open /dev/vfio/vfio");
	g = open(path, O_RDWR);
	if (g < 0)
		die(103, path);
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c))
		die(104, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(c, VFIO_SET_IOMMU, type))
		die(105, "VFIO_SET_IOMMU");
	return c;
}

static int type1_map(int c, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(c, VFIO_IOMMU_MAP_DMA, &m) ? errno : 0;
}

/* Bytes unmapped from [iova, iova + size). */
static uint64_t type1_unmap(int c, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = size };

	return ioctl(c, VFIO_IOMMU_UNMAP_DMA, &u) ? 0 : u.size;
}

static uint32_t ioas_alloc(int fd)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };

	if (ioctl(fd, IOMMU_IOAS_ALLOC, &a))
		die(106, "IOMMU_IOAS_ALLOC");
	return a.out_ioas_id;
}

static int ioas_map(int fd, uint32_t ioas, void *va, uint64_t iova, uint64_t size)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uintptr_t)va, .iova = iova, .length = size,
	};

	return ioctl(fd, IOMMU_IOAS_MAP, &m) ? errno : 0;
}

static uint64_t ioas_unmap(int fd, uint32_t ioas, uint64_t iova, uint64_t size)
{
	struct iommu_ioas_unmap u = { .size = sizeof(u), .ioas_id = ioas, .iova = iova, .length = size };

	return ioctl(fd, IOMMU_IOAS_UNMAP, &u) ? 0 : u.length;
}

static int cmd_open(char **argv)
{
	int fd = open(argv[0], O_RDWR), err = fd < 0 ? errno : 0;

	printf("op=open path=%s ret=%d\n", argv[0], -err);
	return err;
}

static int cmd_type1(char **argv)
{
	int c = type1_setup(argv[0]), err;
	uint64_t iova = num(argv[1]), size = num(argv[2]);
	void *va = buf_alloc(size);

	err = type1_map(c, va, iova, size);
	printf("op=map_dma bits=%zu iova=0x%llx size=0x%llx ret=%d\n", sizeof(long) * 8,
	       (unsigned long long)iova, (unsigned long long)size, -err);
	if (!err)
		type1_unmap(c, iova, size);
	return err;
}

static int cmd_ioas(char **argv)
{
	uint64_t iova = num(argv[0]), size = num(argv[1]);
	int fd = open("/dev/iommu", O_RDWR), err;
	void *va = buf_alloc(size);
	uint32_t ioas;

	if (fd < 0)
		die(102, "open /dev/iommu");
	ioas = ioas_alloc(fd);
	err = ioas_map(fd, ioas, va, iova, size);
	printf("op=ioas_map iova=0x%llx size=0x%llx ret=%d\n", (unsigned long long)iova,
	       (unsigned long long)size, -err);
	return err;
}

static int cmd_pass(char **argv)
{
	int fd = open(argv[0], O_RDWR), r;

	if (fd < 0)
		die(102, argv[0]);
	r = scm_pass_to_child(fd, argv[1]);
	if (r < 0)
		die(103, "passing the fd");
	printf("op=pass path=%s to=%s received=%s\n", argv[0], argv[1], r ? "no" : "yes");
	return r;
}

static int cmd_open_loop(char **argv)
{
	double end = now() + num(argv[1]);
	unsigned long tries = 0, opened = 0;

	while (now() < end) {
		int fd = open(argv[0], O_RDWR);

		tries++;
		if (fd >= 0) {
			opened++;
			close(fd);
		}
	}
	printf("op=open-loop path=%s tries=%lu opened=%lu\n", argv[0], tries, opened);
	return opened ? 1 : 0;
}

static int cmd_cost(char **argv)
{
	int c = type1_setup(argv[0]);
	uint64_t iova = num(argv[1]), n = num(argv[2]), i;
	void *va = buf_alloc(MAP_SZ);
	double t0 = now();

	for (i = 0; i < n; i++)
		if (type1_map(c, va, iova, MAP_SZ) || type1_unmap(c, iova, MAP_SZ) != MAP_SZ)
			die(106, "map/unmap");
	printf("op=cost pairs=%llu ns_per_pair=%.0f\n", (unsigned long long)n,
	       (now() - t0) * 1e9 / n);
	return 0;
}

/*
 * The races. A child maps again and again while its second thread flips
 * the argument's IOVA between OK and BAD; the gate may see OK and the
 * kernel's copy BAD: then the child is killed. Counters live in shared
 * memory so a killed child's work is counted.
 */
struct race_stats {
	volatile unsigned long attempts, mapped_ok, denied, other;
};

static volatile __u64 *flip_iova;
static uint64_t flip_ok, flip_bad;

/* Hold each value for a varying while, so that both orders of the two reads happen. */
static void *flipper(void *arg)
{
	unsigned int n = 0;
	volatile unsigned int spin;

	(void)arg;
	for (;;) {
		n = n * 1103515245 + 12345;
		*flip_iova = flip_bad;
		for (spin = (n >> 16) & 0xff; spin; spin--)
			;
		*flip_iova = flip_ok;
		for (spin = (n >> 8) & 0xff; spin; spin--)
			;
	}
	return NULL;
}

enum { RACE_TYPE1, RACE_IOAS };

static void race_child(int kind, int fd, uint32_t ioas, struct race_stats *s)
{
	struct vfio_iommu_type1_dma_map *vm = buf_alloc(4096);
	struct iommu_ioas_map *im = (void *)((char *)vm + 2048);
	void *va = buf_alloc(MAP_SZ);
	pthread_t t;
	int i;

	*vm = (struct vfio_iommu_type1_dma_map){ .argsz = sizeof(*vm),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = flip_ok, .size = MAP_SZ };
	*im = (struct iommu_ioas_map){ .size = sizeof(*im), .ioas_id = ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uintptr_t)va, .iova = flip_ok, .length = MAP_SZ };
	flip_iova = kind == RACE_TYPE1 ? &vm->iova : &im->iova;
	pthread_create(&t, NULL, flipper, NULL);
	for (i = 0; i < 2000; i++) {
		int r = kind == RACE_TYPE1 ? ioctl(fd, VFIO_IOMMU_MAP_DMA, vm) :
					     ioctl(fd, IOMMU_IOAS_MAP, im);

		__sync_fetch_and_add(&s->attempts, 1);
		if (!r) {
			__sync_fetch_and_add(&s->mapped_ok, 1);
			/* a map at OK is undone; one at BAD would be left for the parent to find */
			if (kind == RACE_TYPE1)
				type1_unmap(fd, flip_ok, MAP_SZ);
			else
				ioas_unmap(fd, ioas, flip_ok, MAP_SZ);
		} else if (errno == EPERM) {
			__sync_fetch_and_add(&s->denied, 1);
		} else {
			__sync_fetch_and_add(&s->other, 1);
		}
	}
	_exit(0);
}

/*
 * CDEV bound to a new iommufd (*iommufd), and an IOAS of it in *ioas: the
 * device fd. A 32-bit caller gets no IOAS (*ioas 0): iommufd has no compat
 * ioctl, while the device fd's ioctls go through the compat path.
 */
static int cdev_bind(const char *cdev, uint32_t *ioas, int *iommufd)
{
	struct vfio_device_bind_iommufd b = { .argsz = 16 };
	int fd = open("/dev/iommu", O_RDWR), dev = open(cdev, O_RDWR);

	if (fd < 0 || dev < 0)
		die(102, "open /dev/iommu or the cdev");
	b.iommufd = fd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &b))
		die(103, "VFIO_DEVICE_BIND_IOMMUFD");
	*ioas = sizeof(long) == 8 ? ioas_alloc(fd) : 0;
	if (iommufd)
		*iommufd = fd;
	return dev;
}

/* iommufd: a child binds the device cdev to its own iommufd and attaches an IOAS. */
static int ioas_child_setup(const char *cdev, uint32_t *ioas)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = 12 };
	int fd, dev = cdev_bind(cdev, ioas, &fd);

	a.pt_id = *ioas;
	if (ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a))
		die(104, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	return fd;
}

/* Wait for a race child: count it when the kernel killed it; die when it failed. */
static void race_reap(pid_t pid, unsigned long *killed)
{
	int st;

	waitpid(pid, &st, 0);
	if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		(*killed)++;
	else if (!WIFEXITED(st) || WEXITSTATUS(st))
		die(108, "a race child failed");
}

static int cmd_race(int kind, char **argv)
{
	struct race_stats *s;
	double secs = num(argv[3]), end = now() + secs;
	unsigned long children = 0, killed = 0;
	uint64_t left = 0;
	int c = -1;

	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		die(101, "mmap");
	flip_ok = num(argv[1]);
	flip_bad = num(argv[2]);
	/* type1: one container shared by every child, so a forbidden map would outlive its maker */
	if (kind == RACE_TYPE1)
		c = type1_setup(argv[0]);
	/* SECONDS, or up to three times that until a race was won once */
	while (now() < end || (!killed && now() < end + 2 * secs)) {
		pid_t pid = fork();

		if (pid < 0)
			die(107, "fork");
		if (!pid) {
			uint32_t ioas = 0;
			int fd = kind == RACE_TYPE1 ? c : ioas_child_setup(argv[0], &ioas);

			race_child(kind, fd, ioas, s);
		}
		children++;
		race_reap(pid, &killed);
	}
	if (kind == RACE_TYPE1)
		left = type1_unmap(c, flip_bad, MAP_SZ);
	printf("op=race-%s children=%lu killed=%lu attempts=%lu mapped_ok=%lu denied=%lu other=%lu "
	       "bad_left=%llu\n", kind == RACE_TYPE1 ? "type1" : "ioas", children, killed,
	       s->attempts, s->mapped_ok, s->denied, s->other, (unsigned long long)left);
	return left ? 1 : 0;
}

static int cmd_attach(char **argv)
{
	uint32_t ioas, pasid = num(argv[1]);
	int dev = cdev_bind(argv[0], &ioas, NULL), err;
	struct vfio_device_attach_iommufd_pt a = {
		.argsz = sizeof(a), .flags = pasid ? VFIO_DEVICE_ATTACH_PASID : 0, .pt_id = ioas, .pasid = pasid,
	};

	err = ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) ? errno : 0;
	printf("op=attach pasid=%u errno=%d (%s)\n", pasid, err, strerror(err));
	return err;
}

static int cmd_replace(char **argv)
{
	uint32_t ioas, ioas2;
	int fd, dev = cdev_bind(argv[0], &ioas, &fd), first, second;
	struct vfio_device_attach_iommufd_pt a = { .argsz = 12, .pt_id = ioas };

	first = ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) ? errno : 0;
	ioas2 = ioas_alloc(fd);
	a.pt_id = ioas2;
	second = ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) ? errno : 0;
	printf("op=replace attach=%d replace=%d\n", first, second);
	return first ? first : second;
}

/* The attach argument the flipping thread rewrites (race-attach). */
static struct vfio_device_attach_iommufd_pt race_att;

static void *flip_flags(void *arg)
{
	(void)arg;
	for (;;)
		__atomic_store_n(&race_att.flags, race_att.flags ^ VFIO_DEVICE_ATTACH_PASID, __ATOMIC_RELAXED);
	return NULL;
}

/*
 * A child: bind, then attach with the flags flipping under it, for SECS.
 * 0: an attach of the RID, detached again; EPERM: the gate refused a PASID
 * attach; anything else: a PASID attach the kernel's driver judged (the
 * policy refuses those: a race won).
 */
static void race_attach_child(const char *cdev, double end, struct race_stats *s)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };
	uint32_t ioas;
	int dev = cdev_bind(cdev, &ioas, NULL);
	pthread_t t;

	race_att = (struct vfio_device_attach_iommufd_pt){ .argsz = sizeof(race_att), .pt_id = ioas, .pasid = 1 };
	if (pthread_create(&t, NULL, flip_flags, NULL))
		die(105, "pthread_create");
	while (now() < end) {
		__sync_fetch_and_add(&s->attempts, 1);
		race_att.pt_id = ioas;
		if (!ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &race_att)) {
			__sync_fetch_and_add(&s->mapped_ok, 1);
			if (ioctl(dev, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d))
				die(106, "VFIO_DEVICE_DETACH_IOMMUFD_PT");
		} else if (errno == EPERM) {
			__sync_fetch_and_add(&s->denied, 1);
		} else {
			__sync_fetch_and_add(&s->other, 1);
		}
	}
	_exit(0);
}

static int cmd_race_attach(char **argv)
{
	double secs = num(argv[1]), end = now() + secs;
	unsigned long children = 0, killed = 0;
	struct race_stats *s;

	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		die(101, "mmap");
	while (now() < end) {
		pid_t pid = fork();

		if (pid < 0)
			die(107, "fork");
		if (!pid)
			race_attach_child(argv[0], end, s);
		children++;
		race_reap(pid, &killed);
	}
	printf("op=race-attach children=%lu killed=%lu attempts=%lu rid_ok=%lu denied=%lu pasid_reached=%lu\n",
	       children, killed, s->attempts, s->mapped_ok, s->denied, s->other);
	return s->other ? 1 : 0;
}

static int cmd_race_type1(char **argv) { return cmd_race(RACE_TYPE1, argv); }
static int cmd_race_ioas(char **argv) { return cmd_race(RACE_IOAS, argv); }

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **argv);
} cmds[] = {
	{ "attach",	2, cmd_attach },
	{ "cost",	3, cmd_cost },
	{ "ioas",	2, cmd_ioas },
	{ "open",	1, cmd_open },
	{ "open-loop",	2, cmd_open_loop },
	{ "pass",	2, cmd_pass },
	{ "race-attach", 2, cmd_race_attach },
	{ "race-ioas",	4, cmd_race_ioas },
	{ "race-type1",	4, cmd_race_type1 },
	{ "replace",	1, cmd_replace },
	{ "type1",	3, cmd_type1 },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc > 1 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 == cmds[i].nargs)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: enfprobe open|type1|ioas|pass|open-loop|race-type1|race-ioas|attach|race-attach|replace ARGS "
			"(see the source's head)\n");
	return 2;
}
