// SPDX-License-Identifier: GPL-2.0
/* PCI devices through sysfs: discovery, IOMMU groups, vfio-pci binding. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "workload.h"

#define SYS_PCI "/sys/bus/pci"
#define VFIO_PCI "vfio-pci"

extern char **environ;

/* snprintf that fails instead of truncating. */
__attribute__((format(printf, 3, 4)))
static int strf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	return n < 0 || (size_t)n >= len ? -ENAMETOOLONG : 0;
}

static int read_str(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	if (n < 0)
		err = -errno;
	else
		buf[n] = '\0';
	close(fd);
	if (!err)
		buf[strcspn(buf, "\n")] = '\0';
	return err;
}

static int write_str(const char *path, const char *s)
{
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(s))
		err = -EIO;
	close(fd);
	return err;
}

/* The last path component of the symlink /sys/bus/pci/devices/BDF/LINK. */
static int read_link_name(const char *bdf, const char *link, char *buf, size_t len)
{
	char path[PATH_LEN], target[PATH_LEN];
	const char *base;
	ssize_t n;

	if (strf(path, sizeof(path), SYS_PCI "/devices/%s/%s", bdf, link))
		return -ENAMETOOLONG;
	n = readlink(path, target, sizeof(target) - 1);
	if (n < 0)
		return -errno;
	target[n] = '\0';
	base = strrchr(target, '/');
	return strf(buf, len, "%s", base ? base + 1 : target);
}

/* "" when no driver is bound. */
static int pci_driver(const char *bdf, char *buf, size_t len)
{
	int err = read_link_name(bdf, "driver", buf, len);

	if (err == -ENOENT) {
		buf[0] = '\0';
		return 0;
	}
	return err;
}

static int cmp_bdf(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Fill bdfs with up to max devices vendor:device, sorted; returns the count. */
int pci_find(uint16_t vendor, uint16_t device, char (*bdfs)[BDF_LEN], int max)
{
	char path[PATH_LEN], val[32];
	struct dirent *de;
	int n = 0;
	DIR *dir;

	dir = opendir(SYS_PCI "/devices");
	if (!dir)
		return -errno;
	while ((de = readdir(dir)) && n < max) {
		if (de->d_name[0] == '.')
			continue;
		if (strf(path, sizeof(path), SYS_PCI "/devices/%s/vendor", de->d_name) ||
		    read_str(path, val, sizeof(val)) || strtoul(val, NULL, 16) != vendor)
			continue;
		if (strf(path, sizeof(path), SYS_PCI "/devices/%s/device", de->d_name) ||
		    read_str(path, val, sizeof(val)) || strtoul(val, NULL, 16) != device)
			continue;
		if (!strf(bdfs[n], BDF_LEN, "%s", de->d_name))
			n++;
	}
	closedir(dir);
	qsort(bdfs, n, BDF_LEN, cmp_bdf);
	return n;
}

/* Accept DDDD:BB:DD.F or BB:DD.F. */
int pci_normalize_bdf(const char *in, char out[BDF_LEN])
{
	unsigned int dom = 0, bus, dev, fn;
	char end;

	if (sscanf(in, "%x:%x:%x.%x%c", &dom, &bus, &dev, &fn, &end) != 4) {
		dom = 0;
		if (sscanf(in, "%x:%x.%x%c", &bus, &dev, &fn, &end) != 3)
			return -EINVAL;
	}
	if (dom > 0xffff || bus > 0xff || dev > 0x1f || fn > 7)
		return -EINVAL;
	snprintf(out, BDF_LEN, "%04x:%02x:%02x.%x", dom, bus, dev, fn);
	return 0;
}

static int group_of(const char *bdf)
{
	char name[32];
	int err;

	err = read_link_name(bdf, "iommu_group", name, sizeof(name));
	return err ? err : atoi(name);
}

/* The IOMMU group number of bdf, or -errno. */
int pci_group(const char *bdf)
{
	int group = group_of(bdf);

	if (group < 0)
		return log_failf("iommu_group", -group, "%s has no IOMMU group", bdf);
	return group;
}

int pci_require_vfio(const char *bdf)
{
	char drv[64];
	int err;

	err = pci_driver(bdf, drv, sizeof(drv));
	if (err)
		return log_failf("vfio-pci check", -err, "cannot read the driver of %s", bdf);
	if (strcmp(drv, VFIO_PCI))
		return log_failf("vfio-pci check", ENODEV,
				 "%s is bound to %s, not vfio-pci: run the bind scenario first",
				 bdf, drv[0] ? drv : "no driver");
	return 0;
}

static int modprobe(const char *module)
{
	static const char *const paths[] = { "/usr/sbin/modprobe", "/sbin/modprobe" };
	char *argv[] = { "modprobe", (char *)module, NULL };
	struct log_op *o = log_begin("modprobe");
	const char *path = "modprobe";
	int err, status = -1;
	size_t i;
	pid_t pid;

	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		if (!access(paths[i], X_OK)) {
			path = paths[i];
			break;
		}
	}
	log_str(o, "module", module);
	err = posix_spawnp(&pid, path, NULL, NULL, argv, environ);
	if (!err) {
		if (waitpid(pid, &status, 0) < 0)
			err = errno;
		else if (!WIFEXITED(status) || WEXITSTATUS(status))
			err = EIO;
	}
	return log_end(o, WIFEXITED(status) ? WEXITSTATUS(status) : -1, err);
}

/* Load what binding and type1 containers need, unless present (built in). */
int pci_load_vfio(void)
{
	static const struct {
		const char *module;
		const char *present;
	} mods[] = {
		{ "vfio-pci", SYS_PCI "/drivers/" VFIO_PCI },
		{ "vfio_iommu_type1", "/sys/module/vfio_iommu_type1" },
	};
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(mods); i++) {
		if (!access(mods[i].present, F_OK))
			continue;
		err = modprobe(mods[i].module);
		if (err)
			return err;
		if (access(mods[i].present, F_OK))
			return log_failf("modprobe", ENOENT, "%s missing after modprobe %s",
					 mods[i].present, mods[i].module);
	}
	return 0;
}

/* driver_override + unbind + drivers_probe; nothing to do if bound already. */
int pci_bind_vfio(const char *bdf)
{
	struct log_op *o = log_begin("bind");
	char path[PATH_LEN], drv[64];
	const char *step = "driver";
	int err;

	log_str(o, "bdf", bdf);
	err = pci_driver(bdf, drv, sizeof(drv));
	if (err)
		goto cleanup;
	log_str(o, "old_driver", drv);
	log_int(o, "group", group_of(bdf));
	if (!strcmp(drv, VFIO_PCI)) {
		log_bool(o, "already", true);
		log_str(o, "driver", drv);
		goto cleanup;
	}
	log_bool(o, "already", false);

	step = "driver_override";
	err = strf(path, sizeof(path), SYS_PCI "/devices/%s/driver_override", bdf);
	if (!err)
		err = write_str(path, VFIO_PCI);
	if (err)
		goto cleanup;
	if (drv[0]) {
		step = "unbind";
		err = strf(path, sizeof(path), SYS_PCI "/devices/%s/driver/unbind", bdf);
		if (!err)
			err = write_str(path, bdf);
		if (err)
			goto cleanup;
	}
	step = "drivers_probe";
	err = write_str(SYS_PCI "/drivers_probe", bdf);
	if (err)
		goto cleanup;
	step = "driver";
	err = pci_driver(bdf, drv, sizeof(drv));
	if (err)
		goto cleanup;
	log_str(o, "driver", drv);
	if (strcmp(drv, VFIO_PCI))
		err = -ENODEV;
cleanup:
	log_end(o, err ? -1 : 0, -err);
	if (err)
		log_failf("bind", -err, "%s: %s", bdf, step);
	return err;
}

/* /dev/vfio/devices/vfioN of bdf (VFIO_DEVICE_CDEV). */
int pci_cdev_path(const char *bdf, char path[PATH_LEN])
{
	char dir_path[PATH_LEN];
	struct dirent *de;
	int err = -ENOENT;
	DIR *dir;

	if (strf(dir_path, sizeof(dir_path), SYS_PCI "/devices/%s/vfio-dev", bdf))
		return log_failf("vfio-dev", ENAMETOOLONG, "%s", bdf);
	dir = opendir(dir_path);
	if (!dir)
		return log_failf("vfio-dev", errno, "%s has no vfio-dev (VFIO_DEVICE_CDEV)",
				 bdf);
	while ((de = readdir(dir))) {
		if (!strncmp(de->d_name, "vfio", 4)) {
			err = strf(path, PATH_LEN, "/dev/vfio/devices/%s", de->d_name);
			break;
		}
	}
	closedir(dir);
	if (err)
		return log_failf("vfio-dev", -err, "%s: no vfioN in %s", bdf, dir_path);
	return 0;
}

/* Scenario "bind": the e1000 pair and edu to vfio-pci. */
int scn_bind(const struct wl_env *env)
{
	const char *const devs[] = { env->pair[0], env->pair[1], env->edu };
	size_t i;
	int err;

	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		err = wl_need(devs[i], i < 2 ? "e1000 (8086:100e)" : "edu (1234:11e8)");
		if (err)
			return err;
	}
	err = pci_load_vfio();
	if (err)
		return err;
	for (i = 0; i < ARRAY_SIZE(devs); i++) {
		err = pci_bind_vfio(devs[i]);
		if (err)
			return err;
	}
	return 0;
}
