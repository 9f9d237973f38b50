# shellcheck shell=bash
# The workload binds the test devices to vfio-pci; sysfs must agree.
mapfile -t edus < <(pci_find 0x1234 0x11e8)
mapfile -t nics < <(pci_find 0x8086 0x100e)
if [[ ${#edus[@]} -ne 1 || ${#nics[@]} -ne 2 ]]; then
	fail bind-hardware "expected one edu and two e1000, found edu='${edus[*]}' e1000='${nics[*]}'"
	return
fi
edu=${edus[0]}
if workload bind bind; then
	pass bind-workload
else
	fail bind-workload "exit $? ($(tail -n1 "$OUT/bind.err"))"
fi
for bdf in "$edu" "${nics[@]}"; do
	drv=$(pci_driver "$bdf")
	if [[ $drv == vfio-pci ]]; then pass "bind-$bdf"; else fail "bind-$bdf" "driver is $drv"; fi
done
# The two e1000 share one group (with the bridge); edu has its own.
group_of() { basename "$(readlink "/sys/bus/pci/devices/$1/iommu_group")"; }
g1=$(group_of "${nics[0]}")
g2=$(group_of "${nics[1]}")
ge=$(group_of "$edu")
if [[ $g1 =~ ^[0-9]+$ && $ge =~ ^[0-9]+$ && $g1 == "$g2" && $g1 != "$ge" ]]; then
	pass groups "e1000 pair in group $g1, edu in group $ge"
else
	fail groups "e1000 groups $g1/$g2, edu group $ge"
fi
