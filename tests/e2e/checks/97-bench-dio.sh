# shellcheck shell=bash
# make bench-guest's DMA-API hot-path figures cannot rot: one round of a
# hundred 64 KiB O_DIRECT reads of the scratch disk (tests/e2e/run gives
# debian-6.12's guest one), bare, under the count-only baseline and under
# `record`, then their BPF profile. The kernel's own iommu:map count says
# the reads went through the IOMMU's DMA API. Figures only: it passes when
# every figure printed, never on time.
[[ $PROFILE == debian-6.12 ]] || return 0
"$E2E/../bench/guest/bench.sh" dio64k 100 1 bare count-only record 2>"$OUT/bench-dio.err" >"$OUT/bench-dio.out"
maps=$(sed -n 's/^maps dio64k 100 maps \([0-9]*\) unmaps [0-9]*$/\1/p' "$OUT/bench-dio.out")
n=$(grep -cE '^run dio64k 1 (bare|count-only|record) ns_per_pair [1-9][0-9]* kernel [0-9]+ ' "$OUT/bench-dio.out")
if [[ ${maps:-0} -ge 100 && $n -eq 3 ]]; then
	pass bench-dio-smoke "$maps iommu:map for 100 reads; $(awk '$1 == "run" { printf "%s %s ns/read; ", $4, $6 }' "$OUT/bench-dio.out")"
else
	fail bench-dio-smoke "maps ${maps:-none}, $n of 3 runs printed: $(tail -n2 "$OUT/bench-dio.err" | tr '\n' ';')"
fi
# the profile: the baseline's program and record's map entry ran once per map
if grep -qE '^prog dio64k prof count-only co_fentry_0 run_cnt [1-9]' "$OUT/bench-dio.out" &&
	grep -qE '^prog dio64k prof record fentry_map run_cnt [1-9]' "$OUT/bench-dio.out"; then
	pass bench-dio-profile "$(awk '$1 == "prog" && $7 >= 100 { printf "%s %s %d ns/run; ", $4, $5, $9 / $7 }' "$OUT/bench-dio.out")"
else
	fail bench-dio-profile "no per-program line of count-only or record: $(grep -c '^prog ' "$OUT/bench-dio.out") prog lines"
fi
