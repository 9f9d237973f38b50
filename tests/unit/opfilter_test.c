// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>
#include <linux/iommufd.h>
#include <linux/vfio.h>
#include "event/opfilter.h"
#include "records.h"

#define CONTAINER_FILE	0xc0c0c0c0c0c0c0c0ULL
#define OTHER_FILE	0x0f0f0f0f0f0f0f0fULL
#define HWPT_DOMAIN	0x4444444444444444ULL

static int parse(struct opfilter *f, int key, const char *arg)
{
	char why[128];
	int err = opfilter_parse(f, key, arg, why, sizeof(why));

	cr_assert(err ? why[0] : !why[0], "%s: '%s'", arg, why);
	return err;
}

/* Run r through f; whether it passed. */
static bool run(struct opfilter *f, union rec *r)
{
	struct itr_event ev;
	char why[160];

	cr_assert_eq(event_decode(r, r->h.size, &ev, why, sizeof(why)), 0, "%s", why);
	return opfilter_match(f, &ev);
}

static void in_ioctl(union rec *r, __s32 fd, __u32 layer, __u64 file)
{
	r->h.ctx = (struct itr_ctx){ REC_OP_ID, file, fd, layer };
}

/* An ioctl record of cmd with argument words (u32) at entry, the same at exit. */
static void ioctl_rec(union rec *r, __u32 cmd, __s32 fd, __u32 layer, __u64 file,
		      const __u32 *words, int n)
{
	rec_make(r, ITR_EV_IOCTL);
	in_ioctl(r, fd, layer, file);
	r->ioctl.cmd = cmd;
	r->ioctl.arg_len = ITR_IOCTL_ARG_LEN;
	memset(r->ioctl.arg_in, 0, sizeof(r->ioctl.arg_in));
	memcpy(r->ioctl.arg_in, words, n * 4);
	memcpy(r->ioctl.arg_out, r->ioctl.arg_in, sizeof(r->ioctl.arg_out));
}

Test(opfilter, options)
{
	struct opfilter f;

	opfilter_init(&f);
	cr_assert_not(opfilter_active(&f));
	cr_assert_eq(parse(&f, OPFILTER_FD, "0"), 0);
	cr_assert_eq(f.fd, 0);
	cr_assert(opfilter_active(&f));
	cr_assert_eq(parse(&f, OPFILTER_IOAS, "4294967295"), 0);
	cr_assert_eq(f.ioas, 4294967295u);
	cr_assert_eq(parse(&f, OPFILTER_HWPT, "3"), 0);
	cr_assert_eq(parse(&f, OPFILTER_CONTAINER, "5"), 0);
	cr_assert_eq(f.container, 5);
	static const struct { int key; const char *arg; } bad[] = {
		{ OPFILTER_FD, "" }, { OPFILTER_FD, "-1" }, { OPFILTER_FD, "3x" },
		{ OPFILTER_FD, "2147483648" }, { OPFILTER_FD, " 3" },
		{ OPFILTER_IOAS, "0" }, { OPFILTER_IOAS, "4294967296" }, { OPFILTER_IOAS, "two" },
		{ OPFILTER_HWPT, "-3" }, { OPFILTER_HWPT, "" },
		{ OPFILTER_CONTAINER, "x" }, { OPFILTER_CONTAINER, "-2" },
		{ 0x999, "1" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(parse(&f, bad[i].key, bad[i].arg), -EINVAL, "%s", bad[i].arg);
}

Test(opfilter, none_passes_everything)
{
	struct opfilter f;
	union rec r;
	unsigned int k;

	opfilter_init(&f);
	for (k = 1; k < ITR_EV_MAX; k++) {
		rec_make(&r, k);
		cr_assert(run(&f, &r), "%s", kind_name(k));
	}
}

Test(opfilter, fd_takes_ioctls_and_what_they_caused)
{
	struct opfilter f;
	union rec r;

	opfilter_init(&f);
	parse(&f, OPFILTER_FD, "3");
	rec_make(&r, ITR_EV_IOCTL);		/* fd 3 */
	cr_assert(run(&f, &r));
	r.h.ctx.fd = 4;
	cr_assert_not(run(&f, &r));
	rec_make(&r, ITR_EV_MAP);		/* outside any ioctl */
	cr_assert_not(run(&f, &r));
	in_ioctl(&r, 3, ITR_LAYER_IOMMUFD, OTHER_FILE);
	cr_assert(run(&f, &r));
}

Test(opfilter, container_by_its_file)
{
	static const __u32 set_container[] = { 5 };
	struct opfilter f;
	union rec r;

	opfilter_init(&f);
	parse(&f, OPFILTER_CONTAINER, "5");
	/* a map made inside VFIO_IOMMU_MAP_DMA on fd 5: its file is learnt */
	rec_make(&r, ITR_EV_MAP);
	in_ioctl(&r, 5, ITR_LAYER_VFIO_CONTAINER, CONTAINER_FILE);
	cr_assert(run(&f, &r));
	/* the same file through another fd number (dup) or none known */
	in_ioctl(&r, -1, ITR_LAYER_VFIO_CONTAINER, CONTAINER_FILE);
	cr_assert(run(&f, &r));
	/* fd 5 of another layer is not a container */
	in_ioctl(&r, 5, ITR_LAYER_IOMMUFD, OTHER_FILE);
	cr_assert_not(run(&f, &r));
	rec_make(&r, ITR_EV_MAP);
	cr_assert_not(run(&f, &r));
	/* a group joining that container */
	ioctl_rec(&r, VFIO_GROUP_SET_CONTAINER, 6, ITR_LAYER_VFIO_GROUP, OTHER_FILE,
		  set_container, 1);
	cr_assert(run(&f, &r));
	r.ioctl.arg_in[0] = 7;
	cr_assert_not(run(&f, &r));
}

Test(opfilter, ioas_follows_its_hwpts_domains)
{
	static const __u32 map[] = { 40, 0, 2 };		/* IOMMU_IOAS_MAP ioas 2 */
	static const __u32 map3[] = { 40, 0, 3 };
	static const __u32 attach[] = { 16, 0, 2 };		/* ATTACH_IOMMUFD_PT pt 2 */
	struct opfilter f;
	union rec r;

	opfilter_init(&f);
	parse(&f, OPFILTER_IOAS, "2");
	ioctl_rec(&r, IOMMU_IOAS_MAP, 3, ITR_LAYER_IOMMUFD, OTHER_FILE, map, 3);
	cr_assert(run(&f, &r));
	ioctl_rec(&r, IOMMU_IOAS_MAP, 3, ITR_LAYER_IOMMUFD, OTHER_FILE, map3, 3);
	cr_assert_not(run(&f, &r));
	/* VFIO_DEVICE_ATTACH_IOMMUFD_PT: pt 2 in, the auto HWPT 4 out */
	ioctl_rec(&r, VFIO_DEVICE_ATTACH_IOMMUFD_PT, 7, ITR_LAYER_VFIO_DEVICE, OTHER_FILE,
		  attach, 3);
	r.ioctl.arg_out[8] = 4;
	cr_assert(run(&f, &r));
	/* IOMMU_IOAS_ALLOC's output */
	rec_make(&r, ITR_EV_IOCTL);	/* out ioas 2 */
	cr_assert(run(&f, &r));
	/* before its hwpt_domain record, the domain is not followed */
	rec_make(&r, ITR_EV_MAP);
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert_not(run(&f, &r));
	rec_make(&r, ITR_EV_HWPT_DOMAIN);	/* hwpt 4 of ioas 2 */
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_MAP);
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_ATTACH);	/* moved away from it */
	r.attach.old_domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_DOMAIN_FREE);
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_MAP);	/* freed: forgotten (the id may come back) */
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert_not(run(&f, &r));
	rec_make(&r, ITR_EV_HWPT_DOMAIN);	/* another IOAS's HWPT */
	r.join.ioas_id = 3;
	cr_assert_not(run(&f, &r));
}

Test(opfilter, hwpt_and_ioas_together)
{
	static const __u32 destroy[] = { 8, 4 };		/* IOMMU_DESTROY 4 */
	struct opfilter f;
	union rec r;

	opfilter_init(&f);
	parse(&f, OPFILTER_HWPT, "4");
	ioctl_rec(&r, IOMMU_DESTROY, 3, ITR_LAYER_IOMMUFD, OTHER_FILE, destroy, 2);
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_HWPT_DOMAIN);	/* hwpt 4 of ioas 2 */
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_UNMAP);
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
	/* both: a record must pass each */
	parse(&f, OPFILTER_IOAS, "9");
	cr_assert_not(run(&f, &r));
	rec_make(&r, ITR_EV_HWPT_DOMAIN);
	r.h.domain_id = HWPT_DOMAIN;
	r.join.ioas_id = 9;
	cr_assert(run(&f, &r));
	rec_make(&r, ITR_EV_UNMAP);
	r.h.domain_id = HWPT_DOMAIN;
	cr_assert(run(&f, &r));
}
