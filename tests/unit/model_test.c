// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* The model (model/), its snapshot, and the checker: repeats, the rule table. */
#include "model_fixture.h"

TestSuite(model, .init = setup, .fini = teardown);

/* --- the model itself ---------------------------------------------------------- */

Test(model, repeats_are_counted_not_reported)
{
	alloc(DA, ITR_DOM_UNMANAGED);
	unmap(DA, 0x1000, 0x1000, 0x1000, 1);
	unmap(DA, 0x1000, 0x1000, 0x1000, 2);
	cr_assert_eq(nfound, 1);
	cr_assert_eq(C.suppressed, 1);
	cr_assert_eq(C.nfindings[SEV_WARNING], 1);
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
		cr_assert_not_null(rule_table[i].judge, "%s has no judge", rule_table[i].id);
		cr_assert_neq(rule_table[i].watches, 0, "%s watches nothing", rule_table[i].id);
		cr_assert_eq(rule_table[i].watches >> MC_NKINDS, 0, "%s watches no such change",
			     rule_table[i].id);
		cr_assert(rule_table[i].summary && *rule_table[i].summary, "%s has no summary",
			  rule_table[i].id);
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
