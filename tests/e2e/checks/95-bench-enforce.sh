# shellcheck shell=bash
# make bench's enforcement figure cannot rot: one round of a few thousand
# MAP_DMA+UNMAP_DMA pairs bare, under `iommutrace enforce` with no rule
# naming an ioctl (the hooks' floor) and with map limits
# (tests/bench/guest/bench.sh's `enforce-floor` and `enforce` modes).
# Figures only: it passes when the three runs printed their line, every pair
# allowed.
[[ $PROFILE == iommufd || $PROFILE == debian-6.12 ]] || return 0
n=$("$E2E/../bench/guest/bench.sh" type1 2000 1 bare enforce-floor enforce 2>"$OUT/bench-enforce.err" |
	tee "$OUT/bench-enforce.out" | grep -cE '^run type1 1 (bare|enforce-floor|enforce) ns_per_pair [0-9]+ ')
if [[ $n -eq 3 ]]; then
	pass bench-enforce-smoke "$(awk '{ printf "%s %s ns; ", $4, $6 }' "$OUT/bench-enforce.out")"
else
	fail bench-enforce-smoke "$n of 3 runs printed: $(tail -n2 "$OUT/bench-enforce.err" | tr '\n' ';')"
fi
