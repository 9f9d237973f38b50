// SPDX-License-Identifier: GPL-2.0
/*
 * iommufd's IOMMUFD_TEST mock devices (IOMMU_TEST_CMD, iommufd_test.h): a
 * device with no hardware behind it, bound to an iommufd and attached like
 * a real one, including at PASIDs. Each test op is logged under its
 * IOMMU_TEST_OP_* name.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "iommufd_test.h"
#include "log.h"
#include "workload.h"

static struct log_op *mock_op(struct mock_dev *m, const char *op)
{
	struct log_op *o = log_begin(op);

	log_int(o, "fd", m->ifd);
	log_int(o, "stdev_id", m->stdev_id);
	log_int(o, "dev_id", m->dev_id);
	return o;
}

/* 0 or the call's errno (positive, for log_end). */
static int test_cmd(int ifd, struct iommu_test_cmd *cmd)
{
	return ioctl(ifd, IOMMU_TEST_CMD, cmd) ? errno : 0;
}

/* A mock device with dev_flags (MOCK_FLAGS_*), bound to ifd and attached
 * to pt_id (an IOAS: an automatic HWPT; or a HWPT). */
int mock_dev_create(struct mock_dev *m, int ifd, uint32_t pt_id, uint32_t dev_flags)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS,
		.id = pt_id,
		.mock_domain_flags = { .dev_flags = dev_flags },
	};
	struct log_op *o = log_begin("IOMMU_TEST_OP_MOCK_DOMAIN_FLAGS");
	int err;

	memset(m, 0, sizeof(*m));
	m->ifd = ifd;
	log_int(o, "fd", ifd);
	log_int(o, "pt_id", pt_id);
	log_int(o, "flags", dev_flags);
	err = test_cmd(ifd, &cmd);
	if (!err) {
		m->stdev_id = cmd.mock_domain_flags.out_stdev_id;
		m->dev_id = cmd.mock_domain_flags.out_idev_id;
		m->hwpt_id = cmd.mock_domain_flags.out_hwpt_id;
		log_int(o, "stdev_id", m->stdev_id);
		log_int(o, "dev_id", m->dev_id);
		log_int(o, "hwpt_id", m->hwpt_id);
	}
	return log_end(o, err ? -1 : 0, err);
}

/* The device's RID (no PASID) moved to pt_id. */
int mock_dev_replace(struct mock_dev *m, uint32_t pt_id)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE,
		.id = m->stdev_id,
		.mock_domain_replace = { .pt_id = pt_id },
	};
	struct log_op *o = mock_op(m, "IOMMU_TEST_OP_MOCK_DOMAIN_REPLACE");
	int err;

	log_int(o, "pt_id", pt_id);
	err = test_cmd(m->ifd, &cmd);
	if (!err) {
		m->hwpt_id = cmd.mock_domain_replace.pt_id;
		log_int(o, "hwpt_id", m->hwpt_id);
	}
	return log_end(o, err ? -1 : 0, err);
}

static int pasid_set(struct mock_dev *m, uint32_t op, const char *name,
		     uint32_t pasid, uint32_t pt_id)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = op,
		.id = m->stdev_id,
		.pasid_attach = { .pasid = pasid, .pt_id = pt_id },
	};
	struct log_op *o = mock_op(m, name);
	int err;

	log_int(o, "pasid", pasid);
	log_int(o, "pt_id", pt_id);
	err = test_cmd(m->ifd, &cmd);
	if (!err)	/* the HWPT the kernel attached (pt_id's own, or an
			 * IOAS's automatic one) */
		log_int(o, "hwpt_id", cmd.pasid_attach.pt_id);
	return log_end(o, err ? -1 : 0, err);
}

int mock_pasid_attach(struct mock_dev *m, uint32_t pasid, uint32_t pt_id)
{
	return pasid_set(m, IOMMU_TEST_OP_PASID_ATTACH, "IOMMU_TEST_OP_PASID_ATTACH",
			 pasid, pt_id);
}

int mock_pasid_replace(struct mock_dev *m, uint32_t pasid, uint32_t pt_id)
{
	return pasid_set(m, IOMMU_TEST_OP_PASID_REPLACE, "IOMMU_TEST_OP_PASID_REPLACE",
			 pasid, pt_id);
}

int mock_pasid_detach(struct mock_dev *m, uint32_t pasid)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_PASID_DETACH,
		.id = m->stdev_id,
		.pasid_detach = { .pasid = pasid },
	};
	struct log_op *o = mock_op(m, "IOMMU_TEST_OP_PASID_DETACH");
	int err;

	log_int(o, "pasid", pasid);
	err = test_cmd(m->ifd, &cmd);
	return log_end(o, err ? -1 : 0, err);
}

/*
 * Ask the kernel whether pasid is attached to hwpt_id (0: to nothing).
 * Returns 1 when it is, 0 when the kernel says it is not (EINVAL, logged
 * with expect_errno when !want), -errno when the question failed.
 */
int mock_pasid_check(struct mock_dev *m, uint32_t pasid, uint32_t hwpt_id, bool want)
{
	struct iommu_test_cmd cmd = {
		.size = sizeof(cmd),
		.op = IOMMU_TEST_OP_PASID_CHECK_HWPT,
		.id = m->stdev_id,
		.pasid_check = { .pasid = pasid, .hwpt_id = hwpt_id },
	};
	struct log_op *o = mock_op(m, "IOMMU_TEST_OP_PASID_CHECK_HWPT");
	int err;

	log_int(o, "pasid", pasid);
	log_int(o, "hwpt_id", hwpt_id);
	log_bool(o, "want", want);
	err = test_cmd(m->ifd, &cmd);
	if (!err || err == EINVAL)
		log_bool(o, "matches", !err);
	if (!want)
		log_expect(EINVAL);
	err = log_end(o, err ? -1 : 0, err);
	if (err == -EINVAL)
		return 0;
	return err ? err : 1;
}
