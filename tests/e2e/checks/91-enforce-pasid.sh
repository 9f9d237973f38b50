# shellcheck shell=bash
# A PASID's attach and a replace as operations of their own (docs/enforce.md
# "Operations"): VFIO_DEVICE_ATTACH_IOMMUFD_PT with VFIO_DEVICE_ATTACH_PASID
# is `pasid-attach`, of an attached device's RID `replace`, and a rule's
# `attach` names both. On edu (no PASID
# capability) 7.x's driver refuses a PASID attach with its own errno, which
# is the ground truth that a call reached the kernel's driver: under a rule
# refusing pasid-attach to a comm, that comm gets EPERM instead (native and
# 32-bit), its RID attach still works, the audit names the operation and
# the device; a second thread flipping the flags between RID and PASID
# never gets a PASID attach to the driver: the kernel-copy hook
# (bpf/enforce/attach.bpf.c) kills the caller, audited as a race.
# iommufd only: the Debian kernels have no VFIO cdev.
EP=$BUILD/e2e/enfprobe EP32=$BUILD/e2e/enfprobe32
AUDIT=/tmp/enf-pasid-audit.jsonl
T=/tmp/enf-pasid
RACE_S=${ENF_PASID_RACE_S:-10}

if [[ $PROFILE != iommufd ]] || ! have_iommufd; then
	skip enforce-pasid "a VFIO cdev and PASID attach need iommufd (7.x): $PROFILE"
	return
fi
enforce_ready enforce-pasid enfp-bind || return
edu=$(pci_find 0x1234 0x11e8 | head -n1)
cdev=/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev" 2>/dev/null)
[[ -c $cdev ]] || { fail enforce-pasid-cdev "no VFIO cdev for edu $edu"; return; }
# the same comm for both builds: the 32-bit one in its own directory
rm -rf "$T" && mkdir -p "$T/32" && ln -s "$EP" "$T/enf-pasid" && ln -s "$EP32" "$T/32/enf-pasid"

# the driver's own answer to a PASID attach on edu, with no policy
"$EP" attach "$cdev" 1 >"$OUT/enfp-bare.out" 2>&1
drv=$?
if [[ $drv -eq 0 || $drv -eq 1 || $drv -ge 100 ]]; then
	fail enforce-pasid-driver "want the driver's own refusal of a PASID attach on edu: $(cat "$OUT/enfp-bare.out")"
	return
fi
pass enforce-pasid-driver "no policy: $(cat "$OUT/enfp-bare.out")"

policy() { # OPERATION
	cat >"$OUT/enfp.yaml" <<-YAML
	version: 1
	default: allow
	rules:
	  - id: no-pasid
	    subject: {comm: enf-pasid}
	    operations: [$1]
	YAML
}
policy pasid-attach
: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfp-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfp.yaml" --audit "$AUDIT"; then
	fail enforce-pasid-load "$(tail -n2 "$OUT/enfp-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID
L=$OUT/enfp-probe
expect_kv enforce-pasid-denied "pasid=1 errno=1" "$L" "$T/enf-pasid" attach "$cdev" 1
expect_kv enforce-pasid-denied-32 "pasid=1 errno=1" "$L" "$T/32/enf-pasid" attach "$cdev" 1
expect_kv enforce-pasid-rid-allowed "pasid=0 errno=0" "$L" "$T/enf-pasid" attach "$cdev" 0
expect_kv enforce-pasid-other-comm "pasid=1 errno=$drv" "$L" "$EP" attach "$cdev" 1
# the 32-bit probe attaches to IOAS 0 (no compat iommufd): the driver's ENOENT
expect_kv enforce-pasid-other-comm-32 "pasid=1 errno=2" "$L" "$EP32" attach "$cdev" 1
expect_log enforce-pasid-audit "$AUDIT" --arg bdf "$edu" \
	'map(select(.operation.name == "pasid-attach" and .verdict == "denied" and .rule_id == "no-pasid"
		and .object.bdf == $bdf)) | length == 2' \
	"want 2 denied pasid-attach records naming $edu"

# the other door: a second thread flips the flags between RID and PASID
"$T/enf-pasid" race-attach "$cdev" "$RACE_S" >"$OUT/enfp-race.out" 2>"$OUT/enfp-race.err"
rc=$?
got() { sed -n "s/.* $1=\\([0-9]*\\).*/\\1/p" "$OUT/enfp-race.out"; }
killed=$(got killed) reached=$(got pasid_reached) denied=$(got denied) rid=$(got rid_ok)
raced=0
for _ in $(seq 60); do
	raced=$(jq -s --arg bdf "$edu" 'map(select(.race and .verdict == "killed" and .tier == "kernel-copy"
		and .operation.name == "pasid-attach" and .object.bdf == $bdf)) | length' "$AUDIT")
	[[ ${raced:-0} -ge ${killed:-0} ]] && break
	sleep 0.5
done
if [[ $rc -eq 0 && ${reached:-1} -eq 0 && ${denied:-0} -gt 0 && ${rid:-0} -gt 0 && ${raced:-0} -eq ${killed:--1} ]]; then
	pass enforce-pasid-race "$(cat "$OUT/enfp-race.out"); races audited $raced"
else
	fail enforce-pasid-race "exit $rc: $(cat "$OUT/enfp-race.out" "$OUT/enfp-race.err" | tr '\n' ';') races audited ${raced:-?}"
fi
race_won enforce-pasid-race-won "$killed" "$OUT/enfp-race.out"

# a replace alone: the first attach works, the second (the kernel's own
# replace of an attached device) gets EPERM; another comm replaces
policy replace
if "$ITR" enforce --reload --policy "$OUT/enfp.yaml" >"$OUT/enfp-reload.out" 2>&1; then
	expect_kv enforce-replace-denied "attach=0 replace=1" "$L" "$T/enf-pasid" replace "$cdev"
	expect_kv enforce-replace-other-comm "attach=0 replace=0" "$L" "$EP" replace "$cdev"
	expect_kv enforce-replace-pasid-allowed "pasid=1 errno=$drv" "$L" "$T/enf-pasid" attach "$cdev" 1
	expect_log enforce-replace-audit "$AUDIT" --arg bdf "$edu" \
		'map(select(.operation.name == "replace" and .verdict == "denied" and .object.bdf == $bdf)) | length == 1' \
		"want 1 denied replace record naming $edu"
else
	fail enforce-replace-reload "$(tail -n1 "$OUT/enfp-reload.out")"
fi

# a rule's attach names every attach, a PASID's and a replace's too
policy attach
if "$ITR" enforce --reload --policy "$OUT/enfp.yaml" >"$OUT/enfp-reload.out" 2>&1; then
	expect_kv enforce-pasid-attach-covers "pasid=1 errno=1" "$L" "$T/enf-pasid" attach "$cdev" 1
	expect_kv enforce-pasid-attach-rid "pasid=0 errno=1" "$L" "$T/enf-pasid" attach "$cdev" 0
else
	fail enforce-pasid-reload "$(tail -n1 "$OUT/enfp-reload.out")"
fi
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
grep -v '"race":true' "$AUDIT" | head -n 50 >"$OUT/enfp-audit.jsonl"
grep '"race":true' "$AUDIT" >"$OUT/enfp-audit-races.jsonl"
