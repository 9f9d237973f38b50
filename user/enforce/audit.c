// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * An audit record (struct itr_enf_audit) as one JSON line: time, process,
 * uid, cgroup, operation with its decoded arguments, object (the file's
 * kind and node; the VFIO device's name, driver and IOMMU group where the
 * hook knew them), rule, action, verdict and tier (docs/enforce.md shows one).
 */
#include <stdio.h>
#include <time.h>
#include "enforce/enforce.h"
#include "event/ioctl.h"
#include "lib/jsonw.h"

/* The layer whose ioctl table names CMD (VFIO numbers are reused by file). */
static __u32 layer_of(__u32 cmd)
{
	__u32 nr = cmd & 0xff;

	if (nr >= 0x80)
		return ITR_LAYER_IOMMUFD;
	if (nr == 100 + 4 || nr == 100 + 6)
		return ITR_LAYER_VFIO_GROUP;
	if (nr >= 100 + 18)
		return ITR_LAYER_VFIO_DEVICE;
	return ITR_LAYER_VFIO_CONTAINER;
}

/* CLOCK_MONOTONIC ns -> wall clock "YYYY-mm-ddTHH:MM:SS.nnnnnnnnnZ" */
static void wall_time(char *buf, size_t len, __u64 mono_ns)
{
	struct timespec rt, mt;
	__u64 ns;
	time_t sec;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &rt);
	clock_gettime(CLOCK_MONOTONIC, &mt);
	ns = (__u64)rt.tv_sec * 1000000000ULL + rt.tv_nsec -
	     ((__u64)mt.tv_sec * 1000000000ULL + mt.tv_nsec) + mono_ns;
	sec = ns / 1000000000ULL;
	gmtime_r(&sec, &tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02d.%09lluZ", tm.tm_year + 1900, tm.tm_mon + 1,
		 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned long long)(ns % 1000000000ULL));
}

static json_object *hex(__u64 v)
{
	char b[24];

	snprintf(b, sizeof(b), "0x%llx", (unsigned long long)v);
	return json_object_new_string(b);
}

/* enum itr_enf_class, as the audit record names it (the object's "kind") */
static const char *const class_names[] = {
	[ITR_ENF_CLASS_GROUP] = "group",
	[ITR_ENF_CLASS_CONTAINER] = "container",
	[ITR_ENF_CLASS_DEVICE] = "device",
	[ITR_ENF_CLASS_IOMMUFD] = "iommufd",
	[ITR_ENF_CLASS_DEVICE_FD] = "device-fd",
};

/* The object: the file (kind, node, name) and what the kernel said it is (device, IOMMU group). */
static json_object *object_of(const struct itr_enf_audit *a)
{
	json_object *obj = json_object_new_object();
	char b[64];

	if (a->class < sizeof(class_names) / sizeof(class_names[0]) && class_names[a->class])
		jw_str(obj, "kind", class_names[a->class]);
	if (a->rdev) {
		snprintf(b, sizeof(b), "%u:%u", a->rdev >> 20, a->rdev & 0xfffff);
		jw_str(obj, "dev", b);
	}
	snprintf(b, sizeof(b), "%.*s", ITR_ENF_NAME_LEN, a->name);
	if (b[0])
		jw_str(obj, "name", b);
	snprintf(b, sizeof(b), "%.*s", ITR_ENF_DEV_NAME_LEN, a->dev_name);
	if (b[0])
		jw_str(obj, "bdf", b);
	snprintf(b, sizeof(b), "%.*s", ITR_ENF_DRIVER_LEN, a->driver);
	if (b[0])
		jw_str(obj, "driver", b);
	if (a->iommu_group >= 0)
		jw_u64(obj, "iommu_group", (__u64)a->iommu_group);
	return obj;
}

int enforce_audit_line(FILE *f, const struct itr_enf_audit *a, const char *rule_name)
{
	json_object *j = json_object_new_object(), *op;
	const char *s;
	char b[64];

	if (!j)
		return -1;
	wall_time(b, sizeof(b), a->ts_ns);
	jw_str(j, "time", b);
	jw_u64(j, "ts_ns", a->ts_ns);
	jw_u64(j, "pid", a->tgid);
	jw_u64(j, "tid", a->pid);
	snprintf(b, sizeof(b), "%.*s", ITR_ENF_COMM_LEN, a->comm);
	jw_str(j, "comm", b);
	jw_u64(j, "uid", a->uid);
	jw_u64(j, "gid", a->gid);
	jw_u64(j, "cgroup", a->cgroup_id);
	op = json_object_new_object();
	s = policy_op_name(a->op);
	jw_str(op, "name", s ? s : "?");
	if (a->cmd) {
		const struct ioctl_desc *d = ioctl_lookup(a->cmd, layer_of(a->cmd));

		jw_str(op, "ioctl", d ? d->name : "?");
		jw_obj(op, "cmd", hex(a->cmd));
	}
	if (a->op == ITR_ENF_OP_MAP) {
		if (a->iova == ITR_ENF_IOVA_ANY)
			jw_str(op, "iova", "kernel-chosen");
		else
			jw_obj(op, "iova", hex(a->iova));
		jw_obj(op, "size", hex(a->size));
		jw_obj(op, "flags", hex(a->flags));
	}
	/* set-memlock: the limit asked for; over-cap: the one in force; lowered: the cap */
	if (a->op == ITR_ENF_OP_SET_MEMLOCK)
		jw_obj(op, "memlock", hex(a->size));
	jw_obj(j, "operation", op);
	jw_obj(j, "object", object_of(a));
	jw_u64(j, "rule", a->rule_id);
	if (rule_name && rule_name[0])
		jw_str(j, "rule_id", rule_name);
	s = policy_action_name(a->action);
	jw_str(j, "action", s ? s : "?");
	s = policy_verdict_name(a->verdict);
	jw_str(j, "verdict", s ? s : "?");
	s = policy_tier_name(a->tier);
	jw_str(j, "tier", s ? s : "?");
	jw_bool(j, "race", a->tier == ITR_ENF_TIER_KERNEL_COPY);
	jw_u64(j, "generation", a->generation);
	return jw_line(f, j);
}
