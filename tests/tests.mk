# Host-side unit tests of libvpmu (cmocka), one binary per tests/lib/test_*.c.
TEST_SRCS := $(wildcard tests/lib/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/lib/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out tests/lib/test_%,$(wildcard tests/lib/*.c))

tests: $(TEST_BINS)

$(BUILD)/tests/%: tests/lib/%.c $(TEST_HELPERS) $(wildcard tests/lib/*.h) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Itests/lib $< $(TEST_HELPERS) $(LIB_A) -lcmocka $(LDFLAGS_COMMON) -o $@

# VMM unit tests without KVM: tests/vmm/test_X.c -> $(BUILD)/tests/test_vmm_X,
# linked with the pure VMM objects they exercise; each test file provides
# test doubles for what vm.c/vcpu.c would do with KVM.
VMM_TEST_SRCS := $(wildcard tests/vmm/test_*.c)
VMM_TEST_BINS := $(VMM_TEST_SRCS:tests/vmm/test_%.c=$(BUILD)/tests/test_vmm_%)
VMM_TEST_OBJS := $(BUILD)/vmm/rdpmc.o $(BUILD)/vmm/guestmem.o

tests: $(VMM_TEST_BINS)

$(BUILD)/tests/test_vmm_%: tests/vmm/test_%.c $(wildcard vmm/*.h) $(VMM_TEST_OBJS) $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Ivmm $< $(VMM_TEST_OBJS) $(LIB_A) -lcmocka \
		$(LDFLAGS_COMMON) -o $@
