// SPDX-License-Identifier: GPL-2.0
/*
 * iommutrace_shim: auxiliary-domain helpers on today's PASID API (aux.c,
 * driven through a misc device: misc.c) and the kernel's own view as
 * kfuncs (kfunc.c), for iommutrace. docs/shim.md.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/miscdevice.h>

#include "shim.h"
#include "compat/import_ns_string.h"

DEFINE_MUTEX(shim_lock);

void shim_log(const struct shim_logrec *r)
{
	pr_info("op=%s dev=%s domain=%u old=%u pasid=%u iova=%llu length=%llu ret=%d\n",
		r->op, r->dev ? dev_name(r->dev) : "-", r->domain, r->old, r->pasid, r->iova,
		r->length, r->ret);
}

int shim_why(char *msg, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, ITR_SHIM_MSG_LEN, fmt, ap);
	va_end(ap);
	pr_info("refused (%d): %s\n", err, msg);
	return err;
}

static int __init shim_init(void)
{
	int ret = shim_misc_init();

	if (ret)
		return ret;
	shim_kfunc_init();
	pr_info("loaded (abi %d, kfuncs %s)\n", ITR_SHIM_ABI, shim_kfuncs_ok ? "on" : "off");
	return 0;
}

/* No fd is open (each holds a module reference): undo the kept domains. */
static void __exit shim_exit(void)
{
	shim_misc_exit();
	shim_aux_release(NULL);
	pr_info("unloaded\n");
}

module_init(shim_init);
module_exit(shim_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iommutrace shim: aux-domain helpers on the PASID API, kfuncs of the kernel's IOMMU view");
SHIM_IMPORT_IOMMUFD_INTERNAL();
