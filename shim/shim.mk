# SPDX-License-Identifier: GPL-2.0
# make shim: the kernel shim (shim/) for each profile of SHIM_PROFILES, in
# $(OUTPUT)/shim/PROFILE/iommutrace_shim.ko (`iommutrace shim load` picks
# the one built for the running kernel). docs/shim.md.
SHIM_PROFILES ?= iommufd
SHIM_SRCS := $(sort $(wildcard shim/*.c shim/*.h shim/compat/*.h)) shim/Kbuild \
	shim/conftest.sh shim/build.sh include/iommutrace_shim.h
SHIM_KOS := $(foreach p,$(SHIM_PROFILES),$(OUTPUT)/shim/$(p)/iommutrace_shim.ko)

.PHONY: shim
shim: $(SHIM_KOS)

$(OUTPUT)/shim/%/iommutrace_shim.ko: $(SHIM_SRCS)
	$(call msg,SHIM,$@)
	$(Q)shim/build.sh $* $(OUTPUT)/shim/$*
