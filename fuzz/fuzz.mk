# Fuzz targets (fuzz/README.md).  Each target T has fuzz/fuzz_T.c and a
# seed corpus fuzz/corpus/T/; every build here uses clang with ASan and
# UBSan (any report aborts).
#
#   make fuzz            run every target for FUZZ_TIME seconds (default 60)
#                        with libFuzzer, new inputs in fuzz/corpus-work/T
#   make fuzz-merge      fold fuzz/corpus-work/T into fuzz/corpus/T (minimised)
#   make fuzz-replay     build the replay drivers; `make check` runs them on
#                        the committed corpora (tests/t/fuzz.sh)
FUZZ_TARGETS := msr snapshot loader
FUZZ_TIME    ?= 60
FUZZ_CC      ?= clang
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = $(CSTD) $(WARN) -O1 -g -Iinclude -Ifuzz -Ivmm -Itests/lib $(FUZZ_SAN)
FUZZ_DIR     := $(BUILD)/fuzz

FUZZ_PMU_SRCS   := fuzz/ops.c fuzz/pmu_view.c $(LIB_SRCS)
fuzz_srcs_msr      := fuzz/fuzz_msr.c $(FUZZ_PMU_SRCS)
fuzz_srcs_snapshot := fuzz/fuzz_snapshot.c $(FUZZ_PMU_SRCS)
fuzz_srcs_loader   := fuzz/fuzz_loader.c vmm/loader_parse.c
FUZZ_DEPS := $(wildcard fuzz/*.h lib/*.h vmm/loader.h) tests/lib/crc32.h include/vpmu.h

.PHONY: fuzz fuzz-merge fuzz-replay
fuzz-replay: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/replay_%)

define FUZZ_RULES
$(FUZZ_DIR)/fuzz_$(1): $(FUZZ_DEPS) fuzz/fuzz.mk $(fuzz_srcs_$(1))
	@mkdir -p $(FUZZ_DIR)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(fuzz_srcs_$(1)) -o $$@

$(FUZZ_DIR)/replay_$(1): fuzz/replay.c $(FUZZ_DEPS) fuzz/fuzz.mk $(fuzz_srcs_$(1))
	@mkdir -p $(FUZZ_DIR)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) fuzz/replay.c $(fuzz_srcs_$(1)) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_RULES,$(t))))

# One bounded libFuzzer run per target; a finding stops `make fuzz` with
# its input saved as fuzz/corpus-work/crash-T-*.
fuzz: deps $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	$(Q)fuzz/run.sh $(FUZZ_DIR) $(FUZZ_TIME) $(FUZZ_TARGETS)

fuzz-merge: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/fuzz_%)
	$(Q)fuzz/run.sh --merge $(FUZZ_DIR) 0 $(FUZZ_TARGETS)
