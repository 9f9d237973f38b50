// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The recording sink (user/sink/record.h). */
#include <errno.h>
#include "lib/util.h"
#include "sink/record.h"

static struct record_sink *of(struct sink *s)
{
	return container_of(s, struct record_sink, sink);
}

static int record_event(struct sink *s, const struct itr_event *ev)
{
	struct record_sink *rs = of(s);
	int err = recw_event(rs->w, ev->h, ev->h->size);

	if (err == -EINVAL)	/* not a record the reader would take: skip it */
		return 0;
	if (err)
		return err;
	rs->records++;
	rs->bytes += ev->h->size;
	return 0;
}

static void record_lost(struct sink *s, __u64 n, __u64 now_ns)
{
	(void)now_ns;
	of(s)->lost += n;
}

static int record_tick(struct sink *s)
{
	return recw_flush(of(s)->w);
}

static const struct sink_ops record_ops = {
	.name = "record",
	.event = record_event,
	.lost = record_lost,
	.tick = record_tick,
	.close = record_tick,
};

struct sink *record_sink_init(struct record_sink *s, struct rec_writer *w)
{
	*s = (struct record_sink){ .sink.ops = &record_ops, .w = w };
	return &s->sink;
}
