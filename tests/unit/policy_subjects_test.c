// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Executable subjects and device objects (docs/enforce.md, "Executables",
 * "Device objects"): the parser's keys and errors, the compiler's rows
 * (an executable's identity from statx and mountinfo), and matching.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "policy/policy.h"

static struct policy p;
static struct itr_enf_policy k;
static struct policy_err err;
static const struct policy_env env = { .devices = "/nonexistent" };

static int parse(const char *text)
{
	return policy_parse("t.yaml", text, &p, &err);
}

static int build(const char *text)
{
	int r = parse(text);

	cr_assert_eq(r, 0, "%s", err.msg);
	return policy_compile(&p, &env, 0, &k, &err);
}

#define REFUSED(text, want)							\
	do {									\
		cr_assert_eq(parse(text), -EINVAL, "accepted: %s", text);	\
		cr_assert_str_eq(err.msg, want);					\
	} while (0)

Test(policy_subjects, parse_valid)
{
	cr_assert_eq(parse("rules:\n"
			   "  - subject: {exe: /usr/bin/qemu-system-x86_64, uid: 0}\n"
			   "    operations: [open-device, get-device-fd, bind, attach, detach]\n"
			   "    object: {bdf: 0000:00:04.0}\n"
			   "  - operations: get-device-fd\n"
			   "    object: {driver: vfio-pci}\n"
			   "    action: allow\n"), 0, "%s", err.msg);
	cr_assert_eq(p.rules[0].r.match, ITR_ENF_M_EXE | ITR_ENF_M_UID | ITR_ENF_M_BDF);
	cr_assert_str_eq(p.rules[0].exe, "/usr/bin/qemu-system-x86_64");
	cr_assert_eq(p.rules[0].exe_at.line, 2);
	cr_assert_eq(p.rules[0].exe_at.col, 20);
	cr_assert_eq(p.rules[0].r.ops, ITR_ENF_DEVICE_OPS);
	cr_assert_str_eq(p.rules[0].r.dev_name, "0000:00:04.0");
	cr_assert_eq(p.rules[1].r.match, ITR_ENF_M_DRIVER);
	cr_assert_str_eq(p.rules[1].r.driver, "vfio-pci");
}

Test(policy_subjects, parse_errors)
{
	REFUSED("rules:\n  - operations: [open-device]\n    object: {bdf: 00:04.0}\n",
		"t.yaml:3:19: expected a PCI address DDDD:BB:DD.F (lower-case hex, device <= 1f, function <= 7), not '00:04.0'");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {bdf: 0000:00:20.0}\n",
		"t.yaml:3:19: expected a PCI address DDDD:BB:DD.F (lower-case hex, device <= 1f, function <= 7), not '0000:00:20.0'");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {bdf: 0000:00:04.8}\n",
		"t.yaml:3:19: expected a PCI address DDDD:BB:DD.F (lower-case hex, device <= 1f, function <= 7), not '0000:00:04.8'");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {bdf: 0000:0A:04.0}\n",
		"t.yaml:3:19: expected a PCI address DDDD:BB:DD.F (lower-case hex, device <= 1f, function <= 7), not '0000:0A:04.0'");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {bdf: 0000:00:04.0, driver: vfio-pci}\n",
		"t.yaml:3:41: expected one object: node, group, bdf or driver");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {driver: vfio-pci, group: 3}\n",
		"t.yaml:3:39: expected one object: node, group, bdf or driver");
	REFUSED("rules:\n  - operations: [open-device]\n    object: {driver: averyveryveryveryverylongdrivername}\n",
		"t.yaml:3:22: expected a driver name (1 to 31 characters)");
	REFUSED("rules:\n  - operations: [open-group, get-device-fd]\n    object: {bdf: 0000:00:04.0}\n",
		"t.yaml:2:5: expected operations among open-device, get-device-fd, bind, attach, detach, pasid-attach, replace in rule 'rule-1' (a device object)");
	REFUSED("rules:\n  - operations: [map]\n    subject: {exe: qemu}\n",
		"t.yaml:3:20: expected an executable (an absolute path), not 'qemu'");
	REFUSED("rules:\n  - operations: [map]\n    subject: {exe: /bin/true, exe: /bin/false}\n",
		"t.yaml:3:31: key 'exe' given twice in subject");
}

/* The row: (i_ino, s_dev) of the file, s_dev being its mount's MAJ:MIN in mountinfo. */
Test(policy_subjects, compile_exe)
{
	char mi[] = "/tmp/itr-mountinfo-XXXXXX", text[512];
	struct statx stx;
	FILE *f;
	int fd;

	cr_assert_eq(build("rules: [{operations: [open-group], subject: {exe: /proc/self/exe}}]\n"), 0,
		     "%s", err.msg);
	cr_assert_eq(statx(AT_FDCWD, "/proc/self/exe", 0, STATX_INO, &stx), 0);
	cr_assert_eq(k.rules[0].exe_ino, stx.stx_ino);
	cr_assert_neq(k.rules[0].exe_dev, 0);
	cr_assert(k.flags & ITR_ENF_F_EXE);
	cr_assert_not(k.flags & ITR_ENF_F_DEVICE);

	/* the superblock's device is the mount's, not stat's st_dev */
	cr_assert_eq(statx(AT_FDCWD, "/proc/self/exe", 0, STATX_MNT_ID, &stx), 0);
	fd = mkstemp(mi);
	cr_assert_geq(fd, 0);
	f = fdopen(fd, "w");
	fprintf(f, "1 0 8:1 / / rw - ext4 /dev/sda1 rw\n%llu 1 0:123 / /x rw - overlay overlay rw\n",
		(unsigned long long)stx.stx_mnt_id);
	fclose(f);
	cr_assert_eq(parse("rules: [{operations: [open-group], subject: {exe: /proc/self/exe}}]\n"), 0);
	cr_assert_eq(policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent", .mountinfo = mi },
				    0, &k, &err), 0, "%s", err.msg);
	cr_assert_eq(k.rules[0].exe_dev, 123, "0:123 as a kernel dev_t");

	/* errors: a missing path, a directory, a mount not in mountinfo */
	cr_assert_eq(build("rules:\n  - operations: [open-group]\n    subject: {exe: /nonexistent/qemu}\n"),
		     -EINVAL);
	cr_assert_str_eq(err.msg, "t.yaml:3:20: expected an existing executable: /nonexistent/qemu: No such file or directory");
	cr_assert_eq(k.nrules, 0, "nothing half-compiled");
	cr_assert_eq(build("rules: [{operations: [map], subject: {exe: /tmp}}]\n"), -EINVAL);
	cr_assert_str_eq(err.msg, "t.yaml:1:44: expected a regular file (an executable): /tmp");
	f = fopen(mi, "w");
	fclose(f);
	cr_assert_eq(parse("rules: [{operations: [map], subject: {exe: /proc/self/exe}}]\n"), 0);
	cr_assert_eq(policy_compile(&p, &(struct policy_env){ .devices = "/nonexistent", .mountinfo = mi },
				    0, &k, &err), -EINVAL);
	snprintf(text, sizeof(text), "t.yaml:1:44: expected the mount of /proc/self/exe (id %llu) in %s",
		 (unsigned long long)stx.stx_mnt_id, mi);
	cr_assert_str_eq(err.msg, text);
	unlink(mi);
}

static __u32 decide(__u32 op, __u64 exe_ino, __u32 exe_dev, __u32 dev_state, const char *name,
		    const char *driver, __u32 *action)
{
	struct itr_enf_req q = { .op = op, .exe_ino = exe_ino, .exe_dev = exe_dev, .dev_state = dev_state };

	snprintf(q.dev_name, sizeof(q.dev_name), "%s", name);
	snprintf(q.driver, sizeof(q.driver), "%s", driver);
	return policy_decide(&k, &q, NULL, 0, action);
}

Test(policy_subjects, matching)
{
	__u32 a, kn = ITR_ENF_DEV_KNOWN;
	__u64 ino;
	__u32 dev;

	cr_assert_eq(build("default: allow\n"
			   "rules:\n"
			   "  - {operations: [get-device-fd, open-device], object: {bdf: 0000:00:04.0}, action: allow}\n"
			   "  - {operations: [get-device-fd, bind], object: {driver: vfio-pci}}\n"
			   "  - {operations: [open-group], subject: {exe: /proc/self/exe}}\n"), 0, "%s", err.msg);
	cr_assert_eq(k.flags & (ITR_ENF_F_EXE | ITR_ENF_F_DEVICE), ITR_ENF_F_EXE | ITR_ENF_F_DEVICE);
	ino = k.rules[2].exe_ino;
	dev = k.rules[2].exe_dev;
	/* the edu device is allowed first; another vfio-pci device is the driver rule's */
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, kn, "0000:00:04.0", "vfio-pci", &a), 1);
	cr_assert_eq(a, ITR_ENF_ALLOW);
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, kn, "0000:00:05.0", "vfio-pci", &a), 2);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_BIND, 0, 0, kn, "0000:00:04.0", "vfio-pci", &a), 2,
		     "rule 1 does not name bind");
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, kn, "0000:00:05.0", "vfio-pcie", &a), 0,
		     "driver names are exact");
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, kn, "0000:00:04.00", "mdev", &a), 0,
		     "names are exact");
	/* a device not found: the refusing rule matches, the allowing one does not */
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, ITR_ENF_DEV_UNKNOWN, "", "", &a), 2);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_DEVICE, 0, 0, ITR_ENF_DEV_UNKNOWN, "", "", &a), 0);
	/* no device looked up: no device rule matches */
	cr_assert_eq(decide(ITR_ENF_OP_GET_DEVICE_FD, 0, 0, ITR_ENF_DEV_NONE, "0000:00:05.0", "vfio-pci", &a), 0);
	/* the executable: its identity, both halves */
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_GROUP, ino, dev, 0, "", "", &a), 3);
	cr_assert_eq(a, ITR_ENF_DENY);
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_GROUP, ino + 1, dev, 0, "", "", &a), 0, "a copy: another inode");
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_GROUP, ino, dev + 1, 0, "", "", &a), 0, "another filesystem");
	cr_assert_eq(decide(ITR_ENF_OP_OPEN_GROUP, 0, 0, 0, "", "", &a), 0, "no executable (a kernel thread)");
}
