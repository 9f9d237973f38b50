/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.13, "module: Convert symbol namespace to string literal":
 * MODULE_IMPORT_NS() takes a string; before, a bare token.
 */
#ifndef SHIM_COMPAT_IMPORT_NS_STRING_H
#define SHIM_COMPAT_IMPORT_NS_STRING_H

#include <linux/module.h>

#ifdef SHIM_HAVE_IMPORT_NS_STRING
#define SHIM_IMPORT_IOMMUFD_INTERNAL() MODULE_IMPORT_NS("IOMMUFD_INTERNAL")
#else
#define SHIM_IMPORT_IOMMUFD_INTERNAL() MODULE_IMPORT_NS(IOMMUFD_INTERNAL)
#endif

#endif
