// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* Mapping rules (check/map_rules.c): each fires on its sequence and not on its near miss. */
#include "model_fixture.h"

TestSuite(check_map, .init = setup, .fini = teardown);

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

Test(check_map, reserved_overlap_fires_on_a_refused_map_dma)
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

Test(check_map, reserved_overlap_fires_on_a_core_map_by_a_user_op)
{
	type1_container();
	map(DA, 0xfeeff000, 0x2000, 42);	/* straddles the end of the window */
	cr_assert_eq(count(R_RESERVED_OVERLAP), 1);
	cr_assert_eq(first(R_RESERVED_OVERLAP)->sev, SEV_ERROR);
}

Test(check_map, reserved_overlap_near_miss_outside_and_msi_doorbell)
{
	type1_container();
	container_map(0xfed00000, 0x100000, 0, 43);	/* ends just below the window */
	map(DA, 0xfed00000, 0x100000, 43);
	map(DA, 0xfef00000, 0x1000, 44);		/* just above it */
	map(DA, 0xfee00000, 0x1000, 0);			/* the kernel's own doorbell */
	cr_assert_eq(nfound, 0);
}

/* --- map-overlap, unmap-* ---------------------------------------------------- */

Test(check_map, map_overlap_fires)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x2000, 1);
	map(DA, 0x2000, 0x1000, 2);
	cr_assert_eq(count(R_MAP_OVERLAP), 1);
	cr_assert_eq(first(R_MAP_OVERLAP)->sev, SEV_ERROR);
	map_k(ITR_EV_MAP, DA, 0x1000, 0x1000, 0, -EBUSY, 3);
	cr_assert_eq(count(R_MAP_OVERLAP), 2, "a refused overlap is reported too");
}

Test(check_map, map_overlap_near_miss_adjacent_and_untracked)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x2000, 1);
	map(DA, 0x3000, 0x1000, 2);
	map(DA, 0x0, 0x1000, 2);
	map(DB, 0x1000, 0x1000, 3);	/* DB: allocated before we looked */
	map(DB, 0x1000, 0x1000, 3);
	cr_assert_eq(nfound, 0);
}

Test(check_map, unmap_unmapped_fires)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	unmap(DA, 0x1000, 0x1000, 0x1000, 3);	/* twice */
	cr_assert_eq(count(R_UNMAP_UNMAPPED), 1);
}

Test(check_map, unmap_unmapped_near_miss_exact_and_after_loss)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	map(DA, 0x2000, 0x1000, 1);
	unmap(DA, 0x1000, 0x2000, 0x2000, 2);	/* both, whole */
	gap(ITR_EV_MAP, 3);
	unmap(DA, 0x8000, 0x1000, 0x1000, 3);	/* unknowable after a loss */
	cr_assert_eq(nfound, 0);
}

/* The ioctl record that ends operation op (an UNMAP_DMA on the container). */
static void end_op(__u64 op)
{
	struct vfio_iommu_type1_dma_unmap u = { sizeof(u), 0, 0, 0 };

	ioctl_rec(VFIO_IOMMU_UNMAP_DMA, ITR_LAYER_VFIO_CONTAINER, op, FILE_C, NULL, &u, &u, sizeof(u), 0);
}

Test(check_map, unmap_partial_fires_when_the_operation_leaves_part_mapped)
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

Test(check_map, unmap_partial_near_miss_piecewise_unmap_in_one_operation)
{
	/* type1's superpage probe at VFIO_SET_IOMMU (6.1, 6.12): map 2 pages, unmap 1 + 1 */
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x0, 0x2000, 5);
	unmap(DA, 0x0, 0x1000, 0x1000, 5);
	unmap(DA, 0x1000, 0x1000, 0x1000, 5);
	end_op(5);
	cr_assert_eq(nfound, 0);
}

Test(check_map, unmap_size_mismatch_fires_and_near_miss)
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

Test(check_map, domain_freed_with_mappings_leak)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	dfree(DA);
	cr_assert_eq(count(R_DOMAIN_FREED_WITH_MAPPINGS), 1);
	cr_assert_eq(first(R_DOMAIN_FREED_WITH_MAPPINGS)->sev, SEV_ERROR);
	cr_assert(strstr(first(R_DOMAIN_FREED_WITH_MAPPINGS)->msg, "leak"));
}

Test(check_map, domain_freed_with_mappings_orderly_on_release)
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

Test(check_map, domain_freed_with_mappings_near_miss_user_unmapped)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	map(DA, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	dfree(DA);
	alloc(DB, ITR_DOM_DMA);		/* a DMA-API domain: its maps are not in the stream */
	dfree(DB);
	cr_assert_eq(nfound, 0);
}
