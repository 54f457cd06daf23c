# Host-side unit tests of libvpmu (cmocka), one binary per tests/lib/test_*.c.
TEST_SRCS := $(wildcard tests/lib/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/lib/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out tests/lib/test_%,$(wildcard tests/lib/*.c))

tests: $(TEST_BINS)

$(BUILD)/tests/%: tests/lib/%.c $(TEST_HELPERS) $(wildcard tests/lib/*.h) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Itests/lib $< $(TEST_HELPERS) $(LIB_A) -lcmocka $(LDFLAGS_COMMON) -o $@
