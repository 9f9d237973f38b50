# shellcheck shell=bash
# Enforcement's pinned-bytes cap (docs/enforce.md, "The pinned-bytes cap"):
# a capped subject cannot map while its RLIMIT_MEMLOCK is above the cap,
# cannot raise it (EPERM), has no CAP_IPC_LOCK (root's mlock past the limit
# fails), and a map past the cap gets the kernel's own ENOMEM, with the
# kernel's own accounting (VmLck for type1, VmPin for iommufd) showing
# only what fitted; the same through the 32-bit compat path and with a
# container passed over a unix socket; an uncapped subject is unaffected.
# Ground truth: the errno of each call and /proc/PID/status, as the probe
# (tests/workload/enforce/memprobe.c) reads them.
MP=$BUILD/e2e/memprobe MP32=$BUILD/e2e/memprobe32
CAP=0x100000 CAP_KB=1024
AUDIT=/tmp/enf-limits-audit.jsonl

if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 && -z ${ENF_ALL_PROFILES:-} ]]; then
	skip enforce-limits "run on iommufd and debian-6.12 (ENF_ALL_PROFILES=1 for $PROFILE)"
	return
fi
if [[ -r /sys/kernel/security/lsm ]] && ! grep -qw bpf /sys/kernel/security/lsm; then
	fail enforce-limits-lsm "'bpf' is not in /sys/kernel/security/lsm"
	return
fi
"$ITR" enforce --stop >/dev/null 2>&1
workload enfl-bind bind || { fail enforce-limits-bind "workload bind failed"; return; }
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
g_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
[[ -e /dev/vfio/$g_edu ]] || { fail enforce-limits-group "no /dev/vfio/$g_edu"; return; }

cat >"$OUT/enfl.yaml" <<YAML
version: 1
default: allow
rules:
  - id: tenant-cap
    subject: {comm: enf-capped}
    operations: [map]
    limits: {max-pinned: $CAP}
YAML
: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfl-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfl.yaml" --audit "$AUDIT"; then
	fail enforce-limits-load "$(tail -n2 "$OUT/enfl-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID

# probe NAME WANT CMD...: run the probe; its line's fields must be WANT
# ("key=value ..."; errno values: 1 EPERM, 12 ENOMEM)
probe() {
	local name=$1 want=$2 got kv bad=""
	shift 2
	got=$("$@" 2>>"$OUT/enfl-probe.err")
	echo "$got" >>"$OUT/enfl-probe.log"
	for kv in $want; do
		[[ " $got " == *" $kv "* ]] || bad+=" $kv"
	done
	if [[ -n $got && -z $bad ]]; then
		pass "$name" "$got"
	else
		fail "$name" "want$bad in: ${got:-no output ($(tail -n1 "$OUT/enfl-probe.err"))}"
	fi
}
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
if have_iommufd; then
	cdev=/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev")
	probe enforce-limits-ioas-capped "$CAPPED dpin_in=$HALF dpin_over=$HALF" \
		"$MP" ioas enf-capped "$cdev" $CAP
	probe enforce-limits-ioas-free "$FREE dpin_in=$HALF dpin_over=$OVER" \
		"$MP" ioas enf-free "$cdev" $CAP
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
	   all($d[]; .comm == "enf-capped")' \
	"a cap denial is missing from the audit (capable, setrlimit, ioctl, compat) or names another comm"
"$ITR" enforce --status >"$OUT/enfl-status.txt" 2>&1
if grep -Eq '^1 +tenant-cap +deny +.*capable\+setrlimit +[0-9]+ +[1-9]' "$OUT/enfl-status.txt"; then
	pass enforce-limits-status
else
	fail enforce-limits-status "$(tr '\n' ';' <"$OUT/enfl-status.txt")"
fi
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
head -n 100 "$AUDIT" >"$OUT/enfl-audit.jsonl"
