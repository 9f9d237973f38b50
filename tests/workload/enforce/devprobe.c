// SPDX-License-Identifier: GPL-2.0
/*
 * devprobe: one device operation per run, for the enforcement check of
 * executable subjects and device objects (tests/e2e/checks/
 * 91-enforce-subjects.sh). Built native and -m32 (the compat ioctl path).
 *
 *   devprobe open PATH                 open O_RDWR
 *   devprobe getfd GROUP NAME          a type1 container holding /dev/vfio/GROUP,
 *                                      then VFIO_GROUP_GET_DEVICE_FD(NAME)
 *   devprobe getfd-pass GROUP NAME COMM  the same, then pass the device fd over a
 *                                      unix socket to a child named COMM: did it arrive?
 *   devprobe cdev CDEV                 open the cdev, then VFIO_DEVICE_BIND_IOMMUFD
 *                                      to a new /dev/iommu
 *   devprobe getfd-race GROUP OK BAD SECONDS  children each hold /dev/vfio/GROUP and call
 *                                      VFIO_GROUP_GET_DEVICE_FD in a loop while a second
 *                                      thread flips the name between OK and BAD (two devices
 *                                      of GROUP); each fd got is identified by its BAR 0
 *                                      (config space through the fd) against sysfs
 *
 * Prints one "key=value ..." line, errors as negative errnos (0: done;
 * -1: EPERM). Exit status 0 when the probe ran (the line says what the
 * kernel answered); 100+: a setup step failed (said on stderr).
 */
#define _GNU_SOURCE
#define _FILE_OFFSET_BITS 64
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <sys/mman.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scm.h"
#include <linux/iommufd.h>
#include <linux/vfio.h>

#define BITS ((int)sizeof(long) * 8)

static int die(int code, const char *what)
{
	fprintf(stderr, "devprobe: %s: %s\n", what, strerror(errno));
	exit(code);
}

static int cmd_open(char **argv)
{
	int fd = open(argv[0], O_RDWR);

	printf("op=open bits=%d path=%s ret=%d\n", BITS, argv[0], fd < 0 ? -errno : 0);
	return 0;
}

/* A type1 container holding /dev/vfio/GROUP; the device fd of NAME (or -errno). */
static int get_device_fd(const char *group, const char *name)
{
	char path[64];
	int c, g, fd;

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	c = open("/dev/vfio/vfio", O_RDWR);
	if (c < 0)
		die(102, "open /dev/vfio/vfio");
	g = open(path, O_RDWR);
	if (g < 0)
		die(103, path);
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c))
		die(104, "VFIO_GROUP_SET_CONTAINER");
	if (ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die(105, "VFIO_SET_IOMMU");
	fd = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, name);
	return fd < 0 ? -errno : fd;
}

static int cmd_getfd(char **argv)
{
	int fd = get_device_fd(argv[0], argv[1]);

	printf("op=getfd bits=%d name=%s ret=%d\n", BITS, argv[1], fd < 0 ? fd : 0);
	return 0;
}

static int cmd_getfd_pass(char **argv)
{
	int fd = get_device_fd(argv[0], argv[1]), r;

	if (fd < 0) {
		errno = -fd;
		die(106, "VFIO_GROUP_GET_DEVICE_FD");
	}
	r = scm_pass_to_child(fd, argv[2]);
	if (r < 0)
		die(107, "passing the fd");
	printf("op=getfd-pass name=%s to=%s received=%s\n", argv[1], argv[2], r ? "no" : "yes");
	return 0;
}

static int cmd_cdev(char **argv)
{
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b) };
	int dev = open(argv[0], O_RDWR), bind = 1, err = dev < 0 ? -errno : 0;

	if (dev >= 0) {
		b.iommufd = open("/dev/iommu", O_RDWR);
		if (b.iommufd < 0)
			die(102, "open /dev/iommu");
		bind = ioctl(dev, VFIO_DEVICE_BIND_IOMMUFD, &b) ? -errno : 0;
	}
	printf("op=cdev bits=%d path=%s open=%d bind=%d\n", BITS, argv[0], err, bind);
	return 0;
}

/*
 * The GET_DEVICE_FD name race (docs/enforce.md "Device objects"). A
 * child's second thread flips the name between OK and BAD; the gate may
 * read OK and the kernel copy BAD: then the child is killed before the fd
 * is its. A fd the child does get is identified by the device's BAR 0, read
 * from its config space through the fd and compared with sysfs's
 * `resource` of OK and BAD: got_bad counts fds of the forbidden device.
 */
struct getfd_race_stats {
	volatile unsigned long attempts, got_ok, got_bad, got_unknown, denied, other;
};

static char race_name[64];
static char race_ok[64], race_bad[64];

static void *name_flipper(void *arg)
{
	unsigned int n = 0;
	volatile unsigned int spin;

	(void)arg;
	for (;;) {
		n = n * 1103515245 + 12345;
		strcpy(race_name, race_bad);
		for (spin = (n >> 16) & 0xff; spin; spin--)
			;
		strcpy(race_name, race_ok);
		for (spin = (n >> 8) & 0xff; spin; spin--)
			;
	}
	return NULL;
}

/* BAR 0's address as sysfs has it for device NAME (its `resource`, first line); 0: none. */
static uint64_t sysfs_bar0(const char *name)
{
	char path[128];
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/resource", name);
	f = fopen(path, "r");
	if (!f || fscanf(f, "%llx", &start) != 1)
		start = 0;
	if (f)
		fclose(f);
	return start;
}

/* BAR 0's address as the device fd's config space shows it; 0: unreadable. */
static uint64_t fd_bar0(int fd)
{
	struct vfio_region_info ri = { .argsz = sizeof(ri), .index = VFIO_PCI_CONFIG_REGION_INDEX };
	uint32_t bar = 0;

	if (ioctl(fd, VFIO_DEVICE_GET_REGION_INFO, &ri) ||
	    pread(fd, &bar, sizeof(bar), ri.offset + 0x10) != sizeof(bar))
		return 0;
	return bar & (bar & 1 ? ~3u : ~0xfu);
}

static void getfd_race_child(const char *group, uint64_t ok_bar, uint64_t bad_bar,
			     struct getfd_race_stats *s)
{
	char path[64];
	pthread_t t;
	int c, g, i;

	snprintf(path, sizeof(path), "/dev/vfio/%s", group);
	c = open("/dev/vfio/vfio", O_RDWR);
	g = open(path, O_RDWR);
	if (c < 0 || g < 0)
		die(102, "open the container or the group");
	if (ioctl(g, VFIO_GROUP_SET_CONTAINER, &c) || ioctl(c, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU))
		die(103, "VFIO_GROUP_SET_CONTAINER/VFIO_SET_IOMMU");
	strcpy(race_name, race_ok);
	pthread_create(&t, NULL, name_flipper, NULL);
	for (i = 0; i < 200; i++) {
		int fd = ioctl(g, VFIO_GROUP_GET_DEVICE_FD, race_name);

		__sync_fetch_and_add(&s->attempts, 1);
		if (fd >= 0) {
			uint64_t bar = fd_bar0(fd);

			if (bar && bar == bad_bar)
				__sync_fetch_and_add(&s->got_bad, 1);
			else if (bar && bar == ok_bar)
				__sync_fetch_and_add(&s->got_ok, 1);
			else
				__sync_fetch_and_add(&s->got_unknown, 1);
			close(fd);
		} else if (errno == EPERM) {
			__sync_fetch_and_add(&s->denied, 1);
		} else {
			__sync_fetch_and_add(&s->other, 1);
		}
	}
	_exit(0);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_getfd_race(char **argv)
{
	struct getfd_race_stats *s;
	uint64_t ok_bar = sysfs_bar0(argv[1]), bad_bar = sysfs_bar0(argv[2]);
	double secs = atof(argv[3]), end = now_s() + secs;
	unsigned long children = 0, killed = 0;
	int st;

	if (!ok_bar || !bad_bar || ok_bar == bad_bar || strlen(argv[1]) != strlen(argv[2]) ||
	    strlen(argv[1]) >= sizeof(race_ok))
		die(101, "two devices with distinct BAR 0s and names of one length");
	snprintf(race_ok, sizeof(race_ok), "%s", argv[1]);
	snprintf(race_bad, sizeof(race_bad), "%s", argv[2]);
	s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s == MAP_FAILED)
		die(101, "mmap");
	/* SECONDS, or up to three times that until a race was won once */
	while (now_s() < end || (!killed && now_s() < end + 2 * secs)) {
		pid_t pid = fork();

		if (pid < 0)
			die(107, "fork");
		if (!pid)
			getfd_race_child(argv[0], ok_bar, bad_bar, s);
		children++;
		waitpid(pid, &st, 0);
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
		else if (!WIFEXITED(st) || WEXITSTATUS(st))
			die(108, "a race child failed");
	}
	printf("op=getfd-race bits=%d children=%lu killed=%lu attempts=%lu got_ok=%lu got_bad=%lu "
	       "got_unknown=%lu denied=%lu other=%lu\n", BITS, children, killed, s->attempts,
	       s->got_ok, s->got_bad, s->got_unknown, s->denied, s->other);
	return s->got_bad ? 1 : 0;
}

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **argv);
} cmds[] = {
	{ "cdev",	1, cmd_cdev },
	{ "getfd",	2, cmd_getfd },
	{ "getfd-pass",	3, cmd_getfd_pass },
	{ "getfd-race",	4, cmd_getfd_race },
	{ "open",	1, cmd_open },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 == cmds[i].nargs)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: devprobe open PATH | getfd GROUP NAME | getfd-pass GROUP NAME COMM | cdev CDEV | "
		"getfd-race GROUP OK BAD SECONDS\n");
	return 2;
}
