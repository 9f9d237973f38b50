# shellcheck shell=bash
# No finding from a loss: a forced small ring buffer under a map loop loses
# records; the loss records in the stream say where, and the rules that
# need what was lost are suspended for what it may have touched. monitor
# and `check` of a recording made the same way must report no finding, and
# a summary of what was lost and what was suspended.
GAP_PAIRS=${GAP_PAIRS:-2000}
LOOP=$BUILD/bench/guest-maploop
edu=$(pci_find 0x1234 0x11e8 | head -n1)
if [[ -z $edu ]]; then
	skip gap "no edu device"
	return
fi
[[ $(pci_driver "$edu") == vfio-pci ]] || workload gap-bind bind >/dev/null
if ! bg_start "$OUT/gap-mon.out" "$OUT/gap-mon.err" Monitoring "$ITR" monitor -F --ringbuf-size 8192; then
	fail gap-monitor-start "$(tail -n2 "$OUT/gap-mon.err" | tr '\n' ';')"
	return
fi
"$LOOP" type1 "$edu" "$GAP_PAIRS" >"$OUT/gap-loop.out" 2>&1
loop_rc=$?
bg_stop
rc=$?
lost=$(sed -n 's/^gaps: \([0-9]*\) in the stream, \([0-9]*\) events lost.*/\2/p' "$OUT/gap-mon.err")
if [[ $loop_rc -eq 0 && $rc -eq 0 && ${lost:-0} -gt 0 ]] &&
	grep -q '^findings: 0 error, 0 warning, 0 info' "$OUT/gap-mon.err" &&
	grep -q '^suspended after gaps (state the lost events may have changed): mapping checks of [1-9]' "$OUT/gap-mon.err" &&
	grep -qE '^judgments not made: .*(unmap-unmapped|map-overlap|domain-freed-with-mappings) [1-9]' "$OUT/gap-mon.err" &&
	[[ ! -s $OUT/gap-mon.out ]]; then
	pass gap-monitor-no-finding "$lost lost; $(grep '^judgments not made' "$OUT/gap-mon.err")"
else
	fail gap-monitor-no-finding "loop $loop_rc, exit $rc, lost ${lost:-?}; $(grep -E '^(findings|gaps|judgments)' "$OUT/gap-mon.err" | tr '\n' ';') $(head -c 300 "$OUT/gap-mon.out")"
fi

# The same through a recording: check FILE judges as the live run did.
if ! bg_start /dev/null "$OUT/gap-rec.err" Recording "$ITR" record --ringbuf-size 8192 -o "$OUT/gap.itr"; then
	fail gap-record-start "$(tail -n2 "$OUT/gap-rec.err" | tr '\n' ';')"
	return
fi
"$LOOP" type1 "$edu" "$GAP_PAIRS" >>"$OUT/gap-loop.out" 2>&1
loop_rc=$?
bg_stop
rc=$?
"$ITR" check "$OUT/gap.itr" >"$OUT/gap-check.out" 2>"$OUT/gap-check.err"
check_rc=$?
lost=$(sed -n 's/^gaps: \([0-9]*\) in the stream, \([0-9]*\) events lost.*/\2/p' "$OUT/gap-check.err")
if [[ $loop_rc -eq 0 && $rc -eq 0 && $check_rc -eq 0 && ${lost:-0} -gt 0 ]] &&
	grep -q '^findings: 0 error, 0 warning, 0 info' "$OUT/gap-check.err" &&
	grep -qE '^judgments not made: .*[1-9]' "$OUT/gap-check.err"; then
	pass gap-check-recording "$lost lost in the recording; $(grep '^judgments not made' "$OUT/gap-check.err")"
else
	fail gap-check-recording "loop $loop_rc, record $rc, check $check_rc, lost ${lost:-?}; $(grep -E '^(findings|gaps|judgments)' "$OUT/gap-check.err" | tr '\n' ';') $(tail -n2 "$OUT/gap-rec.err" | tr '\n' ';')"
fi
