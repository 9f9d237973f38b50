# shellcheck shell=bash
# A map rule scoped to a node judges maps on that node only, at the gate
# and at the kernel's copy (bpf/enforce/copy.bpf.c): a rule forbidding an
# IOVA on /dev/iommu refuses an IOAS map there (EPERM), while the same IOVA
# through a VFIO type1 container is allowed, and its caller lives: the
# type1 kernel-copy hook knows its node is the container's, so it does not
# judge the map by the /dev/iommu rule (before, it skipped the node test
# and killed the caller). Ground truth: the probe's own exit status (a
# SIGKILL is 137) and the audit (no race).
# iommufd only: a /dev/iommu node is needed for the rule.
EP=$BUILD/e2e/enfprobe
AUDIT=/tmp/enf-node-audit.jsonl
IOVA=0x40000000

if [[ $PROFILE != iommufd ]] || ! have_iommufd; then
	skip enforce-node "a rule on /dev/iommu needs iommufd: $PROFILE"
	return
fi
enforce_ready enforce-node enfn-bind || return
modprobe vfio_iommu_type1 2>/dev/null
edu=$(pci_find 0x1234 0x11e8 | head -n1)
g_edu=$(basename "$(readlink "/sys/bus/pci/devices/$edu/iommu_group")")
cat >"$OUT/enfn.yaml" <<YAML
version: 1
default: allow
rules:
  - id: iommufd-window
    object: {node: /dev/iommu}
    operations: [map]
    limits: {iova: {forbid: [[$IOVA, $((IOVA + 0xfffff))]]}}
YAML
: >"$AUDIT"
if ! bg_start /dev/null "$OUT/enfn-daemon.err" enforcing "$ITR" enforce --policy "$OUT/enfn.yaml" --audit "$AUDIT"; then
	fail enforce-node-load "$(tail -n2 "$OUT/enfn-daemon.err" | tr '\n' ';')"
	return
fi
DAEMON=$BG_PID
node_expect() { # NAME WANT-EXIT CMD...
	local name=$1 want=$2 rc
	shift 2
	"$@" >>"$OUT/enfn-probe.log" 2>&1
	rc=$?
	if [[ $rc -eq $want ]]; then pass "$name"; else fail "$name" "exit $rc, want $want: $(tail -n1 "$OUT/enfn-probe.log")"; fi
}
node_expect enforce-node-ioas-denied 1 "$EP" ioas $IOVA 0x1000
node_expect enforce-node-type1-other-node 0 "$EP" type1 "$g_edu" $IOVA 0x1000
sleep 0.5
expect_log enforce-node-audit "$AUDIT" \
	'(map(select(.rule_id == "iommufd-window" and .verdict == "denied" and .object.kind == "iommufd")) | length) == 1 and
	 (map(select(.race)) | length) == 0' \
	"want one denial on /dev/iommu and no race"
"$ITR" enforce --stop >/dev/null 2>&1
wait "$DAEMON" 2>/dev/null
