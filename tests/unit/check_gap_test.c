// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Gaps in the stream (event/lost.c, model/gap.c, check/gate.c): what a
 * loss record adds, which rules it suspends for which objects, and when
 * they are trusted again. Each sequence would make a finding without the
 * gap (or after trust is back), and must make none while suspended.
 */
#include "model_fixture.h"

TestSuite(check_gap, .init = setup, .fini = teardown);

/* --- the counts ------------------------------------------------------------- */

Test(check_gap, lost_diff_counts_each_loss_once)
{
	struct itr_ev_lost e = {};
	struct lost_seen s = {};
	struct lost_diff d;
	char b[100];

	e.total = 5;
	e.by_kind[ITR_EV_MAP] = 2;
	e.by_kind[ITR_EV_IOCTL] = 2;
	lost_diff(&s, &e, &d);
	cr_assert_eq(d.total, 5);
	cr_assert_eq(d.by_kind[ITR_EV_MAP], 2);
	cr_assert_eq(d.unknown, 1, "one not counted by kind yet");
	cr_assert_str_eq(lost_kinds_str(&d, b, sizeof(b)), "map 2, ioctl 2, of unknown kind 1");
	lost_diff(&s, &e, &d);	/* a second CPU sent the same counts */
	cr_assert_eq(d.total, 0);
	e.total = 7;
	e.by_kind[ITR_EV_MAP] = 3;
	e.by_kind[ITR_EV_UNMAP] = 1;
	lost_diff(&s, &e, &d);
	cr_assert_eq(d.total, 2);
	cr_assert_eq(d.by_kind[ITR_EV_MAP], 1);
	cr_assert_eq(d.by_kind[ITR_EV_UNMAP], 1);
	cr_assert_eq(d.by_kind[ITR_EV_IOCTL], 0);
	cr_assert_eq(d.unknown, 0);
}

Test(check_gap, lost_diff_takes_wrapped_kind_counts)
{
	struct itr_ev_lost e = {};
	struct lost_seen s = { .total = 10 };
	struct lost_diff d;

	s.by_kind[ITR_EV_MAP] = 0xfffffffe;
	e.total = 13;
	e.by_kind[ITR_EV_MAP] = 1;	/* 0xfffffffe + 3, mod 2^32 */
	lost_diff(&s, &e, &d);
	cr_assert_eq(d.by_kind[ITR_EV_MAP], 3);
	cr_assert_eq(d.unknown, 0);
}

/* --- mappings: suspended per domain until it is freed ------------------------ */

Test(check_gap, map_loss_suspends_the_domains_then_a_new_domain_is_judged)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	gap(ITR_EV_UNMAP, 1);			/* maybe the unmap of 0x1000 */
	map(DA, 0x1000, 0x1000, 2);		/* would be map-overlap */
	unmap(DA, 0x9000, 0x1000, 0x1000, 3);	/* would be unmap-unmapped */
	dfree(DA);				/* would be domain-freed-with-mappings */
	cr_assert_eq(nfound, 0);
	cr_assert_eq(C.suspended[R_MAP_OVERLAP], 1);
	cr_assert_eq(C.suspended[R_UNMAP_UNMAPPED], 1);
	cr_assert_eq(C.suspended[R_DOMAIN_FREED_WITH_MAPPINGS], 1);
	cr_assert_eq(M.gaps.domains, 1);
	cr_assert_eq(M.gaps.by_kind[ITR_EV_UNMAP], 1);
	cr_assert_eq(M.lost, 1);
	/* allocated after the gap: every map of it is in the stream */
	alloc(DB, ITR_DOM_UNMANAGED);
	unmap(DB, 0x9000, 0x1000, 0x1000, 4);
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 1);
}

Test(check_gap, a_domain_id_reused_after_a_gap_is_trusted_again)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	gap(ITR_EV_DOMAIN_FREE, 1);		/* DA's free, maybe */
	alloc(DA, ITR_DOM_UNMANAGED);		/* the id again: a new domain */
	unmap(DA, 0x9000, 0x1000, 0x1000, 4);
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 1);
}

Test(check_gap, losses_of_stateless_kinds_suspend_no_mapping_check)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	gap(ITR_EV_LOCKED, 4);
	gap(ITR_EV_FAULT, 1);
	map(DA, 0x1000, 0x1000, 2);
	cr_assert_eq(count(R_MAP_OVERLAP), 1);
	cr_assert_eq(M.gaps.domains, 0);
	cr_assert_eq(M.gaps.n, 2);
}

Test(check_gap, losses_of_unknown_kind_suspend_everything)
{
	struct lost_diff d = { .total = 2, .unknown = 2 };

	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	two_device_group();
	model_gap(&M, &d, now += 1000);
	map(DA, 0x1000, 0x1000, 2);
	cr_assert_eq(nfound, 0);
	cr_assert_eq(M.gaps.domains, 2);
	cr_assert_eq(M.gaps.groups, 1);
	cr_assert_eq(M.gaps.devices, 2);
	cr_assert_eq(M.gaps.pasid_devices, 2);
}

/* --- attachments: suspended per group and device until attached again -------- */

Test(check_gap, attach_loss_suspends_group_split_until_the_group_is_attached)
{
	two_device_group();
	gap(ITR_EV_ATTACH, 1);			/* maybe B moved */
	attach(DEV_A, 1, DB, 20, FILE_A);	/* A alone: B's domain is not known */
	attach_pt(DEV_A, FILE_A, 20, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 0);
	cr_assert_geq(C.suspended[R_GROUP_SPLIT], 1);
	group_to(1, DA, 21, FILE_A);		/* the whole group: known again */
	attach_pt(DEV_A, FILE_A, 21, 4, 4);
	attach(DEV_A, 1, DB, 22, FILE_A);
	attach_pt(DEV_A, FILE_A, 22, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 1);
}

Test(check_gap, map_loss_leaves_attachment_checks_on)
{
	two_device_group();
	gap(ITR_EV_MAP, 10);
	attach(DEV_A, 1, DB, 20, FILE_A);
	attach_pt(DEV_A, FILE_A, 20, 5, 5);
	cr_assert_eq(count(R_GROUP_SPLIT), 1);
	cr_assert_eq(M.gaps.groups, 0);
}

/* --- PASIDs: suspended per device until it leaves its group ---------------- */

Test(check_gap, pasid_loss_suspends_pasid_reuse_until_the_device_leaves)
{
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	gap(ITR_EV_PASID_DETACH, 1);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	cr_assert_eq(count(R_PASID_REUSE), 0);
	cr_assert_eq(C.suspended[R_PASID_REUSE], 1);
	group_change(ITR_EV_GROUP_REMOVE, DEV_A, 1);
	group_change(ITR_EV_GROUP_ADD, DEV_A, 1);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	cr_assert_eq(count(R_PASID_REUSE), 1);
}

/* --- operations: one in flight at a gap is never judged as a whole ---------- */

/* The ioctl record that ends operation op (an UNMAP_DMA on the container). */
static void end_op(__u64 op)
{
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 0, 0 };

	ioctl_rec(VFIO_IOMMU_UNMAP_DMA, ITR_LAYER_VFIO_CONTAINER, op, FILE_C, NULL, &u, &u, sizeof(u), 0);
}

Test(check_gap, an_operation_in_flight_at_a_gap_is_not_judged_at_its_end)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x0, 0x4000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);	/* a cut, held until op 2 ends */
	gap(ITR_EV_IOCTL, 1);			/* maybe the rest of op 2's unmaps */
	end_op(2);
	cr_assert_eq(count(R_UNMAP_PARTIAL), 0);
	cr_assert_eq(C.suspended[R_UNMAP_PARTIAL], 1);
	cr_assert_null(checker_pending(&C, 2, false), "what it held is dropped");
	now += 1000000;				/* op 3 starts well after the gap */
	unmap(DA, 0x2000, 0x1000, 0x1000, 3);	/* ... and is judged */
	end_op(3);
	cr_assert_eq(count(R_UNMAP_PARTIAL), 1);
}
