# Host-side unit tests of libvpmu (cmocka), one binary per tests/lib/test_*.c.
TEST_SRCS := $(wildcard tests/lib/test_*.c)
TEST_BINS := $(TEST_SRCS:tests/lib/%.c=$(BUILD)/tests/%)
TEST_HELPERS := $(filter-out tests/lib/test_%,$(wildcard tests/lib/*.c))

tests: $(TEST_BINS)

$(BUILD)/tests/%: tests/lib/%.c $(TEST_HELPERS) $(wildcard tests/lib/*.h) tests/rng.h $(LIB_A)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Itests/lib $< $(TEST_HELPERS) $(LIB_A) -lcmocka $(LDFLAGS_COMMON) -o $@

# VMM unit tests without KVM: tests/vmm/test_X.c -> $(BUILD)/tests/test_vmm_X,
# linked with the VMM and engine objects it exercises (vmm_test_objs_X)
# and tests/vmm/fake_vm.c (vm_gpa() over plain memory, GDT/IDT writers); a test provides
# doubles for anything else vm.c/vcpu.c would do with KVM.
vmm_test_objs_rdpmc_hook    := vmm/rdpmc vmm/guestmem engine/decode
vmm_test_objs_summary_names := vmm/summary vmm/util
vmm_test_objs_idt           := engine/idt engine/decode vmm/guestmem
vmm_test_objs_filter_spec   := vmm/filter_spec
VMM_TESTS := $(patsubst tests/vmm/test_%.c,%,$(wildcard tests/vmm/test_*.c))

define VMM_TEST_RULE
$(BUILD)/tests/test_vmm_$(1): tests/vmm/test_$(1).c tests/vmm/fake_vm.c tests/vmm/fake_vm.h $(wildcard vmm/*.h) \
		$(wildcard engine/*.h) $(vmm_test_objs_$(1):%=$(BUILD)/%.o) $(LIB_A)
	@mkdir -p $$(dir $$@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Ivmm -Iengine -Itests/vmm $$< tests/vmm/fake_vm.c \
		$(vmm_test_objs_$(1):%=$(BUILD)/%.o) $(LIB_A) -lZydis -lpfm -lcmocka \
		$(LDFLAGS_COMMON) -o $$@
endef
$(foreach t,$(VMM_TESTS),$(eval $(call VMM_TEST_RULE,$(t))))

tests: $(VMM_TESTS:%=$(BUILD)/tests/test_vmm_%)
