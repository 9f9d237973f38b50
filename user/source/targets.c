// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The probe table (user/targets.h): one row per hooked kernel function or
 * tracepoint, grouped by what they report; inside a group the rows of one
 * alternative come first, in order of preference, then the others sorted
 * by name. Kernel versions, signatures and gaps: docs/targets.md.
 */
#include <stddef.h>
#include "source/targets.h"

#define NX TGT_NEEDS_EXIT

const struct target itr_targets[] = {
	/* domains: bpf/domain.bpf.c */
	{ "__iommu_paging_domain_alloc_flags", NULL, "dom_alloc_flags", TGT_FUNC, NX, "dom_alloc",
	  "domain allocation by the core (7.x): type, device" },
	{ "__iommu_domain_alloc", NULL, "dom_alloc", TGT_FUNC, NX, "dom_alloc",
	  "domain allocation by the core (6.1, 6.12): type, device (6.12)" },
	{ "iommu_domain_alloc", NULL, "dom_alloc_bus", TGT_FUNC, NX, NULL,
	  "domain allocation for a bus (6.1, 6.12; inlines the core's)" },
	{ "iommu_domain_free", NULL, "dom_free", TGT_FUNC, 0, NULL,
	  "domain free" },
	{ "iommu_paging_domain_alloc", NULL, "dom_alloc_paging", TGT_FUNC, NX, NULL,
	  "paging domain allocation for a device (6.12; inlines the core's)" },
	{ "iommu_paging_domain_alloc_flags", NULL, "dom_alloc_paging_flags", TGT_FUNC, NX, NULL,
	  "paging domain allocation for a device, with flags (7.x)" },
	{ "iommufd_hwpt_paging_alloc", NULL, "dom_alloc_hwpt", TGT_FUNC, NX, NULL,
	  "iommufd HWPT paging domain allocation: type, device" },

	/* attach, detach, replace: bpf/attach.bpf.c */
	{ "__iommu_attach_device", NULL, "attach_dev", TGT_FUNC, NX, "attach_dev",
	  "a device's domain change: old and new domain, ret" },
	{ "__iommu_device_set_domain", NULL, "attach_dev_set", TGT_FUNC, NX, "attach_dev",
	  "a device's domain change (6.12, 7.x; if __iommu_attach_device is inlined)" },
	{ "__iommu_group_set_domain_internal", NULL, "group_set_internal", TGT_FUNC, NX, "group_set",
	  "a group's domain change (6.12, 7.x): detach, replace, DMA ownership" },
	{ "__iommu_group_set_domain", NULL, "group_set", TGT_FUNC, NX, "group_set",
	  "a group's domain change (6.1): detach, DMA ownership" },
	{ "__iommu_attach_group", NULL, "attach_group", TGT_FUNC, NX, NULL,
	  "a group attach (iommu_attach_group, iommu_attach_device)" },

	/* PASID: bpf/attach.bpf.c */
	{ "__iommu_set_group_pasid", NULL, "pasid_set", TGT_FUNC, 0, NULL,
	  "the domain a PASID replace replaces (7.x)" },
	{ "iommu_attach_device_pasid", NULL, "pasid_attach", TGT_FUNC, NX, NULL,
	  "PASID attach (6.12, 7.x): device, pasid, domain, ret" },
	{ "iommu_detach_device_pasid", NULL, "pasid_detach", TGT_FUNC, 0, NULL,
	  "PASID detach (6.12, 7.x): device, pasid, domain" },
	{ "iommu_replace_device_pasid", NULL, "pasid_replace", TGT_FUNC, NX, NULL,
	  "PASID replace (7.x): device, pasid, old and new domain, ret" },

	/* map, unmap: bpf/map.bpf.c */
	{ "iommu_map_nosync", NULL, "map_nosync", TGT_FUNC, NX, "map",
	  "map (7.x; iommu_map, iommu_map_sg and the DMA API call it)" },
	{ "iommu_map", NULL, "map", TGT_FUNC, NX, "map",
	  "map: iova, paddr, size, prot, ret, latency" },
	{ "iommu_map_atomic", NULL, "map_atomic", TGT_FUNC, NX, NULL,
	  "map in atomic context (6.1; later: iommu_map with gfp)" },
	{ "iommu_map_sg", NULL, "map_sg", TGT_FUNC, NX, NULL,
	  "scatterlist map: iova, first paddr, nents, bytes mapped, latency" },
	{ "iommu_map_sg_atomic", NULL, "map_sg_atomic", TGT_FUNC, NX, NULL,
	  "scatterlist map in atomic context (6.1)" },
	{ "iommu_unmap", NULL, "unmap", TGT_FUNC, NX, NULL,
	  "unmap: iova, size, bytes unmapped, latency" },
	{ "iommu_unmap_fast", NULL, "unmap_fast", TGT_FUNC, NX, NULL,
	  "unmap without IOTLB sync (VFIO type1, DMA API)" },

	/* group membership: bpf/group.bpf.c */
	{ "iommu_group_alloc_device", NULL, "group_alloc_dev", TGT_FUNC, NX, "group_add",
	  "a device joins a group (6.12, 7.x: probe and iommu_group_add_device)" },
	{ "iommu_group_add_device", NULL, "group_add", TGT_FUNC, NX, "group_add",
	  "a device joins a group (6.1)" },
	{ "__iommu_group_remove_device", NULL, "group_remove_int", TGT_FUNC, 0, "group_remove",
	  "a device leaves its group (6.12, 7.x: removal and release)" },
	{ "iommu_group_remove_device", NULL, "group_remove", TGT_FUNC, 0, "group_remove",
	  "a device leaves its group (6.1)" },

	/* faults: bpf/fault.bpf.c */
	{ "report_iommu_fault", NULL, "fault_report", TGT_FUNC, NX, "fault",
	  "translation fault report: domain, device, iova, flags, handler ret" },
	{ "io_page_fault", NULL, "fault", TGT_TP, 0, "fault",
	  "tracepoint iommu:io_page_fault: device, iova, flags" },
	{ "dmar_fault", NULL, "fault_dmar", TGT_FUNC, 0, NULL,
	  "Intel VT-d fault interrupt: requester, iova, reason, read/write" },
	{ "iommu_report_device_fault", NULL, "fault_dev", TGT_FUNC, NX, NULL,
	  "recoverable (PRI/IOPF) fault: device, address, ret" },

	/*
	 * VFIO and iommufd: bpf/ioctl.bpf.c, bpf/locked.bpf.c, bpf/hwpt.bpf.c,
	 * bpf/file.bpf.c, bpf/bind.bpf.c.
	 * VFIO is a module on Debian kernels ("vfio", "vfio_iommu_type1"),
	 * built in on the iommufd test kernel, where these rows use kprobes.
	 */
	{ "__x64_sys_ioctl", NULL, "sys_ioctl", TGT_FUNC, 0, NULL,
	  "the ioctl syscall: the caller's fd for the dispatchers below" },
	{ "__x64_sys_open", NULL, "file_sys_open", TGT_FUNC, NX, NULL,
	  "the open syscall's exit: the fd of a VFIO container or device cdev open" },
	{ "__x64_sys_openat", NULL, "file_sys_openat", TGT_FUNC, NX, NULL,
	  "the openat syscall's exit: the fd of a VFIO container or device cdev open" },
	{ "__x64_sys_openat2", NULL, "file_sys_openat2", TGT_FUNC, NX, NULL,
	  "the openat2 syscall's exit: the fd of a VFIO container or device cdev open" },
	{ "iommufd_device_unbind", NULL, "unbind", TGT_FUNC, 0, NULL,
	  "a device unbound from its iommufd context: device, dev id, context" },
	{ "iommufd_fops_ioctl", NULL, "ioctl_iommufd", TGT_FUNC, NX, NULL,
	  "iommufd ioctl (/dev/iommu, VFIO compat): cmd, argument, ret, latency" },
	{ "iommufd_hwpt_paging_alloc", NULL, "hwpt_join", TGT_FUNC, NX, NULL,
	  "iommufd HWPT -> domain: HWPT id, IOAS id, domain" },
	{ "vfio_device_fops_cdev_open", "vfio", "devfd_cdev_open", TGT_FUNC, NX, NULL,
	  "VFIO device cdev open (6.6+): device, file (fd at the syscall's exit)" },
	{ "vfio_device_fops_release", "vfio", "devfd_release", TGT_FUNC, 0, NULL,
	  "VFIO device file release (last close): device, file" },
	{ "vfio_device_fops_unl_ioctl", "vfio", "ioctl_vfio_device", TGT_FUNC, NX, NULL,
	  "VFIO device fd ioctl: cmd, argument, ret, latency" },
	{ "vfio_fops_open", "vfio", "container_open", TGT_FUNC, NX, NULL,
	  "VFIO container open (/dev/vfio/vfio): file (fd at the syscall's exit)" },
	{ "vfio_fops_release", "vfio", "container_release", TGT_FUNC, 0, NULL,
	  "VFIO container file release (last close): file" },
	{ "vfio_fops_unl_ioctl", "vfio", "ioctl_vfio_container", TGT_FUNC, NX, NULL,
	  "VFIO container ioctl (/dev/vfio/vfio): cmd, argument, ret, latency" },
	{ "vfio_group_fops_unl_ioctl", "vfio", "ioctl_vfio_group", TGT_FUNC, NX, NULL,
	  "VFIO group ioctl (/dev/vfio/N): cmd, argument, ret, latency" },
	{ "vfio_lock_acct", "vfio_iommu_type1", "lock_acct", TGT_FUNC, NX, NULL,
	  "VFIO type1 pinned-page accounting: pages, locked_vm" },

	/* exact totals of the iommu tracepoints: bpf/counters.bpf.c */
	{ "add_device_to_group", NULL, "cnt_group_add", TGT_TP, 0, NULL,
	  "count iommu:add_device_to_group" },
	{ "attach_device_to_domain", NULL, "cnt_attach", TGT_TP, 0, NULL,
	  "count iommu:attach_device_to_domain" },
	{ "map", NULL, "cnt_map", TGT_TP, 0, NULL,
	  "count iommu:map and its bytes" },
	{ "remove_device_from_group", NULL, "cnt_group_remove", TGT_TP, 0, NULL,
	  "count iommu:remove_device_from_group" },
	{ "unmap", NULL, "cnt_unmap", TGT_TP, 0, NULL,
	  "count iommu:unmap and its unmapped bytes" },
};

const int itr_ntargets = sizeof(itr_targets) / sizeof(itr_targets[0]);
