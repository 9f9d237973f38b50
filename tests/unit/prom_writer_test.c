// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The exposition writer (user/sink/prom.h): escaping, the text format and
 * OpenMetrics, log2 histograms, exact integers, content negotiation.
 */
#include <criterion/criterion.h>
#include <string.h>
#include "sink/prom.h"
#include "prom_fixture.h"

Test(prom_writer, label_values_are_escaped)
{
	struct prom_label l[2] = { { "path", "a\\b\"c\nd" }, { "x", "" } };
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "t_total", PROM_COUNTER, "help");
	prom_sample_u64(&p, "t_total", l, 2, 7);
	cr_assert_eq(prom_end(&p), 0);
	assert_line(p.buf, "t_total{path=\"a\\\\b\\\"c\\nd\",x=\"\"} 7");
	prom_fini(&p);
}

Test(prom_writer, help_escaping_by_format)
{
	struct prom p;

	/* text 0.0.4: backslash and newline; OpenMetrics: the quote too */
	prom_init(&p, false);
	prom_family(&p, "g", PROM_GAUGE, "a \"q\" \\ and\nnext");
	prom_end(&p);
	assert_line(p.buf, "# HELP g a \"q\" \\\\ and\\nnext");
	prom_fini(&p);
	prom_init(&p, true);
	prom_family(&p, "g", PROM_GAUGE, "a \"q\" \\ and\nnext");
	prom_end(&p);
	assert_line(p.buf, "# HELP g a \\\"q\\\" \\\\ and\\nnext");
	prom_fini(&p);
}

Test(prom_writer, text_format_counter)
{
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "x_ops_total", PROM_COUNTER, "Ops");
	prom_sample_u64(&p, "x_ops_total", NULL, 0, 3);
	cr_assert_eq(prom_end(&p), 0);
	cr_assert_str_eq(p.buf, "# HELP x_ops_total Ops\n# TYPE x_ops_total counter\nx_ops_total 3\n");
	prom_fini(&p);
}

Test(prom_writer, openmetrics_counter_family_and_eof)
{
	struct prom p;

	prom_init(&p, true);
	prom_family(&p, "x_ops_total", PROM_COUNTER, "Ops");
	prom_sample_u64(&p, "x_ops_total", NULL, 0, 3);
	cr_assert_eq(prom_end(&p), 0);
	cr_assert_str_eq(p.buf, "# HELP x_ops Ops\n# TYPE x_ops counter\nx_ops_total 3\n# EOF\n");
	prom_fini(&p);
}

Test(prom_writer, integers_are_exact)
{
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "c_total", PROM_COUNTER, "h");
	prom_sample_u64(&p, "c_total", NULL, 0, 18446744073709551615ULL);
	prom_sample_u64(&p, "c_total", NULL, 0, (1ULL << 53) + 1);
	prom_end(&p);
	assert_line(p.buf, "c_total 18446744073709551615");
	assert_line(p.buf, "c_total 9007199254740993");
	prom_fini(&p);
}

Test(prom_writer, doubles_shortest_that_read_back)
{
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "d", PROM_GAUGE, "h");
	prom_sample(&p, "d", NULL, 0, 0.1);
	prom_sample(&p, "d", NULL, 0, 1.5e-9);
	prom_end(&p);
	assert_line(p.buf, "d 0.1");
	assert_line(p.buf, "d 1.5e-09");
	prom_fini(&p);
}

Test(prom_writer, log2_histogram_buckets_are_cumulative)
{
	/* slot 0: {0, 1}, slot 1: [2, 3], slot 2: [4, 7], slot 3: the rest */
	const __u64 slot[4] = { 1, 0, 2, 1 };
	struct prom_label l = { "op", "map" };
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "h_bytes", PROM_HISTOGRAM, "h");
	prom_hist_log2(&p, "h_bytes", &l, 1, slot, 4, 0, 3, 1 + 5 + 6 + 100, 1);
	cr_assert_eq(prom_end(&p), 0);
	assert_line(p.buf, "# TYPE h_bytes histogram");
	assert_line(p.buf, "h_bytes_bucket{op=\"map\",le=\"1\"} 1");
	assert_line(p.buf, "h_bytes_bucket{op=\"map\",le=\"3\"} 1");
	assert_line(p.buf, "h_bytes_bucket{op=\"map\",le=\"7\"} 3");
	assert_line(p.buf, "h_bytes_bucket{op=\"map\",le=\"+Inf\"} 4");
	assert_line(p.buf, "h_bytes_sum{op=\"map\"} 112");
	assert_line(p.buf, "h_bytes_count{op=\"map\"} 4");
	prom_fini(&p);
}

Test(prom_writer, histogram_slot_range_folds_exactly)
{
	/* slots 0..5; buckets shown for slots 2 and 3 only */
	const __u64 slot[6] = { 1, 2, 4, 8, 16, 32 };
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "r", PROM_HISTOGRAM, "h");
	prom_hist_log2(&p, "r", NULL, 0, slot, 6, 2, 4, 0, 1);
	prom_end(&p);
	cr_assert_null(strstr(p.buf, "le=\"1\""));
	cr_assert_null(strstr(p.buf, "le=\"3\""));
	assert_line(p.buf, "r_bucket{le=\"7\"} 7");
	assert_line(p.buf, "r_bucket{le=\"15\"} 15");
	cr_assert_null(strstr(p.buf, "le=\"31\""));
	assert_line(p.buf, "r_bucket{le=\"+Inf\"} 63");
	assert_line(p.buf, "r_count 63");
	prom_fini(&p);
}

Test(prom_writer, histogram_scaled_to_seconds)
{
	const __u64 slot[3] = { 0, 1, 0 };
	struct prom p;

	prom_init(&p, false);
	prom_family(&p, "lat_seconds", PROM_HISTOGRAM, "h");
	prom_hist_log2(&p, "lat_seconds", NULL, 0, slot, 3, 0, 2, 3, 1e9);
	prom_end(&p);
	assert_line(p.buf, "lat_seconds_bucket{le=\"1e-09\"} 0");
	assert_line(p.buf, "lat_seconds_bucket{le=\"3e-09\"} 1");
	assert_line(p.buf, "lat_seconds_bucket{le=\"+Inf\"} 1");
	assert_line(p.buf, "lat_seconds_sum 3e-09");
	prom_fini(&p);
}

Test(prom_writer, accept_header_negotiation)
{
	cr_assert(prom_wants_openmetrics(
		"application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
		"text/plain;version=0.0.4;q=0.5,*/*;q=0.1"));
	cr_assert(prom_wants_openmetrics("Application/OpenMetrics-Text"));
	cr_assert_not(prom_wants_openmetrics("text/plain"));
	cr_assert_not(prom_wants_openmetrics("*/*"));
	cr_assert_not(prom_wants_openmetrics(NULL));
}

Test(prom_writer, empty_document_is_a_string)
{
	struct prom p;

	prom_init(&p, false);
	cr_assert_eq(prom_end(&p), 0);
	cr_assert_not_null(p.buf);
	cr_assert_str_eq(p.buf, "");
	prom_fini(&p);
}
