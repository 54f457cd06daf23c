# Benchmarks (bench/README.md).  `make bench` builds and runs them.
BENCH_LIB := $(BUILD)/bench/bench_lib

$(BENCH_LIB): bench/bench_lib.c $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) $< $(LIB_A) -o $@

bench: $(BENCH_LIB)
	$(Q)$(BENCH_LIB)
