# shellcheck shell=bash
# Deliberate loss: with the smallest ring buffer, a burst of maps overflows
# it; trace must say so while running and in its summary, and every event
# it did not lose must be in its output.
if ! trace_start lost --all-domains --ringbuf-size 4096; then
	fail trace-lost-start "$(tail -n2 "$OUT/lost.err" | tr '\n' ';')"
	return
fi
workload lost-wl type1-map type1-map type1-map
bg_stop
rc=$?
lost=$(sed -n 's/^emitted \([0-9]*\), lost \([0-9]*\),.*/\2/p' "$OUT/lost.err")
emitted=$(sed -n 's/^emitted \([0-9]*\), lost \([0-9]*\),.*/\1/p' "$OUT/lost.err")
lines=$(wc -l <"$OUT/lost.jsonl")
if [[ $rc -eq 0 && ${lost:-0} -gt 0 && $lines -eq ${emitted:--1} ]] &&
	grep -qE '^lost [0-9]+ events \(ring buffer full\)' "$OUT/lost.err"; then
	pass trace-lost-reported "lost $lost, emitted $emitted = $lines lines"
else
	fail trace-lost-reported "exit $rc, lost ${lost:-?}, emitted ${emitted:-?}, $lines lines; $(grep -m1 '^lost' "$OUT/lost.err")"
fi
