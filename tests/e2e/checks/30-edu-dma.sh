# shellcheck shell=bash
# A DMA round trip through the edu device and a type1 mapping returns the
# data written; the IOVAs it used were really mapped in the IOMMU.
traced_workload edu-type1 edu-dma-type1 type1-edu-dma
expect_log edu-dma-type1-verified "$OUT/edu-type1.jsonl" \
	'[.[] | select(.op == "edu_dma")] | length > 0 and all(.verified == true and .ret == 0)' \
	"no verified edu_dma in the log"
tpcheck_as edu-dma-type1-tracepoints log "$OUT/edu-type1.jsonl" "$OUT/edu-type1.trace"
