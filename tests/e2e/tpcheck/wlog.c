// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The workload log's iommufd state, followed op by op: which IOAS each
 * object id is on, which device is attached where, and in which IOMMU
 * group (from sysfs).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tpcheck.h"

int sysfs_group(const char *bdf)
{
	char path[256], link[256];
	ssize_t n;
	const char *slash;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0)
		return -1;
	link[n] = 0;
	slash = strrchr(link, '/');
	return atoi(slash ? slash + 1 : link);
}

/* An object id the log gave under KEY; 0 when absent or out of range. */
int wlog_id(json_object *o, const char *key)
{
	bool ok = true;
	uint64_t v = jnum(o, key, &ok);

	return ok && v < MAX_IDS ? (int)v : 0;
}

bool wlog_ioas_attached(const struct wlog_state *st, int ioas)
{
	int d;

	for (d = 1; d < MAX_IDS; d++)
		if (ioas && st->dev_ioas[d] == ioas)
			return true;
	return false;
}

int wlog_group(json_object *o)
{
	const char *bdf = jstr(o, "bdf");

	return bdf ? sysfs_group(bdf) : -1;
}

void wlog_track(struct wlog_state *st, const char *op, json_object *o)
{
	int id;

	if (!strcmp(op, "scenario_begin")) {
		memset(st, 0, sizeof(*st));
	} else if (!strcmp(op, "IOMMU_IOAS_ALLOC")) {
		if ((id = wlog_id(o, "ioas_id")))
			st->pt_ioas[id] = id;
	} else if (!strcmp(op, "IOMMU_HWPT_ALLOC")) {
		if ((id = wlog_id(o, "hwpt_id")))
			st->pt_ioas[id] = st->pt_ioas[wlog_id(o, "pt_id")];
	} else if (!strcmp(op, "VFIO_DEVICE_ATTACH_IOMMUFD_PT")) {
		int ioas = st->pt_ioas[wlog_id(o, "pt_id")], dev = wlog_id(o, "dev_id");

		st->dev_hwpt[dev] = wlog_id(o, "hwpt_id");
		st->dev_group[dev] = wlog_group(o);

		/* attaching to an IOAS creates a HWPT on it (hwpt_id) */
		if (ioas && (id = wlog_id(o, "hwpt_id")))
			st->pt_ioas[id] = ioas;
		if (!ioas && (id = wlog_id(o, "hwpt_id")))
			ioas = st->pt_ioas[id];
		st->dev_ioas[dev] = ioas;
	} else if (!strcmp(op, "VFIO_DEVICE_DETACH_IOMMUFD_PT")) {
		st->dev_ioas[wlog_id(o, "dev_id")] = 0;
		st->dev_hwpt[wlog_id(o, "dev_id")] = 0;
	}
}

/*
 * An iommufd attach reaches the IOMMU unless another device of the same
 * group is already on the same HWPT: the kernel attaches groups, not
 * devices. Called before wlog_track() records this attach.
 */
bool wlog_attach_reaches_iommu(const struct wlog_state *st, json_object *o)
{
	int dev = wlog_id(o, "dev_id"), hwpt = wlog_id(o, "hwpt_id"), d, group;

	if ((group = wlog_group(o)) < 0)
		return true;
	for (d = 1; d < MAX_IDS; d++)
		if (d != dev && st->dev_hwpt[d] == hwpt && st->dev_group[d] == group)
			return false;
	return true;
}
