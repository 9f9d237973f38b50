# shellcheck shell=bash
# VFIO containers and iommufd bindings (from 70-layers' recording): each
# /dev/vfio/vfio the workload opened has one vfio-container `open` with its
# fd, whose file_id is that of the container's ioctls until the workload
# closed it, and one `close` of that file_id at the close; on iommufd, each
# cdev bound (VFIO_DEVICE_BIND_IOMMUFD) has one `unbind` naming the device
# and its dev_id, whose iommufd_file_id is that of the ioctls on the
# iommufd fd it was bound to.
WL=$OUT/layers-wl.jsonl EV=$OUT/layers.jsonl
[[ -s $WL && -s $EV ]] || { fail files-input "70-layers left no recording"; return; }
pid=$(jq -r 'select(.pid != null) | .pid' "$WL" | head -n1)
# jq over the events with the log as $wl: one line per failure, then "checked N"
files_jq() { # PROGRAM
	jq -r -s --slurpfile wl "$WL" --argjson p "$pid" "$1" "$EV" 2>&1
}
out=$(files_jq '
	. as $ev | [range(0; $wl | length) as $i | $wl[$i]
		| select(.op == "open" and .path == "/dev/vfio/vfio" and .ret >= 0)
		| {fd, t: .ts_ns, i: $i}] as $cs
	| [$cs[] | . as $c
		| ([range($c.i + 1; $wl | length) | select($wl[.].op == "close" and $wl[.].fd == $c.fd)][0]) as $j
		| (if $j then $wl[$j].ts_ns else 1e19 end) as $tc
		| (if $j then $wl[$j + 1].ts_ns // 1e19 else 1e19 end) as $tn
		| [$ev[] | select(.kind == "open" and .layer == "vfio-container" and .tgid == $p and .fd == $c.fd
			and .ts_ns >= $c.t - 1000 and .ts_ns < $tc)] as $o
		| [$ev[] | select(.kind == "ioctl" and .layer == "vfio-container" and .tgid == $p and .fd == $c.fd
			and .ts_ns >= $c.t and .ts_ns < $tc)] as $io
		| [$ev[] | select(.kind == "close" and .layer == "vfio-container" and .tgid == $p
			and .ts_ns >= $tc - 1000 and .ts_ns < $tn and .file_id == $o[0].file_id)] as $cl
		| if ($o | length) != 1 then "container fd \($c.fd): \($o | length) open records"
		  elif ($io | length) == 0 then "container fd \($c.fd): no ioctl records"
		  elif any($io[]; .file_id != $o[0].file_id) then "container fd \($c.fd): ioctls on another file_id than its open"
		  elif ($cl | length) != 1 then "container fd \($c.fd): \($cl | length) close records of its file_id"
		  else empty end] as $bad
	| ($bad[]), "checked \($cs | length) containers"')
n=$(sed -n 's/^checked \([0-9]*\) .*/\1/p' <<<"$out")
why=$(grep -v '^checked' <<<"$out" | head -n3 | tr '\n' ';')
if [[ -n $n && $n -gt 0 && -z $why ]]; then pass files-container-open "$n containers"; else fail files-container-open "${why:-nothing checked}"; fi

have_iommufd || return 0
out=$(files_jq '
	. as $ev | [range(0; $wl | length) as $i | $wl[$i]
		| select(.op == "VFIO_DEVICE_BIND_IOMMUFD" and .ret == 0)
		| {bdf, dev_id, ifd: .iommufd, t: .ts_ns, i: $i}] as $bs
	| [$bs[] | . as $b
		| ([range($b.i + 1; $wl | length) | select($wl[.].op == "scenario_end")][0]) as $j
		| (if $j then $wl[$j].ts_ns else 1e19 end) as $te
		| [$ev[] | select(.kind == "unbind" and .tgid == $p and .dev == $b.bdf and .dev_id == $b.dev_id
			and .ts_ns >= $b.t and .ts_ns < $te)] as $u
		| [$ev[] | select(.kind == "ioctl" and .layer == "iommufd" and .tgid == $p and .fd == $b.ifd
			and .ts_ns >= $b.t and .ts_ns < $te)] as $io
		| if ($u | length) != 1 then "\($b.bdf) dev \($b.dev_id): \($u | length) unbind records"
		  elif ($io | length) > 0 and any($io[]; .file_id != $u[0].iommufd_file_id)
		  then "\($b.bdf) dev \($b.dev_id): unbind names another iommufd context than fd \($b.ifd)"
		  else empty end] as $bad
	| ($bad[]), "checked \($bs | length) binds"')
n=$(sed -n 's/^checked \([0-9]*\) .*/\1/p' <<<"$out")
why=$(grep -v '^checked' <<<"$out" | head -n3 | tr '\n' ';')
if [[ -n $n && $n -gt 0 && -z $why ]]; then pass files-iommufd-unbind "$n binds"; else fail files-iommufd-unbind "${why:-nothing checked}"; fi
