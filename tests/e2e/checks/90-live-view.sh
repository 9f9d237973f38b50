# shellcheck shell=bash
# The live view on a live kernel: `monitor` in a pseudo-terminal (script(1),
# 80x24; stderr to a file) while the workload maps into the MSI window. The
# view, not lines, must draw the reserved-overlap warning at the IOVA of the
# MAP_DMA the workload saw refused (its own log).
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null
if ! command -v script >/dev/null; then
	skip live-view "no script(1) in this root"
	return
fi
workload view-bind bind || { fail live-view-bind "workload bind failed"; return; }
ts=$OUT/view.typescript
rm -f "$OUT/view.pid"
TERM=xterm LINES=24 COLUMNS=80 script -qfec \
	"echo \$\$ >$OUT/view.pid; exec $ITR monitor 2>$OUT/view.err" "$ts" </dev/null >/dev/null 2>&1 &
spid=$!
for _ in $(seq 150); do
	grep -q Monitoring "$OUT/view.err" 2>/dev/null && break
	kill -0 "$spid" 2>/dev/null || break
	sleep 0.2
done
mpid=$(cat "$OUT/view.pid" 2>/dev/null)
if ! grep -q Monitoring "$OUT/view.err" 2>/dev/null; then
	[[ -n $mpid ]] && kill -INT "$mpid" 2>/dev/null
	kill "$spid" 2>/dev/null
	wait "$spid"
	fail live-view-start "monitor never attached: $(tail -n2 "$OUT/view.err" 2>/dev/null | tr '\n' ';')"
	return
fi
workload view-wl type1-map-reserved
rc=$?
sleep 1
kill -INT "$mpid"
wait "$spid"
iova=$(jq -r 'select(.op == "VFIO_IOMMU_MAP_DMA" and .ret != 0 and .errno == 22) | .iova' "$OUT/view-wl.jsonl" | head -n1)
hex=$(printf '0x%x' "${iova:-0}")
if [[ $rc -ne 0 || -z $iova ]]; then
	fail live-view "workload exit $rc, no refused MAP_DMA in its log"
elif ! grep -aq "WARN  reserved-overlap: a map request of [0-9.]* KiB at $hex" "$ts"; then
	fail live-view "the view drew no 'WARN  reserved-overlap ... at $hex'"
elif grep -aq 'warning reserved-overlap' "$ts"; then
	fail live-view "a plain finding line on the terminal: the view was not used"
elif ! grep -q 'findings: 0 error, 1 warning' "$OUT/view.err"; then
	fail live-view "monitor's summary: $(grep findings: "$OUT/view.err")"
else
	pass live-view "reserved-overlap at $hex drawn on the live view"
fi
