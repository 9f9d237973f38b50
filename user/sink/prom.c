// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The Prometheus exposition writer (user/sink/prom.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lib/httpd.h"
#include "sink/prom.h"

bool prom_wants_openmetrics(const char *accept)
{
	const char *m = accept;
	size_t n = strlen("application/openmetrics-text");

	/* any mention of the media type: Prometheus sends it with a q-value */
	for (; m && *m; m++)
		if (!strncasecmp(m, "application/openmetrics-text", n))
			return true;
	return false;
}

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

/*
 * Escaped text: backslash and newline always, the double quote in label
 * values (the text format's HELP leaves it as is; OpenMetrics escapes it
 * in both).
 */
static void put_escaped(struct prom *p, const char *v, bool quote)
{
	for (; *v; v++) {
		if (*v == '\\')
			puts_(p, "\\\\");
		else if (*v == '"' && quote)
			puts_(p, "\\\"");
		else if (*v == '\n')
			puts_(p, "\\n");
		else
			put(p, v, 1);
	}
}

static const char *const type_names[] = {
	[PROM_COUNTER] = "counter",
	[PROM_GAUGE] = "gauge",
	[PROM_HISTOGRAM] = "histogram",
};

void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help)
{
	size_t n = strlen(name);

	/* OpenMetrics names the counter family without its _total suffix */
	if (p->openmetrics && type == PROM_COUNTER && n > 6 && !strcmp(name + n - 6, "_total"))
		n -= 6;
	puts_(p, "# HELP ");
	put(p, name, n);
	put(p, " ", 1);
	put_escaped(p, help, p->openmetrics);
	puts_(p, "\n# TYPE ");
	put(p, name, n);
	put(p, " ", 1);
	puts_(p, type_names[type]);
	put(p, "\n", 1);
}

static void put_series(struct prom *p, const char *name, const char *suffix,
		       const struct prom_label *l, int nl)
{
	int i;

	puts_(p, name);
	puts_(p, suffix);
	for (i = 0; i < nl; i++) {
		puts_(p, i ? "," : "{");
		puts_(p, l[i].name);
		puts_(p, "=\"");
		put_escaped(p, l[i].value, true);
		puts_(p, "\"");
	}
	if (nl)
		puts_(p, "}");
}

/* The shortest "%.*g" that reads back as v (17 digits always do). */
static void fmt_double(char *buf, size_t len, double v)
{
	int prec;

	for (prec = 15; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
	snprintf(buf, len, "%.17g", v);
}

void prom_sample_u64(struct prom *p, const char *name, const struct prom_label *l, int nl,
		     __u64 v)
{
	char num[32];

	put_series(p, name, "", l, nl);
	snprintf(num, sizeof(num), " %llu\n", (unsigned long long)v);
	puts_(p, num);
}

void prom_sample(struct prom *p, const char *name, const struct prom_label *l, int nl, double v)
{
	char num[40];

	put_series(p, name, "", l, nl);
	fmt_double(num + 1, sizeof(num) - 2, v);
	num[0] = ' ';
	puts_(p, num);
	put(p, "\n", 1);
}

#define PROM_MAX_LABELS 16

void prom_hist_log2(struct prom *p, const char *name, const struct prom_label *l, int nl,
		    const __u64 *slot, int nslots, int lo, int hi, __u64 sum, double div)
{
	struct prom_label ls[PROM_MAX_LABELS];
	char le[40], num[40];
	__u64 cum = 0;
	int i;

	if (nl >= PROM_MAX_LABELS) {
		p->err = -E2BIG;
		return;
	}
	if (nl)
		memcpy(ls, l, nl * sizeof(*l));
	ls[nl].name = "le";
	if (hi > nslots - 1)
		hi = nslots - 1;
	for (i = 0; i < nslots; i++) {
		cum += slot[i];
		if (i < lo || (i >= hi && i < nslots - 1))
			continue;
		if (i == nslots - 1) {
			ls[nl].value = "+Inf";
		} else {
			fmt_double(le, sizeof(le), (double)((2ULL << i) - 1) / div);
			ls[nl].value = le;
		}
		put_series(p, name, "_bucket", ls, nl + 1);
		snprintf(num, sizeof(num), " %llu\n", (unsigned long long)cum);
		puts_(p, num);
	}
	put_series(p, name, "_sum", l, nl);
	fmt_double(num + 1, sizeof(num) - 2, (double)sum / div);
	num[0] = ' ';
	puts_(p, num);
	put(p, "\n", 1);
	put_series(p, name, "_count", l, nl);
	snprintf(num, sizeof(num), " %llu\n", (unsigned long long)cum);
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

int prom_reply(struct prom *p, int err, struct httpd_reply *out)
{
	if (err) {
		prom_fini(p);
		return err;
	}
	out->body = p->buf;	/* the server frees it */
	out->len = p->len;
	out->ctype = p->openmetrics ? PROM_OM_CTYPE : PROM_TEXT_CTYPE;
	return 0;
}
