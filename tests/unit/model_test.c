// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model and the checker's rules, driven by synthetic event sequences:
 * for each rule a sequence that must fire and a near miss that must not.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
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
static struct finding found[64];
static int nfound;
static __u64 now = REC_T0;

static void on_finding(void *arg, const struct finding *f)
{
	(void)arg;
	if (nfound < 64)
		found[nfound++] = *f;
}

static void setup(void)
{
	nfound = 0;
	now = REC_T0;
	model_init(&M, NULL, on_finding, NULL);
}

static void teardown(void)
{
	model_fini(&M);
}

TestSuite(model, .init = setup, .fini = teardown);

static int count(enum rule_id r)
{
	int i, n = 0;

	for (i = 0; i < nfound; i++)
		n += found[i].rule == r;
	return n;
}

static const struct finding *first(enum rule_id r)
{
	int i;

	for (i = 0; i < nfound; i++)
		if (found[i].rule == r)
			return &found[i];
	return NULL;
}

/* --- event builders ------------------------------------------------------ */

static void feed(union rec *r)
{
	struct itr_event ev;
	char why[160];

	r->h.ts_ns = (now += 1000);
	cr_assert_eq(event_decode(r, r->h.size, &ev, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(model_feed(&M, &ev), 0);
}

static void base(union rec *r, unsigned int kind, __u64 op, __u64 file)
{
	rec_make(r, kind);
	r->h.ctx = (struct itr_ctx){ op, file, op ? 5 : -1,
				     !op ? 0 : file == FILE_C ? ITR_LAYER_VFIO_CONTAINER : ITR_LAYER_VFIO_DEVICE };
	r->h.tgid = TGID;
}

static void alloc(__u64 dom, __u32 type)
{
	union rec r;

	base(&r, ITR_EV_DOMAIN_ALLOC, 0, 0);
	r.h.domain_id = dom;
	r.h.domain_type = type;
	feed(&r);
}

static void dfree(__u64 dom)
{
	union rec r;

	base(&r, ITR_EV_DOMAIN_FREE, 0, 0);
	r.h.domain_id = dom;
	feed(&r);
}

/* A per-device (dev) or whole-group (dev NULL) attach; kind ATTACH or DETACH. */
static void attach_k(unsigned int kind, const char *dev, __s32 group, __u64 dom, __u32 type,
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

static void attach(const char *dev, __s32 group, __u64 dom, __u64 op, __u64 file)
{
	attach_k(ITR_EV_ATTACH, dev, group, dom, ITR_DOM_UNMANAGED, 0, op, file);
}

/* The group of A and B moved to dom by op. */
static void group_to(__s32 group, __u64 dom, __u64 op, __u64 file)
{
	attach(DEV_A, group, dom, op, file);
	attach(DEV_B, group, dom, op, file);
	attach(NULL, group, dom, op, file);
}

static void map_k(unsigned int kind, __u64 dom, __u64 iova, __u64 size, __u64 done, int ret, __u64 op)
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

static void map(__u64 dom, __u64 iova, __u64 size, __u64 op)
{
	map_k(ITR_EV_MAP, dom, iova, size, size, 0, op);
}

static void unmap(__u64 dom, __u64 iova, __u64 size, __u64 done, __u64 op)
{
	map_k(ITR_EV_UNMAP, dom, iova, size, done, 0, op);
}

static void pasid_ev(unsigned int kind, const char *dev, __u32 pasid, __u64 dom, int ret, __u64 op)
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

static void group_change(unsigned int kind, const char *dev, __s32 group)
{
	union rec r;

	base(&r, kind, 0, 0);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev);
	r.h.group_id = group;
	feed(&r);
}

/* An ioctl record ending operation op on file (of layer), on device dev. */
static void ioctl_rec(__u32 cmd, __u32 layer, __u64 op, __u64 file, const char *dev,
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
	memcpy(r.ioctl.arg_in, in, len);
	memcpy(r.ioctl.arg_out, out, len);
	r.ioctl.latency_ns = 5000;
	feed(&r);
}

static void attach_pt(const char *dev, __u64 file, __u64 op, __u32 pt_in, __u32 pt_out)
{
	struct vfio_device_attach_iommufd_pt in = { sizeof(in), 0, pt_in, 0 }, out = in;

	out.pt_id = pt_out;
	ioctl_rec(VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE, op, file, dev, &in, &out,
		  sizeof(in), 0);
}

static void join(__u32 hwpt, __u32 ioas, __u64 dom)
{
	union rec r;

	base(&r, ITR_EV_HWPT_DOMAIN, 0, 0);
	r.h.domain_id = dom;
	r.join.hwpt_id = hwpt;
	r.join.ioas_id = ioas;
	feed(&r);
}

static void devopen(const char *dev, __u64 file, int fd)
{
	union rec r;

	base(&r, ITR_EV_OPEN, 0, file);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", dev);
	r.h.group_id = 1;
	r.h.ctx.fd = fd;
	r.h.ctx.layer = ITR_LAYER_VFIO_DEVICE;
	feed(&r);
}

/* Group 1 = {A, B}: both device fds open, HWPT 4 (domain DA) and 5 (DB) on IOAS 2. */
static void two_device_group(void)
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

/* --- stale-hwpt-view ------------------------------------------------------- */

Test(model, stale_hwpt_view_fires_when_a_replace_moves_the_group)
{
	const struct finding *f;

	two_device_group();
	cr_assert_eq(nfound, 0, "the attaches themselves are clean");
	group_to(1, DB, 13, FILE_A);		/* A's fd replaces to HWPT 5 */
	attach_pt(DEV_A, FILE_A, 13, 5, 5);
	cr_assert_eq(count(R_STALE_HWPT_VIEW), 1);
	f = first(R_STALE_HWPT_VIEW);
	cr_assert_str_eq(f->o.dev, DEV_B, "the stale one is B, not A");
	cr_assert_str_eq(f->o.dev2, DEV_A, "moved by A");
	cr_assert_eq(f->o.hwpt, 4);
	cr_assert_eq(f->o.hwpt2, 5);
	cr_assert_eq(f->o.domain, DA);
	cr_assert_eq(f->o.domain2, DB);
	cr_assert_eq(f->o.group, 1);
	cr_assert_eq(f->o.fd, 8);
	cr_assert_eq(f->ev_kind, ITR_EV_IOCTL);
	cr_assert_str_eq(f->ev_ioctl, "VFIO_DEVICE_ATTACH_IOMMUFD_PT");
	cr_assert_eq(f->sev, SEV_ERROR);
}

Test(model, stale_hwpt_view_near_miss_other_device_never_attached)
{
	devopen(DEV_A, FILE_A, 7);
	alloc(DA, ITR_DOM_UNMANAGED);
	join(4, 2, DA);
	alloc(DB, ITR_DOM_UNMANAGED);
	join(5, 2, DB);
	group_to(1, DA, 11, FILE_A);
	attach_pt(DEV_A, FILE_A, 11, 4, 4);
	group_to(1, DB, 13, FILE_A);
	attach_pt(DEV_A, FILE_A, 13, 5, 5);
	cr_assert_eq(nfound, 0, "B has no iommufd view to be stale");
}

Test(model, stale_hwpt_view_near_miss_closed_fd_drops_the_view)
{
	union rec r;

	two_device_group();
	base(&r, ITR_EV_CLOSE, 0, FILE_B);
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", DEV_B);
	r.h.ctx.layer = ITR_LAYER_VFIO_DEVICE;
	feed(&r);
	group_to(1, DB, 13, FILE_A);
	attach_pt(DEV_A, FILE_A, 13, 5, 5);
	cr_assert_eq(nfound, 0);
}

Test(model, stale_hwpt_view_near_miss_unbound_device)
{
	union rec r;

	two_device_group();
	base(&r, ITR_EV_UNBIND, 0, 0);	/* B unbound from its iommufd */
	snprintf(r.h.dev, sizeof(r.h.dev), "%s", DEV_B);
	feed(&r);
	group_to(1, DB, 13, FILE_A);
	attach_pt(DEV_A, FILE_A, 13, 5, 5);
	cr_assert_eq(nfound, 0);
}

/* --- group-split ------------------------------------------------------------ */

Test(model, group_split_fires_when_one_device_moves_alone)
{
	two_device_group();
	attach(DEV_A, 1, DB, 20, FILE_A);	/* A alone, no group record */
	attach_pt(DEV_A, FILE_A, 20, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 1);
	cr_assert_eq(first(R_GROUP_SPLIT)->o.group, 1);
}

Test(model, group_split_near_miss_whole_group_moves)
{
	two_device_group();
	group_to(1, DB, 20, FILE_A);
	ioctl_rec(VFIO_DEVICE_ATTACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE, 20, FILE_A, DEV_A,
		  (__u32[]){ 16, 0, 5, 0 }, (__u32[]){ 16, 0, 5, 0 }, 16, 0);
	attach_pt(DEV_B, FILE_B, 21, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 0);
	cr_assert_eq(nfound, 1, "only B's view, stale until it re-attached");
	cr_assert_eq(count(R_STALE_HWPT_VIEW), 1);
}

/* --- group-changed-during-attach ------------------------------------------- */

Test(model, group_changed_during_attach_fires)
{
	attach(DEV_A, 1, DA, 30, FILE_A);	/* op 30 in flight */
	group_change(ITR_EV_GROUP_ADD, DEV_C, 1);
	attach(NULL, 1, DA, 30, FILE_A);
	attach_pt(DEV_A, FILE_A, 30, 4, 4);
	cr_assert_eq(count(R_GROUP_CHANGED_DURING_ATTACH), 1);
	cr_assert_str_eq(first(R_GROUP_CHANGED_DURING_ATTACH)->o.dev, DEV_C);
}

Test(model, group_changed_during_attach_near_miss_after_the_op)
{
	attach(DEV_A, 1, DA, 30, FILE_A);
	attach(NULL, 1, DA, 30, FILE_A);
	attach_pt(DEV_A, FILE_A, 30, 4, 4);
	now += 1000000;
	group_change(ITR_EV_GROUP_ADD, DEV_C, 1);
	group_change(ITR_EV_GROUP_ADD, DEV_C, 2);
	cr_assert_eq(nfound, 0);
}

/* --- reserved-overlap ----------------------------------------------------- */

static void snapshot_msi(void)
{
	json_object *s = json_tokener_parse(
		"{\"groups\":[{\"id\":1,\"type\":\"DMA\",\"devices\":[{\"name\":\"" DEV_A "\",\"driver\":\"vfio-pci\"}],"
		"\"reserved_regions\":[{\"start\":4276092928,\"last\":4277141503,\"type\":\"msi\"}]}]}");

	cr_assert_not_null(s);
	cr_assert_eq(model_snapshot_load(&M, s), 0);
	json_object_put(s);
}

static void container_map(__u64 iova, __u64 size, int ret, __u64 op)
{
	struct vfio_iommu_type1_dma_map dm = { sizeof(dm), 3, 0x7f0000000000ULL, iova, size };

	ioctl_rec(VFIO_IOMMU_MAP_DMA, ITR_LAYER_VFIO_CONTAINER, op, FILE_C, NULL, &dm, &dm, sizeof(dm), ret);
}

static void type1_container(void)
{
	snapshot_msi();
	alloc(DA, ITR_DOM_UNMANAGED);
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DA, ITR_DOM_UNMANAGED, DDEF, 40, FILE_C);
	attach_k(ITR_EV_ATTACH, NULL, 1, DA, ITR_DOM_UNMANAGED, DDEF, 40, FILE_C);
	ioctl_rec(VFIO_SET_IOMMU, ITR_LAYER_VFIO_CONTAINER, 40, FILE_C, NULL, NULL, NULL, 0, 0);
}

Test(model, reserved_overlap_fires_on_a_refused_map_dma)
{
	const struct finding *f;

	type1_container();
	container_map(0xfee00000, 4096, -EINVAL, 41);
	cr_assert_eq(count(R_RESERVED_OVERLAP), 1);
	f = first(R_RESERVED_OVERLAP);
	cr_assert_eq(f->sev, SEV_WARNING, "refused: an attempt");
	cr_assert_eq(f->o.iova, 0xfee00000);
	cr_assert_eq(f->o.group, 1);
	cr_assert_str_eq(f->ev_ioctl, "VFIO_IOMMU_MAP_DMA");
	cr_assert(strstr(f->msg, "msi"), "%s", f->msg);
}

Test(model, reserved_overlap_fires_on_a_core_map_by_a_user_op)
{
	type1_container();
	map(DA, 0xfeeff000, 0x2000, 42);	/* straddles the end of the window */
	cr_assert_eq(count(R_RESERVED_OVERLAP), 1);
	cr_assert_eq(first(R_RESERVED_OVERLAP)->sev, SEV_ERROR);
}

Test(model, reserved_overlap_near_miss_outside_and_msi_doorbell)
{
	type1_container();
	container_map(0xfed00000, 0x100000, 0, 43);	/* ends just below the window */
	map(DA, 0xfed00000, 0x100000, 43);
	map(DA, 0xfef00000, 0x1000, 44);		/* just above it */
	map(DA, 0xfee00000, 0x1000, 0);			/* the kernel's own doorbell */
	cr_assert_eq(nfound, 0);
}

/* --- map-overlap, unmap-* ---------------------------------------------------- */

Test(model, map_overlap_fires)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x2000, 1);
	map(DA, 0x2000, 0x1000, 2);
	cr_assert_eq(count(R_MAP_OVERLAP), 1);
	cr_assert_eq(first(R_MAP_OVERLAP)->sev, SEV_ERROR);
	map_k(ITR_EV_MAP, DA, 0x1000, 0x1000, 0, -EBUSY, 3);
	cr_assert_eq(count(R_MAP_OVERLAP), 2, "a refused overlap is reported too");
}

Test(model, map_overlap_near_miss_adjacent_and_untracked)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x2000, 1);
	map(DA, 0x3000, 0x1000, 2);
	map(DA, 0x0, 0x1000, 2);
	map(DB, 0x1000, 0x1000, 3);	/* DB: allocated before we looked */
	map(DB, 0x1000, 0x1000, 3);
	cr_assert_eq(nfound, 0);
}

Test(model, unmap_unmapped_fires)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	unmap(DA, 0x1000, 0x1000, 0x1000, 3);	/* twice */
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 1);
}

Test(model, unmap_unmapped_near_miss_exact_and_after_loss)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	map(DA, 0x2000, 0x1000, 1);
	unmap(DA, 0x1000, 0x2000, 0x2000, 2);	/* both, whole */
	model_lost(&M, 3, now);
	unmap(DA, 0x8000, 0x1000, 0x1000, 3);	/* unknowable after a loss */
	cr_assert_eq(nfound, 0);
}

/* The ioctl record that ends operation op (an UNMAP_DMA on the container). */
static void end_op(__u64 op)
{
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 0, 0 };

	ioctl_rec(VFIO_IOMMU_UNMAP_DMA, ITR_LAYER_VFIO_CONTAINER, op, FILE_C, NULL, &u, &u, sizeof(u), 0);
}

Test(model, unmap_partial_fires_when_the_operation_leaves_part_mapped)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x0, 0x4000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	cr_assert_eq(count(R_UNMAP_PARTIAL), 0, "judged at the operation's end");
	end_op(2);
	cr_assert_eq(count(R_UNMAP_PARTIAL), 1);
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 0);
	cr_assert_eq(first(R_UNMAP_PARTIAL)->ev_kind, ITR_EV_UNMAP, "named after the cutting unmap");
	map(DA, 0x10000, 0x2000, 0);
	unmap(DA, 0x10000, 0x1000, 0x1000, 0);	/* the kernel's own: at once */
	cr_assert_eq(count(R_UNMAP_PARTIAL), 2);
}

Test(model, unmap_partial_near_miss_piecewise_unmap_in_one_operation)
{
	/* type1's superpage probe at VFIO_SET_IOMMU (6.1, 6.12): map 2 pages, unmap 1 + 1 */
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x0, 0x2000, 5);
	unmap(DA, 0x0, 0x1000, 0x1000, 5);
	unmap(DA, 0x1000, 0x1000, 0x1000, 5);
	end_op(5);
	cr_assert_eq(nfound, 0);
}

Test(model, unmap_size_mismatch_fires_and_near_miss)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x200000, 0x200000, 1);
	unmap(DA, 0x200000, 0x200000, 0x200000, 2);
	cr_assert_eq(nfound, 0);
	map(DA, 0x200000, 0x200000, 3);
	unmap(DA, 0x200000, 0x1000, 0x200000, 4);	/* a superpage went whole */
	cr_assert_eq(count(R_UNMAP_SIZE_MISMATCH), 1);
	cr_assert_eq(count(R_UNMAP_PARTIAL), 0, "the model follows what the kernel did");
}

/* --- domain-freed-with-mappings ------------------------------------------- */

Test(model, domain_freed_with_mappings_leak)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	dfree(DA);
	cr_assert_eq(count(R_DOMAIN_FREED_WITH_MAPPINGS), 1);
	cr_assert_eq(first(R_DOMAIN_FREED_WITH_MAPPINGS)->sev, SEV_ERROR);
	cr_assert(strstr(first(R_DOMAIN_FREED_WITH_MAPPINGS)->msg, "leak"));
}

Test(model, domain_freed_with_mappings_orderly_on_release)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	map(DA, 0x2000, 0x1000, 1);
	unmap(DA, 0x1000, 0x2000, 0x2000, 0);	/* the fd's release */
	dfree(DA);
	cr_assert_eq(count(R_DOMAIN_FREED_WITH_MAPPINGS), 1);
	cr_assert_eq(first(R_DOMAIN_FREED_WITH_MAPPINGS)->sev, SEV_INFO);
	cr_assert(strstr(first(R_DOMAIN_FREED_WITH_MAPPINGS)->msg, "orderly"));
}

Test(model, domain_freed_with_mappings_near_miss_user_unmapped)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	dfree(DA);
	alloc(DB, ITR_DOM_DMA);		/* a DMA-API domain: its maps are not in the stream */
	dfree(DB);
	cr_assert_eq(nfound, 0);
}

/* --- PASID rules ------------------------------------------------------------------ */

Test(model, pasid_reuse_fires)
{
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	cr_assert_eq(count(R_PASID_REUSE), 1);
	cr_assert_eq(first(R_PASID_REUSE)->o.pasid, 3);
}

Test(model, pasid_reuse_near_miss_detach_or_replace)
{
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_DETACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	pasid_ev(ITR_EV_PASID_REPLACE, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 4, DB, 0, 0);
	cr_assert_eq(nfound, 0);
}

Test(model, pasid_without_parent_fires)
{
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DBLK, ITR_DOM_BLOCKED, DDEF, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	cr_assert_eq(count(R_PASID_WITHOUT_PARENT), 1);
}

Test(model, pasid_without_parent_near_miss)
{
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DA, ITR_DOM_UNMANAGED, DDEF, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_B, 3, DB, 0, 0);	/* B: RID unknown */
	cr_assert_eq(nfound, 0);
}

Test(model, detach_ambiguous_fires)
{
	attach(DEV_A, 1, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 50, FILE_A);
	cr_assert_eq(count(R_DETACH_AMBIGUOUS), 1);
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->o.pasid, 3);
}

Test(model, detach_ambiguous_near_miss_pasid_on_another_domain)
{
	attach(DEV_A, 1, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 50, FILE_A);
	cr_assert_eq(nfound, 0);
}

static void detach_pasid_ioctl(__u64 op, __u32 pasid)
{
	struct vfio_device_detach_iommufd_pt d = { sizeof(d), VFIO_DEVICE_DETACH_PASID, pasid };

	ioctl_rec(VFIO_DEVICE_DETACH_IOMMUFD_PT, ITR_LAYER_VFIO_DEVICE, op, FILE_A, DEV_A, &d, &d,
		  sizeof(d), 0);
}

Test(model, detach_not_propagated_fires)
{
	devopen(DEV_A, FILE_A, 7);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 60);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 61, FILE_A);	/* the RID instead */
	detach_pasid_ioctl(61, 3);
	cr_assert_eq(count(R_DETACH_NOT_PROPAGATED), 1);
	cr_assert(strstr(first(R_DETACH_NOT_PROPAGATED)->msg, "default domain"));
}

Test(model, detach_not_propagated_near_miss)
{
	devopen(DEV_A, FILE_A, 7);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 60);
	pasid_ev(ITR_EV_PASID_DETACH, DEV_A, 3, DB, 0, 61);
	detach_pasid_ioctl(61, 3);
	detach_pasid_ioctl(62, 9);	/* a PASID never seen attached: not judged */
	cr_assert_eq(nfound, 0);
}

/* --- the model itself ---------------------------------------------------------- */

Test(model, repeats_are_counted_not_reported)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	unmap(DA, 0x1000, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	cr_assert_eq(nfound, 1);
	cr_assert_eq(M.suppressed, 1);
	cr_assert_eq(M.nfindings[SEV_WARNING], 1);
}

Test(model, free_then_reuse_of_a_domain_id_starts_over)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 1);
	dfree(DA);
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 2);
	cr_assert_eq(nfound, 0);
}

static void mkfile(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert_not_null(f, "%s", path);
	fputs(text, f);
	fclose(f);
}

Test(model, snapshot_reads_a_sysfs_tree_and_round_trips_as_json)
{
	char root[] = "/tmp/itr-sysfs-XXXXXX", p[512], *s;
	json_object *j;
	struct model m2;
	const struct m_device *d;
	const struct m_group *g;

	cr_assert_not_null(mkdtemp(root));
	snprintf(p, sizeof(p), "mkdir -p %s/sys/kernel/iommu_groups/3/devices %s/sys/bus/pci/devices/" DEV_A
		 " %s/sys/bus/pci/drivers/vfio-pci", root, root, root);
	cr_assert_eq(system(p), 0);
	snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/3/type", root);
	mkfile(p, "DMA-FQ\n");
	snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/3/reserved_regions", root);
	mkfile(p, "0x00000000fee00000 0x00000000feefffff msi\n0x0000000000000000 0x0000000000000fff garbage\n");
	snprintf(p, sizeof(p), "%s/sys/kernel/iommu_groups/3/devices/" DEV_A, root);
	cr_assert_eq(symlink("../../../../bus/pci/devices/" DEV_A, p), 0);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/" DEV_A "/iommu_group", root);
	cr_assert_eq(symlink("../../../../kernel/iommu_groups/3", p), 0);
	snprintf(p, sizeof(p), "%s/sys/bus/pci/devices/" DEV_A "/driver", root);
	cr_assert_eq(symlink("../../../../bus/pci/drivers/vfio-pci", p), 0);

	cr_assert_eq(model_snapshot(&M, root), 0);
	d = device_find(&M, DEV_A);
	g = group_find(&M, 3);
	cr_assert_not_null(d);
	cr_assert_not_null(g);
	cr_assert_eq(d->group_id, 3);
	cr_assert_str_eq(d->driver, "vfio-pci");
	cr_assert_str_eq(g->type, "DMA-FQ");
	cr_assert_eq(g->nresv, 2);
	cr_assert_eq(g->resv[0].start, 0xfee00000);
	cr_assert_str_eq(g->resv[0].type, "msi");
	cr_assert(d->known & M_SNAPSHOT);
	cr_assert_eq(d->domain_id, 0, "sysfs does not say which domain");

	j = model_snapshot_json(&M);
	cr_assert_not_null(j);
	model_init(&m2, NULL, NULL, NULL);
	cr_assert_eq(model_snapshot_load(&m2, j), 0);
	cr_assert_str_eq(device_find(&m2, DEV_A)->driver, "vfio-pci");
	cr_assert_eq(group_find(&m2, 3)->nresv, 2);
	cr_assert_eq(group_find(&m2, 3)->resv[0].last, 0xfeefffff);
	model_fini(&m2);
	json_object_put(j);
	snprintf(p, sizeof(p), "rm -rf %s", root);
	cr_assert_eq(system(p), 0);
	s = NULL;
	(void)s;
}

Test(model, snapshot_without_iommu_groups_is_an_error)
{
	cr_assert_eq(model_snapshot(&M, "/nonexistent-root"), -ENOENT);
}

Test(model, snapshot_load_rejects_malformed_json)
{
	json_object *s = json_tokener_parse("{\"groups\":[{\"id\":\"x\"}]}");

	cr_assert_eq(model_snapshot_load(&M, s), -EINVAL);
	json_object_put(s);
	s = json_tokener_parse("[1,2]");
	cr_assert_eq(model_snapshot_load(&M, s), -EINVAL);
	json_object_put(s);
}

Test(model, rule_table_is_sorted_and_complete)
{
	int i;

	for (i = 0; i < R_NRULES; i++) {
		cr_assert_not_null(rule_table[i].id, "rule %d has no id", i);
		cr_assert_eq(rule_find(rule_table[i].id), i);
		if (i)
			cr_assert_lt(strcmp(rule_table[i - 1].id, rule_table[i].id), 0);
	}
	cr_assert_eq(rule_find("no-such-rule"), -ENOENT);
}

Test(model, a_domain_filled_before_its_alloc_record_in_the_same_op_is_tracked)
{
	union rec r;

	map(DA, 0x1000, 0x1000, 70);	/* iommufd fills the new domain ... */
	base(&r, ITR_EV_DOMAIN_ALLOC, 70, FILE_A);	/* ... before the alloc returns */
	r.h.domain_id = DA;
	r.h.domain_type = ITR_DOM_UNMANAGED;
	feed(&r);
	unmap(DA, 0x1000, 0x1000, 0x1000, 71);
	cr_assert_eq(nfound, 0, "the fill's mapping is known");
	unmap(DA, 0x1000, 0x1000, 0x1000, 72);
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 1, "and the domain is judged");
}

Test(model, a_device_joining_a_group_within_the_attaching_op_is_not_a_race)
{
	attach(DEV_A, 1, DA, 80, FILE_A);
	{
		union rec r;

		base(&r, ITR_EV_GROUP_ADD, 80, FILE_A);	/* a mock device made by the op */
		snprintf(r.h.dev, sizeof(r.h.dev), "%s", DEV_C);
		r.h.group_id = 1;
		feed(&r);
	}
	attach(NULL, 1, DA, 80, FILE_A);
	attach_pt(DEV_A, FILE_A, 80, 4, 4);
	cr_assert_eq(nfound, 0);
}
