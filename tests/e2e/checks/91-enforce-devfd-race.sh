# shellcheck shell=bash
# VFIO_GROUP_GET_DEVICE_FD's name decided again on the kernel's copy
# (docs/enforce.md "Device objects", bpf/enforce/devfd.bpf.c): a `bdf` rule
# refuses one of the two e1000s of one IOMMU group to a comm; a probe's
# children call GET_DEVICE_FD in a loop while a second thread flips the
# name between the allowed e1000 and the refused one. The gate reads the
# name from user memory; where the kernel's copy names the refused device,
# the device fd's hook (anon_inode_getfile, or _fmode on 7.x) kills the
# caller before the fd is its.
# Ground truth: each fd a child got is identified by its BAR 0 (read from
# its config space through the fd) against sysfs: no fd of the refused
# device is ever held; the children the kernel killed (waitpid) equal the
# races audited, each naming the refused device.
DP=$BUILD/e2e/devprobe
AUDIT=/tmp/enf-devfd-audit.jsonl
T=/tmp/enf-devfd
RACE_S=${ENF_DEVFD_RACE_S:-15}

if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 && $PROFILE != debian-6.1 && -z ${ENF_ALL_PROFILES:-} ]]; then
	skip enforce-devfd-race "run on iommufd, debian-6.12 and debian-6.1 (ENF_ALL_PROFILES=1 for $PROFILE)"
	return
fi
enforce_ready enforce-devfd-race enfd-bind || return
modprobe vfio_iommu_type1 2>/dev/null
mapfile -t nics < <(pci_find 0x8086 0x100e)
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
ok=${nics[0]} bad=${nics[1]}
g=$(group_of "$ok")
if [[ -z $bad || $(group_of "$bad") != "$g" || ! -e /dev/vfio/$g ]]; then
	fail enforce-devfd-race-group "want two e1000s in one VFIO group: ${nics[*]}"
	return
fi
rm -rf "$T" && mkdir -p "$T" && ln -s "$DP" "$T/enf-race"
cat >"$OUT/enfd.yaml" <<YAML
version: 1
default: allow
rules:
  - id: nic-b
    subject: {comm: enf-race}
    operations: [get-device-fd]
    object: {bdf: "$bad"}
YAML
: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfd-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfd.yaml" --audit "$AUDIT"; then
	fail enforce-devfd-race-load "$(tail -n2 "$OUT/enfd-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID
attached=""
for l in /sys/fs/bpf/iommutrace/link_*enf_devfd*; do [[ -e $l ]] && attached+="${l##*/} "; done

# which hook judged: the kernel's own run counts of the two programs
# (one runs for the device fds, the other only for other anonymous files)
runs() {
	[[ -e /sys/fs/bpf/iommutrace/prog_$1 ]] || { echo "absent,"; return; }
	bpftool -j prog show pinned "/sys/fs/bpf/iommutrace/prog_$1" 2>/dev/null | jq -r '"\(.run_cnt // 0) runs,"'
}
stats=$(sysctl -n kernel.bpf_stats_enabled 2>/dev/null)
sysctl -qw kernel.bpf_stats_enabled=1 2>/dev/null
"$T/enf-race" getfd-race "$g" "$ok" "$bad" "$RACE_S" >"$OUT/enfd-race.out" 2>"$OUT/enfd-race.err"
rc=$?
r1=$(runs fentry_enf_devfd) r2=$(runs fentry_enf_devfd_fmode)
hook="anon_inode_getfile: $r1 anon_inode_getfile_fmode: $r2"
sysctl -qw kernel.bpf_stats_enabled="${stats:-0}" 2>/dev/null
echo "kernel $(uname -r): $hook" >"$OUT/enfd-hook.txt"
got() { sed -n "s/.* $1=\\([0-9]*\\).*/\\1/p" "$OUT/enfd-race.out"; }
killed=$(got killed) got_ok=$(got got_ok) got_bad=$(got got_bad) unknown=$(got got_unknown) denied=$(got denied)
raced=0
for _ in $(seq 60); do
	raced=$(jq -s --arg bad "$bad" 'map(select(.race and .verdict == "killed" and .rule_id == "nic-b"
		and .tier == "kernel-copy" and .object.bdf == $bad and .operation.name == "get-device-fd")) | length' "$AUDIT")
	[[ ${raced:-0} -ge ${killed:-0} ]] && break
	sleep 0.5
done
races_all=$(jq -s 'map(select(.race)) | length' "$AUDIT")
# one of the two programs ran for every device fd made (got, or killed for)
made=$(( ${got_ok:-0} + ${killed:-0} )) ran=0
for n in "${r1%% *}" "${r2%% *}"; do [[ $n =~ ^[0-9]+$ && $n -ge $made ]] && ran=1; done
if [[ $rc -eq 0 && -n $killed && ${got_bad:-1} -eq 0 && ${got_ok:-0} -gt 0 && ${unknown:-1} -eq 0 &&
      ${denied:-0} -gt 0 && $raced -eq $killed && $races_all -eq $killed && -n $attached && $ran -eq 1 ]]; then
	pass enforce-devfd-race "$(cat "$OUT/enfd-race.out"); races audited $raced; $hook"
else
	fail enforce-devfd-race "exit $rc: $(cat "$OUT/enfd-race.out" "$OUT/enfd-race.err" | tr '\n' ' '); races audited $raced of ${killed:-?} (all races $races_all); links: ${attached:-none}; $hook"
fi
race_won enforce-devfd-race-won "$killed" "$OUT/enfd-race.out"
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
cp "$AUDIT" "$OUT/enfd-audit.jsonl"
rm -rf "$T"
