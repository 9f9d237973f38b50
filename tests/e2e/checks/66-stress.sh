# shellcheck shell=bash
# Stress with default settings: map/unmap pairs as fast as the kernel takes
# them (tests/bench/guest/maploop.c: VFIO type1 on every profile, iommufd
# IOAS maps on a mock domain where the kernel has IOMMUFD_TEST) under
# monitor, record and trace: nothing lost, the map and unmap events each
# mode delivered equal the kernel's own iommu:map/unmap tracepoints, no
# finding. make test runs STRESS_PAIRS (2000) pairs per mode, type1 on
# debian-6.12 and IOAS maps on iommufd (the benchmark's profiles; a few
# minutes each under TCG); the full 200 000 maps: tests/bench/guest/run
# --pairs 200000 --rounds 1 --tracers "record trace-json monitor-json"
# (make bench-guest).
STRESS_PAIRS=${STRESS_PAIRS:-2000}
STRESS_LOOPS=${STRESS_LOOPS:-$(case $PROFILE in debian-6.12) echo type1 ;; iommufd) echo ioas ;; esac)}
LOOP=$BUILD/bench/guest-maploop
edu=$(pci_find 0x1234 0x11e8 | head -n1)
[[ $STRESS_LOOPS != *type1* || -z $edu || $(pci_driver "$edu") == vfio-pci ]] ||
	workload stress-bind bind >/dev/null

# The kernel's map and unmap tracepoints at the loops' IOVAs (below 32 MiB:
# the DMA API allocates from the top), counted by ftrace around a command.
stress_tp() { # FILE COMMAND...: runs COMMAND; prints the count
	local f=$1 e n
	shift
	tp_begin
	for e in map unmap; do echo 'iova < 0x2000000' >"$TRACEFS/events/iommu/$e/filter"; done
	"$@"
	n=$?
	tp_end "$f"
	for e in map unmap; do echo 0 >"$TRACEFS/events/iommu/$e/filter"; done
	return $n
}
stress_count() { grep -cE ' (map|unmap): ' "$1"; }

# stress_mode LOOP MODE: one mode under one loop.
stress_mode() {
	local loop=$1 mode=$2 name="stress-$1-$2" got lost kern f=$OUT/stress-$1-$2 args
	args=("$loop")
	[[ $loop == type1 ]] && args+=("$edu")
	args+=("$STRESS_PAIRS")
	case $mode in
	monitor) bg_start /dev/null "$f.err" Monitoring "$ITR" monitor --json -o "$f.jsonl" ;;
	record) bg_start /dev/null "$f.err" Recording "$ITR" record -o "$f.itr" ;;
	trace) bg_start /dev/null "$f.err" Tracing "$ITR" trace --json -o "$f.jsonl" ;;
	esac || { fail "$name" "did not start: $(tail -n1 "$f.err")"; return; }
	if ! stress_tp "$f.trace" "$LOOP" "${args[@]}" >"$f.loop" 2>&1; then
		bg_stop
		fail "$name" "loop: $(tail -n1 "$f.loop")"
		return
	fi
	bg_stop || { fail "$name" "$mode exited $?: $(tail -n1 "$f.err")"; return; }
	kern=$(stress_count "$f.trace")
	case $mode in
	monitor)
		got=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$f.jsonl")
		lost=$(sed -n 's/^findings: 0 error, 0 warning, 0 info .* modelled, \([0-9]*\) lost.*/\1/p' "$f.err") ;;
	record)
		"$ITR" check "$f.itr" >"$f.check" 2>&1 || { fail "$name" "check: $(tail -n2 "$f.check" | tr '\n' ';')"; return; }
		got=$("$ITR" report --format json "$f.itr" 2>/dev/null | jq '[.domains[] | .maps + .unmaps] | add')
		lost=$(sed -n 's/^recorded .*, \([0-9]*\) lost$/\1/p' "$f.err") ;;
	trace)
		got=$(grep -cE '"kind":"(map|map_sg|unmap|unmap_fast)"' "$f.jsonl")
		lost=$(sed -n 's/^emitted [0-9]*, lost \([0-9]*\),.*/\1/p' "$f.err") ;;
	esac
	if [[ $lost == 0 && $got == "$kern" && $kern -ge $((2 * STRESS_PAIRS)) && ! -e $f.trace.lost ]] &&
		! grep -q '"type":"finding"' "$f.jsonl" 2>/dev/null; then
		pass "$name" "$got map+unmap events = kernel's $kern, 0 lost, no finding"
	else
		fail "$name" "delivered ${got:-?}, kernel ${kern:-?}, lost ${lost:-?}; $(grep -E '^(findings|lost|emitted)' "$f.err" | tr '\n' ';')"
	fi
	rm -f "$f.jsonl" "$f.itr" "$f.trace"
}

for loop in $STRESS_LOOPS; do
	if [[ $loop == type1 && -z $edu ]]; then
		skip stress-type1 "no edu device"
	elif [[ $loop == ioas ]] && ! "$LOOP" ioas 1 >/dev/null 2>&1; then
		skip stress-ioas "no IOMMUFD_TEST mock domain"
	else
		for mode in monitor record trace; do stress_mode "$loop" "$mode"; done
	fi
done
