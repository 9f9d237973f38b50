# shellcheck shell=bash
# A DMA round trip through the edu device and a type1 mapping returns the
# data written; the IOVAs it used were really mapped in the IOMMU.
tp_begin
workload edu-type1 type1-edu-dma
rc=$?
tp_end "$OUT/edu-type1.trace"
if [[ $rc -eq 0 ]]; then
	pass edu-dma-type1
else
	fail edu-dma-type1 "exit $rc ($(tail -n1 "$OUT/edu-type1.err"))"
fi
expect_log edu-dma-type1-verified "$OUT/edu-type1.jsonl" \
	'[.[] | select(.op == "edu_dma")] | length > 0 and all(.verified == true and .ret == 0)' \
	"no verified edu_dma in the log"
if "$TPCHECK" log "$OUT/edu-type1.jsonl" "$OUT/edu-type1.trace" >"$OUT/edu-type1.tpcheck" 2>&1; then
	pass edu-dma-type1-tracepoints
else
	fail edu-dma-type1-tracepoints "$(tr '\n' ';' <"$OUT/edu-type1.tpcheck")"
fi
