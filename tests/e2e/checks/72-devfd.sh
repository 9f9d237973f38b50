# shellcheck shell=bash
# VFIO device fds (from 70-layers' recording): each device fd the workload
# opened (VFIO_GROUP_GET_DEVICE_FD, or a cdev open) has one `open` of layer
# vfio-device with that fd and its PCI device, each close of a device fd one
# vfio-device `close` of that device, and every device-fd ioctl names the
# device it was on.
WL=$OUT/layers-wl.jsonl EV=$OUT/layers.jsonl
[[ -s $WL && -s $EV ]] || { fail devfd-input "70-layers left no recording"; return; }
# "fd bdf" of every device fd the workload opened
opened=$(jq -rs '
	(map(select(.op == "open" and .ret >= 0 and (.path // "" | startswith("/dev/vfio/devices/")))) | map(.fd)) as $cdevs
	| [ .[] | select(.op == "VFIO_GROUP_GET_DEVICE_FD" and .ret >= 0) | "\(.ret) \(.bdf)" ] +
	  [ $cdevs[] as $fd | first(.[] | select(.fd == $fd and .bdf != null)) | "\($fd) \(.bdf)" ]
	| .[]' "$WL")
pid=$(jq -r 'select(.pid != null) | .pid' "$WL" | head -n1)
bad=0 n=0
while read -r fd bdf; do
	[[ -n $fd ]] || continue
	n=$((n + 1))
	got=$(jq -s --argjson fd "$fd" --arg d "$bdf" --argjson p "$pid" \
		'[.[] | select(.kind == "open" and .layer == "vfio-device" and .tgid == $p and .fd == $fd and .dev == $d)] | length' "$EV")
	[[ $got -ge 1 ]] || { bad=$((bad + 1)); echo "  no vfio-device open of $bdf as fd $fd" >>"$OUT/devfd.why"; }
done <<<"$opened"
if [[ $n -gt 0 && $bad -eq 0 ]]; then pass devfd-open "$n device fds"; else fail devfd-open "$bad of $n missing: $(head -n2 "$OUT/devfd.why" 2>/dev/null | tr '\n' ';')"; fi
expect_log devfd-close "$EV" --slurpfile wl "$WL" --argjson p "$pid" \
	'([$wl[] | select(.op == "close" and .bdf != null and .ret == 0) | .bdf] | group_by(.) | map({(.[0]): length}) | add // {}) as $want
	 | ([.[] | select(.kind == "close" and .layer == "vfio-device" and .tgid == $p) | .dev] | group_by(.) | map({(.[0]): length}) | add // {}) as $got
	 | ($want | length) > 0 and $want == $got' \
	"vfio-device close per device differs from the workload's closes of device fds"
expect_log devfd-ioctl-dev "$EV" --slurpfile wl "$WL" --argjson p "$pid" \
	'[.[] | select(.kind == "ioctl" and .tgid == $p and .layer == "vfio-device")] as $io
	 | ($io | length) > 0 and all($io[]; .dev != null and (.dev | startswith("0000:")))' \
	"a device-fd ioctl record without its PCI device"
