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

# trace_start NAME ARGS...: start `iommutrace trace --json ARGS` writing
# $OUT/NAME.jsonl (stderr: $OUT/NAME.err); waits until it is attached.
# Sets TRACE_PID; returns non-zero if it did not start.
trace_start() {
	local name=$1; shift
	"$ITR" trace --json --output "$OUT/$name.jsonl" "$@" 2>"$OUT/$name.err" &
	TRACE_PID=$!
	for _ in $(seq 150); do
		grep -q 'Tracing' "$OUT/$name.err" 2>/dev/null && return 0
		kill -0 "$TRACE_PID" 2>/dev/null || break
		sleep 0.2
	done
	kill -INT "$TRACE_PID" 2>/dev/null
	wait "$TRACE_PID"
	return 1
}
# trace_stop: Ctrl-C the tracer; returns its exit status.
trace_stop() {
	kill -INT "$TRACE_PID"
	wait "$TRACE_PID"
}
