# shellcheck shell=bash
# tests/host/metrics.sh: the Prometheus exporter on the build host (sourced
# by tests/host/run; uses its expect, ITR, tmp). promtool on the rules,
# the scrape configuration and real scrapes; the dashboard's JSON and its
# picture (docs/dashboard.svg, redrawn from contrib/grafana/sample.json); the
# HTTP edge cases against a live `iommutrace serve` (tracepoint rows
# attach on this host): wrong path, HEAD, other methods, oversized headers,
# an idle and a half-sent request while other scrapes succeed, 50
# concurrent scrapes, a taken port.
expect metrics-rules-promtool 0 'SUCCESS: 5 rules found' \
	promtool check rules contrib/prometheus/iommutrace-rules.yml
expect metrics-config-promtool 0 'is valid prometheus config' \
	promtool check config contrib/prometheus/prometheus.yml
expect metrics-dashboard-json 0 '' jq -e '(.panels | length) > 0 and
	all(.panels[]; (.targets | length) > 0 and all(.targets[]; .expr | test("iommutrace_")))' \
	contrib/grafana/iommutrace.json
# the README's picture is what `make dashboard` draws from the committed sample
expect metrics-dashboard-picture 0 'panels from' sh -c "contrib/grafana/render --out $tmp/dashboard.svg &&
	cmp $tmp/dashboard.svg docs/dashboard.svg"
expect metrics-dashboard-bad-sample 1 'cannot read the sample /nonexistent' contrib/grafana/render --sample /nonexistent --out "$tmp/x.svg"
expect metrics-bad-address 2 "invalid --metrics '127.0.0.1:99999'" "$ITR" serve --metrics 127.0.0.1:99999
expect metrics-bad-host 2 "invalid --metrics 'localhost:8739'" "$ITR" serve --metrics localhost:8739
expect monitor-metrics-bad-address 2 "invalid --metrics 'x:'" "$ITR" monitor --metrics x:
expect enforce-metrics-bad-address 2 "invalid --metrics '\\[::1'" "$ITR" enforce --policy /dev/null --metrics '[::1'
expect enforce-metrics-not-with-status 2 'metrics goes with the daemon only' "$ITR" enforce --status --metrics 8739

[[ $(id -u) -eq 0 ]] || return 0

mport=$((20000 + $$ % 20000))
murl=http://127.0.0.1:$mport
"$ITR" serve --metrics "127.0.0.1:$mport" >"$tmp/serve.out" 2>"$tmp/serve.err" &
mpid=$!
for _ in $(seq 100); do
	grep -q Exporting "$tmp/serve.err" && break
	sleep 0.1
done

# scrape NAME CURL-ARGS...: the status code and headers to $tmp/NAME.h, body to $tmp/NAME.b
scrape() {
	local name=$1
	shift
	curl -s --max-time 5 -D "$tmp/$name.h" -o "$tmp/$name.b" "$@"
}
status_is() { # FILE CODE
	head -n1 "$1" | grep -q " $2"
}

scrape text "$murl/metrics"
expect metrics-text-format 0 '' sh -c "status_line=\$(head -n1 $tmp/text.h); echo \"\$status_line\" | grep -q ' 200' &&
	grep -qi '^content-type: text/plain; version=0.0.4' $tmp/text.h &&
	grep -q '^iommutrace_probe_attached{probe=\"map\",method=\"tracepoint\",required=\"false\"} 1' $tmp/text.b &&
	grep -q '^iommutrace_ringbuf_size_bytes [1-9]' $tmp/text.b && grep -q '^iommutrace_ringbuf_used_bytes [0-9]' $tmp/text.b"
# nothing is enforced on this host (BPF LSM refuses here): a gauge says so, no decisions
expect metrics-nothing-enforced 0 '' sh -c "[ ! -e /sys/fs/bpf/iommutrace ] &&
	grep -q '^# TYPE iommutrace_enforcement_active gauge' $tmp/text.b &&
	grep -q '^iommutrace_enforcement_active 0\$' $tmp/text.b && ! grep -q '^iommutrace_enforcement_decisions' $tmp/text.b"
# promtool's linter prints nothing on a clean document
expect metrics-promtool-check 0 '' sh -c "promtool check metrics <$tmp/text.b >$tmp/lint 2>&1; rc=\$?; cat $tmp/lint; [ \$rc -eq 0 ] && [ ! -s $tmp/lint ]"
scrape om -H 'Accept: application/openmetrics-text; version=1.0.0' "$murl/metrics"
expect metrics-openmetrics 0 '' sh -c "grep -qi '^content-type: application/openmetrics-text' $tmp/om.h &&
	[ \"\$(tail -n1 $tmp/om.b)\" = '# EOF' ] && grep -q '^# TYPE iommutrace_operations counter' $tmp/om.b &&
	grep -q '^iommutrace_operations_total{op=\"map\",result=\"ok\"} ' $tmp/om.b"
scrape nope "$murl/nope"
expect metrics-wrong-path-404 0 '' status_is "$tmp/nope.h" 404
curl -s --max-time 5 -I "$murl/metrics" >"$tmp/head.h"
expect metrics-head 0 '' sh -c "head -n1 $tmp/head.h | grep -q ' 200' && grep -qi '^content-length: [1-9]' $tmp/head.h"
scrape post -X POST -d x=1 "$murl/metrics"
expect metrics-post-405 0 '' sh -c "head -n1 $tmp/post.h | grep -q ' 405' && grep -qi '^allow: GET, HEAD' $tmp/post.h"
scrape big -H "X-Big: $(head -c 100000 /dev/zero | tr '\0' a)" "$murl/metrics"
expect metrics-oversized-headers-431 0 '' status_is "$tmp/big.h" 431

# an idle connection and a half-sent request stay open while others scrape
exec 7<>"/dev/tcp/127.0.0.1/$mport"
exec 8<>"/dev/tcp/127.0.0.1/$mport"
printf 'GET /metrics HTTP/1.1\r\nHost: x\r\n' >&8
t0=$(date +%s%N)
scrape idle "$murl/metrics"
ms=$((($(date +%s%N) - t0) / 1000000))
expect metrics-idle-client-no-delay 0 '' sh -c "head -n1 $tmp/idle.h | grep -q ' 200' && [ $ms -lt 2000 ] || { echo ${ms}ms; false; }"
for i in $(seq 50); do
	curl -s --max-time 10 -o "$tmp/c$i.b" -w '%{http_code}\n' "$murl/metrics" >"$tmp/c$i.code" &
done
wait_curls() { local j; for j in $(jobs -p); do [[ $j == "$mpid" ]] || wait "$j"; done; }
wait_curls
expect metrics-50-concurrent 0 '' sh -c "[ \$(cat $tmp/c*.code | grep -c '^200\$') -eq 50 ] &&
	[ \$(grep -l '^iommutrace_counters_up 1\$' $tmp/c*.b | wc -l) -eq 50 ]"
exec 7>&- 8>&-

# monitor serves the same metrics beside its own output
"$ITR" monitor -F --metrics "127.0.0.1:$((mport + 1))" -d 8 >"$tmp/mon.out" 2>"$tmp/mon.err" &
monpid=$!
for _ in $(seq 100); do
	grep -q Monitoring "$tmp/mon.err" && break
	sleep 0.1
done
scrape mon "http://127.0.0.1:$((mport + 1))/metrics"
expect monitor-metrics 0 '' sh -c "head -n1 $tmp/mon.h | grep -q ' 200' &&
	grep -q '^iommutrace_findings_total{rule=\"map-overlap\",severity=\"error\"} 0' $tmp/mon.b &&
	grep -q '^iommutrace_counters_up 1' $tmp/mon.b"
kill -INT "$monpid"
wait "$monpid"
expect monitor-metrics-exit 0 '' test $? -eq 0

expect metrics-port-taken 1 "cannot listen on 127.0.0.1:$mport" "$ITR" serve --metrics "127.0.0.1:$mport" -d 1
printf 'version: 1\nrules:\n  - operations: [map]\n' >"$tmp/enf.yaml"
expect enforce-metrics-port-taken 1 "cannot listen on 127.0.0.1:$mport" "$ITR" enforce --policy "$tmp/enf.yaml" --metrics "127.0.0.1:$mport"
kill -INT "$mpid"
wait "$mpid"
expect metrics-serve-exit 0 '' test $? -eq 0
