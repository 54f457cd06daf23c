# The exact counting engine (engine/).
#
#   ENGINE_OBJS       every engine object; vmm/vmm.mk links them into
#                     $(BUILD)/vpmu together with $(ENGINE_LDLIBS)
#   ENGINE_CORE_OBJS  the KVM-free layer (decode, retire rule, host quirks,
#                     counted-loop qualification)
#                     that the unit tests link
#   ENGINE_LDLIBS     libraries the engine needs.  Debian's libzydis-dev
#                     ships libZydis.so: the flag is -lZydis, not -lzydis.
#
# Unit tests: tests/engine/test_X.c -> $(BUILD)/tests/test_engine_X, built
# by `make tests` and run by tests/run.sh with the library tests.
ENGINE_SRCS      := $(wildcard engine/*.c)
ENGINE_OBJS      := $(ENGINE_SRCS:%.c=$(BUILD)/%.o)
ENGINE_CORE_SRCS := engine/decode.c engine/retire.c engine/quirks.c engine/loop.c
ENGINE_CORE_OBJS := $(ENGINE_CORE_SRCS:%.c=$(BUILD)/%.o)
ENGINE_HDRS      := $(wildcard engine/*.h)
ENGINE_LDLIBS    := -lZydis -lpthread

ENGINE_TEST_SRCS := $(wildcard tests/engine/test_*.c)
ENGINE_TEST_BINS := $(ENGINE_TEST_SRCS:tests/engine/test_%.c=$(BUILD)/tests/test_engine_%)

.PHONY: engine
engine: $(ENGINE_OBJS)
tests: $(ENGINE_TEST_BINS)

$(BUILD)/engine/%.o: engine/%.c $(ENGINE_HDRS) include/vpmu.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -c $< -o $@

$(ENGINE_TEST_BINS): $(BUILD)/tests/test_engine_%: tests/engine/test_%.c \
		$(wildcard tests/engine/*.h) tests/rng.h $(ENGINE_CORE_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Iengine -Itests/engine $< \
		$(ENGINE_CORE_OBJS) $(LIB_A) $(ENGINE_LDLIBS) -lcmocka \
		$(LDFLAGS_COMMON) -o $@

# Micro-benchmark: ns per decode and per tick (bench/bench_decode.c).
BENCH_DECODE := $(BUILD)/bench/bench_decode
.PHONY: bench-decode
bench-decode: $(BENCH_DECODE)
	$(Q)$(BENCH_DECODE)

$(BENCH_DECODE): bench/bench_decode.c $(ENGINE_HDRS) $(ENGINE_CORE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Iengine $< $(ENGINE_CORE_OBJS) \
		$(ENGINE_LDLIBS) $(LDFLAGS_COMMON) -o $@
