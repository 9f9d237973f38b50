# shellcheck shell=bash
# The VFIO and iommufd layers: every ioctl the workload logged is one ioctl
# record with the same name, fd, process, result and returned ids; the
# workload's process made no unlogged ioctl; the core map records under a
# MAP_DMA/IOAS_MAP carry that ioctl's op_id (the join). Type1 everywhere;
# iommufd native, the compat container and the group replace on iommufd.
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null
scen="type1-map type1-unmap-parts type1-group-pair"
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
