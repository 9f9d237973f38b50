// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The text sink: a header once, then fixed-width columns (86 characters)
 * and a details column whose content depends on the kind (docs/events.md).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "lib/fmt.h"
#include "lib/util.h"
#include "sink/sink.h"

#define ROW_FMT "%-10s %-12.12s %7s %-13s %-10s %-9s %-12s %5s %s\n"

/* Append to buf at *off, never past len (a full buffer ends truncated). */
__attribute__((format(printf, 4, 5)))
static void appendf(char *buf, size_t len, size_t *off, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*off >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *off, len - *off, fmt, ap);
	va_end(ap);
	if (n > 0)
		*off = *off + n < len ? *off + n : len - 1;
}

/* A kernel string for a terminal: at most max bytes, non-printables as '?'. */
static const char *printable(const char *s, size_t max, char *buf, size_t len)
{
	size_t i, n = strnlen(s, max);

	if (n >= len)
		n = len - 1;
	for (i = 0; i < n; i++)
		buf[i] = s[i] > 0x20 && s[i] < 0x7f ? s[i] : '?';
	buf[n] = '\0';
	return n ? buf : "-";
}

/* "4K", "2M", "1G": one page size. */
static void pgsize_str(char *buf, size_t len, size_t *off, unsigned int bit)
{
	static const char units[] = "BKMGTPE";

	appendf(buf, len, off, "%llu%c", 1ULL << (bit % 10), units[bit / 10]);
}

/* "4K,2M,1G"; a long bitmap as "4K..512G(28)". */
static void pgsizes_str(char *buf, size_t len, size_t *off, __u64 bitmap)
{
	int n = __builtin_popcountll(bitmap), bit;
	bool first = true;

	if (!bitmap) {
		appendf(buf, len, off, "-");
	} else if (n > 4) {
		pgsize_str(buf, len, off, __builtin_ctzll(bitmap));
		appendf(buf, len, off, "..");
		pgsize_str(buf, len, off, 63 - __builtin_clzll(bitmap));
		appendf(buf, len, off, "(%d)", n);
	} else {
		for (bit = 0; bit < 64; bit++) {
			if (!(bitmap & (1ULL << bit)))
				continue;
			if (!first)
				appendf(buf, len, off, ",");
			pgsize_str(buf, len, off, bit);
			first = false;
		}
	}
}

/* A details function: s (may be NULL) is the sink, for what it has learnt. */
#define DETAILS_ARGS const struct text_sink *s __attribute__((unused)),		\
		     const struct itr_event *ev, char *buf, size_t len, size_t *off

static void details_domain(DETAILS_ARGS)
{
	const struct itr_ev_domain *d = ev->domain;

	__u64 end = d->aperture_end;

	if (!ev->h->domain_id)	/* a failed allocation: only its errno */
		return;
	appendf(buf, len, off, "pgsizes ");
	pgsizes_str(buf, len, off, d->pgsize_bitmap);
	if (!d->aperture_start && end && !(end & (end + 1)))	/* [0, 2^n - 1] */
		appendf(buf, len, off, " aperture %d-bit", 64 - __builtin_clzll(end));
	else
		appendf(buf, len, off, " aperture 0x%llx-0x%llx",
			(unsigned long long)d->aperture_start, (unsigned long long)end);
}

static void details_attach(DETAILS_ARGS)
{
	const struct itr_ev_attach *a = ev->attach;
	__u32 hwpt = text_hwpt_of(s, ev->h->domain_id), old = text_hwpt_of(s, a->old_domain_id);
	char id[16], ty[16];

	if (hwpt)	/* the iommufd HWPT the device (or group) moved to */
		appendf(buf, len, off, "hwpt %u ", hwpt);
	appendf(buf, len, off, "from %s", domain_str(a->old_domain_id, id, sizeof(id)));
	if (a->old_domain_id)
		appendf(buf, len, off, " %s", domain_type_str(a->old_domain_type, ty, sizeof(ty)));
	if (old)
		appendf(buf, len, off, " (hwpt %u)", old);
	if (ev->kind >= ITR_EV_PASID_ATTACH && ev->kind <= ITR_EV_PASID_REPLACE)
		appendf(buf, len, off, " pasid %u", a->pasid);
	if (a->is_default)
		appendf(buf, len, off, " default");
	if (ev->h->flags & ITR_F_GROUP)
		appendf(buf, len, off, " group");
}

/* "rw", "rwc": first letters of the prot bits, unknown bits as "+0x40". */
static void prot_str(char *buf, size_t len, size_t *off, __u32 prot)
{
	size_t start = *off;
	int i;

	for (i = 0; i < itr_nprot_names; i++) {
		if (prot & itr_prot_names[i].value) {
			appendf(buf, len, off, "%c", itr_prot_names[i].name[0]);
			prot &= ~itr_prot_names[i].value;
		}
	}
	if (prot)
		appendf(buf, len, off, "+0x%x", prot);
	else if (*off == start)
		appendf(buf, len, off, "-");
}

static void details_map(DETAILS_ARGS)
{
	const struct itr_ev_map *m = ev->map;
	char b[32];

	appendf(buf, len, off, "0x%llx %s", (unsigned long long)m->iova,
		fmt_size(b, sizeof(b), m->size));
	if (ev->kind == ITR_EV_MAP || ev->kind == ITR_EV_MAP_SG) {
		appendf(buf, len, off, " pa 0x%llx ", (unsigned long long)m->paddr);
		prot_str(buf, len, off, m->prot);
	}
	if (ev->kind == ITR_EV_MAP_SG)
		appendf(buf, len, off, " nents %u", m->nents);
	if (m->done != m->size)
		appendf(buf, len, off, " done %s", fmt_size(b, sizeof(b), m->done));
	if (m->latency_ns)
		appendf(buf, len, off, " %s", fmt_ns(b, sizeof(b), m->latency_ns));
}

static void details_group(DETAILS_ARGS)
{
	(void)ev;
	(void)buf;
	(void)len;
	(void)off;
}

/* "open fd 7", "close": a VFIO device or container file */
static void details_file(DETAILS_ARGS)
{
	if (ev->kind == ITR_EV_OPEN)
		appendf(buf, len, off, "open fd %d", ev->h->ctx.fd);
	else
		appendf(buf, len, off, "close");
}

/* "unbind dev 1": the iommufd device object id */
static void details_unbind(DETAILS_ARGS)
{
	appendf(buf, len, off, "unbind dev %u", ev->unbind->dev_id);
}

static void details_fault(DETAILS_ARGS)
{
	const struct itr_ev_fault *f = ev->fault;
	char src[16];

	appendf(buf, len, off, "iova 0x%llx %s %s reason %u", (unsigned long long)f->iova,
		f->fault_flags & 1 ? "write" : "read",
		fault_source_str(f->source, src, sizeof(src)), f->reason);
}

static void ioctl_value_str(char *buf, size_t len, size_t *off, __u8 fmt, __u64 v)
{
	char b[32];

	switch (fmt) {
	case IOCTL_FMT_SDEC:
		appendf(buf, len, off, "%lld", (long long)v);
		break;
	case IOCTL_FMT_HEX:
		appendf(buf, len, off, "0x%llx", (unsigned long long)v);
		break;
	case IOCTL_FMT_SIZE:
		appendf(buf, len, off, "%s", fmt_size(b, sizeof(b), v));
		break;
	default:
		appendf(buf, len, off, "%llu", (unsigned long long)v);
	}
}

/* "IOMMU_IOAS_MAP fd 3 ioas 2 iova 0x100000 4KiB 2.1us" */
/* "+16 pages locked_vm 32": pinned pages charged or released (locked, or an ioctl's) */
static void locked_str(char *buf, size_t len, size_t *off, const char *sep, __s64 npages,
		       __u64 locked_vm)
{
	appendf(buf, len, off, "%s%+lld pages", sep, (long long)npages);
	if (locked_vm)
		appendf(buf, len, off, " locked_vm %llu", (unsigned long long)locked_vm);
}

static void details_ioctl(DETAILS_ARGS)
{
	const struct itr_ev_ioctl *io = ev->ioctl;
	const struct ioctl_decoded *d = &ev->io;
	char b[ITR_IOCTL_ARG_LEN + 1];
	int pass, i;

	appendf(buf, len, off, "%s fd %d", d->name, ev->h->ctx.fd);
	/* Labelled fields in struct order, then the sizes ("iova 0x100000 4KiB"). */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < d->n; i++) {
			const struct ioctl_field *f = d->v[i].f;

			if (!f->label || (f->label[0] == '\0') != pass)
				continue;
			appendf(buf, len, off, " %s%s", f->label, *f->label ? " " : "");
			ioctl_value_str(buf, len, off, f->fmt, d->v[i].v);
		}
	}
	if (d->has_str)
		appendf(buf, len, off, " %s", printable(d->str, sizeof(d->str), b, sizeof(b)));
	if (d->status == IOCTL_SHORT)
		appendf(buf, len, off, " short %uB", d->have);
	else if (d->status != IOCTL_OK)
		appendf(buf, len, off, " %s", ioctl_status_str(d->status));
	if (ev->h->flags & ITR_F_LOCKED)
		locked_str(buf, len, off, " ", io->locked_npages, io->locked_vm);
	if (io->latency_ns)
		appendf(buf, len, off, " %s", fmt_ns(b, sizeof(b), io->latency_ns));
}

static void details_locked(DETAILS_ARGS)
{
	locked_str(buf, len, off, "", ev->locked->npages, ev->locked->locked_vm);
}

static void details_join(DETAILS_ARGS)
{
	appendf(buf, len, off, "hwpt %u", ev->join->hwpt_id);
	if (ev->join->ioas_id)
		appendf(buf, len, off, " ioas %u", ev->join->ioas_id);
}

/* A gap: "7 in all: map 3, unmap 4", the cumulative counts since load. */
static void details_lost(DETAILS_ARGS)
{
	const struct itr_ev_lost *l = ev->lost;
	const char *sep = ": ";
	unsigned int k;

	appendf(buf, len, off, "%llu in all", (unsigned long long)l->total);
	for (k = 1; k < ITR_LOST_KINDS; k++) {
		if (!l->by_kind[k])
			continue;
		appendf(buf, len, off, "%s%s %u", sep, kind_name(k) ?: "?", l->by_kind[k]);
		sep = ", ";
	}
}

static void (*const details_fn[])(DETAILS_ARGS) = {
	[ITR_SHAPE_DOMAIN]	= details_domain,
	[ITR_SHAPE_ATTACH]	= details_attach,
	[ITR_SHAPE_MAP]		= details_map,
	[ITR_SHAPE_GROUP]	= details_group,
	[ITR_SHAPE_FAULT]	= details_fault,
	[ITR_SHAPE_IOCTL]	= details_ioctl,
	[ITR_SHAPE_LOCKED]	= details_locked,
	[ITR_SHAPE_JOIN]	= details_join,
	[ITR_SHAPE_FILE]	= details_file,
	[ITR_SHAPE_UNBIND]	= details_unbind,
	[ITR_SHAPE_LOST]	= details_lost,
};

__u32 text_hwpt_of(const struct text_sink *s, __u64 domain_id)
{
	int i;

	for (i = 0; s && domain_id && i < TEXT_NHWPTS; i++)
		if (s->hwpts[i].domain_id == domain_id)
			return s->hwpts[i].hwpt_id;
	return 0;
}

void text_learn(struct text_sink *s, const struct itr_event *ev)
{
	__u64 id = ev->h->domain_id;
	int i;

	if (!id || (ev->kind != ITR_EV_HWPT_DOMAIN && ev->kind != ITR_EV_DOMAIN_FREE))
		return;
	for (i = 0; i < TEXT_NHWPTS; i++)
		if (s->hwpts[i].domain_id == id) {
			if (ev->kind == ITR_EV_HWPT_DOMAIN && s->hwpts[i].hwpt_id == ev->join->hwpt_id)
				return;	/* known already */
			s->hwpts[i].domain_id = 0;
		}
	if (ev->kind == ITR_EV_DOMAIN_FREE)
		return;
	s->hwpts[s->next_hwpt].domain_id = id;
	s->hwpts[s->next_hwpt].hwpt_id = ev->join->hwpt_id;
	s->next_hwpt = (s->next_hwpt + 1) % TEXT_NHWPTS;
}

const char *text_details(const struct itr_event *ev, char *buf, size_t len)
{
	return text_details_sink(NULL, ev, buf, len);
}

const char *text_details_sink(const struct text_sink *s, const struct itr_event *ev,
			      char *buf, size_t len)
{
	size_t off = 0;
	const struct itr_ctx *c = &ev->h->ctx;
	char e[24];

	buf[0] = '\0';
	details_fn[ev->shape](s, ev, buf, len, &off);
	if (!(ev->h->flags & ITR_F_NO_RET) && ev->h->ret < 0)
		appendf(buf, len, &off, "%s%s", off ? " " : "", ret_errno_str(ev->h->ret, e, sizeof(e)));
	else if (!(ev->h->flags & ITR_F_NO_RET) && ev->h->ret)
		appendf(buf, len, &off, "%sret %d", off ? " " : "", ev->h->ret);
	/*
	 * Made inside an ioctl, whose own record comes later (at its exit); a
	 * VFIO file's context is the file's own.
	 */
	if (c->op_id && ev->shape != ITR_SHAPE_IOCTL && ev->shape != ITR_SHAPE_FILE)
		appendf(buf, len, &off, "%s<- %s fd %d", off ? " " : "",
			layer_str(c->layer, e, sizeof(e)), c->fd);
	return buf;
}

int text_event(struct text_sink *s, const struct itr_event *ev)
{
	const struct itr_hdr *h = ev->h;
	char t[24], comm[ITR_COMM_LEN + 1], pid[16], dom[16], ty[16], dev[ITR_DEV_LEN + 1];
	char grp[16], det[192];

	text_learn(s, ev);
	if (!s->header_done) {
		fprintf(s->f, ROW_FMT, "TIME", "COMM", "PID", "KIND", "DOMAIN", "TYPE", "DEV",
			"GROUP", "DETAILS");
		s->header_done = true;
	}
	snprintf(t, sizeof(t), "%.6f", ((long long)(h->ts_ns - s->t0_ns)) / 1e9);
	snprintf(pid, sizeof(pid), "%u", h->tgid);
	if (h->group_id >= 0)
		snprintf(grp, sizeof(grp), "%d", h->group_id);
	else
		snprintf(grp, sizeof(grp), "-");
	fprintf(s->f, ROW_FMT, t, printable(h->comm, ITR_COMM_LEN, comm, sizeof(comm)), pid,
		kind_name(ev->kind), domain_str(h->domain_id, dom, sizeof(dom)),
		h->domain_id ? domain_type_str(h->domain_type, ty, sizeof(ty)) : "-",
		printable(h->dev, ITR_DEV_LEN, dev, sizeof(dev)), grp,
		text_details_sink(s, ev, det, sizeof(det)));
	return ferror(s->f) ? -EIO : 0;
}
