/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The few pieces of iommufd's test interface (IOMMU_TEST_CMD, served by the
 * IOMMUFD_TEST mock IOMMU) that the iommufd-pasid scenario uses.
 *
 * Mirrors drivers/iommu/iommufd/iommufd_test.h of Linux 7.3.4, a
 * kernel-internal header (not uapi, not installed): written here from
 * reading it, keeping only what is used. The op numbers are positions in
 * the kernel's enum (appended to over time, never renumbered); ops a
 * kernel does not know fail with EOPNOTSUPP, and a kernel without
 * IOMMUFD_TEST fails IOMMU_TEST_CMD itself with ENOTTY.
 */
#ifndef IOMMUTRACE_WORKLOAD_IOMMUFD_TEST_H
#define IOMMUTRACE_WORKLOAD_IOMMUFD_TEST_H

#include <stddef.h>

#include <linux/iommufd.h>
#include <linux/types.h>

/* Values of iommu_test_cmd.op (kernel: the anonymous enum IOMMU_TEST_OP_*). */
enum {
	IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE = 10,
	IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS = 12,
	IOMMU_TEST_OP_PASID_ATTACH = 18,
	IOMMU_TEST_OP_PASID_REPLACE = 19,
	IOMMU_TEST_OP_PASID_DETACH = 20,
	IOMMU_TEST_OP_PASID_CHECK_HWPT = 21,
};

/* mock_domain_flags.dev_flags: the mock device reports a PASID width. */
enum {
	MOCK_FLAGS_DEVICE_PASID = 1 << 2,
};

/* The mock device's PASID width (kernel: MOCK_PASID_WIDTH). */
#define MOCK_PASID_WIDTH 20

/*
 * The kernel's union has more members; __union_size keeps it at the
 * kernel's size, so "last" (the end of the minimum size the kernel
 * accepts) sits where the kernel expects it.
 */
struct iommu_test_cmd {
	__u32 size;
	__u32 op;
	__u32 id;	/* PASID ops and MOCK_DOMAIN_REPLACE: the stdev id */
	__u32 __reserved;
	union {
		struct {
			__u32 out_stdev_id;
			__u32 out_hwpt_id;
			__u32 out_idev_id;	/* the iommufd_device bound */
			__u32 dev_flags;
		} mock_domain_flags;
		struct {
			__u32 pt_id;
		} mock_domain_replace;
		struct {
			__u32 pasid;
			__u32 pt_id;
		} pasid_attach;		/* also PASID_REPLACE */
		struct {
			__u32 pasid;
		} pasid_detach;
		struct {
			__u32 pasid;
			__u32 hwpt_id;	/* 0: check that pasid is detached */
		} pasid_check;
		__aligned_u64 __union_size[6];	/* the kernel's "dirty" member */
	};
	__u32 last;
};
_Static_assert(offsetof(struct iommu_test_cmd, last) == 64,
	       "iommu_test_cmd.last must be where Linux 7.3 has it");
_Static_assert(sizeof(struct iommu_test_cmd) == 72,
	       "iommu_test_cmd must have Linux 7.3's size");

#define IOMMU_TEST_CMD _IO(IOMMUFD_TYPE, IOMMUFD_CMD_BASE + 32)

#endif
