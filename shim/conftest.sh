#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shim/conftest.sh KDIR: the kernel changes the shim's compat wrappers
# cover (shim/compat/*.h), found in KDIR's headers and Module.symvers, as
# -D flags for the build. Each flag is named after the change it covers.
# Headers are looked for in KDIR, its source tree (a build tree's
# "source"), and the tree its Makefile includes (Debian's -common).
k=$1
common=$(sed -n 's|^include \(.*\)/Makefile$|\1|p' "$k/Makefile" 2>/dev/null | head -n1)
hdr() { # include/linux/X.h: the first that exists
	for d in "$k" "$k/source" "$common"; do
		[ -n "$d" ] && [ -e "$d/$1" ] && { echo "$d/$1"; return; }
	done
	echo /dev/null
}
h=$(hdr include/linux/iommu.h)
b=$(hdr include/linux/btf_ids.h)
m=$(hdr include/linux/module.h)
have() { echo "-DSHIM_HAVE_$1"; }
grep -q 'iommu_attach_device_pasid' "$h" && have ATTACH_DEVICE_PASID          # 6.2
grep -q 'struct iommu_attach_handle \*handle' "$h" && have PASID_ATTACH_HANDLE # 6.11
grep -q 'iommu_paging_domain_alloc' "$h" && have PAGING_DOMAIN_ALLOC          # 6.11
grep -q 'iommu_alloc_global_pasid' "$h" && have GLOBAL_PASID                  # 6.6
grep -A1 'int iommu_map(struct iommu_domain' "$h" | grep -q 'gfp_t gfp' && have MAP_GFP # 6.3
grep -A2 '(\*set_dev_pasid)' "$h" | grep -q 'struct iommu_domain \*old' && have SET_DEV_PASID_OLD # 6.14
grep -qw 'iommu_replace_device_pasid' "$k/Module.symvers" 2>/dev/null && have REPLACE_DEVICE_PASID # 6.15
grep -qw 'iommu_attach_handle_get' "$k/Module.symvers" 2>/dev/null && have ATTACH_HANDLE_GET # 6.11
grep -q 'BTF_KFUNCS_START' "$b" && have BTF_KFUNCS_START                    # 6.9
grep -q 'define MODULE_IMPORT_NS(ns)[[:space:]]*MODULE_INFO(import_ns, ns)' "$m" && have IMPORT_NS_STRING # 6.13
exit 0
