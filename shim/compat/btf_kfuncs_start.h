/* SPDX-License-Identifier: GPL-2.0 */
/*
 * 6.9, "bpf: treewide: Annotate BPF kfuncs in BTF": kfunc id sets are
 * declared with BTF_KFUNCS_START/END; before, BTF_SET8_START/END.
 */
#ifndef SHIM_COMPAT_BTF_KFUNCS_START_H
#define SHIM_COMPAT_BTF_KFUNCS_START_H

#include <linux/btf_ids.h>

#ifndef SHIM_HAVE_BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif

#endif
