# shellcheck shell=bash
# `iommutrace probe --json` loads and attaches on this kernel and says how
# each hook attached; the core hooks get fentry here, and kprobes when
# fentry is turned off. The reports stay in $OUT for the record.
"$ITR" probe --json >"$OUT/probe.json" 2>"$OUT/probe.err"
rc=$?
expect_log probe-loads "$OUT/probe.json" \
	'.[0] | .loaded and .fentry and .kprobes and
	 ([.targets[] | select(.required and (.method | IN("fentry", "kprobe", "tracepoint") | not))] | length == 0)' \
	"probe exit $rc: not loaded, or a required hook unavailable ($(tail -n1 "$OUT/probe.err"))"
expect_log probe-core-fentry "$OUT/probe.json" \
	'[.[0].targets[] | select(.name | IN("iommu_unmap", "iommu_domain_free", "__iommu_attach_device"))
	  | .method] == ["fentry", "fentry", "fentry"]' \
	"the core hooks did not get fentry"
"$ITR" probe --json --no-fentry >"$OUT/probe-kprobe.json" 2>"$OUT/probe-kprobe.err"
expect_log probe-kprobe-fallback "$OUT/probe-kprobe.json" \
	'.[0] | .loaded and ([.targets[] | select(.name | IN("iommu_unmap", "iommu_domain_free"))
	  | .method] == ["kprobe", "kprobe"])' \
	"with --no-fentry the core hooks did not get kprobes"
