# shellcheck shell=bash
# The workload binds the test devices to vfio-pci; sysfs must agree.
edu=$(pci_find 0x1234 0x11e8)
nics=$(pci_find 0x8086 0x100e)
if [[ -z $edu || $(echo $nics | wc -w) -ne 2 ]]; then
	fail bind-hardware "expected one edu and two e1000, found edu='$edu' e1000='$nics'"
	return
fi
if workload bind bind; then
	pass bind-workload
else
	fail bind-workload "exit $? ($(tail -n1 "$OUT/bind.err"))"
fi
for bdf in $edu $nics; do
	drv=$(pci_driver "$bdf")
	if [[ $drv == vfio-pci ]]; then pass "bind-$bdf"; else fail "bind-$bdf" "driver is $drv"; fi
done
# The two e1000 share one group (with the bridge); edu has its own.
g1=$(basename "$(readlink /sys/bus/pci/devices/${nics%% *}/iommu_group)")
g2=$(basename "$(readlink /sys/bus/pci/devices/${nics##* }/iommu_group)")
ge=$(basename "$(readlink /sys/bus/pci/devices/$edu/iommu_group)")
if [[ $g1 == "$g2" && $g1 != "$ge" ]]; then
	pass groups "e1000 pair in group $g1, edu in group $ge"
else
	fail groups "e1000 groups $g1/$g2, edu group $ge"
fi
