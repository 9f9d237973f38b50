/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Small helpers every layer uses. */
#ifndef ITR_UTIL_H
#define ITR_UTIL_H

#include <stddef.h>

#define ARRAY_SIZE(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#endif
