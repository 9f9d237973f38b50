# shellcheck shell=bash
# The Prometheus exporter against a real Prometheus (the host's
# /usr/bin/prometheus, run in the guest on loopback with its storage on a
# tmpfs): it scrapes `iommutrace serve` every second while the workload
# runs; then, through Prometheus' HTTP API,
# - the in-kernel ioctl counter of successful VFIO_IOMMU_MAP_DMA (and, with
#   iommufd, IOMMU_IOAS_MAP) equals the workload's own count in its log,
#   and the ioctl latency histogram's count equals the number of MAP_DMA
#   calls the workload made (ok or not): both counted in BPF, per CPU;
# - every query of the Grafana dashboard runs without error and returns a
#   series; the alerting rules load and evaluate without error;
# - promtool check metrics passes on a scrape taken with real counts, and
#   with kernel.bpf_stats_enabled on it shows the ioctl programs' runs;
# - with `enforce --metrics` running a policy that denies group opens to
#   one comm, the decisions counter (scraped from both `serve`, through the
#   pins, and the daemon) equals the EPERMs that process logged itself, the
#   denial alert fires, and promtool passes on the daemon's exposition.
# - contrib/grafana/render records every dashboard query's results from
#   this Prometheus ($OUT/dashboard-sample.json, the source of
#   contrib/grafana/sample.json) and draws each panel of the dashboard.
# A Prometheus server under emulation costs minutes: one profile runs it.
if [[ $PROFILE != iommufd ]]; then
	skip metrics-prometheus "runs on the iommufd profile only (a real Prometheus costs ~3 min)"
	return
fi
modprobe -q vfio_iommu_type1 2>/dev/null
modprobe -q vfio-pci 2>/dev/null
workload metrics-bind bind || { fail metrics-bind "$(tail -n1 "$OUT/metrics-bind.err")"; return; }
PROM=/usr/bin/prometheus
PORT=8739
ENF_PORT=8740
DENIED=/tmp/metrics-denied	# enfprobe under another name: its comm
API=http://127.0.0.1:9090/api/v1
SRC=$(cd "$E2E/../.." && pwd)
if [[ ! -x $PROM ]]; then
	fail metrics-prometheus "no $PROM (contrib/deps.sh installs prometheus)"
	return
fi

# progress, for a slow guest (the results share is written through)
exec {TRACE_FD}>>"$OUT/metrics-trace.log"
BASH_XTRACEFD=$TRACE_FD
PS4='+ ${EPOCHREALTIME} '
set -x

# prom_value EXPR: the first result's value, or "none"
prom_value() {
	curl -s --max-time 10 -G "$API/query" --data-urlencode "query=$1" |
		jq -r 'if .status == "success" and (.data.result | length) > 0
		       then .data.result[0].value[1] else "none" end' 2>/dev/null
}
# prom_wait EXPR WANT: poll until EXPR is WANT (30 s); prints the last value
prom_wait() {
	local v
	for _ in $(seq 30); do
		v=$(prom_value "$1")
		[[ $v == "$2" ]] && break
		sleep 1
	done
	echo "$v"
}

# the test bed's init leaves the loopback interface down
ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null
tsdb=$(mktemp -d /tmp/prom.XXXXXX)
mount -t tmpfs -o size=256m tmpfs "$tsdb"
cat >"$tsdb/prometheus.yml" <<CFG
global:
  scrape_interval: 2s
  evaluation_interval: 2s
rule_files:
  - $SRC/contrib/prometheus/iommutrace-rules.yml
scrape_configs:
  - job_name: iommutrace
    static_configs:
      - targets: ["127.0.0.1:$PORT"]
  - job_name: iommutrace-enforce
    static_configs:
      - targets: ["127.0.0.1:$ENF_PORT"]
CFG
# enforcement: one comm may not open a VFIO group; the workload is not it
group=
for g in /dev/vfio/[0-9]*; do
	[[ -e $g ]] && { group=${g##*/}; break; }
done
ln -sf "$BUILD/e2e/enfprobe" "$DENIED"
printf 'version: 1\nrules:\n  - id: metrics-denied\n    subject: {comm: metrics-denied}\n    operations: [open-group]\n    action: deny\n' \
	>"$OUT/metrics-policy.yaml"
"$ITR" enforce --stop >/dev/null 2>&1
ENF_PID=
if bg_start /dev/null "$OUT/metrics-enforce.err" enforcing "$ITR" enforce --policy "$OUT/metrics-policy.yaml" \
	--audit "$OUT/metrics-audit.jsonl" --metrics "127.0.0.1:$ENF_PORT"; then
	ENF_PID=$BG_PID
else
	fail metrics-enforce-start "$(tail -n2 "$OUT/metrics-enforce.err" | tr '\n' ';')"
fi
bpf_stats=$(cat /proc/sys/kernel/bpf_stats_enabled 2>/dev/null)
echo 1 >/proc/sys/kernel/bpf_stats_enabled
if ! bg_start /dev/null "$OUT/metrics-serve.err" Exporting "$ITR" serve --metrics "127.0.0.1:$PORT"; then
	fail metrics-serve-start "$(tail -n2 "$OUT/metrics-serve.err" | tr '\n' ';')"
	umount "$tsdb"
	return
fi
SERVE_PID=$BG_PID
"$PROM" --config.file="$tsdb/prometheus.yml" --storage.tsdb.path="$tsdb/data" \
	--web.listen-address=127.0.0.1:9090 >"$OUT/prometheus.log" 2>&1 &
PROM_PID=$!
for _ in $(seq 120); do
	curl -sf --max-time 5 http://127.0.0.1:9090/-/ready >/dev/null 2>&1 && break
	sleep 0.5
done
# the exporter is a healthy target before the workload starts
up=$(prom_wait 'up{job="iommutrace"}' 1)

scen="type1-map type1-unmap-parts"
have_iommufd && scen+=" iommufd-basic"
# shellcheck disable=SC2086
workload metrics-wl $scen
rc=$?
log=$OUT/metrics-wl.jsonl
want_map=$(jq -s '[.[] | select(.op == "VFIO_IOMMU_MAP_DMA" and .ret == 0)] | length' "$log")
want_calls=$(jq -s '[.[] | select(.op == "VFIO_IOMMU_MAP_DMA")] | length' "$log")
got_map=$(prom_wait 'sum(iommutrace_ioctls_total{ioctl="VFIO_IOMMU_MAP_DMA",result="ok"})' "$want_map")
got_calls=$(prom_wait 'sum(iommutrace_ioctl_duration_seconds_count{ioctl="VFIO_IOMMU_MAP_DMA"})' "$want_calls")
if [[ $rc -eq 0 && $up == 1 && ${want_map:-0} -gt 0 && $got_map == "$want_map" ]]; then
	pass metrics-map-counter "VFIO_IOMMU_MAP_DMA ok: $got_map in Prometheus, $want_map in the workload's log"
else
	fail metrics-map-counter "workload $rc, up $up; Prometheus $got_map, workload log $want_map"
fi
if [[ ${want_calls:-0} -gt 0 && $got_calls == "$want_calls" ]]; then
	pass metrics-map-histogram "latency histogram count $got_calls = $want_calls MAP_DMA calls"
else
	fail metrics-map-histogram "histogram count $got_calls, workload's MAP_DMA calls $want_calls"
fi
if have_iommufd; then
	want=$(jq -s '[.[] | select(.op == "IOMMU_IOAS_MAP" and .ret == 0)] | length' "$log")
	got=$(prom_wait 'sum(iommutrace_ioctls_total{ioctl="IOMMU_IOAS_MAP",result="ok"})' "$want")
	if [[ ${want:-0} -gt 0 && $got == "$want" ]]; then
		pass metrics-ioas-map-counter "IOMMU_IOAS_MAP ok: $got = $want"
	else
		fail metrics-ioas-map-counter "Prometheus $got, workload log $want"
	fi
fi
# in-kernel map operations: at least one per successful map of the workload
got=$(prom_value 'sum(iommutrace_operations_total{op="map",result="ok"})')
cnt=$(prom_value 'sum(iommutrace_operation_duration_seconds_count{op="map"})')
if [[ $got != none && $got -ge $want_map && $cnt == "$(prom_value 'sum(iommutrace_operations_total{op="map"})')" ]]; then
	pass metrics-map-operations "map operations $got >= $want_map, histogram count $cnt = calls"
else
	fail metrics-map-operations "map operations $got (want >= $want_map), histogram count $cnt"
fi

# the denials: the process's own log against both exporters' counters
if [[ -n $ENF_PID && -n $group ]]; then
	for _ in 1 2 3 4 5; do "$DENIED" open "/dev/vfio/$group"; done >"$OUT/metrics-denied.log" 2>&1
	want=$(grep -c "^op=open path=/dev/vfio/$group ret=-1\$" "$OUT/metrics-denied.log")
	sel='rule="metrics-denied",action="deny",tier="gate"'
	got=$(prom_wait "iommutrace_enforcement_decisions_total{job=\"iommutrace\",$sel}" "$want")
	got_d=$(prom_wait "iommutrace_enforcement_decisions_total{job=\"iommutrace-enforce\",$sel}" "$want")
	recs=$(prom_wait 'iommutrace_enforcement_audit_records_total{job="iommutrace-enforce"}' "$want")
	if [[ $want -eq 5 && $got == "$want" && $got_d == "$want" && $recs == "$want" ]]; then
		pass metrics-enforcement-decisions "$want EPERMs logged by the process = decisions in Prometheus (serve $got, enforce $got_d), $recs audit records"
	else
		fail metrics-enforcement-decisions "EPERMs logged $want (of 5); Prometheus: serve $got, enforce $got_d, audit records $recs"
	fi
	alert=$(prom_wait 'count(ALERTS{alertname="IommutraceDenials",alertstate="firing",rule="metrics-denied"})' 2)
	if [[ $alert == 2 ]]; then
		pass metrics-enforcement-alert "IommutraceDenials fires for rule metrics-denied on both targets"
	else
		fail metrics-enforcement-alert "IommutraceDenials firing on $alert targets, want 2"
	fi
	curl -s --max-time 10 "http://127.0.0.1:$ENF_PORT/metrics" >"$OUT/metrics-enforce.txt"
	if promtool check metrics <"$OUT/metrics-enforce.txt" >"$OUT/metrics-enforce-promtool.out" 2>&1 &&
		grep -q "^iommutrace_enforcement_decisions_total{$sel} $want\$" "$OUT/metrics-enforce.txt" &&
		grep -q '^iommutrace_enforcement_active 1$' "$OUT/metrics-enforce.txt"; then
		pass metrics-enforce-promtool "promtool check metrics on enforce --metrics, with the denials"
	else
		fail metrics-enforce-promtool "$(head -n3 "$OUT/metrics-enforce-promtool.out" | tr '\n' ';')"
	fi
else
	skip metrics-enforcement-decisions "no enforcement daemon or no VFIO group"
fi

# every dashboard query over the last 150 s (recorded by contrib/grafana/render,
# whose curl fails on a query Prometheus refuses): no error, at least one
# series; then the dashboard's picture from those results (docs/dashboard.svg)
n=$(jq '[.panels[].targets[]] | length' "$SRC/contrib/grafana/iommutrace.json")
if "$SRC/contrib/grafana/render" --prometheus http://127.0.0.1:9090 --range 150 \
	--record "$OUT/dashboard-sample.json" --out "$OUT/dashboard.svg" >"$OUT/dashboard-render.out" 2>&1; then
	bad=$(jq -r '[.queries[] | select(.result | length == 0) | .expr] | "\(length) \(.[0] // "")"' "$OUT/dashboard-sample.json")
else
	bad="$n $(tail -n1 "$OUT/dashboard-render.out")"
fi
if [[ $n -gt 0 && $bad == "0 " && $(jq '.queries | length' "$OUT/dashboard-sample.json") == "$n" ]]; then
	pass metrics-dashboard-queries "$n queries, each with a series"
else
	fail metrics-dashboard-queries "${bad%% *} of $n failed: ${bad#* }"
fi
if jq -r '.panels[].title' "$SRC/contrib/grafana/iommutrace.json" |
	grep -vxFf <(grep -o '>[^<]*<' "$OUT/dashboard.svg" | tr -d '<>' | sed 's/ (10 of [0-9]* series)$//') |
	{ ! grep -q .; }; then
	pass metrics-dashboard-render "every panel drawn from the recorded results"
else
	fail metrics-dashboard-render "a panel's title is missing from $OUT/dashboard.svg"
fi
rules=$(curl -s --max-time 10 "$API/rules" | jq -r '[.data.groups[].rules[]] | "\(length) \([.[] | select(.health == "err")] | length)"')
if [[ $rules == "5 0" ]]; then
	pass metrics-alert-rules "5 alerting rules loaded and evaluated"
else
	fail metrics-alert-rules "rules, erroring: $rules"
fi
curl -s --max-time 10 "http://127.0.0.1:$PORT/metrics" >"$OUT/metrics.txt"
if promtool check metrics <"$OUT/metrics.txt" >"$OUT/metrics-promtool.out" 2>&1 &&
	grep -q '^iommutrace_ioctls_total{ioctl="VFIO_IOMMU_MAP_DMA",result="ok"} [1-9]' "$OUT/metrics.txt" &&
	{ [[ -z $ENF_PID ]] || grep -q '^iommutrace_enforcement_decisions_total{rule="metrics-denied",action="deny",tier="gate"} [1-9]' "$OUT/metrics.txt"; }; then
	pass metrics-promtool "promtool check metrics on a scrape with real counts"
else
	fail metrics-promtool "$(head -n3 "$OUT/metrics-promtool.out" | tr '\n' ';')"
fi
if grep -q '^iommutrace_bpf_stats_enabled 1$' "$OUT/metrics.txt" &&
	grep -qE '^iommutrace_bpf_program_runs_total\{program="fexit_ioctl_vfio_container"\} [1-9]' "$OUT/metrics.txt" &&
	grep -qE '^iommutrace_bpf_program_run_seconds_total\{program="fexit_ioctl_vfio_container"\} [0-9.e-]*[1-9]' "$OUT/metrics.txt"; then
	pass metrics-bpf-run-time "the container ioctl's program: runs and run time"
else
	fail metrics-bpf-run-time "$(grep -E 'bpf_stats_enabled|fexit_ioctl_vfio_container' "$OUT/metrics.txt" | tr '\n' ';')"
fi
echo "${bpf_stats:-0}" >/proc/sys/kernel/bpf_stats_enabled

kill "$PROM_PID" 2>/dev/null
wait "$PROM_PID" 2>/dev/null
if [[ -n $ENF_PID ]]; then
	BG_PID=$ENF_PID
	bg_stop
	"$ITR" enforce --stop >/dev/null 2>&1
fi
rm -f "$DENIED"
BG_PID=$SERVE_PID
bg_stop
src=$?
[[ $src -eq 0 ]] || fail metrics-serve-exit "serve exited $src ($(tail -n2 "$OUT/metrics-serve.err" | tr '\n' ';'))"
umount "$tsdb"
rmdir "$tsdb"
set +x
