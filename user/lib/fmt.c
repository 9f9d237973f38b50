// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Formatters (user/lib/fmt.h). */
#include <stdio.h>
#include "lib/fmt.h"
#include "lib/util.h"

static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };

const char *fmt_bytes(char *buf, size_t len, unsigned long long n)
{
	double v = n;
	int u = 0;

	while (v >= 1024 && u + 1 < ARRAY_SIZE(units)) {
		v /= 1024;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu B", n);
	else
		snprintf(buf, len, "%.1f %s", v, units[u]);
	return buf;
}

const char *fmt_size(char *buf, size_t len, unsigned long long n)
{
	int u = 0;

	while (n && !(n & 1023) && u + 1 < ARRAY_SIZE(units)) {
		n >>= 10;
		u++;
	}
	snprintf(buf, len, "%llu%s", n, units[u]);
	return buf;
}

const char *fmt_ns(char *buf, size_t len, unsigned long long ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%lluns", ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1fus", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.1fms", ns / 1e6);
	else
		snprintf(buf, len, "%.2fs", ns / 1e9);
	return buf;
}

const char *fmt_id(char *buf, size_t len, __u64 id)
{
	snprintf(buf, len, "%016llx", (unsigned long long)id);
	return buf;
}

const char *domain_str(__u64 id, char *buf, size_t len)
{
	if (!id)
		return "-";
	snprintf(buf, len, "d:%08x", (unsigned int)id);
	return buf;
}
