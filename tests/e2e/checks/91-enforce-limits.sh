# shellcheck shell=bash
# Enforcement's limits beyond map payloads (docs/enforce.md).
# The pinned-bytes cap ("The pinned-bytes cap"):
# a capped subject cannot map while its RLIMIT_MEMLOCK is above the cap,
# cannot raise it (EPERM), has no CAP_IPC_LOCK (root's mlock past the limit
# fails), and a map past the cap gets the kernel's own ENOMEM, with the
# kernel's own accounting (VmLck for type1, VmPin for iommufd) showing
# only what fitted; the same through the 32-bit compat path and with a
# container passed over a unix socket; an uncapped subject is unaffected;
# prlimit(2) on another process judges that process, by comm and by cgroup
# (/proc/PID/limits).
# Ground truth: the errno of each call and /proc/PID/status, as the probe
# (tests/workload/enforce/memprobe.c) reads them.
# iommufd: a replace that would leave the other e1000 of the pair's group on
# a stale HWPT is refused (the workload's own errno; the kernel's
# attach_device_to_domain shows that device never moved), while a replace
# in the edu device's one-device group is allowed; a 32-bit caller and a
# process given the cdev over a unix socket are refused the same way.
MP=$BUILD/e2e/memprobe MP32=$BUILD/e2e/memprobe32
CAP=0x100000 CAP_KB=1024
AUDIT=/tmp/enf-limits-audit.jsonl

if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 && $PROFILE != debian-6.1 && -z ${ENF_ALL_PROFILES:-} ]]; then
	skip enforce-limits "run on iommufd, debian-6.12 and debian-6.1 (ENF_ALL_PROFILES=1 for $PROFILE)"
	return
fi
enforce_ready enforce-limits enfl-bind || return
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
g_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
[[ -e /dev/vfio/$g_edu ]] || { fail enforce-limits-group "no /dev/vfio/$g_edu"; return; }

CG=/sys/fs/cgroup/enfl-capped
mkdir -p "$CG" || { fail enforce-limits-cgroup "cannot create $CG"; return; }
cat >"$OUT/enfl.yaml" <<YAML
version: 1
default: allow
rules:
  - id: tenant-cap
    subject: {comm: enf-capped}
    operations: [map]
    limits: {max-pinned: $CAP}
  - id: cgroup-cap
    subject: {cgroup: $CG}
    operations: [map]
    limits: {max-pinned: $CAP}
  - id: no-stale-view
    operations: [attach]
    limits: {stale-hwpt-view: forbid}
YAML
: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfl-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfl.yaml" --audit "$AUDIT"; then
	fail enforce-limits-load "$(tail -n2 "$OUT/enfl-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID

# probe NAME WANT CMD...: run the probe; its line's fields must be WANT
# ("key=value ..."; errno values: 1 EPERM, 12 ENOMEM)
probe() { expect_kv "$1" "$2" "$OUT/enfl-probe" "${@:3}"; }
CAPPED="map_high=1 lower=0 raise=1 mlock=12 map_in=0 map_over=12"
FREE="map_high=0 lower=0 raise=0 mlock=0 map_in=0 map_over=0"
HALF=$((CAP_KB / 2)) OVER=$((CAP_KB / 2 + CAP_KB))
probe enforce-limits-type1-capped "$CAPPED dlck_in=$HALF dlck_over=$HALF" \
	"$MP" type1 enf-capped "$g_edu" $CAP
probe enforce-limits-type1-free "$FREE dlck_in=$HALF dlck_over=$OVER" \
	"$MP" type1 enf-free "$g_edu" $CAP
probe enforce-limits-compat-capped "bits=32 $CAPPED dlck_in=$HALF dlck_over=$HALF" \
	"$MP32" type1 enf-capped "$g_edu" $CAP
probe enforce-limits-pass-capped "$CAPPED dlck_in=$HALF dlck_over=$HALF" \
	"$MP" type1-pass enf-capped "$g_edu" $CAP

# prlimit(2) on another process judges that process (its comm, its cgroup),
# not the caller: /proc/PID/limits is the kernel's answer
memlock_of() { awk '/^Max locked memory/ { print $4 }' "/proc/$1/limits"; }
prl() { # NAME PID WANT-SET-ABOVE(0 ok, 1 refused)
	local name=$1 pid=$2 want=$3 above below after why
	why=$(prlimit --pid "$pid" --memlock=$((2 * CAP)):unlimited 2>&1)
	above=$?
	echo "$why" >>"$OUT/enfl-prlimit.err"
	[[ $above -eq 0 || $why == *"Operation not permitted"* ]] || above="$above ($why)"
	prlimit --pid "$pid" --memlock=$((CAP)):unlimited 2>>"$OUT/enfl-prlimit.err"
	below=$?
	prlimit --pid "$pid" --memlock=$((2 * CAP)):unlimited 2>>"$OUT/enfl-prlimit.err"
	after=$(memlock_of "$pid")
	if [[ $want -eq 1 && $above -ne 0 && $below -eq 0 && $after -eq $((CAP)) ]] ||
	   [[ $want -eq 0 && $above -eq 0 && $below -eq 0 && $after -eq $((2 * CAP)) ]]; then
		pass "$name" "above the cap: exit $above, at the cap: exit $below; /proc/$pid/limits: $after"
	else
		fail "$name" "above the cap: exit $above, at the cap: exit $below; /proc/$pid/limits: $after"
	fi
}
cp /bin/sleep /tmp/enf-capped
/tmp/enf-capped 60 &
p_comm=$!
sleep 60 &
p_cg=$!
echo "$p_cg" >"$CG/cgroup.procs"
sleep 60 &
p_free=$!
prl enforce-limits-prlimit-comm $p_comm 1
prl enforce-limits-prlimit-cgroup $p_cg 1
prl enforce-limits-prlimit-free $p_free 0
kill $p_comm $p_cg $p_free 2>/dev/null
wait $p_comm $p_cg $p_free 2>/dev/null

# The daemon sets the limit (user/enforce/memlock.c): a capped subject that
# opens a VFIO file with RLIMIT_MEMLOCK above the cap has its soft limit set
# to the cap before it maps; an uncapped one keeps its own. The opener is a
# script named after the subject, which reads its own /proc/PID/limits (the
# kernel's answer) for up to 5 s after the open.
mkdir -p /tmp/enfl-open
cat >/tmp/enfl-open/opener <<'SH'
#!/bin/bash
# opener CAP: open the VFIO container, then wait for the soft limit to be CAP
l0=$(awk '/^Max locked memory/ { print $4 }' /proc/$$/limits)
exec 3<>/dev/vfio/vfio || exit 100
for _ in $(seq 50); do
	l=$(awk '/^Max locked memory/ { print $4 }' /proc/$$/limits)
	[[ $l == "$1" ]] && break
	sleep 0.1
done
echo "op=open-limit pid=$$ before=$l0 after=$l"
SH
chmod +x /tmp/enfl-open/opener
cp /tmp/enfl-open/opener /tmp/enfl-open/enf-capped
cp /tmp/enfl-open/opener /tmp/enfl-open/enf-free
l0=$(awk '/^Max locked memory/ { print $4 }' /proc/self/limits)
probe enforce-limits-daemon-lowers "before=$l0 after=$((CAP))" /tmp/enfl-open/enf-capped $((CAP))
probe enforce-limits-daemon-leaves-free "before=$l0 after=$l0" /tmp/enfl-open/enf-free $((CAP))
pid=$(sed -n 's/^enforce-limits-daemon-lowers: op=open-limit pid=\([0-9]*\).*/\1/p' "$OUT/enfl-probe.log")
expect_log enforce-limits-daemon-audit "$AUDIT" --argjson pid "${pid:-0}" --arg cap "$(printf '0x%x' $((CAP)))" \
	'map(select(.pid == $pid and .rule_id == "tenant-cap" and .operation.name == "set-memlock")) as $r
	 | ($r | map(select(.verdict == "over-cap" and .tier == "open")) | length) == 1 and
	   ($r | map(select(.verdict == "lowered" and .operation.memlock == $cap)) | length) == 1' \
	"want one over-cap record (tier open) and one lowered record to $CAP for the opener (pid ${pid:-?})"

if have_iommufd; then
	cdev=/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev")
	probe enforce-limits-ioas-capped "$CAPPED dpin_in=$HALF dpin_over=$HALF" \
		"$MP" ioas enf-capped "$cdev" $CAP
	probe enforce-limits-ioas-free "$FREE dpin_in=$HALF dpin_over=$OVER" \
		"$MP" ioas enf-free "$cdev" $CAP
	# the stale view: the pair's replace refused, the edu device's allowed
	mapfile -t nics < <(pci_find 0x8086 0x100e)
	tp_begin
	workload enfl-stale iommufd-group-replace
	rc=$?
	tp_end "$OUT/enfl-stale.trace"
	attaches=$(jq -s --arg d "${nics[0]}" '[.[] | select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .ret == 0 and (.replace | not))] | length' "$OUT/enfl-stale.jsonl")
	# the refused replace's window: from its start to the workload's next operation
	read -r denied t0 t1 < <(jq -rs --arg d "${nics[0]}" '(map(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .bdf == $d and .ret != 0 and (.errno == 1 or .errno == -1)) | index(true)) as $i
		| if $i == null then "0 0 0" else "1 \(.[$i].ts_ns) \(.[$i + 1].ts_ns // .[$i].ts_ns + 1000000000)" end' "$OUT/enfl-stale.jsonl")
	moved=$(awk -v d="device=${nics[1]}" -v t0="${t0:-0}" -v t1="${t1:-0}" '
		/attach_device_to_domain:/ && index($0, d) {
			for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { ts = substr($i, 1, length($i) - 1) * 1e9 }
			if (ts >= t0 && ts <= t1) n++
		} END { print n + 0 }' "$OUT/enfl-stale.trace")
	if [[ $rc -ne 0 && $denied == 1 && $attaches -eq 2 && $moved -eq 0 ]]; then
		pass enforce-limits-stale-denied "the replace of ${nics[0]} got EPERM after 2 first attaches; ${nics[1]} never moved (tracefs)"
	else
		fail enforce-limits-stale-denied "workload exit $rc, replace refused: ${denied:-?}, first attaches $attaches, ${nics[1]} moved $moved times during it"
	fi
	workload enfl-single iommufd-basic
	rc=$?
	n=$(jq -s '[.[] | select(.op == "VFIO_DEVICE_ATTACH_IOMMUFD_PT" and .replace == true and .ret == 0)] | length' "$OUT/enfl-single.jsonl")
	if [[ $rc -eq 0 && $n -ge 1 ]]; then
		pass enforce-limits-stale-single "a replace in a one-device group: allowed ($n)"
	else
		fail enforce-limits-stale-single "workload exit $rc, $n replaces: $(tail -n1 "$OUT/enfl-single.err")"
	fi
	# no way around it: from 32-bit (compat ioctl), or with the cdev passed to another process
	cdevs=()
	for n in "${nics[@]:0:2}"; do cdevs+=("/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$n/vfio-dev")"); done
	probe enforce-limits-stale-compat "bits=32 replace=1" "$MP" stale-compat enf-stale "${cdevs[@]}"
	probe enforce-limits-stale-pass "passed=1 replace=1" "$MP" stale-pass enf-stale "${cdevs[@]}"
else
	skip enforce-limits-ioas "kernel $(uname -r) has no iommufd"
fi
sleep 0.5
expect_log enforce-limits-audit "$AUDIT" \
	'[.[] | select(.rule_id == "tenant-cap" and .verdict == "denied")] as $d
	 | ($d | map(select(.tier == "capable" and .operation.name == "cap-ipc-lock")) | length) >= 1 and
	   ($d | map(select(.tier == "setrlimit" and .operation.memlock == "0x200000")) | length) >= 1 and
	   ($d | map(select(.tier == "ioctl" and .operation.name == "map")) | length) >= 1 and
	   ($d | map(select(.tier == "ioctl-compat")) | length) >= 1 and
	   all($d[]; .comm == "enf-capped" or (.comm == "prlimit" and .tier == "setrlimit"))' \
	"a cap denial is missing from the audit (capable, setrlimit, ioctl, compat) or names another comm"
if have_iommufd; then
	expect_log enforce-limits-stale-audit "$AUDIT" \
		'[.[] | select(.rule_id == "no-stale-view" and .verdict == "denied" and .operation.name == "replace")]
		 | length == 3 and (map(select(.tier == "ioctl-compat")) | length) == 1' \
		"want three denied replaces (an attached device's attach) by no-stale-view in the audit, one of them compat"
fi
"$ITR" enforce --status >"$OUT/enfl-status.txt" 2>&1
if grep -Eq '^1 +tenant-cap +deny +.*capable\+setrlimit +[0-9]+ +[1-9]' "$OUT/enfl-status.txt"; then
	pass enforce-limits-status
else
	fail enforce-limits-status "$(tr '\n' ';' <"$OUT/enfl-status.txt")"
fi
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
head -n 100 "$AUDIT" >"$OUT/enfl-audit.jsonl"
rmdir "$CG" 2>/dev/null
