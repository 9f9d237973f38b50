# shellcheck shell=bash
# make bench's enforcement figure cannot rot: one round of a few thousand
# MAP_DMA+UNMAP_DMA pairs bare and under `iommutrace enforce`
# (tests/bench/guest/bench.sh's `enforce` mode). Figures only: it passes
# when both runs printed their line, every pair allowed.
[[ $PROFILE == iommufd || $PROFILE == debian-6.12 ]] || return 0
n=$("$E2E/../bench/guest/bench.sh" type1 2000 1 bare enforce 2>"$OUT/bench-enforce.err" |
	tee "$OUT/bench-enforce.out" | grep -cE '^run type1 1 (bare|enforce) ns_per_pair [0-9]+ ')
if [[ $n -eq 2 ]]; then
	pass bench-enforce-smoke "$(awk '{ printf "%s %s ns; ", $4, $6 }' "$OUT/bench-enforce.out")"
else
	fail bench-enforce-smoke "$n of 2 runs printed: $(tail -n2 "$OUT/bench-enforce.err" | tr '\n' ';')"
fi
