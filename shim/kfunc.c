// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own view, as kfuncs for BPF tracing and syscall programs:
 * a device's current domain, the domain on a device's PASID, a device's
 * group, and a group's domain. Domains are returned as their kernel
 * address (0: none), which a BPF program turns into the id its records
 * carry (itr_domain_id() of bpf/common.bpf.h), so the checker can compare
 * what it believes with what the kernel has, at the moment of a finding.
 * Devices are named as in /sys/bus/BUS/devices/ (NAME, NAME__sz: a buffer
 * holding a NUL-terminated name).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/iommu.h>
#include <linux/miscdevice.h>

#include "shim.h"
#include "compat/attach_handle_get.h"
#include "compat/btf_kfuncs_start.h"

#ifndef __bpf_kfunc
#define __bpf_kfunc __used noinline
#endif
#ifndef __bpf_kfunc_start_defs
#define __bpf_kfunc_start_defs()
#define __bpf_kfunc_end_defs()
#endif

bool shim_kfuncs_ok;

/* The device NAME (a reference), or NULL. */
static struct device *kf_dev(const char *name, u32 name__sz)
{
	char buf[ITR_SHIM_DEV_LEN];
	struct kobject *kobj;
	struct device *dev;

	if (!name || !name__sz || strscpy(buf, name, min_t(u32, name__sz, sizeof(buf))) <= 0)
		return NULL;
	kobj = kset_find_obj(shim_misc.this_device->kobj.kset, buf);
	if (!kobj)
		return NULL;
	dev = kobj_to_dev(kobj);
	if (!dev->iommu_group) {
		put_device(dev);
		return NULL;
	}
	return dev;
}

struct kf_group_match {
	int id;
	struct iommu_domain *domain;
};

__bpf_kfunc_start_defs();

/* The domain device NAME is on now (its group's), as an address; 0: none. */
__bpf_kfunc u64 itr_shim_dev_domain(const char *name, u32 name__sz)
{
	struct device *dev = kf_dev(name, name__sz);
	u64 d;

	if (!dev)
		return 0;
	d = (u64)(unsigned long)iommu_get_domain_for_dev(dev);
	put_device(dev);
	return d;
}

/* The domain on PASID of device NAME; 0: none, or unreadable (before 6.11). */
__bpf_kfunc u64 itr_shim_dev_pasid_domain(const char *name, u32 name__sz, u32 pasid)
{
	struct device *dev = kf_dev(name, name__sz);
	u64 d;

	if (!dev)
		return 0;
	d = (u64)(unsigned long)shim_group_pasid_domain(dev->iommu_group, pasid);
	put_device(dev);
	return d;
}

/* The IOMMU group of device NAME; -1: none. */
__bpf_kfunc s32 itr_shim_dev_group(const char *name, u32 name__sz)
{
	struct device *dev = kf_dev(name, name__sz);
	s32 id;

	if (!dev)
		return -1;
	id = iommu_group_id(dev->iommu_group);
	put_device(dev);
	return id;
}

/* The domain of IOMMU group GROUP (found through its members); 0: none. */
__bpf_kfunc u64 itr_shim_group_domain(s32 group)
{
	struct kset *all = shim_misc.this_device->kobj.kset;
	struct iommu_domain *d = NULL;
	struct kobject *k;

	spin_lock(&all->list_lock);
	list_for_each_entry(k, &all->list, entry) {
		struct device *dev = kobj_to_dev(k);

		if (dev->iommu_group && iommu_group_id(dev->iommu_group) == group) {
			d = iommu_get_domain_for_dev(dev);
			break;
		}
	}
	spin_unlock(&all->list_lock);
	return (u64)(unsigned long)d;
}

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(shim_kfunc_ids)
BTF_ID_FLAGS(func, itr_shim_dev_domain)
BTF_ID_FLAGS(func, itr_shim_dev_group)
BTF_ID_FLAGS(func, itr_shim_dev_pasid_domain)
BTF_ID_FLAGS(func, itr_shim_group_domain)
BTF_ID_FLAGS(func, itr_shim_strict_verdict)
BTF_KFUNCS_END(shim_kfunc_ids)

static const struct btf_kfunc_id_set shim_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &shim_kfunc_ids,
};

/*
 * Without module BTF the kfuncs are missing; the aux helpers still work.
 * Some kernels (6.1) register a set of a module that has no BTF and return
 * 0, yet no program can name those kfuncs: the BTF itself is the test.
 */
static bool shim_has_btf(void)
{
#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	return THIS_MODULE->btf_data_size > 0;
#else
	return false;
#endif
}

int shim_kfunc_init(void)
{
	int ret;

	if (!shim_has_btf()) {
		pr_warn("kfuncs not registered: the module was built without BTF (no vmlinux beside its kernel headers)\n");
		return 0;
	}
	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_TRACING, &shim_kfunc_set);

	if (!ret)
		ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_SYSCALL, &shim_kfunc_set);
	shim_kfuncs_ok = !ret;
	if (ret)
		pr_warn("kfuncs not registered (%d): no module BTF?\n", ret);
	return 0;
}
