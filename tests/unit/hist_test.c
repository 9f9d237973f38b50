// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Log2 histograms (user/lib/hist.h): bcc's slots, its table, the JSON form. */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/hist.h"

/* hist_print's text (free it). */
static char *print(const struct hist *h, const char *unit)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	cr_assert_not_null(f);
	hist_print(f, h, unit);
	cr_assert_eq(fclose(f), 0);
	return buf;
}

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

Test(hist, slots_are_bcc_log2)
{
	struct hist h = {};

	cr_expect_eq(hist_slot(0), 0);
	cr_expect_eq(hist_slot(1), 0);
	cr_expect_eq(hist_slot(2), 1);
	cr_expect_eq(hist_slot(3), 1);
	cr_expect_eq(hist_slot(4), 2);
	cr_expect_eq(hist_slot(4095), 11);
	cr_expect_eq(hist_slot(4096), 12);
	cr_expect_eq(hist_slot(~0ULL), 63);
	hist_add(&h, 5);
	hist_add(&h, 7);
	hist_add(&h, 1000);
	cr_expect_eq(h.slot[2], 2);
	cr_expect_eq(h.slot[9], 1);
	cr_expect_eq(h.count, 3);
	cr_expect_eq(h.sum, 1012);
	cr_expect_eq(h.min, 5);
	cr_expect_eq(h.max, 1000);
}

Test(hist, ranges_and_last)
{
	struct hist h = {};
	__u64 low, high;

	cr_expect_eq(hist_last(&h), -1);
	hist_add(&h, 70000);
	cr_expect_eq(hist_last(&h), 16);
	hist_range(0, &low, &high);
	cr_expect(low == 0 && high == 1);
	hist_range(11, &low, &high);
	cr_expect(low == 2048 && high == 4095);
	hist_range(63, &low, &high);
	cr_expect(low == 1ULL << 63 && high == ~0ULL);
}

Test(hist, print_is_bcc_table)
{
	struct hist h = {};
	char *s;

	s = print(&h, "nsecs");
	cr_expect_str_eq(s, "");	/* empty: nothing */
	free(s);

	hist_add(&h, 2100);
	hist_add(&h, 3000);
	hist_add(&h, 100000);
	s = print(&h, "nsecs");
	cr_expect_eq(count_lines(s), 1 + 17, "%s", s);	/* header, slots 0..16 */
	cr_expect(starts_with(s, "     nsecs               : count    distribution\n"
			      "         0 -> 1          : 0        |                                        |\n"),
		  "%s", s);
	cr_expect(strstr(s, "\n      2048 -> 4095       : 2        |****************************************|\n"),
		  "%s", s);
	cr_expect(strstr(s, "\n     65536 -> 131071     : 1        |********************                    |\n"),
		  "%s", s);
	free(s);

	hist_add(&h, 1ULL << 40);	/* past slot 32: wider columns, 20 stars */
	s = print(&h, "nsecs");
	cr_expect_eq(count_lines(s), 1 + 41, "%s", s);
	cr_expect(starts_with(s, "               nsecs                         : count    distribution\n"), "%s", s);
	cr_expect(strstr(s, "\n                2048 -> 4095                 : 2        |********************|\n"),
		  "%s", s);
	cr_expect(strstr(s, "\n       1099511627776 -> 2199023255551        : 1        |**********          |\n"),
		  "%s", s);
	free(s);
}

Test(hist, json_has_every_bucket_to_the_last)
{
	struct hist h = {};
	json_object *o, *b;

	o = hist_json(&h, "bytes");
	cr_assert_not_null(o);
	cr_expect_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			 "{\"unit\":\"bytes\",\"count\":0,\"sum\":0,\"min\":null,\"max\":null,\"buckets\":[]}");
	json_object_put(o);

	hist_add(&h, 1);
	hist_add(&h, 5);
	o = hist_json(&h, "ns");
	cr_assert_not_null(o);
	cr_expect_str_eq(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
			 "{\"unit\":\"ns\",\"count\":2,\"sum\":6,\"min\":1,\"max\":5,\"buckets\":["
			 "{\"low\":0,\"high\":1,\"count\":1},{\"low\":2,\"high\":3,\"count\":0},"
			 "{\"low\":4,\"high\":7,\"count\":1}]}");
	b = json_object_object_get(o, "buckets");
	cr_expect_eq(json_object_array_length(b), 3);
	json_object_put(o);
}
