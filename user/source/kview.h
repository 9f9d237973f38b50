/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The kernel's own view (include/iommutrace.h struct itr_kview), asked
 * through the kernel shim's kfuncs by the syscall program of
 * bpf/kview.bpf.c. Only when the shim is loaded with its kfuncs: the
 * loader then loads the program (kview_prepare) and kview_query runs it.
 */
#ifndef ITR_KVIEW_H
#define ITR_KVIEW_H

#include <stdbool.h>
#include "iommutrace.h"

struct loader;

/*
 * Before the load: switch the program on when wanted and the shim's kfuncs
 * are there. While it is loaded the shim cannot unload (BPF holds it).
 */
void kview_prepare(struct loader *l, bool wanted);
/* Ask the kernel (arg: the started struct loader). 0, -ENOENT without the shim, or -errno. */
int kview_query(void *arg, struct itr_kview *q);

#endif
