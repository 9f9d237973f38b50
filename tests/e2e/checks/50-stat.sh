# shellcheck shell=bash
# iommutrace's BPF counters (tp_btf) load on this kernel and count exactly
# what tracefs records over the same window of workload activity.
tp_begin
if ! bg_start "$OUT/stat.json" "$OUT/stat.err" Counting "$ITR" stat --json; then
	tp_end "$OUT/stat.trace"
	fail stat-attach "$(tail -n1 "$OUT/stat.err")"
	return
fi
workload stat type1-map type1-unmap-all
rc=$?
bg_stop
src=$?
tp_end "$OUT/stat.trace"
if [[ $rc -ne 0 || $src -ne 0 ]]; then
	fail stat-run "workload exit $rc, stat exit $src ($(tail -n1 "$OUT/stat.err"))"
else
	tpcheck_as stat-equals-tracefs stat "$OUT/stat.json" "$OUT/stat.trace"
fi
