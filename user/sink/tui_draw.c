// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Drawing the live view (user/sink/tui.h): the title, the rates, the
 * devices, domains and findings panels and the key line, fitted to the
 * terminal's size at each draw (80x24 and up; smaller shows less).
 */
#include <curses.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check/rules.h"
#include "lib/fmt.h"
#include "sink/tui.h"

#define MAX_ROWS 256

static const int sev_pair[FINDING_NSEV] = { 3, 2, 1 };

/* Text at (y, 0), cut to the width, the rest of the line cleared. */
static void line(int y, int attr, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void line(int y, int attr, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (y < 0 || y >= LINES)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	move(y, 0);
	clrtoeol();
	attron(attr);
	addnstr(buf, COLS);
	attroff(attr);
}

static void title(const struct tui_sink *t)
{
	char what[200];
	int n;

	n = snprintf(what, sizeof(what), " iommutrace monitor  %s%s  %.1fs  events %llu  findings %llu", t->source,
		     t->ticked ? "" : " (starting)",
		     t->t0_ns ? (t->last_ns - t->t0_ns) / 1e9 : 0.0, (unsigned long long)t->events,
		     (unsigned long long)t->findings_total);
	if (t->ended)
		snprintf(what + n, sizeof(what) - n, "  [END]");
	else if (t->paused)
		snprintf(what + n, sizeof(what) - n, "  [PAUSED]");
	line(0, COLOR_PAIR(5) | A_BOLD, "%-*s", COLS, what);
	if (t->lost)
		line(1, COLOR_PAIR(4) | A_BOLD, " LOST %llu events: the ring buffer overflowed; mapping checks are off%*s",
		     (unsigned long long)t->lost, COLS, "");
}

static void rates(const struct tui_sink *t, int y)
{
	const struct tui_rate *r = t->rates;
	char filt[80] = "";

	if (t->filter.dev[0] || t->filter.proc[0])
		snprintf(filt, sizeof(filt), "  filter:%s%s%s%s", t->filter.dev[0] ? " dev=" : "", t->filter.dev,
			 t->filter.proc[0] ? " proc=" : "", t->filter.proc);
	line(y, 0, " maps %llu/s (%llu)  unmaps %llu/s (%llu)  ioctls %llu/s (%llu)%s",
	     (unsigned long long)tui_rate_per_sec(&r[TUI_MAPS], t->last_ns), (unsigned long long)r[TUI_MAPS].total,
	     (unsigned long long)tui_rate_per_sec(&r[TUI_UNMAPS], t->last_ns), (unsigned long long)r[TUI_UNMAPS].total,
	     (unsigned long long)tui_rate_per_sec(&r[TUI_IOCTLS], t->last_ns), (unsigned long long)r[TUI_IOCTLS].total,
	     filt);
}

/* --- devices ----------------------------------------------------------------- */

static bool device_shown(const struct tui_sink *t, const struct m_device *d)
{
	if (!tui_match_dev(&t->filter, d->name))
		return false;
	return !t->filter.proc[0] || (d->tgid && tui_match_proc(&t->filter, d->tgid, NULL));
}

/* Devices seen in events first, then by name. */
static int dev_cmp(const void *a, const void *b)
{
	const struct m_device *x = *(const struct m_device *const *)a, *y = *(const struct m_device *const *)b;
	int ex = !!(x->known & M_EVENT), ey = !!(y->known & M_EVENT);

	return ex != ey ? ey - ex : strcmp(x->name, y->name);
}

static int devices(const struct tui_sink *t, int y, int rows)
{
	const struct m_device *v[MAX_ROWS];
	char dom[24], typ[24], view[16], grp[12];
	struct m_device *d;
	size_t pos = 0;
	int n = 0, i;

	while ((d = htab_next(&t->m->devices, &pos, NULL)) && n < MAX_ROWS)
		if (device_shown(t, d))
			v[n++] = d;
	qsort(v, n, sizeof(v[0]), dev_cmp);
	line(y++, A_BOLD | A_UNDERLINE, "%-14s %5s %-12s %-10s %-9s %-9s %s", "DEVICE", "GROUP", "DRIVER",
	     "DOMAIN", "TYPE", "HWPT-VIEW", "PASIDS");
	for (i = 0; i < n && i < rows - 1; i++) {
		bool stale = false;

		d = (struct m_device *)v[i];
		if (d->view_hwpt) {
			__u32 now = hwpt_of_domain(t->m, d->domain_id);

			stale = now && now != d->view_hwpt;
			snprintf(view, sizeof(view), "%u%s", d->view_hwpt, stale ? "!" : "");
		} else {
			snprintf(view, sizeof(view), "-");
		}
		snprintf(grp, sizeof(grp), d->group_id >= 0 ? "%d" : "-", d->group_id);
		line(y++, stale ? COLOR_PAIR(1) | A_BOLD : 0, "%-14.14s %5s %-12.12s %-10s %-9.9s %-9s %d",
		     d->name, grp, d->driver[0] ? d->driver : "-", domain_str(d->domain_id, dom, sizeof(dom)),
		     d->domain_id ? domain_type_str(d->domain_type, typ, sizeof(typ)) : "-", view, d->npasids);
	}
	if (n > rows - 1 && rows > 1)
		line(y - 1, A_DIM, "  ... %d more devices (d: filter)", n - (rows - 2));
	return n;
}

/* --- domains ----------------------------------------------------------------- */

static bool domain_shown(const struct tui_sink *t, const struct m_domain *d)
{
	const struct m_device *dev;
	int i;

	if (t->filter.proc[0] && !(d->tgid && tui_match_proc(&t->filter, d->tgid, NULL)))
		return false;
	if (!t->filter.dev[0])
		return true;
	dev = tui_filter_device(&t->filter, t->m);
	if (!dev)
		return false;
	if (dev->domain_id == d->id)
		return true;
	for (i = 0; i < d->ngroups; i++)
		if (d->groups[i] == dev->group_id)
			return true;
	return false;
}

static __u64 live_bytes(const struct m_domain *d)
{
	return d->maps ? ivset_bytes(d->maps) : 0;
}

/* Most bytes mapped first, then most maps, then by id. */
static int dom_cmp(const void *a, const void *b)
{
	const struct m_domain *x = *(const struct m_domain *const *)a, *y = *(const struct m_domain *const *)b;
	__u64 bx = live_bytes(x), by = live_bytes(y);

	if (bx != by)
		return bx < by ? 1 : -1;
	if (x->maps_total != y->maps_total)
		return x->maps_total < y->maps_total ? 1 : -1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static int domains(const struct tui_sink *t, int y, int rows)
{
	const struct m_domain *v[MAX_ROWS];
	char id[24], typ[24], hw[12], bytes[24], live[24], groups[40];
	struct m_domain *d;
	size_t pos = 0;
	int n = 0, i, j, off;

	while ((d = htab_next(&t->m->domains, &pos, NULL)) && n < MAX_ROWS)
		if (!d->freed && domain_shown(t, d))
			v[n++] = d;
	qsort(v, n, sizeof(v[0]), dom_cmp);
	line(y++, A_BOLD | A_UNDERLINE, "%-10s %-9s %5s %7s %10s %8s %8s %s", "DOMAIN", "TYPE", "HWPT", "LIVE",
	     "BYTES", "MAPS", "UNMAPS", "GROUPS");
	for (i = 0; i < n && i < rows - 1; i++) {
		d = (struct m_domain *)v[i];
		snprintf(hw, sizeof(hw), d->hwpt_id ? "%u" : "-", d->hwpt_id);
		if (domain_tracked(t->m, d) || d->maps) {
			snprintf(live, sizeof(live), "%llu", (unsigned long long)(d->maps ? ivset_count(d->maps) : 0));
			fmt_bytes(bytes, sizeof(bytes), live_bytes(d));
		} else {	/* a DMA-API domain: its maps are not in the stream */
			snprintf(live, sizeof(live), "?");
			snprintf(bytes, sizeof(bytes), "?");
		}
		off = snprintf(groups, sizeof(groups), "-");
		for (j = 0, off = 0; j < d->ngroups && off < (int)sizeof(groups) - 8; j++)
			off += snprintf(groups + off, sizeof(groups) - off, "%s%d", j ? "," : "", d->groups[j]);
		line(y++, 0, "%-10s %-9.9s %5s %7s %10s %8llu %8llu %s", domain_str(d->id, id, sizeof(id)),
		     domain_type_str(d->type, typ, sizeof(typ)), hw, live, bytes,
		     (unsigned long long)d->maps_total, (unsigned long long)d->unmaps_total, groups);
	}
	if (n > rows - 1 && rows > 1)
		line(y - 1, A_DIM, "  ... %d more domains", n - (rows - 2));
	return n;
}

/* --- findings ---------------------------------------------------------------- */

static bool finding_shown(const struct tui_sink *t, const struct finding *f)
{
	if (!tui_match_proc(&t->filter, f->ev_tgid, f->ev_comm))
		return false;
	return !t->filter.dev[0] || tui_match_dev(&t->filter, f->o.dev) || tui_match_dev(&t->filter, f->o.dev2);
}

/* One finding: "time SEV rule: message", wrapped to at most 2 rows. Rows used. */
static int finding_rows(const struct tui_sink *t, const struct finding *f, int y, int max)
{
	static const char *const tag[FINDING_NSEV] = { "INFO ", "WARN ", "ERROR" };
	int attr = COLOR_PAIR(sev_pair[f->sev]) | (f->sev == SEV_ERROR ? A_BOLD : 0), w = COLS - 15;
	double ts = t->t0_ns && f->ev_ts_ns >= t->t0_ns ? (f->ev_ts_ns - t->t0_ns) / 1e9 : 0;
	char text[400];

	snprintf(text, sizeof(text), "%s: %s", rule_table[f->rule].id, f->msg);
	int cut = w;

	if (w > 0 && (int)strlen(text) > w && max >= 2) {	/* wrap at the last space that fits */
		while (cut > w / 2 && text[cut] != ' ')
			cut--;
		if (text[cut] != ' ')
			cut = w;
	}
	line(y, attr, "%8.3f %s %.*s", ts, tag[f->sev], cut > 0 ? cut : 0, text);
	if (max < 2 || w <= 0 || (int)strlen(text) <= w)
		return 1;
	line(y + 1, attr, "%15s%.*s", "", w, text + cut + (text[cut] == ' '));
	return 2;
}

static void findings(const struct tui_sink *t, int y, int rows)
{
	unsigned int i, n = 0;
	int used = 0;

	line(y++, A_BOLD | A_UNDERLINE, "FINDINGS (newest first)%*s", COLS, "");
	for (i = 0; i < t->nfindings && used < rows - 1; i++) {
		const struct finding *f = &t->findings[(t->head + TUI_NFINDINGS - 1 - i) % TUI_NFINDINGS];

		if (!finding_shown(t, f))
			continue;
		used += finding_rows(t, f, y + used, rows - 1 - used);
		n++;
	}
	if (!n)
		line(y, A_DIM, "  none so far");
}

void tui_draw(struct tui_sink *t)
{
	int y = 1, h, rows, ndev, rest;

	erase();
	title(t);
	if (t->lost)
		y++;
	rates(t, y++);
	h = LINES - y - 1;	/* between the rates and the key line */
	/* devices and domains a third each at most, findings the rest */
	rows = h / 3;
	if (rows < 2)
		rows = 2;
	y++;
	ndev = devices(t, y, rows);
	y += (ndev + 1 < rows ? ndev + 1 : rows) + 1;
	rest = domains(t, y, rows);
	y += (rest + 1 < rows ? rest + 1 : rows) + 1;
	findings(t, y, LINES - 1 - y);
	line(LINES - 1, A_REVERSE, " q quit  p pause  d device filter  c process filter  a all%s%*s",
	     t->ended ? "  (end of recording)" : "", COLS, "");
	refresh();
}
