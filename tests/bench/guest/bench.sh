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
# LOOP dioNk (dio4k, dio64k, ...) is the DMA API's hot path instead:
# build/bench/guest-dioloop reads the guest's scratch disk (tests/vm/run
# --disk, serial itr-scratch: a virtio-blk device behind the IOMMU) with
# O_DIRECT, PAIRS reads of N KiB; each read's buffers are mapped and
# unmapped by the DMA API on the disk's DMA-API domain. ns_per_pair is
# then ns per read, and two untimed runs with the kernel's iommu:map, then
# iommu:unmap, tracepoint on count what one loop does, printed once:
#
#   maps LOOP READS maps M unmaps U
#
# One reader runs every loop (its buffer locked, the same pages: the DMA
# API maps physically contiguous pages as one, so a new buffer could make
# other maps). Its tracers (default: bare count-only stat record trace-json): count-only
# is build/bench/guest-countonly, a BPF program that only adds one to a
# per-CPU counter, attached with the family iommutrace chose (fentry or
# kprobe, from `iommutrace probe`) to the same map and unmap functions
# (delivered: its calls); stat and trace-json deliver the DMA-API calls
# they counted (dma_api). BPF statistics stay off in the timed runs (their
# clock reads would cost the tracer with more programs more); after the
# rounds, one more run per tracer with them on prints its prog lines
# (ROUND "prof") and no run line.
#
# Not a tracer but run the same way: `enforce`, the loop under `iommutrace
# enforce` with a 3-rule policy whose map rule has size and IOVA limits the
# loop keeps (every pair allowed): its overhead is enforcement's cost.
# `enforce-floor`: the same programs attached, under a policy whose one rule
# names no ioctl (each VFIO ioctl passes the gate's command check, finds the
# policy and returns): the cost of the BPF LSM hooks being there at all.
#
# Where the time goes, one more line per tracer run (BPF statistics are
# switched on for the whole bench: kernel.bpf_stats_enabled, which adds two
# clock reads to every program run, for every tracer alike):
#
#   cost LOOP ROUND TRACER cpu_ms C ctxsw W bpf_ns B bpf_runs R records N
#
# C: the tracer process's CPU time (user + system) over its whole life,
# W: its voluntary context switches (sleeps: about one per wakeup or timed
# poll), B and R: run_time_ns and run_cnt summed over every BPF program
# loaded at the end of the run (the tracer's), N: records it took (record:
# its "recorded N events"; trace/monitor: output lines; -: unknown). And
# per program of the tracer (kprobe and trampoline overheads are the
# kernel's, not in run_time_ns):
#
#   prog LOOP ROUND TRACER NAME run_cnt R run_time_ns B
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
# record-base: record by another build ($IOMMUTRACE_BENCH_BASE/iommutrace,
# e.g. the branch point), an A/B of two builds alternating in one boot.
DIO=""
[[ $LOOP =~ ^dio([1-9][0-9]*)k$ ]] && DIO=$((BASH_REMATCH[1] * 1024))
if [[ -n $DIO ]]; then
	((${#TRACERS[@]})) || TRACERS=(bare count-only stat record trace-json)
else
	((${#TRACERS[@]})) || TRACERS=(bare ftrace bpftrace-count bpftrace-printf stat record record-wake trace-json monitor-json)
fi
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
# dio: the scratch disk, and the map and unmap functions iommutrace hooks
# there, with their family ("fentry iommu_map iommu_unmap_fast ...")
disk="" cofuncs=""
if [[ -n $DIO ]]; then
	modprobe -q virtio_blk 2>/dev/null
	for d in /sys/block/vd*; do
		[[ $(cat "$d/serial" 2>/dev/null) == itr-scratch ]] && disk=/dev/$(basename "$d")
	done
	[[ -n $disk ]] || { echo "bench: no scratch disk (tests/vm/run --disk MB)" >&2; exit 1; }
	[[ -e /sys/block/${disk#/dev/}/device/../iommu_group ]] ||
		{ echo "bench: the scratch disk $disk is in no IOMMU group" >&2; exit 1; }
	cofuncs=$("$ITR" probe 2>/dev/null | awk '$1 ~ /^iommu_(map|unmap)/ && ($2 == "fentry" || $2 == "kprobe") {
		if (!fam) fam = $2; if ($2 == fam) f = f " " $3 } END { if (fam) print fam f }')
	[[ -n $cofuncs ]] || { echo "bench: iommutrace probe names no map function" >&2; exit 1; }
fi
# dio: one reader for every loop (fd 7: loops to run, fd 8: their results),
# so that its buffer, the same pages throughout, makes the same maps in each
if [[ -n $DIO ]]; then
	rm -f "$DATA/dio.in" "$DATA/dio.out"
	mkfifo "$DATA/dio.in" "$DATA/dio.out"
	"$BUILD/bench/guest-dioloop" "$disk" "$DIO" - <"$DATA/dio.in" >"$DATA/dio.out" &
	exec 7>"$DATA/dio.in" 8<"$DATA/dio.out"
fi
loop() {
	local l
	if [[ -n $DIO ]]; then
		echo "$PAIRS" >&7
		read -r l <&8 || return 1
		echo "${l/ns_per_read/ns_per_pair}"
	else
		"$MAPLOOP" "$LOOP" ${bdf:+"$bdf"} "$PAIRS"
	fi
}

# Start a command in the background, wait until FILE shows PATTERN
# (bpftrace: its BEGIN probe's line, printed once every probe is attached).
BG=""
bg() { # FILE PATTERN CMD...
	local f=$1 pat=$2
	shift 2
	"$@" &
	BG=$!
	for _ in $(seq 300); do
		grep -q "$pat" "$f" 2>/dev/null && { COST0=$(cost_raw); return 0; }
		kill -0 "$BG" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
bg_stop() { kill -INT "$BG" 2>/dev/null; wait "$BG"; }

# The running tracer's cost (its programs still loaded): "C W B R" as in
# the cost line, counted from when it said it was ready (COST0: start-up,
# loading and verifying, is not the loop's).
TCK=$(getconf CLK_TCK)
cost_raw() {
	local c w br
	c=$(awk -v t="$TCK" '{ print int(($14 + $15) * 1000 / t) }' "/proc/$BG/stat" 2>/dev/null)
	w=$(awk '/^voluntary_ctxt_switches:/ { print $2 }' "/proc/$BG/status" 2>/dev/null)
	br=$(bpftool prog show --json 2>/dev/null |
		jq -r '"\([.[] | .run_time_ns // 0] | add // 0) \([.[] | .run_cnt // 0] | add // 0)"' 2>/dev/null)
	echo "${c:-0} ${w:-0} ${br:-0 0}"
}
COST0="0 0 0 0"
cost_now() {
	awk '{ if (NR == 1) split($0, a); else printf "%.0f %.0f %.0f %.0f\n", $1 - a[1], $2 - a[2], $3 - a[3], $4 - a[4] }' \
		<(echo "$COST0") <(cost_raw)
	bpftool prog show --json 2>/dev/null |
		jq -r '.[] | select((.run_cnt // 0) > 0) | "\(.name) run_cnt \(.run_cnt) run_time_ns \(.run_time_ns)"' 2>/dev/null
}
# Statistics for the tracers; not when only enforcement is measured, whose
# cost is taken as deployed (statistics add clock reads to every program run).
for t in "${TRACERS[@]}"; do
	case $t in
	bare | enforce | enforce-floor) ;;
	*) [[ -n $DIO ]] || echo 1 >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null ;;
	esac
done

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
	local r=$1 t=$2 f="$OUT/$LOOP-$1-$2" d="$DATA/$LOOP-$1-$2" res kern="" deliv="-" lost="-" cost="" nrec="-"
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
		cost=$(cost_now)
		bg_stop
		deliv=$(sed -n 's/^@n: \([0-9]*\)/\1/p' "$f.out") ;;
	bpftrace-printf)
		bg "$f.out" '^ready' bpftrace -e 'BEGIN { printf("ready\n"); } tracepoint:iommu:map { printf("map %lx %lx\n", args->iova, args->size); }
			tracepoint:iommu:unmap { printf("unmap %lx %lx\n", args->iova, args->size); }' >"$f.out" 2>"$f.err" || { echo "bench: bpftrace failed" >&2; return; }
		res=$(loop)
		sleep 1	# let it drain its perf buffers
		cost=$(cost_now)
		bg_stop
		deliv=$(grep -cE '^(map|unmap) ' "$f.out")
		lost=$(grep -o 'Lost [0-9]* events' "$f.out" "$f.err" | awk '{ n += $2 } END { print n + 0 }') ;;
	count-only)
		# shellcheck disable=SC2086 # family and functions, one word each
		bg "$f.err" '^ready' "$BUILD/bench/guest-countonly" $cofuncs >"$f.out" 2>"$f.err" || { echo "bench: count-only failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		cost=$(cost_now)
		bg_stop
		deliv=$(sed -n 's/^calls //p' "$f.out")
		lost=0 ;;
	stat)
		bg "$f.err" Counting "$ITR" stat --json >"$f.out" 2>"$f.err" || { echo "bench: stat failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		cost=$(cost_now)
		bg_stop
		deliv=$(jq '.counters.map + .counters.unmap' "$f.out" 2>/dev/null)
		lost=0 ;;
	record | record-wake | record-base)
		local itr=$ITR
		[[ $t != record-base ]] || itr=${IOMMUTRACE_BENCH_BASE:?record-base needs --base}/iommutrace
		bg "$f.err" Recording "$itr" record -o "$d.itr" $([[ $t == record-wake ]] && echo --wakeup-bytes=-1) 2>"$f.err" || { echo "bench: record failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		cost=$(cost_now)
		bg_stop
		deliv=$("$ITR" report --format json "$d.itr" 2>/dev/null | jq '[.domains[] | .maps + .unmaps] | add')
		lost=$(sed -n 's/^recorded .*, \([0-9]*\) lost$/\1/p' "$f.err")
		nrec=$(sed -n 's/^recorded \([0-9]*\) events.*/\1/p' "$f.err")
		rm -f "$d.itr" ;;
	trace-json)
		bg "$f.err" Tracing "$ITR" trace --json -o "$d.jsonl" 2>"$f.err" || { echo "bench: trace failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		cost=$(cost_now)
		bg_stop
		deliv=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$d.jsonl")
		[[ -z $DIO ]] || deliv=$(sed -n 's/.*DMA-API counted not sent \([0-9]*\).*/\1/p' "$f.err")
		lost=$(sed -n 's/^emitted [0-9]*, lost \([0-9]*\),.*/\1/p' "$f.err")
		nrec=$(wc -l <"$d.jsonl")
		rm -f "$d.jsonl" ;;
	monitor-json)
		bg "$f.err" Monitoring "$ITR" monitor --json -o "$d.jsonl" 2>"$f.err" || { echo "bench: monitor failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		cost=$(cost_now)
		bg_stop
		deliv=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$d.jsonl")
		lost=$(sed -n 's/^findings: .* modelled, \([0-9]*\) lost.*/\1/p' "$f.err")
		if grep -q '"type":"finding"' "$d.jsonl"; then lost="$lost(findings!)"; fi
		nrec=$(grep -c '"kind":' "$d.jsonl")
		rm -f "$d.jsonl" ;;
	enforce | enforce-floor)
		if [[ $t == enforce-floor ]]; then
			printf 'version: 1\nrules:\n  - {id: floor, subject: {comm: bench-nobody}, operations: [open-group]}\n' >"$d.yaml"
		else
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
		fi
		"$ITR" enforce --stop >/dev/null 2>&1
		bg "$f.err" enforcing "$ITR" enforce --policy "$d.yaml" --audit "$d.audit" 2>"$f.err" || { echo "bench: enforce failed: $(tail -n1 "$f.err")" >&2; return; }
		res=$(loop)
		[[ $(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null) != 1 ]] || cost=$(cost_now)
		"$ITR" enforce --stop >/dev/null 2>&1
		wait "$BG"
		deliv=-
		rm -f "$d.yaml" "$d.audit" ;;
	*) echo "bench: unknown tracer $t" >&2; return ;;
	esac
	[[ -n $kern ]] || kern=${KERNEL:-$((2 * PAIRS))}
	[[ -z $cost ]] || sed -n '2,$p' <<<"$cost" | sed "s/^/prog $LOOP $r $t /"
	[[ $r != prof ]] || return 0
	[[ -z $cost ]] || echo "cost $LOOP $r $t $(head -n1 <<<"$cost" | awk -v n="$nrec" '{ printf "cpu_ms %s ctxsw %s bpf_ns %s bpf_runs %s records %s", $1, $2, $3, $4, n }')"
	echo "run $LOOP $r $t ns_per_pair $(sed -n 's/.*ns_per_pair \([0-9]*\).*/\1/p' <<<"$res") kernel $kern delivered ${deliv:--} lost ${lost:--}"
}

# dio: the kernel's own count of one loop's maps, then unmaps (untimed)
tp_count() { # EVENT
	echo 0 >"$TRACEFS/tracing_on"
	echo 65536 >"$TRACEFS/buffer_size_kb"
	: >"$TRACEFS/trace"
	echo 1 >"$TRACEFS/events/iommu/$1/enable"
	echo 1 >"$TRACEFS/tracing_on"
	loop >/dev/null
	echo 0 >"$TRACEFS/events/iommu/$1/enable"
	echo 0 >"$TRACEFS/tracing_on"
	cat "$TRACEFS"/per_cpu/cpu*/stats | awk '/^entries:/ { e += $2 } /^overrun:/ { e += $2 } END { print e + 0 }'
}

n=${#TRACERS[@]}
# warm-up (caches, the binary over 9p); a loop that fails stops the bench
loop >/dev/null || { echo "bench: the $LOOP loop failed" >&2; exit 1; }
if [[ -n $DIO ]]; then
	maps=$(tp_count map) unmaps=$(tp_count unmap)
	KERNEL=$((maps + unmaps))
	echo "maps $LOOP $PAIRS maps $maps unmaps $unmaps"
fi
for ((r = 1; r <= ROUNDS; r++)); do
	for ((i = 0; i < n; i++)); do
		one "$r" "${TRACERS[(i + r - 1) % n]}"
	done
done
if [[ -n $DIO ]]; then
	echo 1 >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null
	for t in "${TRACERS[@]}"; do
		[[ $t == bare ]] || one prof "$t"
	done
	echo 0 >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null
fi
# Enforcement's rounds ran without statistics (its cost as deployed); one
# more run of each enforcement mode with them on says where its BPF time
# goes ("prog LOOP prof TRACER ..." lines).
if [[ -z $DIO ]]; then
	enf=()
	for t in "${TRACERS[@]}"; do [[ $t != enforce* ]] || enf+=("$t"); done
	if ((${#enf[@]})); then
		stats=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)
		echo 1 >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null
		for t in "${enf[@]}"; do one prof "$t"; done
		echo "${stats:-0}" >/proc/sys/kernel/bpf_stats_enabled 2>/dev/null
	fi
fi
[[ -z $DIO ]] || exec 7>&-	# the reader's EOF
