# shellcheck shell=bash
# Enforcement's executable subjects and device objects (docs/enforce.md,
# "Executables" and "Device objects"):
# - a `bdf` rule refuses VFIO_GROUP_GET_DEVICE_FD of the edu device (the
#   probe's own EPERM) while another device (an e1000) is given; the same
#   from a 32-bit probe (the compat ioctl); the edu device fd got by an
#   allowed process and passed over a unix socket to a denied one is not
#   installed, the e1000's is; on iommufd, the cdev's open (a fresh mknod
#   node's first open too) and bind, native and compat, and a passed cdev;
# - a `driver` rule (vfio-pci) refuses both devices, one naming another
#   driver refuses neither;
# - an `exe` rule refuses its binary, a hard link to it and a symlink to it
#   (same inode), not a copy, and not another binary; one rule names a
#   binary on the guest's overlayfs root, whose stat() st_dev is not its
#   superblock's s_dev (the identity the kernel compares);
# - a missing executable or a bad PCI address: FILE:LINE:COLUMN, exit 2.
# Ground truth: the probes' own errnos, MSG_CTRUNC; the audit names the rules.
DP=$BUILD/e2e/devprobe DP32=$BUILD/e2e/devprobe32 EP=$BUILD/e2e/enfprobe
AUDIT=/tmp/enf-subjects-audit.jsonl
T=/tmp/enf-subj

if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 && $PROFILE != debian-6.1 && -z ${ENF_ALL_PROFILES:-} ]]; then
	skip enforce-subjects "run on iommufd, debian-6.12 and debian-6.1 (ENF_ALL_PROFILES=1 for $PROFILE)"
	return
fi
enforce_ready enforce-subjects enfs-bind || return
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
mapfile -t nics < <(pci_find 0x8086 0x100e)
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
g_edu=$(group_of "$edu") g_nic=$(group_of "${nics[0]}")
[[ -e /dev/vfio/$g_edu && -e /dev/vfio/$g_nic ]] || { fail enforce-subjects-group "no /dev/vfio/$g_edu or /dev/vfio/$g_nic"; return; }

# comm is the name the binary was run by: one symlink per subject; the
# exe rule's binary is a copy in /tmp (a hard link to it, a second copy)
rm -rf "$T" && mkdir -p "$T/32" "$T/exe"
for n in enf-bdf enf-bind enf-drv enf-drv2 enf-sender enf-any; do ln -s "$DP" "$T/$n"; ln -s "$DP32" "$T/32/$n"; done
cp "$DP" "$T/exe/denied" && ln "$T/exe/denied" "$T/exe/hardlink" && cp "$DP" "$T/exe/copy"
ln -s "$T/exe/denied" "$T/exe-symlink"

# the overlay binary's identity: stat() versus its mount's superblock
mnt=$(stat -c %m "$EP" 2>/dev/null)
ident="stat st_dev=$(stat -c %d "$EP") ino=$(stat -c %i "$EP"); mount $mnt: $(awk -v m="$mnt" '$5 == m { d = $3 } END { print d }' /proc/self/mountinfo) ($(awk -v m="$mnt" '$5 == m { t = $9 } END { print t }' /proc/self/mountinfo))"
echo "$ident" >"$OUT/enfs-identity.txt"

cat >"$OUT/enfs.yaml" <<YAML
version: 1
default: allow
rules:
  - id: edu-by-bdf
    subject: {comm: enf-bdf}
    operations: [open-device, get-device-fd]
    object: {bdf: "$edu"}
  - id: bind-by-bdf
    subject: {comm: enf-bind}
    operations: [bind]
    object: {bdf: "$edu"}
  - id: pci-by-driver
    subject: {comm: enf-drv}
    operations: [open-device, get-device-fd]
    object: {driver: vfio-pci}
  - id: other-driver
    subject: {comm: enf-drv2}
    operations: [open-device, get-device-fd]
    object: {driver: vfio-platform}
  - id: getfd-any
    subject: {comm: enf-any}
    operations: [get-device-fd]
  - id: exe-tmp
    subject: {exe: $T/exe/denied}
    operations: [open-group]
  - id: exe-overlay
    subject: {exe: $EP}
    operations: [open-group]
YAML

# bad policies: a missing executable, a bad PCI address
bad_policy() { # NAME WANT-REGEX YAML-RULE
	printf 'rules:\n  - operations: [open-device]\n%s\n' "$3" >"$OUT/enfs-$1.yaml"
	local msg rc
	msg=$("$ITR" enforce --check "$OUT/enfs-$1.yaml" 2>&1)
	rc=$?
	if [[ $rc -eq 2 && $msg =~ $2 ]]; then pass "enforce-subjects-$1" "$msg"; else fail "enforce-subjects-$1" "exit $rc: $msg"; fi
}
bad_policy bad-exe "enfs-bad-exe.yaml:3:20: expected an existing executable: /nonexistent/bin" \
	"    subject: {exe: /nonexistent/bin}"
bad_policy bad-bdf "enfs-bad-bdf.yaml:3:19: expected a PCI address" \
	"    object: {bdf: 00:04.0}"

: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfs-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfs.yaml" --audit "$AUDIT"; then
	fail enforce-subjects-load "$(tail -n2 "$OUT/enfs-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID

# probe NAME WANT CMD...: the probe's line must hold every key=value of WANT
probe() { expect_kv "$1" "$2" "$OUT/enfs-probe" "${@:3}"; }
# device objects at VFIO_GROUP_GET_DEVICE_FD, native and compat
probe enforce-subjects-bdf-edu "ret=-1" "$T/enf-bdf" getfd "$g_edu" "$edu"
probe enforce-subjects-bdf-other "ret=0" "$T/enf-bdf" getfd "$g_nic" "${nics[0]}"
probe enforce-subjects-bdf-compat "bits=32 ret=-1" "$T/32/enf-bdf" getfd "$g_edu" "$edu"
probe enforce-subjects-bdf-compat-other "bits=32 ret=0" "$T/32/enf-bdf" getfd "$g_nic" "${nics[0]}"
probe enforce-subjects-bdf-pass "received=no" "$T/enf-sender" getfd-pass "$g_edu" "$edu" enf-bdf
probe enforce-subjects-bdf-pass-other "received=yes" "$T/enf-sender" getfd-pass "$g_nic" "${nics[0]}" enf-bdf
probe enforce-subjects-driver "ret=-1" "$T/enf-drv" getfd "$g_edu" "$edu"
probe enforce-subjects-driver-nic "ret=-1" "$T/enf-drv" getfd "$g_nic" "${nics[0]}"
probe enforce-subjects-driver-other "ret=0" "$T/enf-drv2" getfd "$g_edu" "$edu"
# no device object: the device is found for the audit record alone
probe enforce-subjects-any "ret=-1" "$T/enf-any" getfd "$g_nic" "${nics[0]}"
# the cdev: open and bind (iommufd)
if have_iommufd; then
	cdev() { echo "/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$1/vfio-dev")"; }
	c_edu=$(cdev "$edu") c_nic=$(cdev "${nics[0]}")
	probe enforce-subjects-cdev-bdf "open=-1" "$T/enf-bdf" cdev "$c_edu"
	probe enforce-subjects-cdev-bdf-other "open=0 bind=0" "$T/enf-bdf" cdev "$c_nic"
	probe enforce-subjects-cdev-bind "open=0 bind=-1" "$T/enf-bind" cdev "$c_edu"
	probe enforce-subjects-cdev-bind-compat "bits=32 open=0 bind=-1" "$T/32/enf-bind" cdev "$c_edu"
	probe enforce-subjects-cdev-bind-other "open=0 bind=0" "$T/enf-bind" cdev "$c_nic"
	probe enforce-subjects-cdev-driver "open=-1" "$T/enf-drv" cdev "$c_nic"
	probe enforce-subjects-cdev-pass "received=no" "$EP" pass "$c_edu" enf-bdf
	probe enforce-subjects-cdev-pass-other "received=yes" "$EP" pass "$c_nic" enf-bdf
	# a fresh node's first open: i_cdev is still NULL at file_open, the device is cdev_map's
	mknod "$T/fresh-edu" c $(stat -c '0x%t 0x%T' "$c_edu") && mknod "$T/fresh-nic" c $(stat -c '0x%t 0x%T' "$c_nic")
	probe enforce-subjects-cdev-fresh "open=-1" "$T/enf-bdf" cdev "$T/fresh-edu"
	probe enforce-subjects-cdev-fresh-other "open=0 bind=0" "$T/enf-bdf" cdev "$T/fresh-nic"
else
	skip enforce-subjects-cdev "kernel $(uname -r) has no iommufd (no VFIO cdev)"
fi
# executables: the same inode is refused by any name, a copy is not
probe enforce-subjects-exe "ret=-1" "$T/exe/denied" open "/dev/vfio/$g_edu"
probe enforce-subjects-exe-hardlink "ret=-1" "$T/exe/hardlink" open "/dev/vfio/$g_edu"
probe enforce-subjects-exe-symlink "ret=-1" "$T/exe-symlink" open "/dev/vfio/$g_edu"
probe enforce-subjects-exe-copy "ret=0" "$T/exe/copy" open "/dev/vfio/$g_edu"
probe enforce-subjects-exe-other "ret=0" "$DP" open "/dev/vfio/$g_edu"
probe enforce-subjects-exe-overlay "ret=-1" "$EP" open "/dev/vfio/$g_edu"
echo "overlay binary: $ident" >>"$OUT/enfs-probe.log"

sleep 0.5
expect_log enforce-subjects-audit "$AUDIT" \
	'(map(select(.verdict == "denied")) | group_by(.rule_id) | map({key: .[0].rule_id, value: length}) | from_entries) as $n
	 | ($n["edu-by-bdf"] // 0) >= 3 and ($n["pci-by-driver"] // 0) >= 2 and ($n["exe-tmp"] // 0) == 3
	   and ($n["exe-overlay"] // 0) == 1 and ($n["other-driver"] // 0) == 0
	   and (map(select(.rule_id == "edu-by-bdf" and .tier == "ioctl-compat")) | length) == 1
	   and (map(select(.rule_id == "edu-by-bdf" and .tier == "receive")) | length) >= 1' \
	"want the denials by rule in the audit (edu-by-bdf: ioctl, compat, receive; pci-by-driver 2; exe-tmp 3; exe-overlay 1; other-driver none)"
# the object in the audit: the device the probe asked for (its own log), its
# driver and IOMMU group as sysfs has them; a group's denial names its group
any_name=$(sed -n 's/^enforce-subjects-any: .* name=\([^ ]*\) .*/\1/p' "$OUT/enfs-probe.log" | tail -n1)
drv_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/driver")")
expect_log enforce-subjects-audit-object "$AUDIT" --arg edu "$edu" --arg nic "${nics[0]}" \
	--arg any "$any_name" --arg drv "$drv_edu" --argjson ge "$g_edu" --argjson gn "$g_nic" \
	'map(select(.verdict == "denied")) as $d
	 | ($d | map(select(.rule_id == "edu-by-bdf"))) as $e
	 | ($d | map(select(.rule_id == "getfd-any"))) as $a
	 | ($e | length) >= 3 and $any == $nic
	   and all($e[]; .object.bdf == $edu and .object.driver == $drv and .object.iommu_group == $ge)
	   and ($e | map(.object.kind) | unique) - ["group", "device", "device-fd"] == []
	   and ($a | length) == 1 and $a[0].object.bdf == $any and $a[0].object.iommu_group == $gn
	   and $a[0].object.kind == "group"
	   and ($d | map(select(.rule_id == "pci-by-driver") | .object.bdf) | unique) == ([$edu, $nic] | sort)
	   and all($d[] | select(.rule_id == "exe-tmp"); .object.kind == "group" and .object.iommu_group == $ge
	           and (.object | has("bdf") | not))' \
	"want each denial's object: edu-by-bdf $edu ($drv_edu, group $g_edu), getfd-any the probe's own $any_name (group $g_nic), pci-by-driver both, exe-tmp group $g_edu"
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
cp "$AUDIT" "$OUT/enfs-audit.jsonl"
rm -rf "$T"
