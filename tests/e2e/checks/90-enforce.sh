# shellcheck shell=bash
# Enforcement mode (docs/enforce.md): each rule kind denies the violating
# operation (the probe sees EPERM) and allows the compliant one; a 32-bit
# caller goes through the compat gate; an fd passed to a denied process is
# refused; the map race leaves no forbidden mapping (the kernel's own
# iommu:map tracepoint and final state) and every race is audited; kill -9
# of the daemon leaves the rules working and a restart adopts them; a
# reload under a tight loop of denied opens lets none through; a bad
# policy on reload leaves the old one in force; --stop removes everything.
# Ground truth: the probe's own errno, the kernel's tracepoints and mapping
# state, bpffs. ENF_RACE_SECONDS (default 8) bounds each race run (up to 3x
# until a race is won); a run must see gate denials, and *-won says whether
# a race was won at all (a skip when none was: the kill path went unproven
# on that run, while the no-forbidden-mapping claim still holds).
EP=$BUILD/e2e/enfprobe EP32=$BUILD/e2e/enfprobe32
RACE_S=${ENF_RACE_SECONDS:-8}
OK_IOVA=0x100000 BAD_IOVA=0x40000000
# the audit on the guest's tmpfs (the races write ~10 000 lines a second),
# its first and race lines kept in $OUT
AUDIT=/tmp/enf-audit.jsonl
keep_audit() {
	head -n 200 "$AUDIT" >"$OUT/enf-audit.jsonl"
	grep '"race":true' "$AUDIT" >"$OUT/enf-audit-races.jsonl"
	return 0
}

# Where the check runs: iommufd (all tiers) and debian-6.12 (no iommufd);
# the other stock profiles only with ENF_ALL_PROFILES=1 (make test's time).
if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 && -z ${ENF_ALL_PROFILES:-} ]]; then
	skip enforce "run on iommufd and debian-6.12 (ENF_ALL_PROFILES=1 for $PROFILE)"
	return
fi

enforce_ready enforce enf-bind || return
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
pair=$(pci_find 0x8086 0x100e | head -n1)
g_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
g_pair=$(basename "$(readlink "/sys/bus/pci/devices/$pair/iommu_group")")
[[ -e /dev/vfio/$g_edu && -e /dev/vfio/$g_pair ]] || { fail enforce-groups "no /dev/vfio/$g_edu or $g_pair"; return; }

# policy FILE GROUP: the test policy; the first rule's id varies with $3
policy() {
	cat >"$1" <<-YAML
	version: 1
	default: allow
	rules:
	  - id: ${3:-no-pair-group}
	    operations: [open-group]
	    object: {group: $2}
	  - id: denied-comm
	    subject: {comm: enf-denied}
	    operations: [open-container, open-group, open-device, open-iommufd, get-device-fd]
	  - id: low-iova
	    operations: [map]
	    limits:
	      max-size: 0x200000
	      iova: {allow: [[0, 0x3fffffff]]}
	    action: deny
	YAML
}
policy "$OUT/enf-a.yaml" "$g_pair"
policy "$OUT/enf-b.yaml" "$g_pair" no-pair-group-b
printf 'version: 1\nrules:\n  - operations: [open-group]\n    object: {grup: 1}\n' >"$OUT/enf-bad.yaml"

"$ITR" enforce --check "$OUT/enf-bad.yaml" 2>"$OUT/enf-check.err"
rc=$?
if [[ $rc -eq 2 ]] && grep -q "enf-bad.yaml:4:14: unknown key 'grup'" "$OUT/enf-check.err"; then
	pass enforce-check-bad
else
	fail enforce-check-bad "exit $rc: $(cat "$OUT/enf-check.err")"
fi

: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enf-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enf-a.yaml" --audit "$AUDIT"; then
	fail enforce-load "$(tail -n2 "$OUT/enf-daemon.err" | tr '\n' ';')"
	keep_audit
	return
fi
pass enforce-load "$(grep -c . "$OUT/enf-daemon.err") lines: $(tr '\n' ';' <"$OUT/enf-daemon.err")"
DAEMON=$BG_PID

# expect NAME WANT-EXIT CMD...: the probe's exit status (its errno) is WANT
expect() {
	local name=$1 want=$2 rc
	shift 2
	"$@" >>"$OUT/enf-probe.log" 2>&1
	rc=$?
	if [[ $rc -eq $want ]]; then pass "$name"; else fail "$name" "exit $rc, want $want: $(tail -n1 "$OUT/enf-probe.log")"; fi
}
expect enforce-open-group-denied 1 "$EP" open "/dev/vfio/$g_pair"
expect enforce-open-group-allowed 0 "$EP" open "/dev/vfio/$g_edu"
expect enforce-map-iova-denied 1 "$EP" type1 "$g_edu" $BAD_IOVA 0x1000
expect enforce-map-size-denied 1 "$EP" type1 "$g_edu" $OK_IOVA 0x400000
expect enforce-map-allowed 0 "$EP" type1 "$g_edu" $OK_IOVA 0x1000
expect enforce-compat-map-denied 1 "$EP32" type1 "$g_edu" $BAD_IOVA 0x1000
expect enforce-compat-map-allowed 0 "$EP32" type1 "$g_edu" $OK_IOVA 0x1000
expect enforce-fd-pass-denied 1 "$EP" pass /dev/vfio/vfio enf-denied
expect enforce-fd-pass-allowed 0 "$EP" pass /dev/vfio/vfio enf-allowed
if have_iommufd; then
	expect enforce-ioas-map-denied 1 "$EP" ioas $BAD_IOVA 0x1000
	expect enforce-ioas-map-allowed 0 "$EP" ioas $OK_IOVA 0x1000
	expect enforce-open-iommufd-denied 1 "$EP" pass /dev/iommu enf-denied
else
	skip enforce-ioas "kernel $(uname -r) has no iommufd"
fi
sleep 0.5
expect_log enforce-audit "$AUDIT" \
	'[.[] | select(.verdict == "denied")] as $d
	 | ($d | map(select(.rule_id == "no-pair-group" and .tier == "open")) | length) >= 1 and
	   ($d | map(select(.rule_id == "low-iova" and .tier == "ioctl" and .operation.iova == "0x40000000")) | length) >= 1 and
	   ($d | map(select(.rule_id == "low-iova" and .operation.size == "0x400000")) | length) >= 1 and
	   ($d | map(select(.rule_id == "low-iova" and .tier == "ioctl-compat")) | length) >= 1 and
	   ($d | map(select(.rule_id == "denied-comm" and .tier == "receive" and .comm == "enf-denied")) | length) >= 1 and
	   all($d[]; .pid > 0 and .uid == 0 and .cgroup > 0 and (.time | test("T")))' \
	"a denial is missing from the audit (open, ioctl, size, compat, receive)"
"$ITR" enforce --status >"$OUT/enf-status.txt" 2>&1
if grep -Eq '^3 +low-iova +deny +ioctl\+ioctl-compat\+kernel-copy +[0-9]+ +[1-9]' "$OUT/enf-status.txt"; then
	pass enforce-status
else
	fail enforce-status "$(tr '\n' ';' <"$OUT/enf-status.txt")"
fi

# race_audited: the audit's race records by enfprobe, once the daemon has
# written those it holds (up to 60 s: the gates' denials come in floods)
race_audited() { # WANT
	local n
	for _ in $(seq 120); do
		n=$(grep '"race":true' "$AUDIT" | grep -c '"verdict":"killed"')
		[[ ${n:-0} -ge $1 ]] && break
		sleep 0.5
	done
	echo "${n:-0}"
}

# The races: the kernel's iommu:map must never map BAD_IOVA for good.
tp_begin
"$EP" race-type1 "$g_edu" $OK_IOVA $BAD_IOVA "$RACE_S" >"$OUT/enf-race-type1.out" 2>&1
rc=$?
tp_end "$OUT/enf-race-type1.trace"
killed=$(sed -n 's/.* killed=\([0-9]*\).*/\1/p' "$OUT/enf-race-type1.out")
denied=$(sed -n 's/.* denied=\([0-9]*\).*/\1/p' "$OUT/enf-race-type1.out")
# tracefs lines: "... map: IOMMU: iova=0x0000000040000000 - ..."
tp_count() { grep -c " $1: IOMMU: iova=0x0*${2#0x} " "$3"; }
mapped_ok=$(sed -n 's/.* mapped_ok=\([0-9]*\).*/\1/p' "$OUT/enf-race-type1.out")
ok_maps=$(tp_count map $OK_IOVA "$OUT/enf-race-type1.trace")
bad_maps=$(tp_count map $BAD_IOVA "$OUT/enf-race-type1.trace")
raced=$(race_audited "${killed:-0}")
# the tracepoint is live (it saw every allowed map), and saw none at BAD
if [[ $rc -eq 0 && $bad_maps -eq 0 && $ok_maps -eq ${mapped_ok:--1} && -n $killed &&
      ${denied:-0} -gt 0 && $raced -eq $killed ]]; then
	pass enforce-race-type1 "$(cat "$OUT/enf-race-type1.out"); iommu:map at OK/BAD: $ok_maps/0; races audited: $raced"
else
	fail enforce-race-type1 "exit $rc, iommu:map at OK $ok_maps (mapped ${mapped_ok:-?}), at BAD $bad_maps, killed ${killed:-?}, audited $raced"
fi
race_won enforce-race-type1-won "$killed" "$OUT/enf-race-type1.out"
if have_iommufd; then
	cdev=/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev")
	before=$raced
	tp_begin
	"$EP" race-ioas "$cdev" $OK_IOVA $BAD_IOVA "$RACE_S" >"$OUT/enf-race-ioas.out" 2>&1
	rc=$?
	sleep 0.5
	tp_end "$OUT/enf-race-ioas.trace"
	killed=$(sed -n 's/.* killed=\([0-9]*\).*/\1/p' "$OUT/enf-race-ioas.out")
	denied=$(sed -n 's/.* denied=\([0-9]*\).*/\1/p' "$OUT/enf-race-ioas.out")
	# the gap (docs/enforce.md): a raced iommufd map may complete before the
	# kill; it must be gone once the killed process's context is released
	mapped_ok=$(sed -n 's/.* mapped_ok=\([0-9]*\).*/\1/p' "$OUT/enf-race-ioas.out")
	ok_maps=$(tp_count map $OK_IOVA "$OUT/enf-race-ioas.trace")
	maps=$(tp_count map $BAD_IOVA "$OUT/enf-race-ioas.trace")
	unmaps=$(tp_count unmap $BAD_IOVA "$OUT/enf-race-ioas.trace")
	raced=$(race_audited $((before + ${killed:-0})))
	if [[ $rc -eq 0 && $maps -eq $unmaps && $maps -le ${killed:-0} && $ok_maps -eq ${mapped_ok:--1} &&
	      -n $killed && ${denied:-0} -gt 0 && $((raced - before)) -eq $killed ]]; then
		pass enforce-race-ioas "$(cat "$OUT/enf-race-ioas.out"); iommu:map at OK: $ok_maps; map/unmap at BAD (the gap): $maps/$unmaps; races audited: $((raced - before))"
	else
		fail enforce-race-ioas "exit $rc, iommu:map at OK $ok_maps (mapped ${mapped_ok:-?}), map/unmap at BAD $maps/$unmaps, killed ${killed:-?}, audited $((raced - before))"
	fi
	race_won enforce-race-ioas-won "$killed" "$OUT/enf-race-ioas.out"
fi

"$ITR" enforce --status --json >"$OUT/enf-status-race.json"
# the per-rule counters agree with the audit: every race counted and killed
expect_log enforce-race-counters "$OUT/enf-status-race.json" --argjson n "$raced" \
	'.[0].rules[3].counters as $c | $c.raced == $n and $c.killed == $n' \
	"the low-iova rule's raced/killed counters differ from the audited races ($raced)"

# kill -9: the pins keep enforcing; a restart adopts them
kill -9 "$DAEMON"
wait "$DAEMON" 2>/dev/null
expect enforce-after-kill9 1 "$EP" open "/dev/vfio/$g_pair"
if bg_start /dev/null "$OUT/enf-daemon2.err" enforcing "$ITR" enforce --policy "$OUT/enf-a.yaml" --audit "$AUDIT" &&
   grep -q adopted "$OUT/enf-daemon2.err"; then
	pass enforce-readopt
else
	fail enforce-readopt "$(tr '\n' ';' <"$OUT/enf-daemon2.err")"
fi
DAEMON=$BG_PID

# reloads during a tight loop of denied opens: none gets through
"$EP" open-loop "/dev/vfio/$g_pair" 6 >"$OUT/enf-loop.out" 2>&1 &
loop=$!
n=0
for i in 1 2 3 4 5 6; do
	if ((i % 2)); then f=$OUT/enf-b.yaml; else f=$OUT/enf-a.yaml; fi
	"$ITR" enforce --reload --policy "$f" >>"$OUT/enf-reload.out" 2>&1 && n=$((n + 1))
done
wait "$loop"
rc=$?
if [[ $rc -eq 0 && $n -eq 6 ]]; then
	pass enforce-reload-loop "$n reloads; $(cat "$OUT/enf-loop.out")"
else
	fail enforce-reload-loop "exit $rc, $n of 6 reloads: $(cat "$OUT/enf-loop.out")"
fi
gen=$("$ITR" enforce --status --json | jq .generation)
"$ITR" enforce --reload --policy "$OUT/enf-bad.yaml" 2>>"$OUT/enf-reload.out"
rc=$?
gen2=$("$ITR" enforce --status --json | jq .generation)
if [[ $rc -eq 2 && $gen == "$gen2" ]] && "$EP" open "/dev/vfio/$g_pair" >/dev/null 2>&1; [[ $? -eq 1 && $rc -eq 2 && $gen == "$gen2" ]]; then
	pass enforce-bad-reload "exit 2, generation $gen kept, still denied"
else
	fail enforce-bad-reload "exit $rc, generation $gen -> $gen2"
fi

# --stop removes everything; the daemon notices and exits
"$ITR" enforce --stop >"$OUT/enf-stop.out" 2>&1
"$EP" open "/dev/vfio/$g_pair" >"$OUT/enf-stop-open.out" 2>&1
open_rc=$?
for _ in $(seq 150); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.2; done
if ! kill -0 "$DAEMON" 2>/dev/null && [[ ! -e /sys/fs/bpf/iommutrace && $open_rc -eq 0 ]]; then
	pass enforce-stop
else
	fail enforce-stop "$(cat "$OUT/enf-stop.out"); daemon $(kill -0 "$DAEMON" 2>/dev/null && echo alive || echo gone), pins $(ls /sys/fs/bpf/iommutrace 2>/dev/null | wc -l), open after stop: $(cat "$OUT/enf-stop-open.out")"
	kill -9 "$DAEMON" 2>/dev/null
fi
wait "$DAEMON" 2>/dev/null
keep_audit
