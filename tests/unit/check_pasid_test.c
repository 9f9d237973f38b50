// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* PASID rules (check/pasid_rules.c): each fires on its sequence and not on its near miss. */
#include "model_fixture.h"

TestSuite(check_pasid, .init = setup, .fini = teardown);

/* --- PASID rules ------------------------------------------------------------------ */

Test(check_pasid, pasid_reuse_fires)
{
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	cr_assert_eq(count(R_PASID_REUSE), 1);
	cr_assert_eq(first(R_PASID_REUSE)->o.pasid, 3);
}

Test(check_pasid, pasid_reuse_near_miss_detach_or_replace)
{
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_DETACH, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	pasid_ev(ITR_EV_PASID_REPLACE, DEV_A, 3, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 4, DB, 0, 0);
	cr_assert_eq(nfound, 0);
}

Test(check_pasid, pasid_without_parent_fires)
{
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DBLK, ITR_DOM_BLOCKED, DDEF, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	cr_assert_eq(count(R_PASID_WITHOUT_PARENT), 1);
}

Test(check_pasid, pasid_without_parent_near_miss)
{
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DA, ITR_DOM_UNMANAGED, DDEF, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_B, 3, DB, 0, 0);	/* B: RID unknown */
	cr_assert_eq(nfound, 0);
}

Test(check_pasid, detach_ambiguous_fires)
{
	attach(DEV_A, 1, DA, 0, 0);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DA, 0, 0);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 50, FILE_A);
	cr_assert_eq(count(R_DETACH_AMBIGUOUS), 1);
	cr_assert_eq(first(R_DETACH_AMBIGUOUS)->o.pasid, 3);
}

Test(check_pasid, detach_ambiguous_near_miss_pasid_on_another_domain)
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

Test(check_pasid, detach_not_propagated_fires)
{
	devopen(DEV_A, FILE_A, 7);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 60);
	attach_k(ITR_EV_DETACH, DEV_A, 1, DDEF, ITR_DOM_DMA, DA, 61, FILE_A);	/* the RID instead */
	detach_pasid_ioctl(61, 3);
	cr_assert_eq(count(R_DETACH_NOT_PROPAGATED), 1);
	cr_assert(strstr(first(R_DETACH_NOT_PROPAGATED)->msg, "default domain"));
}

Test(check_pasid, detach_not_propagated_near_miss)
{
	devopen(DEV_A, FILE_A, 7);
	pasid_ev(ITR_EV_PASID_ATTACH, DEV_A, 3, DB, 0, 60);
	pasid_ev(ITR_EV_PASID_DETACH, DEV_A, 3, DB, 0, 61);
	detach_pasid_ioctl(61, 3);
	detach_pasid_ioctl(62, 9);	/* a PASID never seen attached: not judged */
	cr_assert_eq(nfound, 0);
}
