# shellcheck shell=bash
# The iommufd flow (IOAS, HWPT, cdev bind/attach/replace/detach), the
# multi-device-group replace and an edu DMA through an IOAS mapping. On a
# kernel without iommufd the workload must say so with exit 77.
if ! have_iommufd; then
	if [[ $PROFILE == iommufd ]]; then
		fail iommufd "no /dev/iommu on the iommufd profile"
		return
	fi
	workload iommufd-absent iommufd-basic
	rc=$?
	if [[ $rc -eq 77 ]]; then pass iommufd-absent-skips; else fail iommufd-absent-skips "exit $rc, want 77"; fi
	skip iommufd-flow "kernel $(uname -r) has no iommufd"
	return
fi
traced_workload iommufd iommufd-workload iommufd-basic iommufd-group-replace iommufd-edu-dma \
	iommufd-pasid
expect_log iommufd-logged "$OUT/iommufd.jsonl" \
	'([.[] | select(.op == "IOMMU_IOAS_MAP" and .ret == 0)] | length) > 0 and
	 ([.[] | select(.op == "IOMMU_HWPT_ALLOC" and .ret == 0)] | length) >= 3 and
	 ([.[] | select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .ret == 0)] | length) >= 4 and
	 ([.[] | select(.op == "VFIO_DEVICE_DETACH_IOMMUFD_PT" and .ret == 0)] | length) > 0' \
	"the log lacks IOAS_MAP, HWPT_ALLOC, attach/replace or detach operations"
# The kernel's own view (IOMMUFD_TEST's PASID_CHECK_HWPT) confirms every
# PASID step: attached, replaced onto B (and off A), detached.
expect_log iommufd-pasid-kernel-view "$OUT/iommufd.jsonl" \
	'([.[] | select(.op == "IOMMU_TEST_OP_PASID_ATTACH" and .ret == 0)] | length) == 1 and
	 ([.[] | select(.op == "IOMMU_TEST_OP_PASID_REPLACE" and .ret == 0)] | length) == 1 and
	 ([.[] | select(.op == "IOMMU_TEST_OP_PASID_DETACH" and .ret == 0)] | length) == 1 and
	 ([.[] | select(.op == "IOMMU_TEST_OP_PASID_CHECK_HWPT")] | length >= 3 and all(.matches == .want))' \
	"PASID attach/replace/detach missing, or the kernel disagrees with the workload"
expect_log iommufd-edu-verified "$OUT/iommufd.jsonl" \
	'[.[] | select(.op == "edu_dma")] | length > 0 and all(.verified == true and .ret == 0)' \
	"no verified edu_dma through iommufd in the log"
tpcheck_as iommufd-tracepoints log "$OUT/iommufd.jsonl" "$OUT/iommufd.trace"
