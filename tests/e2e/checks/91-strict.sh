# shellcheck shell=bash
# The strict enforcement tier (docs/strict.md): `enforce --strict` decides
# maps on the kernel's own copy through the shim's kprobes, with EPERM.
# Against ground truth the tool did not produce:
# - without the shim, --strict is refused and says so;
# - on a kernel missing a target (debian-6.12: no iommufd, so no
#   iopt_map_pages) it refuses, naming what is missing, and arms nothing:
#   the kernel's own list of kprobes (debugfs) is empty, nothing is pinned;
# - where every target is there (iommufd): the kernel lists the shim's
#   kprobes; honest violating maps (type1, IOAS) get EPERM from the strict
#   tier (the probe's errno, the shim's own denial counter, the audit's
#   tier), compliant ones pass; the race test (a thread flipping the
#   argument between allowed and forbidden while another maps) gives ZERO
#   kills and ZERO forbidden mappings (the kernel's iommu:map tracepoint,
#   the container's final state), and every EPERM the racers saw is one
#   the shim returned (its counter);
# - kill -9 of the daemon leaves the tier deciding, a restart adopts it;
#   with the strict program detached while armed, a compliant map is
#   denied (no verdict: fail closed);
# - unloading the shim while armed is refused (the module holds itself:
#   delete_module says EBUSY); --stop disarms (the kprobes leave the
#   kernel's list) and the shim then unloads.
# STRICT_RACE_SECONDS (default 4) bounds each race run (the probe runs it
# up to 3x as long when no race is won, which under strict is always).
KO=$BUILD/shim/$PROFILE/iommutrace_shim.ko
EP=$BUILD/e2e/enfprobe
RACE_S=${STRICT_RACE_SECONDS:-4}
OK_IOVA=0x100000 BAD_IOVA=0x40000000
AUDIT=/tmp/strict-audit.jsonl
KPLIST=/sys/kernel/debug/kprobes/list

if [[ $PROFILE != iommufd && $PROFILE != debian-6.12 ]]; then
	skip strict "run on iommufd and debian-6.12"
	return 0
fi
if [[ ! -e $KO ]]; then
	skip strict "no shim built for $PROFILE (make shim SHIM_PROFILES=$PROFILE)"
	return 0
fi
[[ -d /sys/kernel/debug/kprobes ]] || mount -t debugfs none /sys/kernel/debug 2>/dev/null
# the shim's kprobes in the kernel's own list ("ADDR  k  FUNC+0x0  [FTRACE]"; +0x4 past an ENDBR)
shim_kprobes() { grep -E 'iommutrace_shim|vfio_pin_pages_remote|iopt_map_pages' "$KPLIST" 2>/dev/null | grep -c .; }
strict_val() { "$ITR" shim status --json | jq -r ".$1"; }

"$ITR" enforce --stop >/dev/null 2>&1
"$ITR" shim unload >/dev/null 2>&1
workload strict-bind bind || { fail strict-bind "workload bind failed"; return 0; }
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
g_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
cat >"$OUT/strict.yaml" <<-YAML
	version: 1
	default: allow
	rules:
	  - id: low-iova
	    operations: [map]
	    limits:
	      max-size: 0x200000
	      iova: {allow: [[0, 0x3fffffff]]}
	    action: deny
YAML
printf 'version: 1\nrules:\n  - id: on-a-node\n    operations: [map]\n    object: {group: %s}\n' "$g_edu" \
	>"$OUT/strict-object.yaml"

# without the shim: refused, naming it
"$ITR" enforce --policy "$OUT/strict.yaml" --strict >/dev/null 2>"$OUT/strict-noshim.err"
rc=$?
if [[ $rc -eq 1 ]] && grep -q 'needs the kernel shim: the shim is not loaded (iommutrace shim load)' "$OUT/strict-noshim.err" &&
	[[ ! -e /sys/fs/bpf/iommutrace ]]; then
	pass strict-needs-shim
else
	fail strict-needs-shim "exit $rc: $(cat "$OUT/strict-noshim.err")"
fi
"$ITR" enforce --check "$OUT/strict-object.yaml" --strict 2>"$OUT/strict-object.err"
rc=$?
if [[ $rc -eq 2 ]] && grep -q "rule 'on-a-node': the strict tier cannot tell" "$OUT/strict-object.err"; then
	pass strict-object-refused
else
	fail strict-object-refused "exit $rc: $(cat "$OUT/strict-object.err")"
fi

"$ITR" shim load >"$OUT/strict-shim-load.out" 2>&1 || { fail strict-shim-load "$(cat "$OUT/strict-shim-load.out")"; return 0; }

if ! have_iommufd; then
	# a target is missing: refused with the list, nothing armed
	"$ITR" enforce --policy "$OUT/strict.yaml" --strict >/dev/null 2>"$OUT/strict-missing.err"
	rc=$?
	if [[ $rc -eq 1 ]] && grep -q 'cannot arm on this kernel; missing: iopt_map_pages (not in /proc/kallsyms); nothing armed' "$OUT/strict-missing.err" &&
		[[ -r $KPLIST && $(strict_val strict_armed) == 0 && $(shim_kprobes) -eq 0 && ! -e /sys/fs/bpf/iommutrace ]]; then
		pass strict-refuses-missing "$(cat "$OUT/strict-missing.err")"
	else
		fail strict-refuses-missing "exit $rc: $(cat "$OUT/strict-missing.err"); armed $(strict_val strict_armed), kprobes $(shim_kprobes)"
	fi
	"$ITR" shim unload >/dev/null 2>&1
	return 0
fi

: >"$AUDIT"
if ! bg_start /dev/null "$OUT/strict-daemon.err" enforcing "$ITR" enforce --policy "$OUT/strict.yaml" --strict --audit "$AUDIT"; then
	fail strict-arm "$(tr '\n' ';' <"$OUT/strict-daemon.err")"
	"$ITR" enforce --stop >/dev/null 2>&1
	"$ITR" shim unload >/dev/null 2>&1
	return 0
fi
DAEMON=$BG_PID
cp "$KPLIST" "$OUT/strict-kprobes.txt" 2>/dev/null
if [[ $(strict_val strict_armed) == 3 ]] && grep -q ' vfio_pin_pages_remote+0x' "$OUT/strict-kprobes.txt" &&
	grep -q ' iopt_map_pages+0x' "$OUT/strict-kprobes.txt"; then
	pass strict-arm "$(grep -E 'vfio_pin_pages_remote|iopt_map_pages' "$OUT/strict-kprobes.txt" | tr '\n' ';')"
else
	fail strict-arm "armed $(strict_val strict_armed); kprobes: $(tr '\n' ';' <"$OUT/strict-kprobes.txt")"
fi

# honest maps: EPERM from the strict tier, compliant ones pass
expect() { # NAME WANT CMD...
	local name=$1 want=$2 rc
	shift 2
	"$@" >>"$OUT/strict-probe.log" 2>&1
	rc=$?
	if [[ $rc -eq $want ]]; then pass "$name"; else fail "$name" "exit $rc, want $want: $(tail -n1 "$OUT/strict-probe.log")"; fi
}
d0=$(strict_val strict_denied)
expect strict-type1-iova-denied 1 "$EP" type1 "$g_edu" $BAD_IOVA 0x1000
expect strict-type1-size-denied 1 "$EP" type1 "$g_edu" $OK_IOVA 0x400000
expect strict-type1-allowed 0 "$EP" type1 "$g_edu" $OK_IOVA 0x1000
expect strict-ioas-denied 1 "$EP" ioas $BAD_IOVA 0x1000
expect strict-ioas-allowed 0 "$EP" ioas $OK_IOVA 0x1000
d1=$(strict_val strict_denied)
sleep 0.5
if [[ $((d1 - d0)) -eq 3 ]]; then
	pass strict-denials-by-shim "the shim returned EPERM $((d1 - d0)) times"
else
	fail strict-denials-by-shim "the shim's denial counter moved by $((d1 - d0)), want 3"
fi
expect_log strict-audit "$AUDIT" \
	'[.[] | select(.verdict == "denied")] as $d
	 | ($d | length) == 3 and all($d[]; .tier == "strict" and .rule_id == "low-iova" and .race == false)' \
	"the audit does not hold exactly the three denials, each in the strict tier"
"$ITR" enforce --status >"$OUT/strict-status.txt" 2>&1
"$ITR" enforce --status --json >"$OUT/strict-status.json" 2>&1
if grep -Eq '^1 +low-iova +deny +strict +[0-9]+ +3 ' "$OUT/strict-status.txt" &&
	jq -e '.strict and .rules[1].maps_decided_by == "strict"' "$OUT/strict-status.json" >/dev/null; then
	pass strict-status
else
	fail strict-status "$(tr '\n' ';' <"$OUT/strict-status.txt")"
fi

# the races: zero kills, zero forbidden mappings, every EPERM the shim's
tp_count() { grep -c " $1: IOMMU: iova=0x0*${2#0x} " "$3"; }
cdev=/dev/vfio/devices/$(ls "/sys/bus/pci/devices/$edu/vfio-dev")
for kind in type1 ioas; do
	if [[ $kind == type1 ]]; then target=$g_edu; else target=$cdev; fi
	d0=$(strict_val strict_denied)
	tp_begin
	"$EP" "race-$kind" "$target" $OK_IOVA $BAD_IOVA "$RACE_S" >"$OUT/strict-race-$kind.out" 2>&1
	rc=$?
	sleep 0.5
	tp_end "$OUT/strict-race-$kind.trace"
	d1=$(strict_val strict_denied)
	out=$(cat "$OUT/strict-race-$kind.out")
	killed=$(sed -n 's/.* killed=\([0-9]*\).*/\1/p' <<<"$out")
	denied=$(sed -n 's/.* denied=\([0-9]*\).*/\1/p' <<<"$out")
	other=$(sed -n 's/.* other=\([0-9]*\).*/\1/p' <<<"$out")
	mapped_ok=$(sed -n 's/.* mapped_ok=\([0-9]*\).*/\1/p' <<<"$out")
	ok_maps=$(tp_count map $OK_IOVA "$OUT/strict-race-$kind.trace")
	bad_maps=$(tp_count map $BAD_IOVA "$OUT/strict-race-$kind.trace")
	if [[ $rc -eq 0 && -n $killed && $killed -eq 0 && $bad_maps -eq 0 && ${other:-1} -eq 0 &&
		${denied:-0} -gt 0 && ${mapped_ok:-0} -gt 0 && $ok_maps -eq $mapped_ok &&
		$((d1 - d0)) -eq $denied && $(strict_val strict_missed) == 0 && $(strict_val strict_undecided) == 0 ]]; then
		pass "strict-race-$kind" "$out; iommu:map at OK/BAD: $ok_maps/0; shim denials: $((d1 - d0))"
	else
		fail "strict-race-$kind" "exit $rc, $out; iommu:map at OK $ok_maps, at BAD $bad_maps; shim denials $((d1 - d0))"
	fi
done
"$ITR" enforce --status --json >"$OUT/strict-status-race.json"
expect_log strict-race-counters "$OUT/strict-status-race.json" \
	'.[0].rules[1].counters as $c | $c.killed == 0 and $c.raced == 0 and $c.denied > 3' \
	"the low-iova rule counted a kill or a race under the strict tier"

# kill -9 of the daemon: the pins and the armed shim keep deciding; a
# restart with --strict adopts them
kill -9 "$DAEMON"
wait "$DAEMON" 2>/dev/null
d0=$(strict_val strict_denied)
expect strict-after-kill9 1 "$EP" type1 "$g_edu" $BAD_IOVA 0x1000
d1=$(strict_val strict_denied)
if bg_start /dev/null "$OUT/strict-daemon2.err" enforcing "$ITR" enforce --policy "$OUT/strict.yaml" --strict --audit "$AUDIT" &&
	grep -q 'maps in the strict tier), adopted' "$OUT/strict-daemon2.err" && [[ $((d1 - d0)) -eq 1 ]]; then
	pass strict-readopt "the shim denied the map while no daemon ran; $(tr '\n' ';' <"$OUT/strict-daemon2.err")"
else
	fail strict-readopt "shim denials while no daemon ran: $((d1 - d0)); $(tr '\n' ';' <"$OUT/strict-daemon2.err")"
fi
DAEMON=$BG_PID

# fail closed: the strict program detached while the shim is armed: a
# compliant map is denied for want of a verdict
u0=$(strict_val strict_undecided)
rm -f /sys/fs/bpf/iommutrace/link_enf_strict
frc=0
for _ in $(seq 50); do
	"$EP" type1 "$g_edu" $OK_IOVA 0x1000 >>"$OUT/strict-probe.log" 2>&1
	frc=$?
	[[ $frc -eq 1 ]] && break
	sleep 0.1
done
u1=$(strict_val strict_undecided)
if [[ $frc -eq 1 && $((u1 - u0)) -ge 1 ]]; then
	pass strict-fail-closed "a compliant map without a verdict: EPERM; undecided $u0 -> $u1"
else
	fail strict-fail-closed "a compliant map without the strict program: exit $frc; undecided $u0 -> $u1"
fi

# unload while armed: refused (the module holds itself)
"$ITR" shim unload >"$OUT/strict-unload-armed.out" 2>&1
rc=$?
rmmod iommutrace_shim 2>"$OUT/strict-rmmod.err"
rrc=$?
if [[ $rc -eq 1 && $rrc -ne 0 ]] && grep -q 'refused: the strict enforcement tier is armed' "$OUT/strict-unload-armed.out" &&
	[[ -d /sys/module/iommutrace_shim && $(shim_kprobes) -eq 2 ]]; then
	pass strict-unload-refused "$(cat "$OUT/strict-unload-armed.out"); rmmod: $(cat "$OUT/strict-rmmod.err")"
else
	fail strict-unload-refused "exit $rc, rmmod $rrc: $(cat "$OUT/strict-unload-armed.out")"
fi

# --stop disarms: the kprobes leave the kernel's list, maps go free, the shim unloads
"$ITR" enforce --stop >"$OUT/strict-stop.out" 2>&1
for _ in $(seq 50); do kill -0 "$DAEMON" 2>/dev/null || break; sleep 0.2; done
kill -9 "$DAEMON" 2>/dev/null
wait "$DAEMON" 2>/dev/null
left=$(shim_kprobes)
"$EP" type1 "$g_edu" $BAD_IOVA 0x1000 >>"$OUT/strict-probe.log" 2>&1
frc=$?
if grep -q 'strict tier disarmed' "$OUT/strict-stop.out" && [[ -r $KPLIST && $left -eq 0 && $frc -eq 0 ]] &&
	"$ITR" shim unload >"$OUT/strict-unload.out" 2>&1 && [[ ! -d /sys/module/iommutrace_shim ]]; then
	pass strict-stop-disarms "$(tr '\n' ';' <"$OUT/strict-stop.out")"
else
	fail strict-stop-disarms "kprobes left $left, map after stop exit $frc: $(tr '\n' ';' <"$OUT/strict-stop.out") $(cat "$OUT/strict-unload.out" 2>/dev/null)"
	"$ITR" shim unload >/dev/null 2>&1
fi
head -n 200 "$AUDIT" >"$OUT/strict-audit.jsonl"
