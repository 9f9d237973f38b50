# shellcheck shell=bash
# make bench-guest cannot rot: its guest half (tests/bench/guest/bench.sh)
# runs one round of a few thousand pairs, bare and under every tracer, on
# one profile. Figures only: it passes when every run printed its line.
[[ $PROFILE == debian-6.12 ]] || return 0
n=$("$E2E/../bench/guest/bench.sh" type1 2000 1 2>"$OUT/bench-smoke.err" | tee "$OUT/bench-smoke.out" |
	grep -cE '^run type1 1 [a-z0-9-]+ ns_per_pair [0-9]+ kernel [0-9]+ delivered [0-9-]+ lost ')
if [[ $n -eq 9 ]]; then
	pass bench-guest-smoke "$(awk '{ printf "%s %s ns; ", $4, $6 }' "$OUT/bench-smoke.out")"
else
	fail bench-guest-smoke "$n of 9 runs printed: $(tail -n2 "$OUT/bench-smoke.err" | tr '\n' ';')"
fi
