// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Group rules (check/group_rules.c): each fires on its sequence and not on its near miss. */
#include "model_fixture.h"

TestSuite(check_group, .init = setup, .fini = teardown);

/* --- stale-hwpt-view ------------------------------------------------------- */

Test(check_group, stale_hwpt_view_fires_when_a_replace_moves_the_group)
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

Test(check_group, stale_hwpt_view_near_miss_other_device_never_attached)
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

Test(check_group, stale_hwpt_view_near_miss_closed_fd_drops_the_view)
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

Test(check_group, stale_hwpt_view_near_miss_unbound_device)
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

Test(check_group, group_split_fires_when_one_device_moves_alone)
{
	two_device_group();
	attach(DEV_A, 1, DB, 20, FILE_A);	/* A alone, no group record */
	attach_pt(DEV_A, FILE_A, 20, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 1);
	cr_assert_eq(first(R_GROUP_SPLIT)->o.group, 1);
}

Test(check_group, group_split_near_miss_whole_group_moves)
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

Test(check_group, group_changed_during_attach_fires)
{
	attach(DEV_A, 1, DA, 30, FILE_A);	/* op 30 in flight */
	group_change(ITR_EV_GROUP_ADD, DEV_C, 1);
	attach(NULL, 1, DA, 30, FILE_A);
	attach_pt(DEV_A, FILE_A, 30, 4, 4);
	cr_assert_eq(count(R_GROUP_CHANGED_DURING_ATTACH), 1);
	cr_assert_str_eq(first(R_GROUP_CHANGED_DURING_ATTACH)->o.dev, DEV_C);
}

Test(check_group, group_changed_during_attach_near_miss_after_the_op)
{
	attach(DEV_A, 1, DA, 30, FILE_A);
	attach(NULL, 1, DA, 30, FILE_A);
	attach_pt(DEV_A, FILE_A, 30, 4, 4);
	now += 1000000;
	group_change(ITR_EV_GROUP_ADD, DEV_C, 1);
	group_change(ITR_EV_GROUP_ADD, DEV_C, 2);
	cr_assert_eq(nfound, 0);
}
