// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The Prometheus exposition writer (user/sink/prom.h). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sink/prom.h"

void prom_init(struct prom *p, bool openmetrics)
{
	memset(p, 0, sizeof(*p));
	p->openmetrics = openmetrics;
}

void prom_fini(struct prom *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

static void put(struct prom *p, const char *s, size_t n)
{
	if (p->err)
		return;
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		char *b;

		while (cap < p->len + n + 1)
			cap *= 2;
		b = realloc(p->buf, cap);
		if (!b) {
			p->err = -ENOMEM;
			return;
		}
		p->buf = b;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = 0;
}

static void puts_(struct prom *p, const char *s)
{
	put(p, s, strlen(s));
}

/* A label value: backslash, double quote and newline escaped. */
static void put_value(struct prom *p, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\')
			puts_(p, "\\\\");
		else if (*v == '"')
			puts_(p, "\\\"");
		else if (*v == '\n')
			puts_(p, "\\n");
		else
			put(p, v, 1);
	}
}

void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help)
{
	size_t n = strlen(name);

	/* OpenMetrics names the counter family without its _total suffix */
	if (p->openmetrics && type == PROM_COUNTER && n > 6 && !strcmp(name + n - 6, "_total"))
		n -= 6;
	puts_(p, "# HELP ");
	put(p, name, n);
	put(p, " ", 1);
	puts_(p, help);
	puts_(p, "\n# TYPE ");
	put(p, name, n);
	puts_(p, type == PROM_COUNTER ? " counter\n" : " gauge\n");
}

void prom_sample(struct prom *p, const char *name, double value, int nlabels, ...)
{
	char num[40];
	va_list ap;
	int i;

	puts_(p, name);
	va_start(ap, nlabels);
	for (i = 0; i < nlabels; i++) {
		const char *k = va_arg(ap, const char *), *v = va_arg(ap, const char *);

		puts_(p, i ? "," : "{");
		puts_(p, k);
		puts_(p, "=\"");
		put_value(p, v);
		puts_(p, "\"");
	}
	va_end(ap);
	if (nlabels)
		puts_(p, "}");
	/* integers as integers (counters are exact up to 2^53 in a double) */
	if (value >= 0 && value < 9007199254740992.0 && value == (double)(__u64)value)
		snprintf(num, sizeof(num), " %llu\n", (unsigned long long)value);
	else
		snprintf(num, sizeof(num), " %.17g\n", value);
	puts_(p, num);
}

int prom_end(struct prom *p)
{
	if (p->openmetrics)
		puts_(p, "# EOF\n");
	if (!p->err && !p->buf)
		put(p, "", 0);
	return p->err;
}
