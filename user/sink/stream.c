// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Stream sinks (user/sink/sink.h): events and findings as text lines or
 * JSON lines to one output. Formats: docs/events.md, docs/findings.md.
 */
#include <errno.h>
#include "lib/jsonw.h"
#include "lib/util.h"
#include "sink/sink.h"

static struct stream_sink *of(struct sink *s)
{
	return container_of(s, struct stream_sink, sink);
}

static void stream_learn(struct sink *s, const struct itr_event *ev)
{
	if (of(s)->fmt == STREAM_TEXT)
		text_learn(&of(s)->text, ev);
}

static int stream_event(struct sink *s, const struct itr_event *ev)
{
	struct stream_sink *ss = of(s);
	int err;

	if (!ss->events || ss->out->err)
		return ss->out->err;
	err = ss->fmt == STREAM_JSON ? json_event(ss->out->f, ev) : text_event(&ss->text, ev);
	return err == -ENOMEM ? err : output_check(ss->out);
}

static int stream_finding(struct sink *s, const struct finding *f)
{
	struct stream_sink *ss = of(s);
	int err;

	if (!ss->findings || ss->out->err)
		return ss->out->err;
	if (ss->fmt == STREAM_JSON)
		err = jw_line(ss->out->f, finding_json(f));
	else
		err = finding_text(ss->out->f, f, ss->t0_ns);
	return err == -ENOMEM ? err : output_check(ss->out);
}

static int stream_tick(struct sink *s)
{
	return output_flush(of(s)->out);
}

static const struct sink_ops stream_ops = {
	.name = "stream",
	.learn = stream_learn,
	.event = stream_event,
	.finding = stream_finding,
	.tick = stream_tick,
	.close = stream_tick,
};

struct sink *stream_sink_init(struct stream_sink *s, struct output *out, enum stream_format fmt,
			      __u64 t0_ns, bool events, bool findings)
{
	*s = (struct stream_sink){ .sink.ops = &stream_ops, .out = out, .fmt = fmt,
				   .events = events, .findings = findings, .t0_ns = t0_ns };
	s->text.f = out->f;
	s->text.t0_ns = t0_ns;
	return &s->sink;
}
