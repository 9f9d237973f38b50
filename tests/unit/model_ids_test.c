// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The model's identities under stress (issue 14, defect 10): a domain at a
 * dead domain's address whose free or allocation was not seen inherits
 * nothing of it and, of unknown origin, is not judged; HWPT ids are per
 * iommufd context, and one process may open several.
 */
#include "model_fixture.h"

#define IFD1	0x1f1ULL	/* two iommufd contexts of one process */
#define IFD2	0x1f2ULL

TestSuite(model_ids, .init = setup, .fini = teardown);

/* An HWPT's domain, made inside an ioctl on iommufd context file. */
static void join_in(__u64 file, int fd, __u64 op, __u32 hwpt, __u32 ioas, __u64 dom)
{
	union rec r;

	base(&r, ITR_EV_HWPT_DOMAIN, op, file);
	r.h.ctx.layer = ITR_LAYER_IOMMUFD;
	r.h.ctx.fd = fd;
	r.h.domain_id = dom;
	r.h.domain_type = ITR_DOM_UNMANAGED;
	r.join.hwpt_id = hwpt;
	r.join.ioas_id = ioas;
	feed(&r);
}

static void destroy_in(__u64 file, int fd, __u64 op, __u32 id)
{
	struct iommu_destroy d = { sizeof(d), id };
	union rec r;

	base(&r, ITR_EV_IOCTL, op, file);
	r.h.ctx.layer = ITR_LAYER_IOMMUFD;
	r.h.ctx.fd = fd;
	r.ioctl.cmd = IOMMU_DESTROY;
	r.ioctl.arg_len = sizeof(d);
	memcpy(r.ioctl.arg_in, &d, sizeof(d));
	memcpy(r.ioctl.arg_out, &d, sizeof(d));
	feed(&r);
}

Test(model_ids, a_domain_after_an_unseen_free_inherits_nothing)
{
	const struct m_domain *d;

	alloc(DA, ITR_DOM_NESTED);
	/* its free is not seen; a paging domain gets its address */
	map(DA, 0x10000, 0x4000, 0);
	map(DA, 0x12000, 0x4000, 0);	/* overlaps: judged only if it were tracked */
	d = domain_find(&M, DA);
	cr_assert_not_null(d);
	cr_assert_eq(d->type, ITR_DOM_UNMANAGED);
	cr_assert_not(d->alloc_seen, "the dead domain's allocation was inherited");
	cr_assert_not(domain_tracked(&M, d));
	cr_assert_eq(M.renewed, 1);
	cr_assert_eq(nfound, 0, "a domain of unknown origin was judged: %s", found[0].msg);
}

Test(model_ids, dma_to_fq_is_the_same_domain)
{
	alloc(DA, ITR_DOM_DMA);
	attach_k(ITR_EV_ATTACH, DEV_A, 1, DA, ITR_DOM_DMA_FQ, 0, 0, 0);
	cr_assert(domain_find(&M, DA)->alloc_seen);
	cr_assert_eq(domain_find(&M, DA)->type, ITR_DOM_DMA_FQ);
	cr_assert_eq(M.renewed, 0);
}

Test(model_ids, a_domain_seen_again_after_its_free_is_of_unknown_origin)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	dfree(DA);
	map(DA, 0x10000, 0x4000, 0);
	map(DA, 0x12000, 0x4000, 0);
	cr_assert_not(domain_find(&M, DA)->alloc_seen);
	cr_assert_eq(nfound, 0);
}

Test(model_ids, another_hwpts_domain_is_another_domain)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	join_in(IFD1, 7, 0x100, 3, 2, DA);
	cr_assert(domain_find(&M, DA)->alloc_seen);
	/* HWPT 3 destroyed unseen, its domain freed unseen; HWPT 9 gets the address */
	join_in(IFD1, 7, 0x101, 9, 2, DA);
	cr_assert_eq(domain_find(&M, DA)->hwpt_id, 9);
	cr_assert_not(domain_find(&M, DA)->alloc_seen);
	cr_assert_eq(M.renewed, 1);
}

Test(model_ids, hwpt_ids_are_per_iommufd_context)
{
	const struct m_hwpt *h1, *h2;

	alloc(DA, ITR_DOM_UNMANAGED);
	alloc(DB, ITR_DOM_UNMANAGED);
	/* one process, two contexts, the same ids in each */
	join_in(IFD1, 7, 0x100, 3, 2, DA);
	join_in(IFD2, 8, 0x200, 3, 2, DB);
	h1 = hwpt_find(&M, IFD1, 3);
	h2 = hwpt_find(&M, IFD2, 3);
	cr_assert_not_null(h1);
	cr_assert_not_null(h2);
	cr_assert_eq(h1->domain_id, DA);
	cr_assert_eq(h2->domain_id, DB);
	cr_assert_eq(M.renewed, 0, "the second context's HWPT 3 renewed the first's domain");
	/* destroying HWPT 3 in the second context leaves the first's */
	destroy_in(IFD2, 8, 0x201, 3);
	cr_assert_null(hwpt_find(&M, IFD2, 3));
	cr_assert_not_null(hwpt_find(&M, IFD1, 3));
	cr_assert_eq(hwpt_find(&M, IFD1, 3)->domain_id, DA);
}

Test(model_ids, a_device_fds_context_is_the_iommufd_it_was_bound_to)
{
	struct vfio_device_bind_iommufd in = { .argsz = sizeof(in), .iommufd = 8 }, out = in;
	struct iommu_destroy d = { sizeof(d), 99 };
	union rec r;

	devopen(DEV_A, FILE_A, 20);
	/* any ioctl on fd 8 tells the model which context fd 8 is */
	base(&r, ITR_EV_IOCTL, 0x300, IFD2);
	r.h.ctx.layer = ITR_LAYER_IOMMUFD;
	r.h.ctx.fd = 8;
	r.h.ret = -ENOENT;
	r.ioctl.cmd = IOMMU_DESTROY;
	r.ioctl.arg_len = sizeof(d);
	memcpy(r.ioctl.arg_in, &d, sizeof(d));
	memcpy(r.ioctl.arg_out, &d, sizeof(d));
	feed(&r);
	out.out_devid = 1;
	ioctl_rec(VFIO_DEVICE_BIND_IOMMUFD, ITR_LAYER_VFIO_DEVICE, 0x301, FILE_A, DEV_A, &in, &out,
		  sizeof(in), 0);
	/* an auto domain's HWPT made inside the device fd's ATTACH_PT */
	alloc(DA, ITR_DOM_UNMANAGED);
	base(&r, ITR_EV_HWPT_DOMAIN, 0x302, FILE_A);
	r.h.domain_id = DA;
	r.h.domain_type = ITR_DOM_UNMANAGED;
	r.join.hwpt_id = 4;
	r.join.ioas_id = 2;
	feed(&r);
	cr_assert_not_null(hwpt_find(&M, IFD2, 4), "the HWPT was not keyed by the device's iommufd");
}

Test(model_ids, an_hwpt_goes_with_its_domain)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	join_in(IFD1, 7, 0x100, 4, 1, DA);	/* an automatic HWPT: never destroyed by id */
	cr_assert_not_null(hwpt_find(&M, IFD1, 4));
	dfree(DA);
	cr_assert_null(hwpt_find(&M, IFD1, 4));
}

/* Closing a container with its group set: the kernel moves the group device by device. */
Test(model_ids, a_kernel_group_move_is_judged_when_done)
{
	two_device_group();
	group_to(1, DA, 0, 0);
	cr_assert_eq(count(R_GROUP_SPLIT), 0, "%s", nfound ? found[0].msg : "");
	attach(DEV_A, 1, DB, 0, 0);
	attach(DEV_B, 1, DB, 0, 0);
	attach(NULL, 1, DB, 0, 0);
	cr_assert_eq(count(R_GROUP_SPLIT), 0, "a half-moved group was judged split: %s",
		     nfound ? found[0].msg : "");
}
