# shellcheck shell=bash
# make bench-guest cannot rot: its guest half (tests/bench/guest/bench.sh)
# runs one round of a few thousand pairs, bare and under every tracer, on
# one profile. Figures only: it passes when every run printed its line.
[[ $PROFILE == debian-6.12 ]] || return 0
n=$("$E2E/../bench/guest/bench.sh" type1 2000 1 2>"$OUT/bench-smoke.err" | tee "$OUT/bench-smoke.out" |
	grep -cE '^run type1 1 [a-z0-9-]+ ns_per_pair [0-9]+ kernel [0-9]+ delivered [0-9-]+ lost ')
if [[ $n -eq 9 ]]; then
	pass bench-guest-smoke "$(awk '$1 == "run" { printf "%s %s ns; ", $4, $6 }' "$OUT/bench-smoke.out")"
else
	fail bench-guest-smoke "$n of 9 runs printed: $(tail -n2 "$OUT/bench-smoke.err" | tr '\n' ';')"
fi
# where the time goes: a cost line for each of the 7 tracers that run in the
# background, with the BPF programs' runs counted (bpf_stats on)
c=$(grep -cE '^cost type1 1 [a-z0-9-]+ cpu_ms [0-9]+ ctxsw [0-9]+ bpf_ns [0-9]+ bpf_runs [1-9][0-9]* records [0-9-]+$' "$OUT/bench-smoke.out")
if [[ $c -eq 7 ]] && grep -qE '^prog type1 1 record fexit_map run_cnt [1-9]' "$OUT/bench-smoke.out"; then
	pass bench-guest-costs "$(awk '$1 == "cost" { printf "%s %s ms %s bpf runs; ", $4, $6, $12 }' "$OUT/bench-smoke.out")"
else
	fail bench-guest-costs "$c of 7 cost lines, record's per-program lines: $(grep -c '^prog type1 1 record ' "$OUT/bench-smoke.out")"
fi
