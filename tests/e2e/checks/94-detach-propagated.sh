# shellcheck shell=bash
# detach-not-propagated on a real kernel (docs/findings.md, docs/shim.md):
# a PASID the IOMMU core holds on edu (attached by the kernel shim; 7.x's
# core takes a PASID on a device without PASID support and records it for
# the group) is "detached" through edu's VFIO cdev
# (VFIO_DEVICE_DETACH_IOMMUFD_PT with VFIO_DEVICE_DETACH_PASID): vfio-pci
# finds no attachment of its own, returns success, and never reaches the
# core. `monitor` must say detach-not-propagated exactly once, for that
# PASID, confirmed by the kernel; a VFIO detach of a PASID nobody attached
# is not judged. Ground truth the tool did not produce: the workload's own
# log (the ioctl returned 0), the shim's log (its attach; no detach of that
# PASID before its own at the end), the kernel's attach handle read back
# through the shim (`aux list`: the PASID still has the domain after the
# VFIO detach, and none after the shim's).
KO=$BUILD/shim/$PROFILE/iommutrace_shim.ko
PASID=7 STRAY=9
if ! have_iommufd; then
	skip detach-propagated "kernel $(uname -r) has no iommufd (no VFIO PASID detach)"
	return 0
fi
if [[ ! -e $KO ]]; then
	skip detach-propagated "no shim built for $PROFILE (make shim SHIM_PROFILES=$PROFILE)"
	return 0
fi
"$ITR" shim unload >/dev/null 2>&1
workload dnp-bind bind || { fail dnp-bind "workload bind failed"; return 0; }
echo "itr-e2e-dnp-mark" >/dev/kmsg
"$ITR" shim load >"$OUT/dnp-shim-load.out" 2>&1 || { fail dnp-shim-load "$(cat "$OUT/dnp-shim-load.out")"; return 0; }
aux() { "$ITR" aux "$@" 2>>"$OUT/dnp-aux.err"; }

if ! bg_start "$OUT/dnp-mon.jsonl" "$OUT/dnp-mon.err" Monitoring "$ITR" monitor --json -F; then
	fail detach-propagated "monitor: $(tail -n2 "$OUT/dnp-mon.err" | tr '\n' ';')"
	"$ITR" shim unload
	return 0
fi
MON=$BG_PID
FIFO=$(mktemp -u /tmp/itr-dnp.XXXXXX)
mkfifo "$FIFO"
"$WORKLOAD" --log "$OUT/dnp-hold.jsonl" edu-pasid-hold <"$FIFO" >"$OUT/dnp-hold.out" 2>"$OUT/dnp-hold.err" &
HOLD=$!
exec 8>"$FIFO"
for _ in $(seq 100); do
	[[ -s $OUT/dnp-hold.out ]] && break
	kill -0 "$HOLD" 2>/dev/null || break
	sleep 0.1
done
read -r EDU <"$OUT/dnp-hold.out"
# answered by the workload with "detached N RET"
vfio_detach() { # PASID
	echo "detach $1" >&8
	for _ in $(seq 100); do
		grep -q "^detached $1 " "$OUT/dnp-hold.out" && break
		sleep 0.1
	done
	sed -n "s/^detached $1 \(-\{0,1\}[0-9]*\)$/\1/p" "$OUT/dnp-hold.out"
}

d=$(aux alloc "$EDU" --core-only | awk '$1 == "domain" { print $2 }')
aux attach "$d" --pasid $PASID >/dev/null
aux list "$EDU" --json >"$OUT/dnp-list1.json"
r1=$(vfio_detach $PASID)
aux list "$EDU" --json >"$OUT/dnp-list2.json"
r2=$(vfio_detach $STRAY)
aux free "$d" >/dev/null
aux list "$EDU" --json >"$OUT/dnp-list3.json"
exec 8>&-
wait "$HOLD"
hrc=$?
sleep 0.5
BG_PID=$MON
bg_stop
"$ITR" shim unload >/dev/null 2>>"$OUT/dnp-aux.err"
dmesg | sed -n '/itr-e2e-dnp-mark/,$p' | grep 'iommutrace_shim: op=' >"$OUT/dnp-shim.log"

# the kernel's own view: the PASID has the domain before and after the VFIO detach, not after the free
held() { jq -e --argjson p $PASID --argjson d "${d:-0}" 'any(.attachments[]; .pasid == $p and .domain == $d and .kernel)' "$1" >/dev/null; }
if [[ -n $d && $r1 == 0 && $r2 == 0 && $hrc -eq 0 ]] && held "$OUT/dnp-list1.json" && held "$OUT/dnp-list2.json" &&
	! held "$OUT/dnp-list3.json" &&
	grep -q "op=attach dev=$EDU domain=$d old=0 pasid=$PASID .* ret=0" "$OUT/dnp-shim.log" &&
	[[ $(grep -c "op=detach dev=$EDU domain=$d old=0 pasid=$PASID " "$OUT/dnp-shim.log") -eq 1 ]] &&
	jq -e -s --argjson p $PASID 'any(.[]; .op == "VFIO_DEVICE_DETACH_IOMMUFD_PT" and .pasid == $p and .ret == 0)' "$OUT/dnp-hold.jsonl" >/dev/null; then
	pass dnp-kernel-truth "$EDU: domain $d on PASID $PASID, VFIO detach returned $r1, the core still had it; the shim's detach took it"
else
	fail dnp-kernel-truth "domain ${d:-?}, VFIO detach ${r1:-?}/${r2:-?}, workload exit $hrc: $(tr '\n' ';' <"$OUT/dnp-aux.err") $(tail -n1 "$OUT/dnp-hold.err")"
fi
expect_log detach-not-propagated "$OUT/dnp-mon.jsonl" --arg dev "$EDU" --argjson p $PASID \
	'[.[] | select(.rule == "detach-not-propagated")] as $f
	 | ($f | length) == 1 and $f[0].objects.device == $dev and $f[0].objects.pasid == $p
	   and $f[0].kernel == "confirmed"' \
	"want exactly one detach-not-propagated for $EDU PASID $PASID, confirmed by kernel: $(jq -c -s 'map(.rule + " " + .message + " " + (.kernel // "-"))' "$OUT/dnp-mon.jsonl")"
