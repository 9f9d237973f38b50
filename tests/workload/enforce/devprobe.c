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
 *
 * Prints one "key=value ..." line, errors as negative errnos (0: done;
 * -1: EPERM). Exit status 0 when the probe ran (the line says what the
 * kernel answered); 100+: a setup step failed (said on stderr).
 */
#define _GNU_SOURCE
#include <errno.h>
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

static const struct {
	const char *name;
	int nargs;
	int (*fn)(char **argv);
} cmds[] = {
	{ "cdev",	1, cmd_cdev },
	{ "getfd",	2, cmd_getfd },
	{ "getfd-pass",	3, cmd_getfd_pass },
	{ "open",	1, cmd_open },
};

int main(int argc, char **argv)
{
	size_t i;

	for (i = 0; argc >= 2 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name) && argc - 2 == cmds[i].nargs)
			return cmds[i].fn(argv + 2);
	fprintf(stderr, "usage: devprobe open PATH | getfd GROUP NAME | getfd-pass GROUP NAME COMM | cdev CDEV\n");
	return 2;
}
