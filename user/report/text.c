// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The report as text (user/report/internal.h; format: docs/report.md). */
#include <errno.h>
#include <stdlib.h>
#include "event/counters.h"
#include "lib/fmt.h"
#include "report/internal.h"

static void show_header(FILE *f, const struct report *r)
{
	const struct replay_result *res = &r->res;
	char b[32];

	fprintf(f, "recording: %s\n", r->path);
	fprintf(f, "kernel:    %s\n", res->release[0] ? res->release : "unknown");
	fprintf(f, "duration:  %s", fmt_ns(b, sizeof(b), r->last_ns > r->t0_ns ? r->last_ns - r->t0_ns : 0));
	fprintf(f, " (from the %s to the last event)\n",
		res->mono_ns && r->t0_ns == res->mono_ns ? "recording's start" : "first event");
	fprintf(f, "events:    %llu (records %llu, decode errors %llu)\n",
		(unsigned long long)r->events, (unsigned long long)r->records,
		(unsigned long long)r->p.decode_errors);
	if (res->counters_ok)
		fprintf(f, "lost:      %llu\n", (unsigned long long)res->counters.v[ITR_CNT_LOST]);
	else
		fprintf(f, "lost:      unknown (no counters in the recording)\n");
	if (r->err)
		fprintf(f, "ended:     damaged: report up to the damage\n");
	else if (res->clean_end)
		fprintf(f, "ended:     cleanly\n");
	else
		fprintf(f, "ended:     not closed cleanly (recorder killed?)\n");
}

/* A section's title, and "(none)" when it is empty; returns any. */
static bool show_title(FILE *f, const char *title, bool any)
{
	fprintf(f, "\n%s\n", title);
	if (!any)
		fprintf(f, "(none)\n");
	return any;
}

static void join_groups(char *buf, size_t len, const __s32 *g, int n)
{
	size_t off = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < n && off < len; i++)
		off += snprintf(buf + off, len - off, "%s%d", i ? "," : "", g[i]);
	if (!n)
		snprintf(buf, len, "-");
}

static void show_domains(FILE *f, struct report_domain **a, size_t n)
{
	char id[16], type[16], hwpt[16], mapped[32], live[24], lbytes[32], groups[64], devs[160];
	size_t i, off;
	int j;

	if (!show_title(f, "DOMAINS", n))
		return;
	fprintf(f, "%-10s  %-10s %-5s %8s %8s %10s %8s %10s  %-10s %s\n", "DOMAIN", "TYPE", "HWPT",
		"MAPS", "UNMAPS", "MAPPED", "LIVE", "LIVE-BYTES", "GROUPS", "DEVICES");
	for (i = 0; i < n; i++) {
		const struct report_domain *d = a[i];

		snprintf(hwpt, sizeof(hwpt), d->hwpt_id ? "%u" : "-", d->hwpt_id);
		if (d->freed) {
			snprintf(live, sizeof(live), "freed");
			snprintf(lbytes, sizeof(lbytes), "-");
		} else if (!d->tracked) {
			snprintf(live, sizeof(live), "?");
			snprintf(lbytes, sizeof(lbytes), "?");
		} else {
			snprintf(live, sizeof(live), "%llu", (unsigned long long)d->live_mappings);
			fmt_bytes(lbytes, sizeof(lbytes), d->live_bytes);
		}
		join_groups(groups, sizeof(groups), d->groups, d->ngroups);
		devs[0] = '\0';
		for (j = 0, off = 0; j < d->ndevs && off < sizeof(devs); j++)
			off += snprintf(devs + off, sizeof(devs) - off, "%s%s", j ? "," : "", d->devs[j]);
		fprintf(f, "%-10s  %-10s %-5s %8llu %8llu %10s %8s %10s  %-10s %s\n",
			domain_str(d->id, id, sizeof(id)), domain_type_str(d->type, type, sizeof(type)),
			hwpt, (unsigned long long)d->maps, (unsigned long long)d->unmaps,
			fmt_bytes(mapped, sizeof(mapped), d->bytes_mapped), live, lbytes, groups,
			d->ndevs ? devs : "-");
	}
}

static void show_devices(FILE *f, const struct m_device **a, size_t n)
{
	char grp[16], dom[16], type[16], view[32], pasids[160], b[16];
	size_t i, off;
	int j;

	if (!show_title(f, "DEVICES", n))
		return;
	fprintf(f, "%-16s %6s  %-14s %-10s  %-10s %-12s %s\n", "DEVICE", "GROUP", "DRIVER", "DOMAIN",
		"TYPE", "HWPT-VIEW", "PASIDS");
	for (i = 0; i < n; i++) {
		const struct m_device *d = a[i];

		snprintf(grp, sizeof(grp), d->group_id >= 0 ? "%d" : "-", d->group_id);
		if (!d->view_hwpt)
			snprintf(view, sizeof(view), "-");
		else
			snprintf(view, sizeof(view), "%u%s", d->view_hwpt,
				 d->view_domain != d->domain_id ? " (stale)" : "");
		pasids[0] = '\0';
		for (j = 0, off = 0; j < d->npasids && off < sizeof(pasids); j++)
			off += snprintf(pasids + off, sizeof(pasids) - off, "%s%u=%s", j ? "," : "",
					d->pasids[j].pasid, domain_str(d->pasids[j].domain_id, b, sizeof(b)));
		fprintf(f, "%-16s %6s  %-14.14s %-10s  %-10s %-12s %s\n", d->name, grp,
			d->driver[0] ? d->driver : "-", domain_str(d->domain_id, dom, sizeof(dom)),
			d->domain_id ? domain_type_str(d->domain_type, type, sizeof(type)) : "-",
			view, d->npasids ? pasids : "-");
	}
}

static void show_procs(FILE *f, const struct report_proc **a, size_t n, int top)
{
	char title[48], b1[32], b2[32];
	size_t i;

	snprintf(title, sizeof(title), top > 0 ? "TOP MAPPERS (top %d, by map calls)" : "TOP MAPPERS",
		 top);
	if (!show_title(f, title, n))
		return;
	fprintf(f, "%-8s %-16s %10s %10s %10s %10s\n", "TGID", "COMM", "MAPS", "MAPPED", "UNMAPS",
		"UNMAPPED");
	for (i = 0; i < n; i++)
		fprintf(f, "%-8u %-16s %10llu %10s %10llu %10s\n", a[i]->tgid, a[i]->comm,
			(unsigned long long)a[i]->maps, fmt_bytes(b1, sizeof(b1), a[i]->map_bytes),
			(unsigned long long)a[i]->unmaps, fmt_bytes(b2, sizeof(b2), a[i]->unmap_bytes));
}

static void show_hist(FILE *f, const char *title, const char *unit, const struct hist *h)
{
	if (show_title(f, title, h->count))
		hist_print(f, h, unit);
}

static void show_findings(FILE *f, const struct report *r)
{
	const struct checker *c = &r->p.checker;
	size_t i;

	fprintf(f, "\nFINDINGS\n");
	for (i = 0; i < r->p.nall; i++)
		finding_text(f, &r->p.all[i], r->t0_ns);
	fprintf(f, "findings: %llu error, %llu warning, %llu info (%llu repeats not shown)\n",
		(unsigned long long)c->nfindings[SEV_ERROR], (unsigned long long)c->nfindings[SEV_WARNING],
		(unsigned long long)c->nfindings[SEV_INFO], (unsigned long long)c->suppressed);
}

int report_text(struct report *r)
{
	const struct m_device **devs;
	const struct report_proc **procs;
	struct report_domain **doms;
	size_t nd, ndev, np;
	FILE *f = r->out->f;
	int err = 0;

	doms = report_domains_sorted(r, &nd);
	devs = report_devices_sorted(r, &ndev);
	procs = report_procs_sorted(r, &np);
	if (!doms || !devs || !procs) {
		err = -ENOMEM;
		goto cleanup;
	}
	show_header(f, r);
	show_domains(f, doms, nd);
	show_devices(f, devs, ndev);
	show_procs(f, procs, np, r->top);
	show_hist(f, "MAP LATENCY", "nsecs", &r->map_lat);
	show_hist(f, "MAP SIZE", "bytes", &r->map_size);
	show_hist(f, "IOCTL LATENCY", "nsecs", &r->ioctl_lat);
	show_findings(f, r);
cleanup:
	free(doms);
	free(devs);
	free(procs);
	return err;
}
