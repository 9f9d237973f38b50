// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The error printer (user/lib/log.h). */
#include <stdarg.h>
#include <stdio.h>
#include "lib/log.h"

static void vlog(const char *prefix, const char *fmt, va_list ap)
{
	fprintf(stderr, "iommutrace: %s", prefix);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("", fmt, ap);
	va_end(ap);
}

void log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning: ", fmt, ap);
	va_end(ap);
}
