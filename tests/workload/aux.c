// SPDX-License-Identifier: GPL-2.0
/*
 * mock-aux-hold: the parent devices for the kernel shim's aux-domain
 * helpers (tests/e2e/checks/94-shim.sh). Two IOMMUFD_TEST mock devices
 * on one IOAS: one with PASID support whose RID is then detached (so the
 * shim may put a domain of its own there: the parent of the aux-domain
 * debates), one without PASID support. Their names (as in
 * /sys/bus/iommufd_mock/devices/) are logged as "mock_hold" (name_pasid,
 * name_plain); the devices stay until stdin closes, then go with their
 * objects. A line "check PASID" on stdin asks the kernel
 * (IOMMU_TEST_OP_PASID_CHECK_HWPT) whether the PASID device's PASID has no
 * domain: logged with "matches".
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "iommufd_test.h"
#include "log.h"
#include "workload.h"

#define MOCK_BUS "/sys/bus/iommufd_mock/devices"

/* The highest N of the iommufd_mockN devices there are now; -1: none. */
static int mock_newest(void)
{
	struct dirent *e;
	int n = -1, v;
	DIR *d = opendir(MOCK_BUS);

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (sscanf(e->d_name, "iommufd_mock%d", &v) == 1 && v > n)
			n = v;
	closedir(d);
	return n;
}

/* Create a mock device and name it: the one that appeared. */
static int mock_named(struct mock_dev *m, int ifd, uint32_t ioas, uint32_t flags, char *name)
{
	int before = mock_newest(), after, err;

	err = mock_dev_create(m, ifd, ioas, flags);
	if (err)
		return err;
	after = mock_newest();
	if (after <= before)
		return log_failf("mock_hold", ENOENT, "no new device in " MOCK_BUS);
	snprintf(name, 32, "iommufd_mock%d", after);
	return 0;
}

int scn_mock_aux_hold(const struct wl_env *env)
{
	char pasid_name[32] = "", plain_name[32] = "", buf[64];
	struct mock_dev mp = {}, mn = {};
	uint32_t ioas = 0;
	const struct log_fail *f;
	struct log_op *o;
	int ifd = -1, err;

	(void)env;
	err = iommufd_open(&ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = mock_named(&mp, ifd, ioas, MOCK_FLAGS_DEVICE_PASID, pasid_name);
	if (!err)
		err = mock_named(&mn, ifd, ioas, 0, plain_name);
	/* the parent's RID free for the shim: iommufd detaches PASID 0, the RID */
	if (!err)
		err = mock_pasid_detach(&mp, 0);
	if (err)
		goto cleanup;
	o = log_begin("mock_hold");
	log_str(o, "name_pasid", pasid_name);
	log_str(o, "name_plain", plain_name);
	log_end(o, 0, 0);
	printf("%s %s\n", pasid_name, plain_name);
	fflush(stdout);
	/* "check PASID": the kernel must have no domain on that PASID now */
	while (!wl_stop && fgets(buf, sizeof(buf), stdin)) {
		unsigned int pasid;

		if (sscanf(buf, "check %u", &pasid) == 1 && mock_pasid_check(&mp, pasid, 0, true) < 0)
			err = -EIO;
	}
cleanup:
	f = log_last_fail();
	if ((err == -ENOTTY || err == -EOPNOTSUPP) && f && !strncmp(f->op, "IOMMU_TEST_OP_", 14))
		err = wl_skip("%s: %s (kernel without the IOMMUFD_TEST mock)", f->op, strerror(-err));
	iommufd_destroy(ifd, &mn.stdev_id, "stdev_id");
	iommufd_destroy(ifd, &mp.stdev_id, "stdev_id");
	iommufd_destroy(ifd, &ioas, "ioas_id");
	fd_close(&ifd, "/dev/iommu");
	return err;
}
