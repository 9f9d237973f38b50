#!/bin/bash
# tests/bench/guest/bench.sh LOOP PAIRS ROUNDS [TRACER...]: inside a
# test-bed guest (tests/bench/guest/run boots it), run the map/unmap loop
# (build/bench/guest-maploop: LOOP type1 or ioas, PAIRS pairs) bare and
# under each tracer, ROUNDS rounds with the tracers in a rotated order each
# round (the machine is shared: alternation keeps the ratios fair), and
# print one line per run:
#
#   run LOOP ROUND TRACER ns_per_pair NS kernel K delivered D lost L
#
# kernel: map+unmap tracepoint hits the kernel counted for this run
# (ftrace's ring statistics in the ftrace runs; otherwise 2 x PAIRS plus the
# setup's, which the ftrace runs measure); delivered: the map and unmap
# events the tracer handed over (counted in its output); lost: what the
# tracer says it lost (-: it does not say). Figures, never pass/fail.
# Not a tracer but run the same way: `enforce`, the loop under `iommutrace
# enforce` with a 3-rule policy whose map rule has size and IOVA limits the
# loop keeps (every pair allowed): its overhead is enforcement's cost.
set -uo pipefail
LOOP=$1 PAIRS=$2 ROUNDS=$3
shift 3
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
BUILD=${IOMMUTRACE_BUILD:-$ROOT/build}
ITR=$BUILD/iommutrace
MAPLOOP=$BUILD/bench/guest-maploop
OUT=${IOMMUTRACE_VM_OUT:-/tmp}/bench	# logs (the results share)
DATA=/tmp/itr-bench			# tracers' outputs: the guest's own tmpfs, not 9p
TRACEFS=/sys/kernel/tracing
TRACERS=("$@")
# record-wake: record with a wakeup per record (--wakeup-bytes -1), the
# lever BPF_RB_NO_WAKEUP + a fill threshold + a timed poll replaced.
((${#TRACERS[@]})) || TRACERS=(bare ftrace bpftrace-count bpftrace-printf stat record record-wake trace-json monitor-json)
mkdir -p "$OUT" "$DATA"

bdf=""
if [[ $LOOP == type1 ]]; then
	for d in /sys/bus/pci/devices/*; do
		[[ $(cat "$d/vendor") == 0x1234 && $(cat "$d/device") == 0x11e8 ]] && bdf=$(basename "$d")
	done
	[[ -n $bdf ]] || { echo "bench: no edu device" >&2; exit 1; }
	if [[ ! -e /sys/bus/pci/devices/$bdf/driver || $(basename "$(readlink "/sys/bus/pci/devices/$bdf/driver")") != vfio-pci ]]; then
		"$BUILD/iommutrace-workload" --log "$OUT/bind.jsonl" bind 2>"$OUT/bind.err" ||
			{ echo "bench: binding failed: $(tail -n1 "$OUT/bind.err")" >&2; exit 1; }
	fi
fi
loop() { "$MAPLOOP" "$LOOP" ${bdf:+"$bdf"} "$PAIRS"; }

# Start a command in the background, wait until FILE shows PATTERN
# (bpftrace: its BEGIN probe's line, printed once every probe is attached).
BG=""
bg() { # FILE PATTERN CMD...
	local f=$1 pat=$2
	shift 2
	"$@" &
	BG=$!
	for _ in $(seq 300); do
		grep -q "$pat" "$f" 2>/dev/null && return 0
		kill -0 "$BG" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
bg_stop() { kill -INT "$BG" 2>/dev/null; wait "$BG"; }

tp_on() { # buffer KiB
	echo 0 >"$TRACEFS/tracing_on"
	echo "$1" >"$TRACEFS/buffer_size_kb"
	: >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/iommu/map/enable"
	echo 1 >"$TRACEFS/events/iommu/unmap/enable"
	echo 1 >"$TRACEFS/tracing_on"
}
# Events the ring took (entries + overrun): the kernel's own count.
tp_off() {
	echo 0 >"$TRACEFS/events/iommu/map/enable"
	echo 0 >"$TRACEFS/events/iommu/unmap/enable"
	echo 0 >"$TRACEFS/tracing_on"
	cat "$TRACEFS"/per_cpu/cpu*/stats | awk '/^entries:/ { e += $2 } /^overrun:/ { o += $2 }
		END { print e + o, o }'
}

KERNEL=""	# map+unmap per run, from the last ftrace run
one() { # ROUND TRACER
	local r=$1 t=$2 f="$OUT/$LOOP-$1-$2" d="$DATA/$LOOP-$1-$2" res kern="" deliv="-" lost="-"
	case $t in
	bare) res=$(loop) ;;
	ftrace)
		tp_on 65536
		res=$(loop)
		read -r kern lost < <(tp_off)
		deliv=$((kern - lost))
		KERNEL=$kern ;;
	bpftrace-count)
		bg "$f.out" '^ready' bpftrace -e 'BEGIN { printf("ready\n"); } tracepoint:iommu:map, tracepoint:iommu:unmap { @n = count(); }' >"$f.out" 2>"$f.err" || { echo "bench: bpftrace failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		bg_stop
		deliv=$(sed -n 's/^@n: \([0-9]*\)/\1/p' "$f.out") ;;
	bpftrace-printf)
		bg "$f.out" '^ready' bpftrace -e 'BEGIN { printf("ready\n"); } tracepoint:iommu:map { printf("map %lx %lx\n", args->iova, args->size); }
			tracepoint:iommu:unmap { printf("unmap %lx %lx\n", args->iova, args->size); }' >"$f.out" 2>"$f.err" || { echo "bench: bpftrace failed" >&2; return; }
		res=$(loop)
		sleep 1	# let it drain its perf buffers
		bg_stop
		deliv=$(grep -cE '^(map|unmap) ' "$f.out")
		lost=$(grep -o 'Lost [0-9]* events' "$f.out" "$f.err" | awk '{ n += $2 } END { print n + 0 }') ;;
	stat)
		bg "$f.err" Counting "$ITR" stat --json >"$f.out" 2>"$f.err" || { echo "bench: stat failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		bg_stop
		deliv=$(jq '.counters.map + .counters.unmap' "$f.out" 2>/dev/null)
		lost=0 ;;
	record | record-wake)
		bg "$f.err" Recording "$ITR" record -o "$d.itr" $([[ $t == record-wake ]] && echo --wakeup-bytes=-1) 2>"$f.err" || { echo "bench: record failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		bg_stop
		deliv=$("$ITR" report --format json "$d.itr" 2>/dev/null | jq '[.domains[] | .maps + .unmaps] | add')
		lost=$(sed -n 's/^recorded .*, \([0-9]*\) lost$/\1/p' "$f.err")
		rm -f "$d.itr" ;;
	trace-json)
		bg "$f.err" Tracing "$ITR" trace --json -o "$d.jsonl" 2>"$f.err" || { echo "bench: trace failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		bg_stop
		deliv=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$d.jsonl")
		lost=$(sed -n 's/^emitted [0-9]*, lost \([0-9]*\),.*/\1/p' "$f.err")
		rm -f "$d.jsonl" ;;
	monitor-json)
		bg "$f.err" Monitoring "$ITR" monitor --json -o "$d.jsonl" 2>"$f.err" || { echo "bench: monitor failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		bg_stop
		deliv=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$d.jsonl")
		lost=$(sed -n 's/^findings: .* modelled, \([0-9]*\) lost.*/\1/p' "$f.err")
		if grep -q '"type":"finding"' "$d.jsonl"; then lost="$lost(findings!)"; fi
		rm -f "$d.jsonl" ;;
	enforce)
		cat >"$d.yaml" <<-YAML
		version: 1
		rules:
		  - {id: no-such-comm, subject: {comm: bench-nobody}, operations: [open-group, open-device]}
		  - {id: no-such-uid, subject: {uid: 4242}, operations: [open-container], action: allow}
		  - id: dma-window
		    operations: [map]
		    limits:
		      max-size: 0x200000
		      iova: {allow: [[0, 0xffffffffff]], forbid: [[0xfee00000, 0xfeefffff]]}
		YAML
		"$ITR" enforce --stop >/dev/null 2>&1
		bg "$f.err" enforcing "$ITR" enforce --policy "$d.yaml" --audit "$d.audit" 2>"$f.err" || { echo "bench: enforce failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		"$ITR" enforce --stop >/dev/null 2>&1
		wait "$BG"
		deliv=-
		rm -f "$d.yaml" "$d.audit" ;;
	*) echo "bench: unknown tracer $t" >&2; return ;;
	esac
	[[ -n $kern ]] || kern=${KERNEL:-$((2 * PAIRS))}
	echo "run $LOOP $r $t ns_per_pair $(sed -n 's/.*ns_per_pair \([0-9]*\).*/\1/p' <<<"$res") kernel $kern delivered ${deliv:--} lost ${lost:--}"
}

n=${#TRACERS[@]}
# warm-up (caches, the binary over 9p); a loop that fails stops the bench
loop >/dev/null || { echo "bench: the $LOOP loop failed" >&2; exit 1; }
for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < n; i++)); do
		one "$r" "${TRACERS[(i + r - 1) % n]}"
	done
done
