# shellcheck shell=bash
# iommutrace trace, against ground truth it did not produce: every map,
# unmap and attach the workload logged appears with the right IOVA range,
# device (group) and an attached domain; with --all-domains it has exactly
# as many map, unmap and attach events as the kernel's tracepoints over the
# same window; nothing is lost. On iommufd: the group replace and PASID paths.
scen="type1-map type1-unmap-parts type1-edu-dma"
have_iommufd && scen+=" iommufd-basic iommufd-group-replace iommufd-pasid"
EV=$OUT/events.jsonl
tp_begin
if ! trace_start events --all-domains; then
	tp_end "$OUT/events.trace"
	fail trace-start "$(tail -n3 "$OUT/events.err" | tr '\n' ';')"
	return
fi
# shellcheck disable=SC2086
workload traced $scen
rc=$?
bg_stop
trc=$?
tp_end "$OUT/events.trace"
if [[ $rc -eq 0 && $trc -eq 0 ]]; then
	pass trace-run "$(grep -m1 '^events:' "$OUT/events.err")"
else
	fail trace-run "workload exit $rc, trace exit $trc ($(tail -n2 "$OUT/events.err" | tr '\n' ';'))"
fi

tpcheck_as trace-sees-workload log "$OUT/traced.jsonl" "$EV"
tpcheck_as trace-counts-equal-tracefs count "$EV" "$OUT/events.trace"
if grep -qE '^emitted [0-9]+, lost 0,' "$OUT/events.err"; then
	pass trace-nothing-lost
else
	fail trace-nothing-lost "$(grep -m1 '^emitted' "$OUT/events.err")"
fi

have_iommufd || return 0
# The replace of the first e1000 moved the whole group: both functions get
# attach events onto the same new domain, coming from a different one.
mapfile -t nics < <(pci_find 0x8086 0x100e)
expect_log trace-group-replace "$EV" --arg a "${nics[0]}" --arg b "${nics[1]}" \
	'[.[] | select(.kind == "attach" and .old_domain_id != null and .old_domain_id != .domain_id)]
	 | (map(select(.dev == $a)) | map(.domain_id)) as $da
	 | (map(select(.dev == $b)) | map(.domain_id)) as $db
	 | any($da[]; . as $d | any($db[]; . == $d))' \
	"no replace moving both e1000 functions onto one new domain"
expect_log trace-pasid "$EV" \
	'[.[] | select(.pasid == 100) | .kind] as $k
	 | ($k | index("pasid_attach")) != null and ($k | index("pasid_replace")) != null and
	   ($k | index("pasid_detach")) != null' \
	"pasid 100: attach, replace and detach events expected"
