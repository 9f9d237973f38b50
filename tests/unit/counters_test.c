// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "event/counters.h"
#include "lib/fmt.h"

Test(counters, every_counter_has_a_unique_name)
{
	unsigned int i, j;

	for (i = 0; i < ITR_CNT_MAX; i++) {
		cr_assert_not_null(counter_name(i), "counter %u has no name", i);
		for (j = 0; j < i; j++)
			cr_assert_str_neq(counter_name(i), counter_name(j));
	}
	cr_assert_null(counter_name(ITR_CNT_MAX));
}

Test(counters, bytes_counters_end_in_bytes)
{
	unsigned int i;

	for (i = 0; i < ITR_CNT_MAX; i++) {
		const char *n = counter_name(i);
		int suffix = strlen(n) > 6 && !strcmp(n + strlen(n) - 6, "_bytes");

		cr_assert_eq(counter_is_bytes(i), suffix, "%s", n);
	}
}

Test(counters, fmt_bytes_uses_binary_units)
{
	char b[32];

	cr_assert_str_eq(fmt_bytes(b, sizeof(b), 0), "0 B");
	cr_assert_str_eq(fmt_bytes(b, sizeof(b), 1023), "1023 B");
	cr_assert_str_eq(fmt_bytes(b, sizeof(b), 1024), "1.0 KiB");
	cr_assert_str_eq(fmt_bytes(b, sizeof(b), 3 << 20 | 1 << 19), "3.5 MiB");
	cr_assert_str_eq(fmt_bytes(b, sizeof(b), ~0ULL), "16.0 EiB");
}

Test(counters, json_is_one_line_with_every_counter)
{
	struct itr_counters c = {};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned int i;

	c.v[ITR_CNT_MAP] = 3;
	c.v[ITR_CNT_MAP_BYTES] = 1ULL << 40;
	cr_assert_eq(counters_show_json(f, &c), 0);
	fclose(f);
	cr_assert_eq(strchr(buf, '\n'), buf + len - 1, "one line: %s", buf);
	cr_assert_not_null(strstr(buf, "\"map\":3"), "%s", buf);
	cr_assert_not_null(strstr(buf, "\"map_bytes\":1099511627776"), "%s", buf);
	for (i = 0; i < ITR_CNT_MAX; i++) {
		char key[64];

		snprintf(key, sizeof(key), "\"%s\":", counter_name(i));
		cr_assert_not_null(strstr(buf, key), "missing %s in %s", key, buf);
	}
	free(buf);
}
