# shellcheck shell=bash
# The model and checker on real kernels, against ground truth they did not
# produce:
# - clean: a recording of the clean scenarios, checked, has no finding at
#   all (record -> check FILE, the replay path);
# - a MAP_DMA into the MSI window is a reserved-overlap attempt, as the
#   workload saw it refused; closing fds with live mappings is the orderly
#   unmap-all (info), of the bytes the workload left mapped, never a leak;
# - iommufd: the multi-device-group replace is stale-hwpt-view for the second
#   device, with the HWPTs the workload logged, while the kernel's own
#   attach_device_to_domain tracepoint shows that device moved during the
#   first device's replace.
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null

# --- clean: no false positives ------------------------------------------------
clean="type1-map type1-unmap-parts type1-unmap-all type1-group-pair type1-edu-dma"
have_iommufd && clean+=" iommufd-basic iommufd-compat iommufd-edu-dma iommufd-pasid"
if ! bg_start /dev/null "$OUT/clean-rec.err" Recording "$ITR" record --all-domains -o "$OUT/clean.itr"; then
	fail findings-clean-start "$(tail -n2 "$OUT/clean-rec.err" | tr '\n' ';')"
	return
fi
# shellcheck disable=SC2086
workload clean-wl $clean
rc=$?
bg_stop
rrc=$?
"$ITR" check --json --fail-on info "$OUT/clean.itr" >"$OUT/clean-check.json" 2>"$OUT/clean-check.err"
crc=$?
n=$(jq '.findings | length' "$OUT/clean-check.json" 2>/dev/null)
ev=$(jq '.summary.events' "$OUT/clean-check.json" 2>/dev/null)
if [[ $rc -eq 0 && $rrc -eq 0 && $crc -eq 0 && $n == 0 && ${ev:-0} -gt 0 ]]; then
	pass findings-clean "$ev events, 0 findings ($(echo "$clean" | wc -w) scenarios)"
else
	fail findings-clean "workload $rc, record $rrc, check $crc, $n findings: $(jq -c '[.findings[] | .rule + ": " + .message] | .[:2]' "$OUT/clean-check.json" 2>/dev/null)"
fi

# --- reserved region, fds closed with live mappings ---------------------------
if ! bg_start "$OUT/mon.jsonl" "$OUT/mon.err" Monitoring "$ITR" monitor --json -F; then
	fail findings-monitor-start "$(tail -n2 "$OUT/mon.err" | tr '\n' ';')"
	return
fi
workload mon-wl type1-map-reserved type1-close-mapped
rc=$?
bg_stop
mrc=$?
if [[ $rc -ne 0 || $mrc -ne 0 ]]; then
	fail findings-monitor-run "workload exit $rc, monitor exit $mrc ($(tail -n2 "$OUT/mon.err" | tr '\n' ';'))"
	return
fi
# the workload's own view: its MAP_DMA into the window was refused with EINVAL
iova=$(jq -r 'select(.op == "VFIO_IOMMU_MAP_DMA" and .ret != 0 and .errno == 22) | .iova' "$OUT/mon-wl.jsonl" | head -n1)
expect_log findings-reserved-attempt "$OUT/mon.jsonl" --argjson iova "${iova:-null}" \
	'[.[] | select(.rule == "reserved-overlap")] as $f
	 | $iova != null and ($f | length) == 1 and $f[0].severity == "warning"
	   and $f[0].objects.iova == $iova and $f[0].event.ioctl == "VFIO_IOMMU_MAP_DMA"
	   and ($f[0].message | test("msi"))' \
	"want one reserved-overlap warning at the workload's refused MAP_DMA (iova ${iova:-none})"
# bytes the workload mapped in type1-close-mapped and never unmapped
left=$(jq -s '[.[] | select(.scenario == "type1-close-mapped")]
	| ([.[] | select(.op == "VFIO_IOMMU_MAP_DMA" and .ret == 0) | .size] | add // 0)
	- ([.[] | select(.op == "VFIO_IOMMU_UNMAP_DMA" and .ret == 0) | .size] | add // 0)' "$OUT/mon-wl.jsonl")
expect_log findings-close-mapped "$OUT/mon.jsonl" --argjson left "${left:-0}" \
	'[.[] | select(.rule == "domain-freed-with-mappings")] as $f
	 | $left > 0 and ($f | length) == 1 and $f[0].severity == "info"
	   and ($f[0].message | test("orderly")) and $f[0].objects.bytes == $left' \
	"want one orderly unmap-all (info) of the ${left:-?} bytes left mapped, no leak"
expect_log findings-monitor-only-these "$OUT/mon.jsonl" \
	'all(.[]; .rule == "reserved-overlap" or .rule == "domain-freed-with-mappings")' \
	"a finding other than the two provoked ones"

have_iommufd || return 0
# --- stale-hwpt-view ---------------------------------------------------------------
tp_begin
if ! bg_start "$OUT/stale.jsonl" "$OUT/stale.err" Monitoring "$ITR" monitor --json -F; then
	tp_end "$OUT/stale.trace"
	fail findings-stale-start "$(tail -n2 "$OUT/stale.err" | tr '\n' ';')"
	return
fi
workload stale-wl iommufd-group-replace
rc=$?
bg_stop
tp_end "$OUT/stale.trace"
mapfile -t nics < <(pci_find 0x8086 0x100e)
a=$(jq -r --arg d "${nics[1]}" 'select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .bdf == $d and .ret == 0) | .hwpt_id' "$OUT/stale-wl.jsonl" | head -n1)
b=$(jq -r 'select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .ret == 0) | .hwpt_id' "$OUT/stale-wl.jsonl" | head -n1)
# the replace's window: from its start to the workload's next operation
read -r t0 t1 < <(jq -rs '(map(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .ret == 0) | index(true)) as $i
	| "\(.[$i].ts_ns) \(.[$i + 1].ts_ns)"' "$OUT/stale-wl.jsonl")
moved=$(awk -v d="device=${nics[1]}" -v t0="${t0:-0}" -v t1="${t1:-0}" '
	/attach_device_to_domain:/ && index($0, d) {
		for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1) * 1e9 }
		if (ts >= t0 && ts <= t1) n++
	} END { print n + 0 }' "$OUT/stale.trace")
if [[ $rc -ne 0 || -z $a || -z $b ]]; then
	fail findings-stale "workload exit $rc, hwpts ${a:-?} -> ${b:-?}"
elif [[ $moved -lt 1 ]]; then
	fail findings-stale-kernel "no attach_device_to_domain of ${nics[1]} during the replace (tracefs)"
else
	pass findings-stale-kernel "${nics[1]} moved during the first device's replace ($moved tracefs attach)"
	expect_log findings-stale "$OUT/stale.jsonl" --arg d "${nics[1]}" --arg d0 "${nics[0]}" \
		--argjson a "$a" --argjson b "$b" \
		'[.[] | select(.rule == "stale-hwpt-view")] as $f
		 | ($f | length) == 1 and $f[0].objects.device == $d and $f[0].objects.device2 == $d0
		   and $f[0].objects.hwpt == $a and $f[0].objects.hwpt2 == $b and $f[0].severity == "error"' \
		"want one stale-hwpt-view: ${nics[1]} on hwpt $a, group moved to $b by ${nics[0]}"
fi
