#!/bin/bash
# Runs inside the demo guest (`make demo`): binds the test devices to
# vfio-pci, starts `iommutrace stat`, drives the VMM-like workload through
# its type1 and (where the kernel has it) iommufd scenarios, prints the
# workload's own log as it goes, then iommutrace's exact totals of the
# kernel's iommu activity over the same window.
set -u
B=${OUTPUT:-$PWD/build}
scenarios="type1-map type1-unmap-parts type1-edu-dma"
[[ -e /dev/iommu ]] && scenarios+=" iommufd-basic iommufd-group-replace iommufd-edu-dma"

"$B/iommutrace-workload" --log /dev/null bind || exit 1
"$B/iommutrace" stat 2>/tmp/stat.err >/tmp/stat.out &
pid=$!
for _ in $(seq 100); do
	grep -q Counting /tmp/stat.err && break
	sleep 0.2
done
echo "== workload: $scenarios"
# shellcheck disable=SC2086
"$B/iommutrace-workload" --log /dev/stdout $scenarios | jq -r --unbuffered '
	[ "\(.seq)", .scenario, .op, "ret=\(.ret)" ] +
	[ to_entries[] | select(.key | IN("seq","ts_ns","pid","scenario","op","ret","errno") | not)
	  | "\(.key)=\(.value)" ] | join("  ")'
rc=${PIPESTATUS[0]}
kill -INT "$pid"
wait "$pid"
echo "== iommutrace stat: the kernel's iommu activity during the workload"
cat /tmp/stat.out
exit "$rc"
