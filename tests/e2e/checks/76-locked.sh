# shellcheck shell=bash
# type1's pinned-page accounting against the workload's own VmLck (from
# 70-layers' recording): for each MAP_DMA/UNMAP_DMA on /dev/vfio/vfio, the
# `locked` records of that ioctl sum to the VmLck change the workload read
# around it, and leave locked_vm at the VmLck it read after.
WL=$OUT/layers-wl.jsonl EV=$OUT/layers.jsonl
[[ -s $WL && -s $EV ]] || { fail locked-input "70-layers left no recording"; return; }
tpcheck_as locked-vmlck locked "$WL" "$EV"
