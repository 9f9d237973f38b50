# shellcheck shell=bash
# The kprobe/kretprobe family (the fallback where fentry is refused) sees
# the same truth: every logged map/unmap/attach, as many events as tracefs.
scen="type1-map type1-unmap-parts"
have_iommufd && scen+=" iommufd-basic"
EV=$OUT/events-kprobe.jsonl
tp_begin
"$ITR" trace --no-fentry --json --all-domains --output "$EV" 2>"$OUT/events-kprobe.err" &
pid=$!
for _ in $(seq 150); do
	grep -q 'Tracing' "$OUT/events-kprobe.err" 2>/dev/null && break
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.2
done
# shellcheck disable=SC2086
workload traced-kprobe $scen
rc=$?
kill -INT "$pid" 2>/dev/null
wait "$pid"
trc=$?
tp_end "$OUT/events-kprobe.trace"
if [[ $rc -ne 0 || $trc -ne 0 ]]; then
	fail trace-kprobe-run "workload exit $rc, trace exit $trc ($(tail -n2 "$OUT/events-kprobe.err" | tr '\n' ';'))"
	return
fi
for mode in log count; do
	if [[ $mode == log ]]; then
		set -- log "$OUT/traced-kprobe.jsonl" "$EV"
	else
		set -- count "$EV" "$OUT/events-kprobe.trace"
	fi
	if "$TPCHECK" "$@" >"$OUT/kprobe-$mode.tpcheck" 2>&1; then
		pass "trace-kprobe-$mode" "$(tr '\n' ';' <"$OUT/kprobe-$mode.tpcheck")"
	else
		fail "trace-kprobe-$mode" "$(tr '\n' ';' <"$OUT/kprobe-$mode.tpcheck")"
	fi
done
