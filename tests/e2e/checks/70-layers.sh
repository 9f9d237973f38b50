# shellcheck shell=bash
# The VFIO and iommufd layers: every ioctl the workload logged is one ioctl
# record with the same name, fd, process, result (a failure's ret = -errno),
# returned ids and passed flags; the workload's process made no unlogged
# ioctl; the core map records under a MAP_DMA/IOAS_MAP carry that ioctl's
# op_id (the join). Type1 everywhere (dirty-page tracking included);
# iommufd native, the compat container and the group replace on iommufd.
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null
scen="type1-map type1-unmap-parts type1-group-pair type1-dirty"
have_iommufd && scen+=" iommufd-basic iommufd-compat iommufd-group-replace"
if ! trace_start layers --all-domains; then
	fail layers-start "$(tail -n3 "$OUT/layers.err" | tr '\n' ';')"
	return
fi
# shellcheck disable=SC2086
workload layers-wl $scen
rc=$?
bg_stop
trc=$?
if [[ $rc -ne 0 || $trc -ne 0 ]]; then
	fail layers-run "workload exit $rc, trace exit $trc ($(tail -n2 "$OUT/layers.err" | tr '\n' ';'))"
	return
fi
tpcheck_as layers-ioctls ioctls "$OUT/layers-wl.jsonl" "$OUT/layers.jsonl"
expect_log layers-decoded "$OUT/layers.jsonl" \
	'[.[] | select(.kind == "ioctl")] | length > 0 and all(.decode == "ok" or .decode == "unknown")' \
	"an ioctl record of the workload's did not decode"

have_iommufd || return 0
# The multi-device-group replace, as a user reads it: the second e1000 only
# ever asked for HWPT A (and still believes so), yet the text trace shows it
# moved onto B when the first one was replaced.
if ! bg_start "$OUT/replace.txt" "$OUT/replace.err" Tracing "$ITR" trace --kinds attach,hwpt_domain,ioctl; then
	fail layers-replace-start "$(tail -n2 "$OUT/replace.err" | tr '\n' ';')"
	return
fi
workload replace-wl iommufd-group-replace
rc=$?
bg_stop
mapfile -t nics < <(pci_find 0x8086 0x100e)
a=$(jq -r --arg d "${nics[1]}" 'select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .bdf == $d and .ret == 0) | .hwpt_id' "$OUT/replace-wl.jsonl" | head -n1)
b=$(jq -r 'select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .ret == 0) | .hwpt_id' "$OUT/replace-wl.jsonl" | head -n1)
rfd=$(jq -r 'select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .ret == 0) | .fd' "$OUT/replace-wl.jsonl" | head -n1)
believes=$(jq -r 'select(.op == "device_state") | .pt_id' "$OUT/replace-wl.jsonl" | head -n1)
# ... and the move was caused by the first device's fd, not its own
if [[ $rc -eq 0 && -n $a && -n $b && $believes == "$a" ]] &&
	grep -qE " attach .* ${nics[1]} .* hwpt $b from .*\(hwpt $a\) <- vfio-device fd $rfd\b" "$OUT/replace.txt"; then
	pass layers-replace-per-device "$(grep -m1 -E " attach .* ${nics[1]} .* hwpt $b from" "$OUT/replace.txt" | sed 's/  */ /g')"
else
	fail layers-replace-per-device "exit $rc; ${nics[1]} asked for hwpt ${a:-?}, believes ${believes:-?}, group moved to ${b:-?}: no such attach line"
fi
