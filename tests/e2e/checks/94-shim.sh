# shellcheck shell=bash
# The kernel shim (shim/, docs/shim.md), against ground truth it did not
# produce:
# - it loads (iommutrace shim load picks the .ko built for this kernel) and
#   unloads;
# - on iommufd, its aux-domain helpers drive a PASID-capable IOMMUFD_TEST
#   mock device: two domains on PASIDs the shim allocates, map, unmap,
#   replace, detach, free; `aux list` agrees with the kernel's own
#   attach handles; a device without PASID is refused with why, and
#   nothing is left half-made;
# - `iommutrace trace` shows every operation the shim made, matched one to
#   one (kind, domain, PASID, IOVA range) against the shim's own log (dmesg);
# - the aux-domain debates' scenario (two aux domains on one parent, then
#   a plain detach of the parent's RID) is detach-ambiguous in `monitor`,
#   confirmed by the kernel through the shim's kfuncs, as is the
#   multi-device-group replace's stale-hwpt-view; without the shim that
#   confirmation is unavailable;
# - unloading with live domains leaves nothing behind: the shim's log
#   frees every domain, the trace shows them detached and freed, and the
#   kernel (IOMMU_TEST_OP_PASID_CHECK_HWPT through the mock device's own
#   iommufd) says no PASID has a domain any more; a TRANSIENT domain is
#   undone when the fd that made it closes.
KO=$BUILD/shim/$PROFILE/iommutrace_shim.ko
if [[ ! -e $KO ]]; then
	skip shim "no shim built for $PROFILE (make shim SHIM_PROFILES=$PROFILE)"
	return 0
fi
SLOG=$OUT/shim-dmesg.jsonl

# The shim's log lines since the mark, as JSON lines.
shim_log() { # FILE
	dmesg | sed -n '/itr-e2e-shim-mark/,$p' |
		sed -n 's/.*iommutrace_shim: op=\([a-z-]*\) dev=\([^ ]*\) domain=\([0-9]*\) old=\([0-9]*\) pasid=\([0-9]*\) iova=\([0-9]*\) length=\([0-9]*\) ret=\(-\{0,1\}[0-9]*\)$/{"op":"\1","dev":"\2","domain":\3,"old":\4,"pasid":\5,"iova":\6,"length":\7,"ret":\8}/p' >"$1"
}
aux() { "$ITR" aux "$@" 2>>"$OUT/shim-aux.err"; }
aux_val() { # KEY ARGS...: the number after KEY in aux's output
	local key=$1
	shift
	aux "$@" | awk -v k="$key" '$1 == k { print $2 }'
}

echo "itr-e2e-shim-mark" >/dev/kmsg
if "$ITR" shim load >"$OUT/shim-load.out" 2>&1 && [[ -c /dev/iommutrace_shim ]] &&
	"$ITR" shim status --json >"$OUT/shim-status.json" &&
	jq -e '.loaded and .abi == 1 and .domains == 0' "$OUT/shim-status.json" >/dev/null; then
	pass shim-load "$(cat "$OUT/shim-load.out")"
else
	fail shim-load "$(tr '\n' ';' <"$OUT/shim-load.out")"
	return 0
fi

if ! have_iommufd; then
	# a PCI device without PASID (edu): refused, with why, nothing made
	mapfile -t edu < <(pci_find 0x1234 0x11e8)
	"$ITR" aux alloc "${edu[0]}" >/dev/null 2>"$OUT/shim-nopasid.err"
	nrc=$?
	"$ITR" shim status --json >"$OUT/shim-status2.json"
	# why: the device (no PASID capability), or the kernel (6.1: no PASID API)
	if [[ $nrc -eq 1 ]] && grep -qE "${edu[0]}: (it has no PASID capability|this kernel has no PASID attach API)" "$OUT/shim-nopasid.err" &&
		jq -e '.domains == 0' "$OUT/shim-status2.json" >/dev/null; then
		pass shim-no-pasid "$(cat "$OUT/shim-nopasid.err"); kfuncs $(jq .kfuncs "$OUT/shim-status2.json")"
	else
		fail shim-no-pasid "exit $nrc: $(cat "$OUT/shim-nopasid.err")"
	fi
	if "$ITR" shim unload >/dev/null 2>"$OUT/shim-unload.err" && [[ ! -e /sys/module/iommutrace_shim ]]; then
		pass shim-unload
	else
		fail shim-unload "$(cat "$OUT/shim-unload.err")"
	fi
	return 0
fi

# --- the parent devices: held by the workload until its stdin closes ----------
FIFO=$(mktemp -u /tmp/itr-hold.XXXXXX)	# not on the 9p results share
mkfifo "$FIFO"
"$WORKLOAD" --log "$OUT/hold.jsonl" mock-aux-hold <"$FIFO" >"$OUT/hold.names" 2>"$OUT/hold.err" &
HOLD_PID=$!
exec 7>"$FIFO"
for _ in $(seq 100); do
	[[ -s $OUT/hold.names ]] && break
	kill -0 "$HOLD_PID" 2>/dev/null || break
	sleep 0.1
done
read -r P N <"$OUT/hold.names"
if [[ -z $P || -z $N ]]; then
	exec 7>&-
	wait "$HOLD_PID"
	fail shim-mock "no mock devices ($(tail -n1 "$OUT/hold.err"))"
	"$ITR" shim unload
	return 0
fi
hold_end() {
	exec 7>&-
	wait "$HOLD_PID"
}

# --- helpers, traced ---------------------------------------------------------------
if ! trace_start shim-trace --comm iommutrace; then
	fail shim-trace-start "$(tail -n3 "$OUT/shim-trace.err" | tr '\n' ';')"
	hold_end
	"$ITR" shim unload
	return 0
fi
TRACE_PID=$BG_PID
d1=$(aux_val domain alloc "$P")
d2=$(aux_val domain alloc "$P")
p1=$(aux_val pasid attach "$d1")
p2=$(aux_val pasid attach "$d2")
aux map "$d1" 0x1000000 64K && aux map "$d2" 0x2000000 4K
"$ITR" shim status --json >"$OUT/shim-status1.json"
aux list "$P" --json >"$OUT/shim-list1.json"
aux replace "$d2" "$p2" "$d1"
aux list "$P" --json >"$OUT/shim-list2.json"
aux unmap "$d1" 0x1000000 64K
aux detach "$d1" "$p2" && aux detach "$d1" "$p1"
aux free "$d2"
aux free "$d1"
cp "$OUT/shim-aux.err" "$OUT/shim-aux1.err"
# refused: a device without PASID; a domain that is not there
"$ITR" aux alloc "$N" >/dev/null 2>"$OUT/shim-nopasid.err"
nrc=$?
"$ITR" shim status --json >"$OUT/shim-status2.json"
"$ITR" aux map 99 0x1000000 4K >/dev/null 2>"$OUT/shim-nodomain.err"
mrc=$?

# --- the aux-domain debates: two aux domains on one parent, the parent's RID
# on the first, then a plain detach of the parent ------------------------------------
if bg_start "$OUT/shim-mon.jsonl" "$OUT/shim-mon.err" Monitoring "$ITR" monitor --json -F; then
	d3=$(aux_val domain alloc "$P")
	aux attach "$d3" --rid
	p3=$(aux_val pasid attach "$d3")
	d4=$(aux_val domain alloc "$P")
	p4=$(aux_val pasid attach "$d4")
	aux map "$d3" 0x1000000 8K
	aux detach "$d3" --rid
	# the multi-device-group replace: stale-hwpt-view, asked of the kernel too
	workload shim-stale bind iommufd-group-replace
	src=$?
	sleep 0.5
	bg_stop
	expect_log shim-detach-ambiguous "$OUT/shim-mon.jsonl" --arg d "$P" --argjson p "${p3:-0}" \
		'[.[] | select(.objects.device == $d)] as $f
		 | ($f | length) == 1 and $f[0].rule == "detach-ambiguous" and $f[0].objects.pasid == $p
		   and $f[0].kernel == "confirmed"' \
		"want exactly one detach-ambiguous for $P PASID ${p3:-?}, confirmed by kernel: $(jq -c -s 'map(.rule + " " + .message + " " + (.kernel // "-"))' "$OUT/shim-mon.jsonl")"
	expect_log shim-confirm-stale "$OUT/shim-mon.jsonl" \
		'[.[] | select(.rule == "stale-hwpt-view")] | length == 1 and .[0].kernel == "confirmed"' \
		"workload exit $src; want one stale-hwpt-view confirmed by kernel: $(jq -c -s 'map(.rule + " " + (.kernel // "-"))' "$OUT/shim-mon.jsonl")"
else
	fail shim-detach-ambiguous "monitor: $(tail -n2 "$OUT/shim-mon.err" | tr '\n' ';')"
fi

# --- a TRANSIENT domain dies with the fd that made it -------------------------------
"$ITR" aux alloc "$P" --transient --attach >"$OUT/shim-transient.out" 2>>"$OUT/shim-aux.err"
trrc=$?
dt=$(awk '$1 == "domain" { print $2 }' "$OUT/shim-transient.out")
pt=$(awk '$1 == "pasid" { print $2 }' "$OUT/shim-transient.out")

# --- unload with live domains (d3 on PASID p3 with a mapping, d4 on p4) ----------
"$ITR" shim status --json >"$OUT/shim-status3.json"
"$ITR" shim unload >/dev/null 2>"$OUT/shim-unload.err"
urc=$?
BG_PID=$TRACE_PID
bg_stop
trc=$?
shim_log "$SLOG"
echo "check ${p3:-0}" >&7
echo "check ${p4:-0}" >&7
hold_end
hrc=$?

if [[ -n $d1 && -n $d2 && -n $p1 && -n $p2 && ! -s $OUT/shim-aux1.err ]] &&
	jq -e '.maps == 2 and .mapped_bytes == 69632 and .attachments == 2' "$OUT/shim-status1.json" >/dev/null &&
	jq -e -s --argjson d1 "$d1" --argjson d2 "$d2" --argjson p1 "$p1" --argjson p2 "$p2" '
	  (.[0].attachments | map(select(.rid | not)) | map({pasid, domain, kernel}) | sort_by(.pasid))
	    == ([{pasid: $p1, domain: $d1, kernel: true}, {pasid: $p2, domain: $d2, kernel: true}] | sort_by(.pasid))
	  and (.[1].attachments | map(select(.rid | not)) | all(.domain == $d1 and .kernel))
	  and (.[1].attachments | length) == 3' "$OUT/shim-list1.json" "$OUT/shim-list2.json" >/dev/null; then
	pass shim-aux-ops "$P: domains $d1 $d2 on PASIDs $p1 $p2, 68 KiB mapped, replace $p2 -> $d1, as the kernel's handles say"
else
	fail shim-aux-ops "domains ${d1:-?} ${d2:-?} pasids ${p1:-?} ${p2:-?}: $(tr '\n' ';' <"$OUT/shim-aux1.err") $(cat "$OUT/shim-status1.json" "$OUT/shim-list1.json" "$OUT/shim-list2.json" 2>/dev/null | tr '\n' ' ')"
fi
if [[ $nrc -eq 1 ]] && grep -q "$N: it has no PASID capability" "$OUT/shim-nopasid.err" &&
	jq -e '.domains == 0 and .attachments == 0 and .maps == 0' "$OUT/shim-status2.json" >/dev/null &&
	! jq -e -s --arg n "$N" 'any(.[]; .dev == $n and .ret == 0)' "$SLOG" >/dev/null; then
	pass shim-no-pasid "$(cat "$OUT/shim-nopasid.err")"
else
	fail shim-no-pasid "exit $nrc: $(cat "$OUT/shim-nopasid.err"); $(cat "$OUT/shim-status2.json")"
fi
if [[ $mrc -eq 1 ]] && grep -q "no shim domain 99" "$OUT/shim-nodomain.err"; then
	pass shim-bad-domain "$(cat "$OUT/shim-nodomain.err")"
else
	fail shim-bad-domain "exit $mrc: $(cat "$OUT/shim-nodomain.err")"
fi
if [[ $trrc -eq 0 && -n $dt && -n $pt ]] &&
	jq -e -s --argjson d "$dt" --argjson p "$pt" '
	  map(select(.domain == $d and .ret == 0) | "\(.op) \(.pasid)") == ["alloc 0", "attach \($p)", "detach \($p)", "free 0"]' \
		"$SLOG" >/dev/null; then
	pass shim-fd-close "transient domain $dt on PASID $pt: detached and freed when its fd closed"
else
	fail shim-fd-close "exit $trrc, domain ${dt:-?} pasid ${pt:-?}: $(jq -c -s --argjson d "${dt:-0}" 'map(select(.domain == $d))' "$SLOG")"
fi
# the unload undid d3 and d4 (its log), and the kernel has no domain on p3, p4
if [[ $urc -eq 0 && ! -e /sys/module/iommutrace_shim && -n $d3 && -n $d4 ]] &&
	jq -e '.domains == 2 and .attachments == 2 and .maps == 1' "$OUT/shim-status3.json" >/dev/null &&
	jq -e -s --argjson d3 "$d3" --argjson d4 "$d4" --argjson p3 "${p3:-0}" --argjson p4 "${p4:-0}" '
	  (map(select(.op == "free") | .domain) | index($d3) != null and index($d4) != null)
	  and any(.[]; .op == "detach" and .pasid == $p3) and any(.[]; .op == "detach" and .pasid == $p4)
	  and any(.[]; .op == "unmap" and .domain == $d3 and .ret == 0)' "$SLOG" >/dev/null &&
	jq -e -s --argjson p3 "${p3:-0}" --argjson p4 "${p4:-0}" '
	  [.[] | select(.op == "IOMMU_TEST_OP_PASID_CHECK_HWPT" and .matches)] | map(.pasid) | sort == ([$p3, $p4] | sort)' \
		"$OUT/hold.jsonl" >/dev/null; then
	pass shim-unload-clean "domains $d3 $d4 undone at unload; the kernel has no domain on PASIDs $p3 $p4"
else
	fail shim-unload-clean "unload exit $urc ($(cat "$OUT/shim-unload.err")); $(cat "$OUT/shim-status3.json"); $(jq -c 'select(.op == "IOMMU_TEST_OP_PASID_CHECK_HWPT")' "$OUT/hold.jsonl" | tr '\n' ' ')"
fi
[[ $hrc -eq 0 ]] || fail shim-mock-hold "workload exit $hrc ($(tail -n1 "$OUT/hold.err"))"
[[ $trc -eq 0 ]] || fail shim-trace "trace exit $trc ($(tail -n2 "$OUT/shim-trace.err" | tr '\n' ';'))"

# without the shim: the same finding, confirmation unavailable
if bg_start "$OUT/shim-mon2.jsonl" "$OUT/shim-mon2.err" Monitoring "$ITR" monitor --json -F; then
	workload shim-stale2 iommufd-group-replace
	sleep 0.5
	bg_stop
	expect_log shim-confirm-unavailable "$OUT/shim-mon2.jsonl" \
		'[.[] | select(.rule == "stale-hwpt-view")] | length == 1 and .[0].kernel == "unavailable"' \
		"want one stale-hwpt-view, unavailable without the shim: $(jq -c -s 'map(.rule + " " + (.kernel // "-"))' "$OUT/shim-mon2.jsonl")"
fi

# Every operation of the shim's log is one trace event and back: domains
# matched by allocation order (the shim's ids, the trace's hashed ids).
shim_match() { # NAME TRACE SHIMLOG
	local name=$1 why
	why=$(jq -n -r --slurpfile t "$2" --slurpfile s "$3" --arg dev "$P" '
	  def key: [.op, .domain, .pasid, .iova, .length] | map(tostring) | join(" ");
	  def op: {domain_alloc: "alloc", domain_free: "free", pasid_attach: "attach",
	           pasid_detach: "detach", pasid_replace: "replace", map: "map", unmap: "unmap",
	           attach: "attach-rid", detach: "detach-rid"}[.kind];
	  ($s | map(select(.ret == 0 and .dev == $dev))) as $s
	  | ($s | map(select(.op == "alloc")) | map(.domain)) as $ids
	  # in order: each allocation names its (hashed) domain id until the next one
	  | (reduce ($t[] | select(.ret == 0 and op != null
	                          and (.dev == $dev or .kind == "map" or .kind == "unmap" or .kind == "domain_free")))
	      as $e ({m: {}, k: 0, out: []};
	      if $e.kind == "domain_alloc" then .m[$e.domain_id] = $ids[.k] | .k += 1 | .out += [{op: "alloc", domain: $ids[.k - 1], pasid: 0, iova: 0, length: 0}]
	      else (if $e.kind == "pasid_detach" or $e.kind == "detach" then .m[$e.old_domain_id] else .m[$e.domain_id // ""] end) as $d
	        | if $d == null then . else
	          .out += [{op: ($e | op), domain: $d, pasid: ($e.pasid // 0), iova: ($e.iova // 0), length: ($e.size // 0)}] end
	      end)) as $r
	  | ($s | map(key) | sort) as $a | ($r.out | map(key) | sort) as $b
	  | if ($ids | length) == 0 then "the shim logged no allocation"
	    elif ($ids | length) != $r.k then "\($ids | length) allocations logged, \($r.k) traced"
	    elif $a == $b then empty
	    else "shim: \($a | join("; ")) -- trace: \($b | join("; "))" end' 2>&1)
	if [[ -z $why ]]; then
		pass "$name" "$(jq -s --arg d "$P" '[.[] | select(.ret == 0 and .dev == $d)] | length' "$3") operations, one event each"
	else
		fail "$name" "$why"
	fi
}
shim_match shim-trace-matches-log "$OUT/shim-trace.jsonl" "$SLOG"
