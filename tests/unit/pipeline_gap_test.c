// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Loss records through the pipeline (user/pipeline.c): counted once, handed
 * to the model, shown to the sinks; the final counters add only what no
 * loss record reported.
 */
#include <criterion/criterion.h>
#include "pipeline.h"
#include "records.h"

static struct pipeline P;

static void setup(void)
{
	cr_assert_eq(pipeline_init(&P, &(struct pipeline_opts){ .model = true }), 0);
}

static void teardown(void)
{
	pipeline_fini(&P);
}

TestSuite(pipeline_gap, .init = setup, .fini = teardown);

static int events_seen;

static int count_event(struct sink *s, const struct itr_event *ev)
{
	(void)s;
	events_seen += ev->kind == ITR_EV_LOST;
	return 0;
}

Test(pipeline_gap, a_loss_record_is_counted_once_and_suspends)
{
	static const struct sink_ops ops = { .name = "count", .event = count_event };
	struct sink s = { .ops = &ops };
	union rec r;
	size_t n = rec_make(&r, ITR_EV_LOST);	/* 7 lost: 3 maps, 4 unmaps */

	pipeline_add_sink(&P, &s);
	cr_assert_eq(pipeline_record(&P, &r, n), 0);
	cr_assert_eq(pipeline_record(&P, &r, n), 0);	/* the same counts from another CPU */
	cr_assert_eq(P.lost, 7);
	cr_assert_eq(P.model.lost, 7);
	cr_assert_eq(P.gaps, 1);
	cr_assert_eq(P.model.gaps.n, 1);
	cr_assert_eq(P.model.gaps.by_kind[ITR_EV_UNMAP], 4);
	cr_assert_eq(P.model.gaps.what, MG_MAPS);
	cr_assert_eq(events_seen, 2, "sinks (a recording) see every loss record");
	pipeline_lost(&P, 10, 0);	/* the final counters: 3 more, after the last record */
	cr_assert_eq(P.lost, 10);
	cr_assert_eq(P.model.gaps.n, 1, "counted, nothing suspended");
	pipeline_lost(&P, 10, 0);
	cr_assert_eq(P.lost, 10);
}
