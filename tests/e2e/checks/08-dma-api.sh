# shellcheck shell=bash
# Hot-path discipline: the kernel's own DMA-API domains (an e1000 with its
# driver mapping rx rings on link up) are counted in BPF but not sent by
# default, exactly as often as the kernel's map/unmap tracepoints fire; with
# --all-domains they are sent. Runs before the devices go to vfio-pci.
mapfile -t nics < <(pci_find 0x8086 0x100e)
modprobe -q e1000 2>/dev/null
[[ $(pci_driver "${nics[0]}") == e1000 ]] || echo "${nics[0]}" >/sys/bus/pci/drivers/e1000/bind 2>/dev/null
ifc=$(ls "/sys/bus/pci/devices/${nics[0]}/net/" 2>/dev/null | head -n1)
if [[ -z $ifc ]]; then
	fail dma-api-setup "no e1000 network interface on ${nics[0]} (driver: $(pci_driver "${nics[0]}"))"
	return
fi
link_cycle() { ip link set "$ifc" up && sleep 1 && ip link set "$ifc" down; }

tp_begin
if ! trace_start dma-default; then
	tp_end "$OUT/dma-default.trace"
	fail dma-api-start "$(tail -n2 "$OUT/dma-default.err" | tr '\n' ';')"
	return
fi
link_cycle
bg_stop
tp_end "$OUT/dma-default.trace"
tpn=$(grep -cE ' (map|unmap): IOMMU' "$OUT/dma-default.trace")
sent=$(jq -s '[.[] | select((.kind | test("map")) and (.domain_type | IN("DMA", "DMA_FQ")))] | length' "$OUT/dma-default.jsonl")
counted=$(sed -n 's/.*DMA-API counted not sent \([0-9]*\).*/\1/p' "$OUT/dma-default.err")
if [[ $tpn -gt 0 && $sent -eq 0 && $counted -eq $tpn ]]; then
	pass dma-api-counted-not-sent "$tpn tracepoint map/unmap, counted $counted, sent $sent"
else
	fail dma-api-counted-not-sent "$tpn tracepoint map/unmap, counted ${counted:-?}, sent $sent"
fi

tp_begin
trace_start dma-all --all-domains || true
link_cycle
bg_stop
tp_end "$OUT/dma-all.trace"
sent=$(jq -s '[.[] | select(.domain_type | IN("DMA", "DMA_FQ"))] | length' "$OUT/dma-all.jsonl")
if [[ $sent -gt 0 ]] && "$TPCHECK" count "$OUT/dma-all.jsonl" "$OUT/dma-all.trace" >"$OUT/dma-all.tpcheck" 2>&1; then
	pass dma-api-all-domains "$sent DMA-API events; $(tr '\n' ';' <"$OUT/dma-all.tpcheck")"
else
	fail dma-api-all-domains "$sent DMA-API events; $(tr '\n' ';' <"$OUT/dma-all.tpcheck" 2>/dev/null)"
fi
