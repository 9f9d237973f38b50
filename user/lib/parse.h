/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* Parsing option values. */
#ifndef ITR_PARSE_H
#define ITR_PARSE_H

#include <errno.h>
#include <stdlib.h>

/* A decimal in [min, max], digits only (no sign, no blanks): 0 or -EINVAL. */
static inline int parse_num(const char *arg, long long min, long long max, long long *out)
{
	char *end;

	if (*arg < '0' || *arg > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoll(arg, &end, 10);
	if (errno || *end || *out < min || *out > max)
		return -EINVAL;
	return 0;
}

#endif
