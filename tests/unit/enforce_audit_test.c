// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* An audit record as one JSON line: parsable, escaped, every field named. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>
#include <json-c/json.h>
#include "enforce/enforce.h"

static json_object *line_of(const struct itr_enf_audit *a, const char *rule_name)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	json_object *j;

	cr_assert_not_null(f);
	cr_assert_eq(enforce_audit_line(f, a, rule_name), 0);
	fclose(f);
	cr_assert_gt(len, 0);
	cr_assert_eq(strchr(buf, '\n'), buf + len - 1, "one line, ended by its only newline");
	j = json_tokener_parse(buf);
	cr_assert_not_null(j, "not JSON: %s", buf);
	free(buf);
	return j;
}

static const char *str(json_object *j, const char *path1, const char *path2)
{
	json_object *v;

	cr_assert(json_object_object_get_ex(j, path1, &v), "%s", path1);
	if (path2)
		cr_assert(json_object_object_get_ex(v, path2, &v), "%s.%s", path1, path2);
	return json_object_get_string(v);
}

Test(enforce_audit, denied_map)
{
	struct itr_enf_audit a = {
		.ts_ns = 1, .pid = 11, .tgid = 10, .uid = 1000, .gid = 100, .cgroup_id = 77,
		.op = ITR_ENF_OP_MAP, .tier = ITR_ENF_TIER_IOCTL, .action = ITR_ENF_DENY,
		.verdict = ITR_ENF_V_DENIED, .rule_id = 3, .generation = 2, .rdev = (10u << 20) | 196,
		.cmd = 0x3b71, .iova = 0x40000000, .size = 0x1000, .flags = 3,
	};
	json_object *j;

	strcpy(a.comm, "q\"e\nmu");
	strcpy(a.name, "vfio");
	j = line_of(&a, "low-iova");
	cr_assert_str_eq(str(j, "comm", NULL), "q\"e\nmu", "escaped and read back");
	cr_assert_str_eq(str(j, "pid", NULL), "10");
	cr_assert_str_eq(str(j, "tid", NULL), "11");
	cr_assert_str_eq(str(j, "operation", "name"), "map");
	cr_assert_str_eq(str(j, "operation", "ioctl"), "VFIO_IOMMU_MAP_DMA");
	cr_assert_str_eq(str(j, "operation", "iova"), "0x40000000");
	cr_assert_str_eq(str(j, "object", "dev"), "10:196");
	cr_assert_str_eq(str(j, "rule_id", NULL), "low-iova");
	cr_assert_str_eq(str(j, "verdict", NULL), "denied");
	cr_assert_str_eq(str(j, "tier", NULL), "ioctl");
	cr_assert_str_eq(str(j, "race", NULL), "false");
	json_object_put(j);
}

Test(enforce_audit, race_with_kernel_chosen_iova)
{
	struct itr_enf_audit a = {
		.op = ITR_ENF_OP_MAP, .tier = ITR_ENF_TIER_KERNEL_COPY, .action = ITR_ENF_DENY,
		.verdict = ITR_ENF_V_KILLED, .rule_id = 1, .iova = ITR_ENF_IOVA_ANY, .size = 0x1000,
	};
	json_object *j = line_of(&a, NULL);

	cr_assert_str_eq(str(j, "operation", "iova"), "kernel-chosen");
	cr_assert_str_eq(str(j, "verdict", NULL), "killed");
	cr_assert_str_eq(str(j, "tier", NULL), "kernel-copy");
	cr_assert_str_eq(str(j, "race", NULL), "true");
	cr_assert(!json_object_object_get_ex(j, "rule_id", NULL), "no name given, none written");
	json_object_put(j);
}

/* The pinned-bytes cap's records: the implied operations, their tiers, the limit asked for. */
Test(enforce_audit, memlock_cap)
{
	struct itr_enf_audit a = {
		.ts_ns = 1, .pid = 5, .tgid = 5, .op = ITR_ENF_OP_SET_MEMLOCK,
		.tier = ITR_ENF_TIER_SETRLIMIT, .action = ITR_ENF_DENY, .verdict = ITR_ENF_V_DENIED,
		.rule_id = 1, .size = 0x200000,
	};
	json_object *j = line_of(&a, "tenant-cap");

	cr_assert_str_eq(str(j, "operation", "name"), "set-memlock");
	cr_assert_str_eq(str(j, "operation", "memlock"), "0x200000");
	cr_assert_str_eq(str(j, "tier", NULL), "setrlimit");
	json_object_put(j);
	a.op = ITR_ENF_OP_CAP_IPC_LOCK;
	a.tier = ITR_ENF_TIER_CAPABLE;
	j = line_of(&a, "tenant-cap");
	cr_assert_str_eq(str(j, "operation", "name"), "cap-ipc-lock");
	cr_assert_str_eq(str(j, "tier", NULL), "capable");
	json_object_put(j);
}

/* The object: the file's kind and node, and the device the kernel resolved (name, driver, group). */
Test(enforce_audit, device_object)
{
	struct itr_enf_audit a = {
		.op = ITR_ENF_OP_GET_DEVICE_FD, .tier = ITR_ENF_TIER_IOCTL, .action = ITR_ENF_DENY,
		.verdict = ITR_ENF_V_DENIED, .rule_id = 1, .rdev = (243u << 20) | 2, .cmd = 0x3b6a,
		.class = ITR_ENF_CLASS_GROUP, .iommu_group = 5,
	};
	json_object *j, *obj;

	strcpy(a.name, "5");
	strcpy(a.dev_name, "0000:00:04.0");
	strcpy(a.driver, "vfio-pci");
	j = line_of(&a, "edu");
	cr_assert_str_eq(str(j, "object", "kind"), "group");
	cr_assert_str_eq(str(j, "object", "dev"), "243:2");
	cr_assert_str_eq(str(j, "object", "name"), "5");
	cr_assert_str_eq(str(j, "object", "bdf"), "0000:00:04.0");
	cr_assert_str_eq(str(j, "object", "driver"), "vfio-pci");
	cr_assert_str_eq(str(j, "object", "iommu_group"), "5");
	cr_assert_str_eq(str(j, "operation", "ioctl"), "VFIO_GROUP_GET_DEVICE_FD");
	json_object_put(j);

	/* a name filling its field has no NUL: bounded, not overrun */
	memset(a.dev_name, 'x', sizeof(a.dev_name));
	memset(a.driver, 'y', sizeof(a.driver));
	a.iommu_group = 0;
	a.class = ITR_ENF_CLASS_DEVICE_FD;
	j = line_of(&a, NULL);
	cr_assert_eq(strlen(str(j, "object", "bdf")), ITR_ENF_DEV_NAME_LEN);
	cr_assert_eq(strlen(str(j, "object", "driver")), ITR_ENF_DRIVER_LEN);
	cr_assert_str_eq(str(j, "object", "kind"), "device-fd");
	cr_assert_str_eq(str(j, "object", "iommu_group"), "0", "group 0 is a group");
	json_object_put(j);

	/* no device, no group known (a container's map, the memlock hooks): none written */
	memset(&a, 0, sizeof(a));
	a.op = ITR_ENF_OP_MAP;
	a.class = ITR_ENF_CLASS_CONTAINER;
	a.iommu_group = -1;
	j = line_of(&a, NULL);
	cr_assert_str_eq(str(j, "object", "kind"), "container");
	cr_assert(json_object_object_get_ex(j, "object", &obj));
	cr_assert(!json_object_object_get_ex(obj, "bdf", NULL));
	cr_assert(!json_object_object_get_ex(obj, "driver", NULL));
	cr_assert(!json_object_object_get_ex(obj, "iommu_group", NULL));
	json_object_put(j);
	a.class = 99;
	j = line_of(&a, NULL);
	cr_assert(json_object_object_get_ex(j, "object", &obj));
	cr_assert(!json_object_object_get_ex(obj, "kind", NULL), "an unknown class is not named");
	json_object_put(j);
}

/* GET_DEVICE_FD's race (devfd.bpf.c): the device the kernel resolved, on its group's node. */
Test(enforce_audit, device_fd_race)
{
	struct itr_enf_audit a = {
		.op = ITR_ENF_OP_GET_DEVICE_FD, .tier = ITR_ENF_TIER_KERNEL_COPY, .action = ITR_ENF_DENY,
		.verdict = ITR_ENF_V_KILLED, .rule_id = 1, .rdev = (249u << 20) | 0,
		.class = ITR_ENF_CLASS_GROUP, .iommu_group = 1,
	};
	json_object *j;

	strcpy(a.dev_name, "0000:01:02.0");
	strcpy(a.driver, "vfio-pci");
	j = line_of(&a, "nic-b");
	cr_assert_str_eq(str(j, "operation", "name"), "get-device-fd");
	cr_assert_str_eq(str(j, "race", NULL), "true");
	cr_assert_str_eq(str(j, "verdict", NULL), "killed");
	cr_assert_str_eq(str(j, "object", "bdf"), "0000:01:02.0");
	cr_assert_str_eq(str(j, "object", "dev"), "249:0");
	cr_assert_str_eq(str(j, "object", "kind"), "group");
	json_object_put(j);
}
