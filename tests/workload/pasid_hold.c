// SPDX-License-Identifier: GPL-2.0
/*
 * edu-pasid-hold: edu's VFIO cdev bound to an iommufd and attached to an
 * IOAS, held until stdin closes, for the kernel shim's detach check
 * (tests/e2e/checks/94-detach-propagated.sh). Its BDF is printed (and
 * logged as "edu_hold"); a line "detach N" on stdin makes the device fd
 * detach PASID N (VFIO_DEVICE_DETACH_IOMMUFD_PT with
 * VFIO_DEVICE_DETACH_PASID), logged with its return and answered with a
 * line "detached N RET". At the end the RID is detached and the fd closed.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <linux/vfio.h>

#include "log.h"
#include "workload.h"

/* VFIO_DEVICE_DETACH_IOMMUFD_PT of PASID pasid on d's fd; 0 or -errno. */
static int detach_pasid(struct vdev *d, unsigned int pasid)
{
	struct vfio_device_detach_iommufd_pt de = {
		.argsz = sizeof(de),
		.flags = VFIO_DEVICE_DETACH_PASID,
		.pasid = pasid,
	};
	struct log_op *o = log_begin("VFIO_DEVICE_DETACH_IOMMUFD_PT");
	int ret;

	log_str(o, "dev", d->bdf);
	log_int(o, "pasid", pasid);
	ret = ioctl(d->fd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &de);
	return log_end(o, ret, ret ? errno : 0);
}

int scn_edu_pasid_hold(const struct wl_env *env)
{
	struct log_op *o;
	uint32_t ioas = 0;
	char buf[64];
	int ifd = -1, err;
	struct vdev d;

	vdev_init(&d, env->edu);
	err = wl_need(env->edu, "edu");
	if (!err)
		err = pci_require_vfio(d.bdf);
	if (!err)
		err = iommufd_open(&ifd);
	if (!err)
		err = ioas_alloc(ifd, &ioas);
	if (!err)
		err = vdev_open_cdev(&d);
	if (!err)
		err = vdev_bind_iommufd(&d, ifd);
	if (!err)
		err = vdev_attach(&d, ioas, NULL);
	if (err)
		goto cleanup;
	o = log_begin("edu_hold");
	log_str(o, "dev", d.bdf);
	log_end(o, 0, 0);
	printf("%s\n", d.bdf);
	fflush(stdout);
	while (!wl_stop && fgets(buf, sizeof(buf), stdin)) {
		unsigned int pasid;

		if (sscanf(buf, "detach %u", &pasid) == 1) {
			printf("detached %u %d\n", pasid, detach_pasid(&d, pasid));
			fflush(stdout);
		}
	}
	err = vdev_detach(&d);
cleanup:
	vdev_close(&d);
	iommufd_destroy(ifd, &ioas, "ioas_id");
	fd_close(&ifd, "/dev/iommu");
	return err;
}
