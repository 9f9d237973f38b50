// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * replay_run's two ways of handing records over: raw (replay_ops.record,
 * decoded by the callee) and decoded by the reader (replay_ops.event, the
 * path of check FILE and report). Both must see the same records, typed
 * the same.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include "rec_fixture.h"
#include "source/replay.h"

struct seen {
	size_t n;
	__u64 ts[64];
	unsigned int kind[64], shape[64];
};

static int on_record(void *arg, const void *data, size_t size)
{
	struct seen *s = arg;
	struct itr_event ev;
	char why[160];

	cr_assert_eq(event_decode(data, size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_lt(s->n, 64);
	s->ts[s->n] = ev.h->ts_ns;
	s->kind[s->n] = ev.kind;
	s->shape[s->n++] = ev.shape;
	return 0;
}

static int on_event(void *arg, const struct itr_event *ev)
{
	struct seen *s = arg;

	cr_assert_eq(ev->payload, (const void *)ev->h);
	cr_assert_lt(s->n, 64);
	s->ts[s->n] = ev->h->ts_ns;
	s->kind[s->n] = ev->kind;
	s->shape[s->n++] = ev->shape;
	return 0;
}

Test(replay_event, the_reader_decoded_records_are_the_raw_ones)
{
	struct seen raw = {}, dec = {};
	struct replay_result res;
	struct recs s;
	size_t len, i;
	uint8_t *buf = small_recording(&s, &len);
	char *path = tmp_path();
	FILE *f = fopen(path, "wb");

	cr_assert_eq(fwrite(buf, 1, len, f), len);
	fclose(f);
	cr_assert_eq(replay_run(path, &(struct replay_ops){ NULL, on_record, &raw, NULL }, &res), 0, "%s", res.why);
	cr_assert_eq(replay_run(path, &(struct replay_ops){ NULL, NULL, &dec, on_event }, &res), 0, "%s", res.why);
	cr_assert_eq(res.records, s.n);
	cr_assert_eq(raw.n, s.n);
	cr_assert_eq(dec.n, s.n);
	for (i = 0; i < s.n; i++) {
		cr_assert_eq(dec.ts[i], s.r[i].h.ts_ns, "record %zu", i);
		cr_assert_eq(dec.ts[i], raw.ts[i], "record %zu", i);
		cr_assert_eq(dec.kind[i], raw.kind[i], "record %zu", i);
		cr_assert_eq(dec.shape[i], raw.shape[i], "record %zu", i);
	}
	unlink(path);
	free(path);
	free(buf);
	free(s.r);
}
