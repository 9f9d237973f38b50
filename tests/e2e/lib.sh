# shellcheck shell=bash
# Helpers for e2e checks; sourced by tests/e2e/guest inside a guest.
# A check records one line in $RESULTS: "pass|fail|skip NAME[: why]".
# Files a check leaves in $OUT (the results share) are kept on the host.

OUT=${IOMMUTRACE_VM_OUT:?not in a test-bed guest}
RESULTS=$OUT/results
BUILD=${IOMMUTRACE_BUILD:-$PWD/build}
WORKLOAD=$BUILD/iommutrace-workload
ITR=$BUILD/iommutrace
TPCHECK=$BUILD/e2e/tpcheck
TRACEFS=/sys/kernel/tracing
TP_EVENTS="map unmap attach_device_to_domain add_device_to_group remove_device_from_group"

record() { # STATUS NAME [WHY]
	echo "$1 $2${3:+: $3}" >>"$RESULTS"
	printf '  %-5s %s%s\n' "$1" "$2" "${3:+ ($3)}"
}
pass() { record pass "$@"; }
fail() { record fail "$@"; }
skip() { record skip "$@"; }

# The kernel has iommufd (the device node appears once iommufd is in).
have_iommufd() { [[ -e /dev/iommu ]]; }

# workload NAME SCENARIO...: run the workload, log to $OUT/NAME.jsonl and
# $OUT/NAME.err; returns its exit status.
workload() {
	local name=$1; shift
	"$WORKLOAD" --log "$OUT/$name.jsonl" "$@" 2>"$OUT/$name.err"
}

# enforce_ready NAME LOG: what every enforcement check needs first: BPF LSM
# active (else the failure NAME-lsm), no enforcement left by an earlier
# check, the test devices on vfio-pci (workload LOG bind; else NAME-bind).
# Non-zero when the check cannot go on.
enforce_ready() {
	if [[ -r /sys/kernel/security/lsm ]] && ! grep -qw bpf /sys/kernel/security/lsm; then
		fail "$1-lsm" "'bpf' is not in /sys/kernel/security/lsm"
		return 1
	fi
	"$ITR" enforce --stop >/dev/null 2>&1
	workload "$2" bind || { fail "$1-bind" "workload bind failed"; return 1; }
}

# race_won NAME KILLED OUTFILE: did an enforcement race run (its line in
# OUTFILE, with attempts=N) win a race at all? A pass when KILLED races were
# won (each killed and audited: the caller checked that), a skip naming the
# attempts when none was (the kill path went unproven on that run).
race_won() {
	if [[ ${2:-0} -gt 0 ]]; then
		pass "$1" "$2 races won, each killed and audited"
	else
		skip "$1" "no race won: $(sed 's/.*attempts=\([0-9]*\).*/\1/' "$3") attempts"
	fi
}

# Record the kernel's own iommu tracepoints around a command.
tp_begin() {
	local e
	echo 0 >"$TRACEFS/tracing_on"
	echo 16384 >"$TRACEFS/buffer_size_kb"
	# CLOCK_MONOTONIC, like the workload's ts_ns: events match op windows
	echo mono >"$TRACEFS/trace_clock"
	: >"$TRACEFS/trace"
	for e in $TP_EVENTS; do
		echo 1 >"$TRACEFS/events/iommu/$e/enable"
	done
	echo 1 >"$TRACEFS/tracing_on"
}
tp_end() { # FILE
	local e
	echo 0 >"$TRACEFS/tracing_on"
	for e in $TP_EVENTS; do
		echo 0 >"$TRACEFS/events/iommu/$e/enable"
	done
	cat "$TRACEFS/trace" >"$1"
	if grep -q 'LOST' "$1"; then
		echo "tracefs lost events" >>"$1.lost"
	fi
}

# The driver a PCI device is bound to, or "none".
pci_driver() {
	local d=/sys/bus/pci/devices/$1/driver
	if [[ -L $d ]]; then basename "$(readlink "$d")"; else echo none; fi
}

# BDFs of the devices with vendor:device ($1 $2), sorted.
pci_find() {
	local d
	for d in /sys/bus/pci/devices/*; do
		[[ $(cat "$d/vendor") == "$1" && $(cat "$d/device") == "$2" ]] && basename "$d"
	done
}

# expect_log NAME FILE [JQ-ARGS...] JQ-FILTER DESCRIPTION: a jq predicate
# over a JSON-lines file (slurped) must hold.
expect_log() {
	local name=$1 file=$2 args=("${@:3:$#-4}") filter=${*: -2:1} what=${*: -1}
	if jq -e -s "${args[@]}" "$filter" "$file" >/dev/null 2>&1; then
		pass "$name"
	else
		fail "$name" "$what"
	fi
}

# bg_start OUT ERR PATTERN CMD...: start CMD in the background (stdout to
# OUT, stderr to ERR) and wait until ERR shows PATTERN (it is attached).
# Sets BG_PID; returns non-zero, with CMD stopped, if it never got there.
bg_start() {
	local out=$1 err=$2 pat=$3
	shift 3
	"$@" >"$out" 2>"$err" &
	BG_PID=$!
	for _ in $(seq 150); do
		grep -q "$pat" "$err" 2>/dev/null && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.2
	done
	bg_stop
	return 1
}
# bg_stop: Ctrl-C the background command; returns its exit status.
bg_stop() {
	kill -INT "$BG_PID" 2>/dev/null
	wait "$BG_PID"
}
# trace_start NAME ARGS...: `iommutrace trace --json ARGS` to $OUT/NAME.jsonl
# (stderr $OUT/NAME.err), attached on return; stop it with bg_stop.
trace_start() {
	local name=$1
	shift
	bg_start /dev/null "$OUT/$name.err" Tracing "$ITR" trace --json --output "$OUT/$name.jsonl" "$@"
}

# traced_workload NAME CHECK SCENARIO...: run the workload with the kernel's
# iommu tracepoints recorded to $OUT/NAME.trace; CHECK passes if the
# workload succeeded. Returns the workload's exit status.
traced_workload() {
	local name=$1 check=$2 rc
	shift 2
	tp_begin
	workload "$name" "$@"
	rc=$?
	tp_end "$OUT/$name.trace"
	if [[ $rc -eq 0 ]]; then
		pass "$check"
	else
		fail "$check" "exit $rc ($(tail -n1 "$OUT/$name.err"))"
	fi
	return $rc
}

# tpcheck_as CHECK MODE A B: run tests/e2e/tpcheck; its verdict is CHECK's.
tpcheck_as() {
	local check=$1
	shift
	if "$TPCHECK" "$@" >"$OUT/$check.tpcheck" 2>&1; then
		pass "$check" "$(tr '\n' ';' <"$OUT/$check.tpcheck")"
	else
		fail "$check" "$(tr '\n' ';' <"$OUT/$check.tpcheck")"
	fi
}

# expect_kv NAME WANT LOG CMD...: run CMD; the line it prints must hold
# every key=value of WANT (space separated). Its stderr goes to LOG.err,
# its line to LOG.log.
expect_kv() {
	local name=$1 want=$2 log=$3 got kv bad=""
	shift 3
	got=$("$@" 2>>"$log.err")
	echo "$name: $got" >>"$log.log"
	for kv in $want; do
		[[ " $got " == *" $kv "* ]] || bad+=" $kv"
	done
	if [[ -n $got && -z $bad ]]; then
		pass "$name" "$got"
	else
		fail "$name" "want$bad in: ${got:-no output ($(tail -n1 "$log.err"))}"
	fi
}
