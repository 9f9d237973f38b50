/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * The live view: monitor's sink on a terminal (ncurses). It reads the
 * model through a const pointer and draws, at each tick:
 *
 *   a title line    source, events, losses (in reverse red when any), pause,
 *                   the filter in force
 *   rates           maps, unmaps and ioctls per second (over the last second
 *                   of event time) and their totals
 *   DEVICES         group, driver, domain and type, HWPT view (! when the
 *                   device's view is not its group's HWPT), PASIDs
 *   DOMAINS         type, HWPT, live mappings and bytes, maps, unmaps, groups
 *   FINDINGS        newest first, coloured by severity
 *   a key line      q quit, p pause, d device filter, c process filter,
 *                   a clear filters
 *
 * Fits 80x24 and redraws on a resize. Quitting sets stop_requested (as
 * SIGINT does), so every source ends the run the same way.
 */
#ifndef ITR_SINK_TUI_H
#define ITR_SINK_TUI_H

#include <stdbool.h>
#include "check/finding.h"
#include "model/model.h"
#include "sink/sink.h"

#define TUI_NFINDINGS	64	/* the newest findings kept for the view */

struct tui_rate {
	__u64 sec;		/* the second of event time being counted */
	__u64 cur, last;	/* counted in sec, and in the second before */
	__u64 total;
};

enum tui_rate_kind { TUI_MAPS = 0, TUI_UNMAPS, TUI_IOCTLS, TUI_NRATES };

struct tui_filter {
	char dev[ITR_DEV_LEN];		/* a device name contains this; "" any */
	char proc[ITR_COMM_LEN];	/* a pid (digits) or a comm prefix; "" any */
};

struct tui_sink {
	struct sink sink;
	const struct model *m;
	char source[128];	/* "live" or "replay FILE" */
	bool hold;		/* a replay: a pause holds the source too */
	bool paused, ended, dirty;
	bool ticked;		/* the source ticked: attached (live), or replaying */
	struct tui_filter filter;
	struct tui_rate rates[TUI_NRATES];
	__u64 events, shown, lost;
	__u64 t0_ns, last_ns;	/* event time: first and latest */
	struct finding findings[TUI_NFINDINGS];	/* a ring, newest at head - 1 */
	unsigned int head, nfindings;
	__u64 findings_total;
	bool active;		/* the terminal is ours (initscr done) */
};

/*
 * Take the terminal (stdout must be one) and return the sink; NULL when
 * the terminal cannot be used (TERM unknown): the caller falls back to lines.
 */
struct sink *tui_sink_init(struct tui_sink *t, const struct model *m, const char *source, bool hold);
/*
 * The source ended (a recording's end): say so and keep the view, with its
 * keys, until q (or a stop signal). Then give the terminal back.
 */
void tui_sink_hold_end(struct tui_sink *t);
/* Give the terminal back (also done by the sink's close); idempotent. */
void tui_sink_fini(struct tui_sink *t);

/* What the view keeps and shows (sink/tui.c, unit-tested without a terminal). */
bool tui_match_proc(const struct tui_filter *f, __u32 tgid, const char *comm);
bool tui_match_dev(const struct tui_filter *f, const char *dev);
/* The first device (by name) the device filter matches; NULL: none (or no filter). */
const struct m_device *tui_filter_device(const struct tui_filter *f, const struct model *m);
void tui_rate_add(struct tui_rate *r, __u64 ts_ns);
/* Per second over the last whole second of event time, as of now_ns. */
__u64 tui_rate_per_sec(const struct tui_rate *r, __u64 now_ns);

/* Drawing (sink/tui_draw.c). */
void tui_draw(struct tui_sink *t);

#endif
