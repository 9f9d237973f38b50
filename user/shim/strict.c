// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The shim's strict tier from user space (docs/strict.md): which of its
 * targets this kernel can probe, and the arm, disarm and status commands.
 * A target must be in /proc/kallsyms under its exact name (not only as a
 * .isra/.constprop clone) and in the tracer's available_filter_functions,
 * which lists only functions with an out-of-line body that ftrace (and so
 * a kprobe at the entry) can see: an inlined function is in neither.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include "shim/shim.h"

#define TARGET_NAME(k, name) [k] = name,
static const char *const target_names[ITR_SHIM_STRICT_NKINDS] = {
	ITR_SHIM_STRICT_TARGETS(TARGET_NAME)
};
#undef TARGET_NAME

const char *shim_strict_target(unsigned int kind)
{
	return kind < ITR_SHIM_STRICT_NKINDS ? target_names[kind] : NULL;
}

/* The kinds whose function is named in FILE (word COL of a line: 0 or 2). */
static unsigned int kinds_listed(const char *file, int col, int *err)
{
	char line[512], *w, *save;
	unsigned int found = 0, k;
	FILE *f = fopen(file, "r");
	int i;

	*err = f ? 0 : -errno;
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		for (i = 0, w = strtok_r(line, " \t\n", &save); w && i < col; i++)
			w = strtok_r(NULL, " \t\n", &save);
		if (!w)
			continue;
		for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++)
			if (!strcmp(w, target_names[k]))
				found |= 1u << k;
	}
	fclose(f);
	return found;
}

static const char *const filter_files[] = {
	"/sys/kernel/tracing/available_filter_functions",
	"/sys/kernel/debug/tracing/available_filter_functions",
};

unsigned int shim_strict_missing(char *why)
{
	unsigned int syms, traced = 0, missing, k;
	size_t i, len = 0;
	int err;

	syms = kinds_listed("/proc/kallsyms", 2, &err);
	for (i = 0; i < sizeof(filter_files) / sizeof(filter_files[0]); i++) {
		traced = kinds_listed(filter_files[i], 0, &err);
		if (!err)
			break;
	}
	missing = ITR_SHIM_STRICT_ALL & ~(syms & traced);
	why[0] = '\0';
	for (k = 0; k < ITR_SHIM_STRICT_NKINDS; k++)
		if (missing & (1u << k))
			len += snprintf(why + len, SHIM_WHY_LEN - len, "%s%s (%s)", len ? ", " : "",
					target_names[k],
					!(syms & (1u << k)) ? "not in /proc/kallsyms" :
					err ? "available_filter_functions unreadable (tracefs)" :
					"not in available_filter_functions: inlined or notrace");
	return missing;
}

static int strict_ioctl(unsigned long req, unsigned int kinds, struct itr_shim_strict *s, char *why)
{
	int fd = shim_open(why), err = 0;

	if (fd < 0)
		return fd;
	memset(s, 0, sizeof(*s));
	s->size = sizeof(*s);
	s->kinds = kinds;
	if (ioctl(fd, req, s)) {
		err = -errno;
		snprintf(why, SHIM_WHY_LEN, "%s", s->msg[0] ? s->msg : strerror(-err));
	}
	close(fd);
	return err;
}

int shim_strict_arm(struct itr_shim_strict *s, char *why)
{
	return strict_ioctl(ITR_SHIM_STRICT_ARM, ITR_SHIM_STRICT_ALL, s, why);
}

int shim_strict_disarm(struct itr_shim_strict *s, char *why)
{
	return strict_ioctl(ITR_SHIM_STRICT_DISARM, 0, s, why);
}

int shim_strict_status(struct itr_shim_strict *s, char *why)
{
	return strict_ioctl(ITR_SHIM_STRICT_STATUS, 0, s, why);
}
