# vpmu top-level Makefile.  Each directory adds its targets in its own
# fragment (lib/lib.mk, vmm/vmm.mk, ...), included below.
#
#   make            build the library, the VMM and the guest tests
#   make check      install missing packages, build with gcc and clang,
#                   run every test (host tests also under ASan + UBSan);
#                   ends with "N passed, N failed, N skipped"
#   make fuzz       run each fuzz target for FUZZ_TIME s (fuzz/README.md)
#   make demo       build and run the demo guest under vpmu
#   make bench      run the benchmarks (bench/README.md)

CC      ?= gcc
BUILD   ?= build
V       ?= 0
Q        = $(if $(filter 1,$(V)),,@)

CSTD     = -std=gnu11
WARN     = -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT     ?= -O2 -g
CFLAGS_COMMON = $(CSTD) $(WARN) $(OPT) -Iinclude $(EXTRA_CFLAGS)
LDFLAGS_COMMON = $(EXTRA_LDFLAGS)

.PHONY: all deps check check-build test demo bench clean lib guest vmm tests kut
all: lib vmm guest tests

# The main job: a demo guest measured by vpmu (guest/tests/demo.c).
DEMO_MODEL ?= skylake
demo: deps
	$(Q)$(MAKE) --no-print-directory vmm guest
	$(BUILD)/vpmu run --model $(DEMO_MODEL) $(BUILD)/guest/demo.elf

deps:
	$(Q)scripts/deps.sh

include lib/lib.mk
-include tests/tests.mk
-include engine/engine.mk
-include vmm/vmm.mk
-include guest/guest.mk
-include bench/bench.mk
-include fuzz/fuzz.mk

# The whole suite: gcc build (+ everything), clang build of the host code,
# the host-side unit tests again under ASan + UBSan, the fuzz corpora
# replayed under the same sanitizers, then the runner, whose last line is
# the summary.
SANITIZE = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)$(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/clang lib tests
	$(Q)$(MAKE) --no-print-directory CC=clang BUILD=$(BUILD)/asan OPT="-O1 -g" \
		EXTRA_CFLAGS="$(SANITIZE)" EXTRA_LDFLAGS="$(SANITIZE)" tests
	$(Q)$(MAKE) --no-print-directory fuzz-replay
	$(Q)tests/run.sh $(BUILD)

test:
	$(Q)tests/run.sh $(BUILD)

# The upstream kvm-unit-tests PMU tests (long: minutes per model).
# VPMU_KUT_DIR=/path/to/built/kvm-unit-tests make kut
kut: deps
	$(Q)$(MAKE) --no-print-directory vmm
	$(Q)tests/run.sh $(BUILD) kut.sh

clean:
	rm -rf $(BUILD)
