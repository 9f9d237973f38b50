# SPDX-License-Identifier: GPL-2.0
# make shim: the kernel shim (shim/) for each profile of SHIM_PROFILES
# (the iommufd build tree; Debian's headers packages: shim/headers.sh), in
# $(OUTPUT)/shim/PROFILE/iommutrace_shim.ko (`iommutrace shim load` picks
# the one built for the running kernel). docs/shim.md.
SHIM_PROFILES ?= iommufd debian-6.12 debian-6.1
SHIM_CACHE := $(or $(IOMMUTRACE_CACHE),$(HOME)/.cache/iommutrace)
SHIM_SRCS := $(sort $(wildcard shim/*.c shim/*.h shim/compat/*.h)) shim/Kbuild \
	shim/conftest.sh shim/build.sh include/iommutrace_shim.h
SHIM_KOS := $(foreach p,$(SHIM_PROFILES),$(OUTPUT)/shim/$(p)/iommutrace_shim.ko)

.PHONY: shim
shim: $(SHIM_KOS)

# rebuilt when the profile's kernel changes (its kver: a new version)
.SECONDEXPANSION:
$(OUTPUT)/shim/%/iommutrace_shim.ko: $(SHIM_SRCS) $$(wildcard $(SHIM_CACHE)/kernels/$$*/current/kver)
	$(call msg,SHIM,$@)
	$(Q)shim/build.sh $* $(OUTPUT)/shim/$*
