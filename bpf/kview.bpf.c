// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The kernel's own view for the checker: a syscall program, run by
 * user/source/kview.c with BPF_PROG_TEST_RUN, that asks the kernel shim's
 * kfuncs (shim/kfunc.c) where a device, its PASID and a group really are,
 * and answers in the domain ids records carry (itr_domain_id). The kfuncs
 * are weak: without the shim the program is never loaded (autoload off,
 * switched on by the loader only when the shim's kfuncs are there).
 */
#include "common.bpf.h"

extern __u64 itr_shim_dev_domain(const char *name, __u32 name__sz) __ksym __weak;
extern __u64 itr_shim_dev_pasid_domain(const char *name, __u32 name__sz, __u32 pasid) __ksym __weak;
extern __s32 itr_shim_dev_group(const char *name, __u32 name__sz) __ksym __weak;
extern __u64 itr_shim_group_domain(__s32 group) __ksym __weak;

SEC("?syscall")
int itr_kview(struct itr_kview *q)
{
	char dev[ITR_DEV_LEN];

	__builtin_memcpy(dev, q->dev, sizeof(dev));
	dev[ITR_DEV_LEN - 1] = '\0';
	q->dev_group = -1;
	if (dev[0]) {
		q->dev_domain = itr_domain_id(itr_shim_dev_domain(dev, sizeof(dev)));
		q->dev_group = itr_shim_dev_group(dev, sizeof(dev));
		if (q->pasid)
			q->pasid_domain = itr_domain_id(itr_shim_dev_pasid_domain(dev, sizeof(dev),
										  q->pasid));
	}
	if (q->group >= 0)
		q->group_domain = itr_domain_id(itr_shim_group_domain(q->group));
	q->done = 1;
	return 0;
}
