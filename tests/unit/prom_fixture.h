/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/* The exposition tests' one helper: is line a whole line of doc? */
#ifndef ITR_PROM_FIXTURE_H
#define ITR_PROM_FIXTURE_H
#include <criterion/criterion.h>
#include <stdbool.h>
#include <string.h>

static inline bool has_line(const char *doc, const char *line)
{
	size_t n = strlen(line);
	const char *p = doc;

	while ((p = strstr(p, line))) {
		if ((p == doc || p[-1] == '\n') && p[n] == '\n')
			return true;
		p++;
	}
	return false;
}

#define assert_line(doc, line) cr_assert(has_line(doc, line), "no line '%s' in:\n%s", line, doc)

#endif
