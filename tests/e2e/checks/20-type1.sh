# shellcheck shell=bash
# The type1 container flow; the kernel's iommu tracepoints must show every
# map and unmap the workload logged, in its IOVA range, and the attaches.
tp_begin
workload type1 type1-map type1-unmap-parts type1-unmap-all type1-close-mapped type1-group-pair
rc=$?
tp_end "$OUT/type1.trace"
if [[ $rc -eq 0 ]]; then
	pass type1-workload
else
	fail type1-workload "exit $rc ($(tail -n1 "$OUT/type1.err"))"
fi
expect_log type1-logged "$OUT/type1.jsonl" \
	'([.[] | select(.op == "VFIO_IOMMU_MAP_DMA" and .ret == 0)] | length) >= 20 and
	 ([.[] | select(.op == "VFIO_IOMMU_UNMAP_DMA" and .ret == 0)] | length) >= 4' \
	"the log lacks the expected MAP_DMA/UNMAP_DMA operations"
if "$TPCHECK" log "$OUT/type1.jsonl" "$OUT/type1.trace" >"$OUT/type1.tpcheck" 2>&1; then
	pass type1-tracepoints "$(tr '\n' ';' <"$OUT/type1.tpcheck")"
else
	fail type1-tracepoints "$(tr '\n' ';' <"$OUT/type1.tpcheck")"
fi
