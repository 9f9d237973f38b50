// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The shim's module: the .ko built for the running kernel (its vermagic
 * starts with `uname -r`), finit_module and delete_module.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "shim/shim.h"

bool shim_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/" ITR_SHIM_NAME, &st);
}

/* The "vermagic=" of a .ko's .modinfo into vm; 0 or -errno. */
static int ko_vermagic(const char *path, char *vm, size_t len)
{
	Elf_Scn *scn = NULL;
	int fd, err = -ENOENT;
	size_t shstrndx;
	Elf *e;

	if (elf_version(EV_CURRENT) == EV_NONE)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	e = elf_begin(fd, ELF_C_READ, NULL);
	if (!e || elf_getshdrstrndx(e, &shstrndx)) {
		err = -EINVAL;
		goto out;
	}
	while ((scn = elf_nextscn(e, scn))) {
		Elf_Data *d;
		GElf_Shdr sh;
		const char *p, *end;

		if (!gelf_getshdr(scn, &sh) ||
		    strcmp(elf_strptr(e, shstrndx, sh.sh_name) ?: "", ".modinfo"))
			continue;
		d = elf_getdata(scn, NULL);
		if (!d || !d->d_buf)
			break;
		for (p = d->d_buf, end = p + d->d_size; p < end; p += strnlen(p, end - p) + 1) {
			if (!strncmp(p, "vermagic=", 9)) {
				snprintf(vm, len, "%.*s", (int)strnlen(p + 9, end - p - 9), p + 9);
				err = 0;
				break;
			}
		}
		break;
	}
out:
	if (e)
		elf_end(e);
	close(fd);
	return err;
}

/* Is path built for release (its vermagic's first word)? */
static bool ko_fits(const char *path, const char *release, char *vm, size_t len)
{
	size_t n = strlen(release);

	return !ko_vermagic(path, vm, len) && !strncmp(vm, release, n) && (vm[n] == ' ' || !vm[n]);
}

int shim_find_ko(const char *ko, char *path, size_t len, char *why)
{
	char exe[PATH_MAX], pat[PATH_MAX + 64], vm[256];
	struct utsname u;
	glob_t g;
	ssize_t n;
	size_t i;

	uname(&u);
	if (ko) {
		if (access(ko, R_OK)) {
			snprintf(why, SHIM_WHY_LEN, "%.300s: %s", ko, strerror(errno));
			return -ENOENT;
		}
		if (!ko_fits(ko, u.release, vm, sizeof(vm))) {
			snprintf(why, SHIM_WHY_LEN, "%.200s is not built for %s (vermagic '%.100s')", ko,
				 u.release, vm);
			return -ENOEXEC;
		}
		snprintf(path, len, "%s", ko);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -errno;
	exe[n] = '\0';
	snprintf(pat, sizeof(pat), "%s/shim/*/%s.ko", dirname(exe), ITR_SHIM_NAME);
	if (glob(pat, 0, NULL, &g)) {
		snprintf(why, SHIM_WHY_LEN, "no %s.ko next to iommutrace (%.300s): make shim", ITR_SHIM_NAME, pat);
		return -ENOENT;
	}
	for (i = 0; i < g.gl_pathc; i++) {
		if (ko_fits(g.gl_pathv[i], u.release, vm, sizeof(vm))) {
			snprintf(path, len, "%s", g.gl_pathv[i]);
			globfree(&g);
			return 0;
		}
	}
	snprintf(why, SHIM_WHY_LEN, "none of %zu built shims (%.200s) is for kernel %s: make shim SHIM_PROFILES=...",
		 g.gl_pathc, pat, u.release);
	globfree(&g);
	return -ENOENT;
}

int shim_load(const char *path, char *why)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), err = 0;

	if (fd < 0) {
		err = -errno;
		snprintf(why, SHIM_WHY_LEN, "%.300s: %s", path, strerror(-err));
		return err;
	}
	if (syscall(SYS_finit_module, fd, "", 0)) {
		err = -errno;
		snprintf(why, SHIM_WHY_LEN, "loading %.300s: %s%s", path, strerror(-err),
			 err == -EEXIST ? " (already loaded)" : "");
	}
	close(fd);
	return err;
}

int shim_unload(char *why)
{
	int err;

	if (!syscall(SYS_delete_module, ITR_SHIM_NAME, O_NONBLOCK))
		return 0;
	err = errno;
	snprintf(why, SHIM_WHY_LEN, "unloading %s: %s%s", ITR_SHIM_NAME, strerror(err),
		 err == EWOULDBLOCK || err == EBUSY ? " (in use: its device is open, or a monitor or check asks its kfuncs)" :
		 err == ENOENT ? " (not loaded)" : "");
	return -err;
}
