// SPDX-License-Identifier: GPL-2.0
/*
 * memprobe: the pinned-bytes cap, step by step, for the e2e check
 * tests/e2e/checks/91-enforce-limits.sh. Built native and -m32 (the
 * compat path). Runs under the command name COMM (the policy's subject),
 * with a cap of CAP bytes in the policy:
 *
 *   memprobe type1 COMM GROUP CAP       a VFIO type1 container on /dev/vfio/GROUP
 *   memprobe type1-pass COMM GROUP CAP  the same container, set up by this process
 *                                       (another name) and passed over a unix
 *                                       socket to a child named COMM
 *   memprobe ioas COMM CDEV CAP         /dev/iommu, the device cdev bound and attached
 *   memprobe stale-compat COMM CDEV_A CDEV_B  a replace that leaves a stale HWPT view,
 *                                       from 32-bit (below)
 *   memprobe stale-pass COMM CDEV_A CDEV_B  the same, by a child given CDEV_A
 *
 * Steps, each with its errno (0: it succeeded):
 *   map_high   a 4 KiB map while RLIMIT_MEMLOCK is above CAP (the default)
 *   lower      setrlimit: the soft limit to CAP (the hard one kept)
 *   raise      setrlimit: the soft limit to 2 * CAP (then back to CAP if it worked)
 *   mlock      mlock() of 2 * CAP bytes (CAP_IPC_LOCK would lift the limit)
 *   map_in     a map of CAP / 2 bytes
 *   map_over   a map of CAP bytes more (past the cap, by the kernel's accounting)
 * and the kernel's own accounting after map_in and map_over, from
 * /proc/self/status: VmLck (mm->locked_vm: type1) and VmPin (pinned_vm:
 * iommufd), in kB more than before map_in (dlck_*, dpin_*). Prints one
 * "key=value ..." line; exit 0 once set up, 100+ when a setup step failed
 * (said on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scm.h"
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define PAGE 4096ULL
#define IOVA_HIGH 0x100000ULL
#define IOVA_IN 0x10000000ULL
#define IOVA_OVER 0x20000000ULL

static int die(int code, const char *what)
{
	fprintf(stderr, "memprobe: %s: %s\n", what, strerror(errno));
	exit(code);
}

static void *buf(uint64_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die(101, "mmap");
	memset(p, 1, size);
	return p;
}

/* A kind of DMA space: how to map into it. */
struct space {
	int fd;
	uint32_t ioas;
	int (*map)(struct space *s, void *va, uint64_t iova, uint64_t size);
};

static int type1_map(struct space *s, void *va, uint64_t iova, uint64_t size)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m), .flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)va, .iova = iova, .size = size,
	};

	return ioctl(s->fd, VFIO_IOMMU_MAP_DMA, &m) ? errno : 0;
}

static int ioas_map(struct space *s, void *va, uint64_t iova, uint64_t size)
{
	struct iommu_ioas_map m = {
		.size = sizeof(m), .ioas_id = s->ioas,
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | IOMMU_IOAS_MAP_READABLE | IOMMU_IOAS_MAP_WRITEABLE,
		.user_va = (uintptr_t)va, .iova = iova, .length = size,
	};

	return ioctl(s->fd, IOMMU_IOAS_MAP, &m) ? errno : 0;
}

static int type1_setup(const char *group)
{
	char path[64];
	int c, g;

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	c = open("/dev/vfio/vfio", O_RDWR);
	g = open(path, O_RDWR);
	if (c < 0 || g < 0)
		die(102, "open /dev/vfio/vfio or the group");
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c))
		die(103, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die(104, "VFIO_SET_IOMMU");
	return c;
}

static void ioas_setup(struct space *s, const char *cdev)
{
	struct vfio_device_bind_iommufd b = { .argsz = 16 };
	struct vfio_device_attach_iommufd_pt a = { .argsz = 12 };
	struct iommu_ioas_alloc al = { .size = sizeof(al) };
	int dev = open(cdev, O_RDWR);

	s->fd = open("/dev/iommu", O_RDWR);
	if (s->fd < 0 || dev < 0)
		die(102, "open /dev/iommu or the cdev");
	b.iommufd = s->fd;
	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &b))
		die(103, "VFIO_DEVICE_BIND_IOMMUFD");
	if (ioctl(s->fd, IOMMU_IOAS_ALLOC, &al))
		die(104, "IOMMU_IOAS_ALLOC");
	s->ioas = al.out_ioas_id;
	a.pt_id = s->ioas;
	/* pages are pinned (and accounted) only once a domain is attached */
	if (ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a))
		die(105, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
}

/* /proc/self/status's KEY ("VmLck") in kB; -1 if absent */
static long status_kb(const char *key)
{
	char line[256];
	FILE *f = fopen("/proc/self/status", "r");
	size_t n = strlen(key);
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && line[n] == ':')
			v = strtol(line + n + 1, NULL, 10);
	if (f)
		fclose(f);
	return v;
}

static int set_soft(uint64_t soft)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_MEMLOCK, &r))
		return errno;
	r.rlim_cur = soft;
	return setrlimit(RLIMIT_MEMLOCK, &r) ? errno : 0;
}

static int run(struct space *s, const char *comm, uint64_t cap)
{
	struct rlimit r0;
	int map_high, lower, raise, ml, map_in, map_over;
	long lck0, pin0, lck_in, pin_in, lck_over, pin_over;
	void *big = buf(2 * cap);

	prctl(PR_SET_NAME, comm);
	getrlimit(RLIMIT_MEMLOCK, &r0);
	map_high = s->map(s, big, IOVA_HIGH, PAGE);
	lower = set_soft(cap);
	raise = set_soft(2 * cap);
	if (!raise)
		set_soft(cap);
	ml = mlock(big, 2 * cap) ? errno : 0;
	if (!ml)
		munlock(big, 2 * cap);
	lck0 = status_kb("VmLck");
	pin0 = status_kb("VmPin");
	map_in = s->map(s, big, IOVA_IN, cap / 2);
	lck_in = status_kb("VmLck");
	pin_in = status_kb("VmPin");
	map_over = s->map(s, (char *)big + cap / 2, IOVA_OVER, cap);
	lck_over = status_kb("VmLck");
	pin_over = status_kb("VmPin");
	printf("op=memlock comm=%s bits=%zu cap_kb=%llu limit0_kb=%llu map_high=%d lower=%d raise=%d "
	       "mlock=%d map_in=%d dlck_in=%ld dpin_in=%ld map_over=%d dlck_over=%ld dpin_over=%ld\n",
	       comm, sizeof(long) * 8, (unsigned long long)cap / 1024,
	       r0.rlim_cur == RLIM_INFINITY ? ~0ULL : (unsigned long long)r0.rlim_cur / 1024,
	       map_high, lower, raise, ml, map_in, lck_in - lck0, pin_in - pin0, map_over,
	       lck_over - lck0, pin_over - pin0);
	return 0;
}

static int cmd_type1(char **argv)
{
	struct space s = { .fd = type1_setup(argv[1]), .map = type1_map };

	return run(&s, argv[0], strtoull(argv[2], NULL, 0));
}

static int cmd_ioas(char **argv)
{
	struct space s = { .map = ioas_map };

	ioas_setup(&s, argv[1]);
	return run(&s, argv[0], strtoull(argv[2], NULL, 0));
}

/* The container comes from another process (SCM_RIGHTS): no way around the cap. */
static int cmd_type1_pass(char **argv)
{
	int sv[2], st, c;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die(106, "socketpair");
	pid = fork();
	if (pid < 0)
		die(107, "fork");
	if (!pid) {
		struct space s = { .map = type1_map };

		if (scm_recv_fd(sv[1], &s.fd))
			die(108, "recvmsg");
		exit(run(&s, argv[0], strtoull(argv[2], NULL, 0)));
	}
	c = type1_setup(argv[1]);
	if (scm_send_fd(sv[0], c))
		die(109, "sendmsg");
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 110;
}

/*
 * The stale-HWPT-view rule's bypass attempts: two devices of one group
 * bound to one iommufd and attached to HWPT A, then the first replaced
 * onto B (which moves the group under the second), all set up here.
 * "stale-compat": the replace is done by memprobe32 (exec'd, named COMM,
 * the cdev inherited), through the compat ioctl (iommufd itself has no
 * compat ioctl, so a 32-bit process cannot set up); "stale-pass": by a
 * child named COMM given the first device's cdev over a unix socket.
 * Prints the replace's errno.
 */
static uint32_t bind_dev(int dev, int ifd)
{
	struct vfio_device_bind_iommufd b = { .argsz = 16, .iommufd = ifd };

	if (ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &b))
		die(103, "VFIO_DEVICE_BIND_IOMMUFD");
	return b.out_devid;
}

static int attach_dev(int dev, uint32_t pt)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = 12, .pt_id = pt };

	return ioctl(dev, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a) ? errno : 0;
}

static uint32_t hwpt_alloc(int ifd, uint32_t dev_id, uint32_t ioas)
{
	struct iommu_hwpt_alloc h = { .size = sizeof(h), .dev_id = dev_id, .pt_id = ioas };

	if (ioctl(ifd, IOMMU_HWPT_ALLOC, &h))
		die(104, "IOMMU_HWPT_ALLOC");
	return h.out_hwpt_id;
}

/* Both devices on A; returns B (for the replace); *dev_a the first device's fd. */
static uint32_t stale_setup(char **argv, int *dev_a)
{
	struct iommu_ioas_alloc al = { .size = sizeof(al) };
	int ifd = open("/dev/iommu", O_RDWR), a = open(argv[1], O_RDWR), b = open(argv[2], O_RDWR);
	uint32_t id_a, id_b, hwpt_a, hwpt_b;

	if (ifd < 0 || a < 0 || b < 0)
		die(102, "open /dev/iommu or a cdev");
	id_a = bind_dev(a, ifd);
	id_b = bind_dev(b, ifd);
	if (ioctl(ifd, IOMMU_IOAS_ALLOC, &al))
		die(105, "IOMMU_IOAS_ALLOC");
	hwpt_a = hwpt_alloc(ifd, id_a, al.out_ioas_id);
	hwpt_b = hwpt_alloc(ifd, id_a, al.out_ioas_id);
	if (attach_dev(a, hwpt_a) || attach_dev(b, hwpt_a))
		die(106, "VFIO_DEVICE_ATTACH_IOMMUFD_PT (first attaches)");
	(void)id_b;
	*dev_a = a;
	return hwpt_b;
}

/* iommufd has no compat ioctl: set up here, replace from the 32-bit build (memprobe32) */
static int cmd_stale_compat(char **argv)
{
	char exe[4096], fd_s[16], hwpt_s[16];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 3);
	int a, st;
	uint32_t hwpt_b = stale_setup(argv, &a);
	pid_t pid;

	if (n <= 0)
		die(112, "readlink /proc/self/exe");
	strcpy(exe + n, "32");
	snprintf(fd_s, sizeof(fd_s), "%d", a);
	snprintf(hwpt_s, sizeof(hwpt_s), "%u", hwpt_b);
	pid = fork();
	if (pid < 0)
		die(108, "fork");
	if (!pid) {
		execl(exe, exe, "replace", argv[0], fd_s, hwpt_s, (char *)NULL);
		die(113, exe);
	}
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 111;
}

/* memprobe replace COMM FD HWPT: attach the inherited device fd FD to HWPT */
static int cmd_replace(char **argv)
{
	prctl(PR_SET_NAME, argv[0]);
	printf("op=stale-replace comm=%s bits=%zu replace=%d\n", argv[0], sizeof(long) * 8,
	       attach_dev(atoi(argv[1]), strtoul(argv[2], NULL, 0)));
	return 0;
}

static int cmd_stale_pass(char **argv)
{
	int sv[2], st, a;
	uint32_t hwpt_b;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		die(107, "socketpair");
	hwpt_b = stale_setup(argv, &a);
	pid = fork();
	if (pid < 0)
		die(108, "fork");
	if (!pid) {
		int fd;

		prctl(PR_SET_NAME, argv[0]);
		close(a);
		if (scm_recv_fd(sv[1], &fd))
			die(109, "recvmsg");
		printf("op=stale-replace comm=%s bits=%zu passed=1 replace=%d\n", argv[0],
		       sizeof(long) * 8, attach_dev(fd, hwpt_b));
		exit(0);
	}
	if (scm_send_fd(sv[0], a))
		die(110, "sendmsg");
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 111;
}

static const struct {
	const char *name;
	int (*fn)(char **argv);
} cmds[] = {
	{ "ioas",	cmd_ioas },
	{ "replace",		cmd_replace },
	{ "stale-compat",	cmd_stale_compat },
	{ "stale-pass",		cmd_stale_pass },
	{ "type1",	cmd_type1 },
	{ "type1-pass",	cmd_type1_pass },
};

int main(int argc, char **argv)
{
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; argc == 5 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: memprobe type1|type1-pass|ioas COMM GROUP|CDEV CAP, "
			"memprobe stale-compat|stale-pass COMM CDEV_A CDEV_B (see the source)\n");
	return 2;
}
