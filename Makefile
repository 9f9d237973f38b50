# SPDX-License-Identifier: GPL-2.0
# iommutrace: one non-recursive Makefile.
#
#   bpf/*.bpf.c -> build/bpf/*.bpf.o -> build/iommutrace.bpf.o (bpftool gen
#   object) -> build/iommutrace.skel.h -> user/*/*.c -> build/iommutrace
#
# make            build build/iommutrace and build/iommutrace-workload
# make test       lint (layers, clang build), unit tests, fuzzing (bounded),
#                 host checks, e2e suite in guests
# make fuzz       build the libFuzzer targets (tests/fuzz/*_fuzz.c)
# make test-fuzz  run each fuzz target for FUZZ_TIME seconds (default 30)
# make test-sanitize  the unit tests built with ASan and UBSan
# make bench      benchmarks (tests/bench/): model and checker speed, memory
# make bench-guest  the tracers' cost in guests (tests/bench/guest/run;
#                 BENCH_GUEST_ARGS="--pairs N --rounds R --profiles ...")
# make demo       boot the iommufd guest, monitor live while the workload
#                 plays the seed scenarios, then the report (build/demo/)
# make deps       install build and test dependencies (Debian packages)
# make dashboard  docs/dashboard.svg: the Grafana dashboard drawn from the
#                 recorded Prometheus results contrib/grafana/sample.json
# make install    binary, man pages, bash completion, docs, contrib files
#                 and systemd units under DESTDIR/PREFIX (default /usr/local)
# make man        the man pages, from each command's --help ($(OUTPUT)/man)
# make deb        a Debian package from the tree (dpkg-buildpackage -b)
# make vmlinux    regenerate vmlinux/$(ARCH)/vmlinux.h in a guest running
#                 VMLINUX_PROFILE (default iommufd: VFIO and iommufd)
# make uapi KSRC=DIR   regenerate vmlinux/uapi/linux/{iommufd,vfio}.h
# V=1 shows commands; OUTPUT=DIR moves build output (default build/).

OUTPUT ?= build
CLANG ?= clang
BPFTOOL ?= $(shell command -v bpftool 2>/dev/null || echo /usr/sbin/bpftool)
CC ?= cc
ARCH ?= $(shell uname -m | sed -e 's/x86_64/x86/')
PROFILES ?= debian-6.1 debian-6.12 debian-latest iommufd
DEMO_PROFILE ?= iommufd
VMLINUX_PROFILE ?= iommufd

ifneq ($(ARCH),x86)
$(error ARCH=$(ARCH) is not supported: only x86 (x86_64) has a vmlinux.h)
endif

ifeq ($(V),1)
Q =
msg =
else
Q = @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

VMLINUX_H := vmlinux/$(ARCH)/vmlinux.h
UAPI_DIR := vmlinux/uapi

# -fms-extensions: Linux 6.19+ embeds tagged structs anonymously, and so
# does the vmlinux.h dumped from its BTF.
BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	-fms-extensions -Wno-microsoft-anon-tag \
	-Ivmlinux/$(ARCH) -Iinclude -Ibpf -MMD -MP
CFLAGS ?= -g -O2
# The project's own flags, kept when CFLAGS is given on the command line.
ITR_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Iinclude -I$(OUTPUT) -Iuser -MMD -MP
override CFLAGS += $(ITR_CFLAGS)
LIBS := -lbpf -lelf -lz -ljson-c -lmicrohttpd -lpthread -lncursesw -lyaml -ldeflate

# BPF skeletons: each NAME in SKELS links the objects of NAME_BPF_SRCS (in
# that order) into $(OUTPUT)/NAME.bpf.o and generates $(OUTPUT)/NAME.skel.h
# (skeleton NAME_bpf). A new one is a name here and its list of sources,
# e.g. enforce with bpf/enforce/*.bpf.c. SKEL: every skeleton header.
SKELS := iommutrace enforce
iommutrace_BPF_SRCS := $(sort $(wildcard bpf/*.bpf.c))
# maps.bpf.c first: bpftool 7.1's linker misplaces extern maps that come
# before their definition.
enforce_BPF_SRCS := bpf/enforce/maps.bpf.c \
	$(filter-out bpf/enforce/maps.bpf.c,$(sort $(wildcard bpf/enforce/*.bpf.c)))
SKEL := $(foreach s,$(SKELS),$(OUTPUT)/$(s).skel.h)

# user/: one folder per layer (docs/architecture.md), includes by path.
USER_SRCS := $(sort $(wildcard user/*.c user/*/*.c))
USER_OBJS := $(patsubst user/%.c,$(OUTPUT)/user/%.o,$(USER_SRCS))
# Everything but main() is linked into the unit tests too.
USER_LIB_OBJS := $(filter-out $(OUTPUT)/user/cli/main.o,$(USER_OBJS))
# Only the loader includes the skeleton.
SKEL_USERS := $(OUTPUT)/user/source/loader.o $(OUTPUT)/user/enforce/load.o $(OUTPUT)/user/source/kview.o

WORKLOAD_SRCS := $(sort $(wildcard tests/workload/*.c))
WORKLOAD_OBJS := $(patsubst tests/workload/%.c,$(OUTPUT)/workload/%.o,$(WORKLOAD_SRCS))

UNIT_SRCS := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJS := $(patsubst tests/unit/%.c,$(OUTPUT)/unit/%.o,$(UNIT_SRCS))

# libFuzzer targets: tests/fuzz/NAME_fuzz.c, with the user sources they
# test (FUZZ_USER_NAME) and a seed-corpus writer tests/fuzz/NAME_seed.c,
# all built by clang with ASan and UBSan.
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/*_fuzz.c))
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(FUZZ_SRCS))
FUZZ_SEEDS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%,$(sort $(wildcard tests/fuzz/*_seed.c)))
FUZZ_USER_recfile := rec/format rec/reader rec/writer event/event event/ioctl
# The whole replay: every layer a recording goes through, up to the reports.
# Not the kernel's side (BPF loading, the enforcement daemon and its
# policies, the shim, the exporter's server) nor the terminal.
FUZZ_USER_replay := $(patsubst user/%.c,%,$(filter-out user/cli/% user/source/live.c \
	user/source/loader.c user/source/kernel.c user/source/select.c user/source/targets.c \
	user/source/filter.c user/source/kview.c user/source/enforce_pins.c user/enforce/% user/policy/% user/shim/% \
	user/lib/httpd.c user/sink/metrics%.c user/sink/tui%.c,$(USER_SRCS)))
# Kept: make would delete them as intermediates of the link rules.
FUZZ_OBJS := $(patsubst tests/fuzz/%.c,$(OUTPUT)/fuzz/%.o,$(wildcard tests/fuzz/*.c)) \
	$(patsubst user/%.c,$(OUTPUT)/fuzz/user/%.o,$(USER_SRCS))
FUZZ_SAN := address,undefined
FUZZ_CFLAGS := -g -O1 -fno-omit-frame-pointer -std=gnu11 -Wall -Wextra -Werror \
	-Iinclude -Iuser -Itests/unit -I$(UAPI_DIR) -MMD -MP -fno-sanitize-recover=all \
	-DFUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
FUZZ_TIME ?= 30

# Test-only tools run inside guests (ground-truth comparisons).
E2E_TOOLS := $(OUTPUT)/e2e/tpcheck
# The guest benchmarks' map/unmap loop (tests/bench/guest/), also the e2e gap and stress checks'.
E2E_TOOLS += $(OUTPUT)/bench/guest-maploop
# The DMA-API hot-path benchmark's O_DIRECT reader and count-only tracer (tests/bench/guest/).
E2E_TOOLS += $(OUTPUT)/bench/guest-dioloop $(OUTPUT)/bench/guest-countonly
E2E_TOOLS += $(OUTPUT)/e2e/enfprobe $(OUTPUT)/e2e/enfprobe32
E2E_TOOLS += $(OUTPUT)/e2e/memprobe $(OUTPUT)/e2e/memprobe32
E2E_TOOLS += $(OUTPUT)/e2e/devprobe $(OUTPUT)/e2e/devprobe32

APPS := $(OUTPUT)/iommutrace $(OUTPUT)/iommutrace-workload

# Dependencies are installed once per version of contrib/deps.sh.
DEPS_STAMP := $(OUTPUT)/.deps-$(shell cksum < contrib/deps.sh | cut -d' ' -f1)

.DELETE_ON_ERROR:
.PHONY: all bench deps fuzz man install deb test test-fuzz test-lint test-unit test-host test-e2e demo vmlinux uapi clean help
.PHONY: test-sanitize bench-guest

all: $(APPS)

help:
	@sed -n '4,/^$$/s/^# \{0,1\}//p' Makefile

deps: | $(DEPS_STAMP)
$(DEPS_STAMP):
	$(Q)contrib/deps.sh
	$(Q)mkdir -p $(OUTPUT) && rm -f $(OUTPUT)/.deps-* && touch $@

$(OUTPUT)/bpf $(OUTPUT)/workload $(OUTPUT)/unit $(OUTPUT)/e2e $(OUTPUT)/fuzz $(OUTPUT)/bench:
	$(Q)mkdir -p $@

# bpf/X.bpf.c and bpf/DIR/X.bpf.c -> $(OUTPUT)/bpf/[DIR/]X.bpf.o
$(OUTPUT)/bpf/%.bpf.o: bpf/%.bpf.c $(VMLINUX_H) | $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

# skel_rules NAME: link NAME_BPF_SRCS' objects, then the skeleton
define skel_rules
$(OUTPUT)/$(1).bpf.o: $(patsubst bpf/%.bpf.c,$(OUTPUT)/bpf/%.bpf.o,$($(1)_BPF_SRCS))
	$$(call msg,LINK-BPF,$$@)
	$$(Q)$$(BPFTOOL) gen object $$@ $$^

$(OUTPUT)/$(1).skel.h: $(OUTPUT)/$(1).bpf.o
	$$(call msg,SKEL,$$@)
	$$(Q)$$(BPFTOOL) gen skeleton $$< name $(1)_bpf > $$@
endef
$(foreach s,$(SKELS),$(eval $(call skel_rules,$(s))))
-include $(wildcard $(OUTPUT)/bpf/*/*.d)

# User space decodes ioctls with the uapi headers of vmlinux/uapi (only
# linux/{vfio,iommufd}.h there: the rest of linux/ is the system's).
$(SKEL_USERS): $(SKEL)
$(OUTPUT)/user/%.o: user/%.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) -c $< -o $@

$(OUTPUT)/iommutrace: $(USER_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIBS) -o $@

# The workload uses the uapi headers in vmlinux/uapi (Debian 12's
# linux-libc-dev 6.1 has no linux/iommufd.h).
$(OUTPUT)/workload/%.o: tests/workload/%.c | $(OUTPUT)/workload $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) -c $< -o $@

$(OUTPUT)/iommutrace-workload: $(WORKLOAD_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -ljson-c -o $@

# tpcheck: tests/e2e/tpcheck/*.c, objects and -MMD files $(OUTPUT)/e2e/tpcheck-*.{o,d}.
TPCHECK_SRCS := $(sort $(wildcard tests/e2e/tpcheck/*.c))
TPCHECK_OBJS := $(patsubst tests/e2e/tpcheck/%.c,$(OUTPUT)/e2e/tpcheck-%.o,$(TPCHECK_SRCS))

$(OUTPUT)/e2e/tpcheck-%.o: tests/e2e/tpcheck/%.c | $(OUTPUT)/e2e $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# A tree built when tpcheck was one file has $(OUTPUT)/e2e/tpcheck.d naming
# tests/e2e/tpcheck.c: this empty rule lets it build, and the link drops it.
tests/e2e/tpcheck.c:

$(OUTPUT)/e2e/tpcheck: $(TPCHECK_OBJS)
	$(call msg,LINK,$@)
	$(Q)rm -f $(OUTPUT)/e2e/tpcheck.d
	$(Q)$(CC) $(CFLAGS) $(filter %.o,$^) -ljson-c -o $@

# enfprobe: the enforcement check's one-operation driver, native and -m32
# (the 32-bit build goes through the kernel's compat ioctls).
$(OUTPUT)/e2e/enfprobe: tests/workload/enforce/enfprobe.c | $(OUTPUT)/e2e
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) $< -lpthread -o $@

$(OUTPUT)/e2e/enfprobe32: tests/workload/enforce/enfprobe.c | $(OUTPUT)/e2e
	$(call msg,CC-32,$@)
	$(Q)$(CC) -m32 $(CFLAGS) -I$(UAPI_DIR) $< -lpthread -o $@

# memprobe: the pinned-bytes cap check's driver, native and -m32.
$(OUTPUT)/e2e/memprobe: tests/workload/enforce/memprobe.c | $(OUTPUT)/e2e
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) $< -o $@

$(OUTPUT)/e2e/memprobe32: tests/workload/enforce/memprobe.c | $(OUTPUT)/e2e
	$(call msg,CC-32,$@)
	$(Q)$(CC) -m32 $(CFLAGS) -I$(UAPI_DIR) $< -o $@

# devprobe: the subjects-and-objects check's driver, native and -m32.
$(OUTPUT)/e2e/devprobe: tests/workload/enforce/devprobe.c | $(OUTPUT)/e2e
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) $< -o $@

$(OUTPUT)/e2e/devprobe32: tests/workload/enforce/devprobe.c | $(OUTPUT)/e2e
	$(call msg,CC-32,$@)
	$(Q)$(CC) -m32 $(CFLAGS) -I$(UAPI_DIR) $< -o $@

$(OUTPUT)/unit/%.o: tests/unit/%.c | $(OUTPUT)/unit $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/unit -I$(UAPI_DIR) -c $< -o $@

$(OUTPUT)/unit-tests: $(UNIT_OBJS) $(USER_LIB_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LIBS) -lcriterion -o $@

# The unit tests again, built with ASan and UBSan (any report fails the
# test): $(OUTPUT)/san/ mirrors the objects of $(OUTPUT)/unit-tests.
SAN_CFLAGS := -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
SAN_OBJS := $(patsubst $(OUTPUT)/%,$(OUTPUT)/san/%,$(UNIT_OBJS) $(USER_LIB_OBJS))

$(patsubst $(OUTPUT)/%,$(OUTPUT)/san/%,$(SKEL_USERS)): $(SKEL)
$(OUTPUT)/san/user/%.o: user/%.c | $(DEPS_STAMP)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SAN_CFLAGS) -I$(UAPI_DIR) -c $< -o $@

$(OUTPUT)/san/unit/%.o: tests/unit/%.c | $(DEPS_STAMP)
	$(call msg,CC-SAN,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) $(SAN_CFLAGS) -Itests/unit -I$(UAPI_DIR) -c $< -o $@

$(OUTPUT)/unit-tests-san: $(SAN_OBJS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(SAN_CFLAGS) $^ $(LIBS) -lcriterion -o $@

test-sanitize: $(OUTPUT)/unit-tests-san
	$(Q)tests/unit/sanitize

$(OUTPUT)/fuzz/user/%.o: user/%.c | $(DEPS_STAMP)
	$(call msg,CC-FUZZ,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c $< -o $@

$(OUTPUT)/fuzz/%.o: tests/fuzz/%.c | $(OUTPUT)/fuzz $(DEPS_STAMP)
	$(call msg,CC-FUZZ,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) -c $< -o $@

.SECONDEXPANSION:
$(OUTPUT)/fuzz/%_fuzz: $(OUTPUT)/fuzz/%_fuzz.o $$(addprefix $(OUTPUT)/fuzz/user/,$$(addsuffix .o,$$(FUZZ_USER_$$*)))
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer,$(FUZZ_SAN) $^ -lz -ldeflate -ljson-c -o $@

# The seed writer links the same instrumented objects, without libFuzzer.
$(OUTPUT)/fuzz/%_seed: $(OUTPUT)/fuzz/%_seed.o $$(addprefix $(OUTPUT)/fuzz/user/,$$(addsuffix .o,$$(FUZZ_USER_$$*)))
	$(call msg,LINK,$@)
	$(Q)$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,$(FUZZ_SAN) $^ -lz -ldeflate -ljson-c -o $@

.SECONDARY: $(FUZZ_OBJS)
fuzz: $(FUZZ_BINS) $(FUZZ_SEEDS)

test-fuzz: fuzz
	$(Q)FUZZ_TIME=$(FUZZ_TIME) tests/fuzz/run

# Benchmarks (tests/bench/*.c, linked with the user objects): figures, not tests.
BENCH_SRCS := $(sort $(wildcard tests/bench/*.c))
BENCH_BINS := $(patsubst tests/bench/%.c,$(OUTPUT)/bench/%,$(BENCH_SRCS))

$(OUTPUT)/bench/%: tests/bench/%.c $(USER_LIB_OBJS) | $(OUTPUT)/bench
	$(call msg,BENCH,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) $< $(USER_LIB_OBJS) $(LIBS) -o $@

$(OUTPUT)/bench/guest-maploop: tests/bench/guest/maploop.c | $(OUTPUT)/bench $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -I$(UAPI_DIR) -Itests/workload $< -o $@

$(OUTPUT)/bench/guest-dioloop: tests/bench/guest/dioloop.c | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -o $@

$(OUTPUT)/bench/guest-countonly.bpf.o: tests/bench/guest/countonly.bpf.c $(VMLINUX_H) | $(OUTPUT)/bench $(DEPS_STAMP)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(OUTPUT)/bench/guest-countonly: tests/bench/guest/countonly.c $(OUTPUT)/bench/guest-countonly.bpf.o | $(OUTPUT)/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $< -lbpf -lelf -lz -o $@

# count_bench loads the linked BPF object's itr_bench_* programs
bench: $(OUTPUT)/iommutrace.bpf.o
bench: $(BENCH_BINS)
	$(Q)for b in $(BENCH_BINS); do echo "== $$(basename $$b)"; taskset -c 0 $$b || exit 1; done
	$(Q)$(MAKE) --no-print-directory bench-enforce
# make bench-enforce (make bench runs it last): enforcement's cost per allowed
# MAP_DMA+UNMAP_DMA pair in a guest, when the iommufd guest kernel is cached
# (figures; make bench-guest is the full run).
.PHONY: bench-enforce
ENF_BENCH_KERNEL := $(or $(IOMMUTRACE_CACHE),$(HOME)/.cache/iommutrace)/kernels/iommufd/current
bench-enforce: $(APPS) $(E2E_TOOLS)
	$(Q)if [ -e $(ENF_BENCH_KERNEL) ]; then \
		tests/bench/guest/run --profiles iommufd --loops type1 --tracers "bare enforce-floor enforce" --pairs 20000 --rounds 5; \
	else echo "== enforcement cost: no guest kernel ($(ENF_BENCH_KERNEL)), skipped"; fi

# Static checks: the include direction of user/, and the clang build.
test-lint:
	$(Q)tests/lint/run

test-unit: $(OUTPUT)/unit-tests
	$(Q)$(OUTPUT)/unit-tests

test-host: $(APPS)
	$(Q)tests/host/run

test-e2e: $(APPS) $(E2E_TOOLS)
	$(Q)tests/e2e/run $(PROFILES)

# make bench-guest: the map/unmap loop bare and under each tracer, in guests.
.PHONY: bench-guest
bench-guest: $(APPS) $(E2E_TOOLS)
	$(Q)tests/bench/guest/run $(BENCH_GUEST_ARGS)

# make bench-ivset: the interval-set benchmark alone (make bench runs it too).
.PHONY: bench-ivset
bench-ivset: $(OUTPUT)/bench/ivset_bench
	$(Q)taskset -c 0 $<

# The one test command: every phase, then one closing summary line.
test: $(APPS) $(E2E_TOOLS) $(OUTPUT)/unit-tests $(OUTPUT)/unit-tests-san $(FUZZ_BINS) $(FUZZ_SEEDS)
	$(Q)FUZZ_TIME=$(FUZZ_TIME) tests/run $(PROFILES)

demo: $(APPS)
	$(Q)OUTPUT=$(OUTPUT) DEMO_PROFILE=$(DEMO_PROFILE) contrib/demo/run

.PHONY: dashboard
dashboard:
	$(Q)contrib/grafana/render --sample contrib/grafana/sample.json --out docs/dashboard.svg

# Installation. Man pages come from the binary's own --help (contrib/man/gen),
# the bash completion asks the binary at completion time: neither can drift
# from the command table. Contrib folders (dashboards, policies, ...) go to
# DATADIR as they are; systemd units (contrib/systemd/) to SYSTEMDDIR.
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/iommutrace
DATADIR ?= $(PREFIX)/share/iommutrace
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
SYSTEMDDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
SYSTEMD_UNITS := $(wildcard contrib/systemd/*.service contrib/systemd/*.socket contrib/systemd/*.timer)
CONTRIB_DATA := $(filter-out contrib/demo contrib/man contrib/bash-completion contrib/systemd contrib/deps.sh,\
	$(wildcard contrib/*))

man: $(OUTPUT)/man/.stamp
$(OUTPUT)/man/.stamp: $(OUTPUT)/iommutrace contrib/man/gen
	$(call msg,MAN,$(OUTPUT)/man)
	$(Q)contrib/man/gen $(OUTPUT)/iommutrace $(OUTPUT)/man && touch $@

install: $(OUTPUT)/iommutrace $(OUTPUT)/man/.stamp
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(DOCDIR) $(DESTDIR)$(BASHCOMPDIR)
	$(Q)$(INSTALL) -m 0755 $(OUTPUT)/iommutrace $(DESTDIR)$(BINDIR)/iommutrace
	$(Q)$(INSTALL) -m 0644 $(OUTPUT)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	$(Q)$(INSTALL) -m 0644 contrib/bash-completion/iommutrace $(DESTDIR)$(BASHCOMPDIR)/iommutrace
	$(Q)$(INSTALL) -m 0644 README.md $(DESTDIR)$(DOCDIR)/
	$(Q)cp -R docs $(DESTDIR)$(DOCDIR)/
	$(Q)$(if $(SYSTEMD_UNITS),$(INSTALL) -d $(DESTDIR)$(SYSTEMDDIR) && \
		$(INSTALL) -m 0644 $(SYSTEMD_UNITS) $(DESTDIR)$(SYSTEMDDIR)/,:)
	$(Q)$(if $(CONTRIB_DATA),$(INSTALL) -d $(DESTDIR)$(DATADIR) && cp -R $(CONTRIB_DATA) $(DESTDIR)$(DATADIR)/,:)

# The Debian package (debian/), built in a copy of the tree under
# $(OUTPUT)/deb so that the build tree stays as it is: $(OUTPUT)/deb/*.deb.
deb:
	$(Q)tests/host/deb-build $(OUTPUT)/deb

# Generated inside a guest from /sys/kernel/btf (base plus module BTF).
$(OUTPUT)/btfmerge: vmlinux/btfmerge.c | $(DEPS_STAMP)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(OUTPUT) && $(CC) $(CFLAGS) $< -lbpf -lelf -lz -o $@

vmlinux: $(OUTPUT)/btfmerge
	$(Q)rm -rf $(OUTPUT)/vmlinux-gen
	$(Q)tests/vm/run --kernel $(VMLINUX_PROFILE) --out $(abspath $(OUTPUT))/vmlinux-gen -- \
		vmlinux/gen.sh collect $(abspath $(OUTPUT))/vmlinux-gen
	$(Q)mkdir -p $(dir $(VMLINUX_H))
	$(Q)vmlinux/gen.sh header $(OUTPUT)/vmlinux-gen $(VMLINUX_H) $(OUTPUT)/btfmerge

uapi:
	$(Q)test -n "$(KSRC)" || { echo "usage: make uapi KSRC=<linux source tree>" >&2; exit 2; }
	$(Q)vmlinux/gen-uapi.sh "$(KSRC)" $(UAPI_DIR)

clean:
	$(call msg,CLEAN,$(OUTPUT))
	$(Q)rm -rf $(OUTPUT)

# The kernel shim: make shim (shim/shim.mk); the e2e suite loads it.
include shim/shim.mk
test test-e2e: shim

-include $(wildcard $(OUTPUT)/*/*.d $(OUTPUT)/*/*/*.d $(OUTPUT)/fuzz/user/*/*.d)
-include $(wildcard $(OUTPUT)/san/user/*/*.d)
