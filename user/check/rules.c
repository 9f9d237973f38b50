// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The rule table: ids (stable), default severities, summaries, the changes
 * each watches and its judge. Sorted by id.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include "check/rules.h"

#define W(x) (1u << MC_##x)

const struct rule rule_table[R_NRULES] = {
	[R_DETACH_AMBIGUOUS] = { "detach-ambiguous", SEV_WARNING,
		"a device's RID was detached from a domain that is also attached to one of its PASIDs: which attachment was meant cannot be told",
		W(RID_DETACH), rule_detach_ambiguous,
		NEED_PASID },
	[R_DETACH_NOT_PROPAGATED] = { "detach-not-propagated", SEV_ERROR,
		"a PASID detach the user asked for (and got success for) never reached the IOMMU core: the PASID's domain is still attached",
		W(PASID_DETACH_REQ), rule_detach_not_propagated,
		NEED_PASID | NEED_OPS },
	[R_DOMAIN_FREED_WITH_MAPPINGS] = { "domain-freed-with-mappings", SEV_ERROR,
		"a domain was freed with IOVA mappings still live (a leak), or its mappings were only torn down by the kernel when the owner's fd was released",
		W(DOMAIN_FREE), rule_domain_freed_with_mappings,
		NEED_MAPS },
	[R_GROUP_CHANGED_DURING_ATTACH] = { "group-changed-during-attach", SEV_WARNING,
		"a device joined or left an IOMMU group while an attach of that group was in flight",
		W(GROUP_MEMBERS) | W(OP_END), rule_group_changed_during_attach,
		NEED_ATTACH | NEED_OPS },
	[R_GROUP_SPLIT] = { "group-split", SEV_ERROR,
		"devices of one IOMMU group are on different domains",
		W(GROUP_DOMAIN), rule_group_split,
		NEED_ATTACH },
	[R_MAP_OVERLAP] = { "map-overlap", SEV_ERROR,
		"a map covered IOVAs that were already mapped in the domain (accepted: error; refused by the kernel: warning)",
		W(MAP_OVERLAP), rule_map_overlap,
		NEED_MAPS },
	[R_PASID_REUSE] = { "pasid-reuse", SEV_ERROR,
		"a PASID was attached to a second domain without a detach or replace (accepted: error; refused: warning)",
		W(PASID_ATTACH), rule_pasid_reuse,
		NEED_PASID },
	[R_PASID_WITHOUT_PARENT] = { "pasid-without-parent", SEV_WARNING,
		"a PASID was attached on a device whose RID has no domain (blocked or detached)",
		W(PASID_ATTACH), rule_pasid_without_parent,
		NEED_ATTACH | NEED_PASID },
	[R_RESERVED_OVERLAP] = { "reserved-overlap", SEV_ERROR,
		"a map (or an attempted map) reached into a reserved IOVA region (MSI window, reserved ranges) of an attached device",
		W(MAP) | W(MAP_REQUEST), rule_reserved_overlap,
		NEED_ATTACH },
	[R_STALE_HWPT_VIEW] = { "stale-hwpt-view", SEV_ERROR,
		"a device's iommufd view still names HWPT A after another device's replace moved the whole group to B",
		W(GROUP_DOMAIN), rule_stale_hwpt_view,
		NEED_ATTACH },
	[R_UNMAP_PARTIAL] = { "unmap-partial", SEV_WARNING,
		"an unmap cut through a mapping, leaving part of it mapped",
		W(UNMAP) | W(OP_END), rule_unmap_partial,
		NEED_MAPS | NEED_OPS },
	[R_UNMAP_SIZE_MISMATCH] = { "unmap-size-mismatch", SEV_WARNING,
		"the kernel unmapped a different number of bytes than the caller asked for",
		W(UNMAP), rule_unmap_size_mismatch,
		NEED_MAPS },
	[R_UNMAP_UNMAPPED] = { "unmap-unmapped", SEV_WARNING,
		"an unmap covered IOVAs that were never mapped (or already unmapped)",
		W(UNMAP), rule_unmap_unmapped,
		NEED_MAPS },
};

static const char *const sev_names[FINDING_NSEV] = { "info", "warning", "error" };

const char *sev_str(enum finding_sev s)
{
	return s < FINDING_NSEV ? sev_names[s] : "?";
}

int sev_parse(const char *s, enum finding_sev *out)
{
	int i;

	for (i = 0; i < FINDING_NSEV; i++)
		if (!strcasecmp(s, sev_names[i])) {
			*out = i;
			return 0;
		}
	return -ENOENT;
}

const char *rule_watches_str(const struct rule *r, char *buf, size_t len)
{
	size_t n = 0;
	int k;

	buf[0] = 0;
	for (k = 0; k < MC_NKINDS; k++)
		if (r->watches & (1u << k))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? ", " : "",
				      model_change_name(k));
	return buf;
}

int rule_find(const char *id)
{
	int lo = 0, hi = R_NRULES - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, c = strcmp(id, rule_table[mid].id);

		if (!c)
			return mid;
		if (c < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -ENOENT;
}
