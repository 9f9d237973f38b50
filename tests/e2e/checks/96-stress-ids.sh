# shellcheck shell=bash
# Identities under stress (issue 14): hundreds of short-lived domains whose
# addresses the kernel reuses, and several iommufd contexts in one process
# whose object ids repeat. Recorded, then checked and reported:
# - no finding at all (a domain of unknown origin is not judged, and a
#   reused address inherits nothing);
# - iommufd (stress-ids): the model's HWPTs at the end, per context, are
#   exactly the HWPTs the workload's log says each of its iommufd fds holds
#   (ids IOMMU_HWPT_ALLOC returned, minus those it destroyed; the mock
#   device's automatic HWPT died with its domain when the device left it:
#   the model must have dropped it too), each on its own
#   live domain of the kernel's type UNMANAGED (read from the kernel's
#   iommu_domain);
# - type1 (stress-type1, any kernel): every device ends on a domain of the
#   type sysfs gives its group (the kernel's default domain), and the type1
#   domains the rounds allocated and freed are all UNMANAGED, one report row
#   per domain life, as many as the workload's VFIO_SET_IOMMU calls (the
#   kernel reuses a few addresses for them all).
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null
workload stress-bind bind >/dev/null || { fail stress-bind "$(tail -n2 "$OUT/stress-bind.err" | tr '\n' ';')"; return; }
scen=stress-type1
have_iommufd && scen=stress-ids
if ! bg_start /dev/null "$OUT/stress-rec.err" Recording "$ITR" record -o "$OUT/stress.itr"; then
	fail stress-start "$(tail -n2 "$OUT/stress-rec.err" | tr '\n' ';')"
	return
fi
start=$(date +%s)
workload stress-wl "$scen" &
wpid=$!
if [[ $scen == stress-ids ]]; then	# stop the recorder while the kept HWPTs live
	for _ in $(seq 1500); do
		grep -q '"op":"stress_hold"' "$OUT/stress-wl.jsonl" 2>/dev/null && break
		kill -0 "$wpid" 2>/dev/null || break
		sleep 0.2
	done
fi
if [[ $scen == stress-ids ]]; then
	bg_stop
	rrc=$?
	wait "$wpid"
	rc=$?
else
	wait "$wpid"
	rc=$?
	bg_stop
	rrc=$?
fi
if [[ $rc -eq 77 ]]; then
	skip stress-run "$(tail -n1 "$OUT/stress-wl.err")"
	return
fi
if [[ $rc -ne 0 || $rrc -ne 0 ]]; then
	fail stress-run "workload exit $rc, record exit $rrc ($(tail -n2 "$OUT/stress-wl.err" | tr '\n' ';'))"
	return
fi
pass stress-run "$scen in $(($(date +%s) - start)) s"

"$ITR" check --json --fail-on info "$OUT/stress.itr" >"$OUT/stress-check.json" 2>"$OUT/stress-check.err"
crc=$?
n=$(jq '.findings | length' "$OUT/stress-check.json" 2>/dev/null)
ev=$(jq '.summary.events' "$OUT/stress-check.json" 2>/dev/null)
if [[ $crc -eq 0 && $n == 0 && ${ev:-0} -gt 0 ]]; then
	pass stress-no-finding "$ev events"
else
	fail stress-no-finding "check $crc, $n findings: $(jq -c '[.findings[] | .rule + ": " + .message] | .[:2]' "$OUT/stress-check.json" 2>/dev/null)"
fi
if ! "$ITR" report -f json -o "$OUT/stress-report.json" "$OUT/stress.itr" 2>"$OUT/stress-report.err"; then
	fail stress-report "$(tail -n2 "$OUT/stress-report.err" | tr '\n' ';')"
	return
fi

if [[ $scen == stress-ids ]]; then
	# The workload's truth: per iommufd fd, the HWPT ids the kernel returned, less the destroyed.
	want=$(jq -s -c '[.[] | select(.ret == 0)
		| if .op == "IOMMU_HWPT_ALLOC" then {fd, id: .hwpt_id, add: true}
		  elif .op == "IOMMU_DESTROY" and .hwpt_id != null then {fd, id: .hwpt_id, add: false}
		  else empty end]
		| reduce .[] as $e ({}; .[$e.fd | tostring] |= (if $e.add then . + [$e.id] else . - [$e.id] end))
		| [.[] | sort] | sort' "$OUT/stress-wl.jsonl")
	allocs=$(jq -s '[.[] | select(.op == "IOMMU_HWPT_ALLOC" and .ret == 0)] | length' "$OUT/stress-wl.jsonl")
	got=$(jq -c '[.hwpts | group_by(.context)[] | map(.id) | sort] | sort' "$OUT/stress-report.json")
	if [[ -n $want && $want == "$got" && $(jq 'length' <<<"$want") -ge 3 ]]; then
		pass stress-hwpt-contexts "$(jq 'length' <<<"$want") contexts, $allocs HWPTs allocated, live per context: $got"
	else
		fail stress-hwpt-contexts "workload's live HWPTs per fd $want, the model's per context $got"
	fi
	bad=$(jq -c '.hwpts as $h | [$h[] | select(.domain == null or .domain_type != "UNMANAGED")] as $b
		| if ($b | length) > 0 then $b elif ($h | map(.domain) | unique | length) != ($h | length)
		  then "domains shared" else empty end' "$OUT/stress-report.json" 2>&1)
	if [[ -z $bad && $(jq '.hwpts | length' "$OUT/stress-report.json") -gt 0 ]]; then
		pass stress-hwpt-domains "each live HWPT on its own UNMANAGED domain"
	else
		fail stress-hwpt-domains "$bad"
	fi
else
	# sysfs (the kernel's own) type of each assignable device's group, against the model's last domain type.
	bad=""
	for dev in $(jq -r '.devices[] | select(.domain != null) | .dev' "$OUT/stress-report.json"); do
		g=$(basename "$(readlink "/sys/bus/pci/devices/$dev/iommu_group" 2>/dev/null)")
		[[ -n $g ]] || continue
		kt=$(cat "/sys/kernel/iommu_groups/$g/type")
		mt=$(jq -r --arg d "$dev" '.devices[] | select(.dev == $d) | .domain_type' "$OUT/stress-report.json")
		[[ $kt == "$mt" ]] || bad+="$dev: model $mt, sysfs $kt; "
	done
	n=$(jq -r '.devices | map(select(.domain != null)) | length' "$OUT/stress-report.json")
	if [[ -z $bad && $n -gt 0 ]]; then
		pass stress-device-types "$n devices on their group's default domain type"
	else
		fail stress-device-types "${bad:-no device with a domain}"
	fi
	sets=$(jq -s '[.[] | select(.op == "VFIO_SET_IOMMU" and .ret == 0)] | length' "$OUT/stress-wl.jsonl")
	out=$(jq -r '[.domains[] | select(.maps > 0)] | "\(length) \(map(select(.type != "UNMANAGED")) | length) \(map(.maps) | add)"' "$OUT/stress-report.json")
	read -r nd nbad nmaps <<<"$out"
	# one report row per domain life, though the kernel reused a few addresses
	if [[ ${nbad:-1} -eq 0 && ${nd:-0} -eq $sets && ${nmaps:-0} -ge $sets ]]; then
		pass stress-type1-domains "$sets VFIO_SET_IOMMU, $nmaps maps into $nd UNMANAGED domains, one report row each"
	else
		fail stress-type1-domains "$sets VFIO_SET_IOMMU; domains with maps: $nd, of another type: $nbad, maps $nmaps"
	fi
fi
