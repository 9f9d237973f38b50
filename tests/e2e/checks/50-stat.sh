# shellcheck shell=bash
# iommutrace's BPF counters (tp_btf) load on this kernel and count exactly
# what tracefs records over the same window of workload activity.
tp_begin
"$ITR" stat --json >"$OUT/stat.json" 2>"$OUT/stat.err" &
pid=$!
for _ in $(seq 100); do
	grep -q 'Counting' "$OUT/stat.err" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
if ! grep -q 'Counting' "$OUT/stat.err"; then
	tp_end "$OUT/stat.trace"
	kill -INT "$pid" 2>/dev/null
	wait "$pid"
	fail stat-attach "$(tail -n1 "$OUT/stat.err")"
	return
fi
workload stat type1-map type1-unmap-all
rc=$?
kill -INT "$pid"
wait "$pid"
src=$?
tp_end "$OUT/stat.trace"
if [[ $rc -ne 0 || $src -ne 0 ]]; then
	fail stat-run "workload exit $rc, stat exit $src ($(tail -n1 "$OUT/stat.err"))"
elif "$TPCHECK" stat "$OUT/stat.json" "$OUT/stat.trace" >"$OUT/stat.tpcheck" 2>&1; then
	pass stat-equals-tracefs "$(tr '\n' ';' <"$OUT/stat.tpcheck")"
else
	fail stat-equals-tracefs "$(tr '\n' ';' <"$OUT/stat.tpcheck")"
fi
