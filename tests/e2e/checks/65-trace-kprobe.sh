# shellcheck shell=bash
# The kprobe/kretprobe family (the fallback where fentry is refused) sees
# the same truth: every logged map/unmap/attach, as many events as tracefs.
scen="type1-map type1-unmap-parts"
have_iommufd && scen+=" iommufd-basic"
tp_begin
if ! trace_start events-kprobe --no-fentry --all-domains; then
	tp_end "$OUT/events-kprobe.trace"
	fail trace-kprobe-start "$(tail -n2 "$OUT/events-kprobe.err" | tr '\n' ';')"
	return
fi
# shellcheck disable=SC2086
workload traced-kprobe $scen
rc=$?
bg_stop
trc=$?
tp_end "$OUT/events-kprobe.trace"
if [[ $rc -ne 0 || $trc -ne 0 ]]; then
	fail trace-kprobe-run "workload exit $rc, trace exit $trc ($(tail -n2 "$OUT/events-kprobe.err" | tr '\n' ';'))"
	return
fi
tpcheck_as trace-kprobe-log log "$OUT/traced-kprobe.jsonl" "$OUT/events-kprobe.jsonl"
tpcheck_as trace-kprobe-count count "$OUT/events-kprobe.jsonl" "$OUT/events-kprobe.trace"
