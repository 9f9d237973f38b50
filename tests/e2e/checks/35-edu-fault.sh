# shellcheck shell=bash
# DMA really goes through the IOMMU: an edu read from an IOVA that is not
# mapped delivers no data, and the kernel's DMAR driver reports the fault
# at that address for the edu device (dmesg is the ground truth); iommutrace
# trace reports the same fault.
dmesg -c >/dev/null
tstarted=0
trace_start faults --kinds fault && tstarted=1
workload edu-fault type1-edu-fault
rc=$?
((tstarted)) && bg_stop
dmesg >"$OUT/edu-fault.dmesg"
if [[ $rc -eq 0 ]]; then
	pass edu-fault-workload
else
	fail edu-fault-workload "exit $rc ($(tail -n1 "$OUT/edu-fault.err"))"
fi
expect_log edu-fault-not-delivered "$OUT/edu-fault.jsonl" \
	'[.[] | select(.op == "edu_dma_unmapped")] | length == 1 and all(.delivered == false)' \
	"the blocked DMA delivered data, or was not logged"
addr=$(jq -r 'select(.op == "edu_dma_unmapped") | .fault_addr' "$OUT/edu-fault.jsonl" | head -n1)
hex=$(printf '0x%x' "${addr:-0}")
edu=$(pci_find 0x1234 0x11e8)
# 6.x prints [00:06.0], 7.x [0000:00:06.0]
if grep -qE "DMAR: \[DMA Read.*Request device \[(0000:)?${edu#0000:}\] fault addr $hex" "$OUT/edu-fault.dmesg"; then
	pass edu-fault-dmar "$(grep -m1 'fault addr' "$OUT/edu-fault.dmesg" | sed 's/^\[[^]]*\] //')"
else
	fail edu-fault-dmar "no DMAR fault for $edu at $hex in dmesg"
fi
expect_log trace-fault "$OUT/faults.jsonl" --arg dev "$edu" --argjson iova "${addr:-0}" \
	'any(.[]; .kind == "fault" and .dev == $dev and .iova == $iova and .access == "read")' \
	"iommutrace trace reported no read fault of $edu at $hex ($(tail -n1 "$OUT/faults.err"))"
