// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * What the model and checker tests share: a model whose changes go to a
 * checker whose findings are collected, and builders of synthetic event
 * sequences. Included by model_test.c and check_*_test.c.
 */
#ifndef ITR_MODEL_FIXTURE_H
#define ITR_MODEL_FIXTURE_H

#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "check/checker.h"
#include "check/rules.h"
#include "model/model.h"
#include "records.h"

#define DA	0xaa00000000000001ULL	/* domains */
#define DB	0xbb00000000000002ULL
#define DDEF	0xdd00000000000003ULL
#define DBLK	0xee00000000000004ULL
#define FILE_A	0xf1ULL			/* VFIO device files */
#define FILE_B	0xf2ULL
#define FILE_C	0xc0ULL			/* a container */
#define DEV_A	"0000:01:00.0"
#define DEV_B	"0000:01:00.1"
#define DEV_C	"0000:01:00.2"
#define TGID	4320

static struct model M;
static struct checker C;
static struct itr_ev_lost GAP;		/* the counts BPF would send (cumulative) */
static struct lost_seen GAP_SEEN;	/* ... and what the pipeline saw of them */
static struct finding found[64];
static int nfound;
static __u64 now = REC_T0;

static inline void on_finding(void *arg, const struct finding *f)
{
	(void)arg;
	if (nfound < 64)
		found[nfound++] = *f;
}

static inline void setup(void)
{
	nfound = 0;
	now = REC_T0;
	memset(&GAP, 0, sizeof(GAP));
	memset(&GAP_SEEN, 0, sizeof(GAP_SEEN));
	checker_init(&C, on_finding, NULL);
	model_init(&M, NULL, checker_changed, &C);
}

static inline void teardown(void)
{
	model_fini(&M);
	checker_fini(&C);
}

static inline int count(enum rule_id r)
{
	int i, n = 0;

	for (i = 0; i < nfound; i++)
		n += found[i].rule == r;
	return n;
}

static inline const struct finding *first(enum rule_id r)
{
	int i;

	for (i = 0; i < nfound; i++)
		if (found[i].rule == r)
			return &found[i];
	return NULL;
}

/* --- event builders ------------------------------------------------------ */

static inline void feed(union rec *r)
{
	struct itr_event ev;
	char why[160];

	r->h.ts_ns = (now += 1000);
	cr_assert_eq(event_decode(r, r->h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(model_feed(&M, &ev), 0);
}

static inline void base(union rec *r, unsigned int kind, __u64 op, __u64 file)
{
	rec_make(r, kind);
	r->h.ctx = (struct itr_ctx){ op, file, op ? 5 : -1,
				     !op ? 0 : file == FILE_C ? ITR_LAYER_VFIO_CONTAINER : ITR_LAYER_VFIO_DEVICE };
	r->h.tgid = TGID;
}

static inline void alloc(__u64 dom, __u32 type)
{
	union rec r;

	base(&r, ITR_EV_DOMAIN_ALLOC, 0, 0);
	r.h.domain_id = dom;
	r.h.domain_type = type;
	feed(&r);
}

static inline void dfree(__u64 dom)
{
	union rec r;

	base(&r, ITR_EV_DOMAIN_FREE, 0, 0);
	r.h.domain_id = dom;
	feed(&r);
}

/* A per-device (dev) or whole-group (dev NULL) attach; kind ATTACH or DETACH. */
static inline void attach_k(unsigned int kind, const char *dev, __s32 group, __u64 dom, __u32 type,
		     __u64 old, __u64 op, __u64 file)
{
	union rec r;

	base(&r, kind, op, file);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev ?: "");
	r.h.flags = dev ? 0 : ITR_F_GROUP;
	r.h.group_id = group;
	r.h.domain_id = dom;
	r.h.domain_type = type;
	r.attach.old_domain_id = old;
	feed(&r);
}

static inline void attach(const char *dev, __s32 group, __u64 dom, __u64 op, __u64 file)
{
	attach_k(ITR_EV_ATTACH, dev, group, dom, ITR_DOM_UNMANAGED, 0, op, file);
}

/* The group of A and B moved to dom by op. */
static inline void group_to(__s32 group, __u64 dom, __u64 op, __u64 file)
{
	attach(DEV_A, group, dom, op, file);
	attach(DEV_B, group, dom, op, file);
	attach(NULL, group, dom, op, file);
}

static inline void map_k(unsigned int kind, __u64 dom, __u64 iova, __u64 size, __u64 done, int ret, __u64 op)
{
	union rec r;

	base(&r, kind, op, op ? FILE_C : 0);
	r.h.domain_id = dom;
	r.h.domain_type = ITR_DOM_UNMANAGED;
	r.h.ret = ret;
	r.map.iova = iova;
	r.map.size = size;
	r.map.done = done;
	feed(&r);
}

static inline void map(__u64 dom, __u64 iova, __u64 size, __u64 op)
{
	map_k(ITR_EV_MAP, dom, iova, size, size, 0, op);
}

static inline void unmap(__u64 dom, __u64 iova, __u64 size, __u64 done, __u64 op)
{
	map_k(ITR_EV_UNMAP, dom, iova, size, done, 0, op);
}

static inline void pasid_ev(unsigned int kind, const char *dev, __u32 pasid, __u64 dom, int ret, __u64 op)
{
	union rec r;

	base(&r, kind, op, op ? FILE_A : 0);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev);
	r.h.domain_id = kind == ITR_EV_PASID_DETACH ? 0 : dom;
	r.attach.old_domain_id = kind == ITR_EV_PASID_DETACH ? dom : 0;
	r.attach.pasid = pasid;
	r.h.ret = ret;
	feed(&r);
}

static inline void group_change(unsigned int kind, const char *dev, __s32 group)
{
	union rec r;

	base(&r, kind, 0, 0);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev);
	r.h.group_id = group;
	feed(&r);
}

/* An ioctl record ending operation op on file (of layer), on device dev. */
static inline void ioctl_rec(__u32 cmd, __u32 layer, __u64 op, __u64 file, const char *dev,
		      const void *in, const void *out, __u32 len, int ret)
{
	union rec r;

	base(&r, ITR_EV_IOCTL, op, file);
	r.h.ctx.layer = layer;
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev ?: "");
	r.h.ret = ret;
	r.ioctl.cmd = cmd;
	r.ioctl.arg_len = len;
	memset(r.ioctl.arg_in, 0, sizeof(r.ioctl.arg_in));
	memset(r.ioctl.arg_out, 0, sizeof(r.ioctl.arg_out));
	if (len) {	/* in and out may be NULL then: memcpy's arguments may not */
		memcpy(r.ioctl.arg_in, in, len);
		memcpy(r.ioctl.arg_out, out, len);
	}
	r.ioctl.latency_ns = 5000;
	feed(&r);
}

static inline void attach_pt(const char *dev, __u64 file, __u64 op, __u32 pt_in, __u32 pt_out)
{
	struct vfio_device_attach_iommufd_pt in = { sizeof(in), 0, pt_in, 0 }, out = in;

	out.pt_id = pt_out;
	ioctl_rec(VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE, op, file, dev, &in, &out,
		  sizeof(in), 0);
}

static inline void join(__u32 hwpt, __u32 ioas, __u64 dom)
{
	union rec r;

	base(&r, ITR_EV_HWPT_DOMAIN, 0, 0);
	r.h.domain_id = dom;
	r.join.hwpt_id = hwpt;
	r.join.ioas_id = ioas;
	feed(&r);
}

static inline void devopen(const char *dev, __u64 file, int fd)
{
	union rec r;

	base(&r, ITR_EV_OPEN, 0, file);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev);
	r.h.group_id = 1;
	r.h.ctx.fd = fd;
	r.h.ctx.layer = ITR_LAYER_VFIO_DEVICE;
	feed(&r);
}

/* A gap in the stream: n records of kind lost (as the pipeline hands it to the model). */
static inline void gap(unsigned int kind, __u64 n)
{
	struct lost_diff d;

	GAP.total += n;
	GAP.by_kind[kind] += n;
	lost_diff(&GAP_SEEN, &GAP, &d);
	model_gap(&M, &d, now += 1000);
}

/* Group 1 = {A, B}: both device fds open, HWPT 4 (domain DA) and 5 (DB) on IOAS 2. */
static inline void two_device_group(void)
{
	devopen(DEV_A, FILE_A, 7);
	devopen(DEV_B, FILE_B, 8);
	alloc(DA, ITR_DOM_UNMANAGED);
	join(4, 2, DA);
	alloc(DB, ITR_DOM_UNMANAGED);
	join(5, 2, DB);
	group_to(1, DA, 11, FILE_A);		/* A's fd attaches HWPT 4: the group moves */
	attach_pt(DEV_A, FILE_A, 11, 4, 4);
	attach_pt(DEV_B, FILE_B, 12, 4, 4);	/* B joins: the group is there already */
}


#endif
