/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel shim from user space: its module (module.c: find the .ko
 * built for the running kernel, load, unload) and its misc device
 * (dev.c: the commands of include/iommutrace_shim.h). Errors are -errno
 * with a one-line reason in the caller's why[SHIM_WHY_LEN].
 */
#ifndef ITR_SHIM_USER_H
#define ITR_SHIM_USER_H

#include <stdbool.h>
#include <stddef.h>
#include "iommutrace_shim.h"

#define SHIM_WHY_LEN 512
#define SHIM_DEV_PATH "/dev/" ITR_SHIM_NAME

/* module.c */
/* Is the module loaded (/sys/module/iommutrace_shim)? */
bool shim_loaded(void);
/*
 * The .ko for the running kernel: ko if given (checked), else the first
 * DIR/shim/PROFILE/iommutrace_shim.ko whose vermagic is `uname -r`, DIR the
 * directory of the running binary. 0 and path, or -errno and why.
 */
int shim_find_ko(const char *ko, char *path, size_t len, char *why);
int shim_load(const char *path, char *why);
int shim_unload(char *why);

/* dev.c: open the device (-ENOENT with why "not loaded" when it is not) */
int shim_open(char *why);
/* One command (ITR_SHIM_*) on fd; on failure why holds the shim's msg. */
int shim_cmd(int fd, unsigned long req, struct itr_shim_cmd *c, char *why);
int shim_list(int fd, struct itr_shim_list *l, char *why);
int shim_status(int fd, struct itr_shim_status *s, char *why);
/* "unmanaged", "blocked", ... for enum itr_shim_dom */
const char *shim_dom_name(__u32 type);

/* strict.c: the strict enforcement tier (docs/strict.md) */
/* The function behind a strict kind, or NULL. */
const char *shim_strict_target(unsigned int kind);
/* The kinds this kernel cannot probe (not in kallsyms, or inlined); why names them. */
unsigned int shim_strict_missing(char *why);
/* Arm every target (all or nothing), disarm, or read the state, through the device. */
int shim_strict_arm(struct itr_shim_strict *s, char *why);
int shim_strict_disarm(struct itr_shim_strict *s, char *why);
int shim_strict_status(struct itr_shim_strict *s, char *why);

#endif
