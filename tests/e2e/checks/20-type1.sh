# shellcheck shell=bash
# The type1 container flow; the kernel's iommu tracepoints must show every
# map and unmap the workload logged, in its IOVA range, and the attaches.
traced_workload type1 type1-workload type1-map type1-unmap-parts type1-unmap-all \
	type1-close-mapped type1-group-pair
expect_log type1-logged "$OUT/type1.jsonl" \
	'([.[] | select(.op == "VFIO_IOMMU_MAP_DMA" and .ret == 0)] | length) >= 20 and
	 ([.[] | select(.op == "VFIO_IOMMU_UNMAP_DMA" and .ret == 0)] | length) >= 4' \
	"the log lacks the expected MAP_DMA/UNMAP_DMA operations"
tpcheck_as type1-tracepoints log "$OUT/type1.jsonl" "$OUT/type1.trace"
