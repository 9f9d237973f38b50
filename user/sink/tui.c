// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The live view (user/sink/tui.h): the sink's operations, the keys, and
 * the terminal's setup and release. Drawing is in sink/tui_draw.c.
 */
#include <ctype.h>
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "lib/clock.h"
#include "lib/util.h"
#include "sink/tui.h"

static struct tui_sink *of(struct sink *s)
{
	return container_of(s, struct tui_sink, sink);
}

bool tui_match_proc(const struct tui_filter *f, __u32 tgid, const char *comm)
{
	const char *p = f->proc;
	char *end;
	unsigned long v;

	if (!*p)
		return true;
	if (isdigit((unsigned char)*p)) {
		v = strtoul(p, &end, 10);
		if (!*end)
			return v == tgid;
	}
	return comm && !strncmp(comm, p, strlen(p));
}

bool tui_match_dev(const struct tui_filter *f, const char *dev)
{
	return !f->dev[0] || (dev && strstr(dev, f->dev));
}

const struct m_device *tui_filter_device(const struct tui_filter *f, const struct model *m)
{
	const struct m_device *best = NULL;
	struct m_device *d;
	size_t pos = 0;

	if (!f->dev[0])
		return NULL;
	while ((d = htab_next(&m->devices, &pos, NULL)))
		if (tui_match_dev(f, d->name) && (!best || strcmp(d->name, best->name) < 0))
			best = d;
	return best;
}

void tui_rate_add(struct tui_rate *r, __u64 ts_ns)
{
	__u64 sec = ts_ns / 1000000000ULL;

	if (sec != r->sec) {
		r->last = sec == r->sec + 1 ? r->cur : 0;
		r->sec = sec;
		r->cur = 0;
	}
	r->cur++;
	r->total++;
}

__u64 tui_rate_per_sec(const struct tui_rate *r, __u64 now_ns)
{
	__u64 sec = now_ns / 1000000000ULL;

	if (sec == r->sec)
		return r->last;
	return sec == r->sec + 1 ? r->cur : 0;
}

/* Does an event pass the view's filter? (What the model sees is never filtered.) */
static bool event_matches(const struct tui_sink *t, const struct itr_event *ev)
{
	const struct m_device *d;

	if (!tui_match_proc(&t->filter, ev->h->tgid, ev->h->comm))
		return false;
	if (!t->filter.dev[0])
		return true;
	if (ev->h->dev[0])
		return tui_match_dev(&t->filter, ev->h->dev);
	/* no device on the record (a map): its group's */
	d = tui_filter_device(&t->filter, t->m);
	return d && d->group_id >= 0 && d->group_id == ev->h->group_id;
}

static int tui_event(struct sink *s, const struct itr_event *ev)
{
	struct tui_sink *t = of(s);
	enum tui_rate_kind k;

	t->events++;
	if (!t->t0_ns)
		t->t0_ns = ev->h->ts_ns;
	t->last_ns = ev->h->ts_ns;
	t->dirty = true;
	if (!event_matches(t, ev))
		return 0;
	t->shown++;
	switch (ev->kind) {
	case ITR_EV_MAP:
	case ITR_EV_MAP_SG:
		k = TUI_MAPS;
		break;
	case ITR_EV_UNMAP:
	case ITR_EV_UNMAP_FAST:
		k = TUI_UNMAPS;
		break;
	case ITR_EV_IOCTL:
		k = TUI_IOCTLS;
		break;
	default:
		return 0;
	}
	tui_rate_add(&t->rates[k], ev->h->ts_ns);
	return 0;
}

static int tui_finding(struct sink *s, const struct finding *f)
{
	struct tui_sink *t = of(s);

	t->findings[t->head] = *f;
	t->head = (t->head + 1) % TUI_NFINDINGS;
	if (t->nfindings < TUI_NFINDINGS)
		t->nfindings++;
	t->findings_total++;
	t->dirty = true;
	return 0;
}

static void tui_lost(struct sink *s, __u64 n, __u64 now)
{
	(void)now;
	of(s)->lost += n;
	of(s)->dirty = true;
}

/* A one-line prompt on the last row; the answer into buf ("" keeps none). */
static void prompt(const char *what, char *buf, size_t len)
{
	char in[64] = "";

	move(LINES - 1, 0);
	clrtoeol();
	attron(A_BOLD);
	printw("%s (empty: any): ", what);
	attroff(A_BOLD);
	nodelay(stdscr, FALSE);
	echo();
	curs_set(1);
	getnstr(in, (int)(len < sizeof(in) ? len : sizeof(in)) - 1);
	curs_set(0);
	noecho();
	nodelay(stdscr, TRUE);
	snprintf(buf, len, "%s", in);
}

/* Handle the keys typed so far. */
static void keys(struct tui_sink *t)
{
	int c;

	while ((c = getch()) != ERR) {
		t->dirty = true;
		switch (c) {
		case 'q':
		case 'Q':
			stop_requested = 1;
			break;
		case 'p':
		case ' ':
			t->paused = !t->paused;
			break;
		case 'd':
			prompt("device filter", t->filter.dev, sizeof(t->filter.dev));
			break;
		case 'c':
			prompt("process filter: pid or command", t->filter.proc, sizeof(t->filter.proc));
			break;
		case 'a':
			memset(&t->filter, 0, sizeof(t->filter));
			break;
		case KEY_RESIZE:
		default:
			break;
		}
	}
}

static int tui_tick(struct sink *s)
{
	struct tui_sink *t = of(s);

	if (!t->active)
		return 0;
	if (!t->ticked)
		t->ticked = t->dirty = true;
	keys(t);
	/* A paused replay holds the source: nothing is lost by waiting. */
	while (t->hold && t->paused && !stop_requested) {
		tui_draw(t);
		usleep(50000);
		keys(t);
	}
	if (t->dirty && (!t->paused || t->ended)) {
		tui_draw(t);
		t->dirty = false;
	} else if (t->paused && t->dirty) {
		tui_draw(t);	/* the PAUSED mark; the panels keep their content */
		t->dirty = false;
	}
	return 0;
}

void tui_sink_fini(struct tui_sink *t)
{
	if (!t->active)
		return;
	endwin();
	t->active = false;
}

static int tui_close(struct sink *s)
{
	(void)s;
	return 0;
}

static const struct sink_ops tui_ops = {
	.name = "tui",
	.event = tui_event,
	.finding = tui_finding,
	.lost = tui_lost,
	.tick = tui_tick,
	.close = tui_close,
};

void tui_sink_hold_end(struct tui_sink *t)
{
	if (!t->active)
		return;
	t->ended = true;
	t->paused = false;
	t->dirty = true;
	while (!stop_requested) {
		tui_tick(&t->sink);
		usleep(50000);
	}
}

struct sink *tui_sink_init(struct tui_sink *t, const struct model *m, const char *source, bool hold)
{
	memset(t, 0, sizeof(*t));
	t->sink.ops = &tui_ops;
	t->m = m;
	t->hold = hold;
	snprintf(t->source, sizeof(t->source), "%s", source);
	if (!newterm(NULL, stdout, stdin))
		return NULL;
	t->active = true;
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(1, COLOR_RED, -1);	/* error */
		init_pair(2, COLOR_YELLOW, -1);	/* warning */
		init_pair(3, COLOR_CYAN, -1);	/* info */
		init_pair(4, COLOR_WHITE, COLOR_RED);	/* losses */
		init_pair(5, COLOR_BLACK, COLOR_CYAN);	/* title */
	}
	t->dirty = true;
	tui_draw(t);
	return &t->sink;
}
