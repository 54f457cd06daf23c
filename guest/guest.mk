# Guest test images: $(BUILD)/guest/NAME.elf from guest/tests/NAME.c and
# the freestanding library in guest/lib.  Multiboot v1 ELF64 images; the
# boot test is also converted to ELF32 (like a kvm-unit-tests .flat) to
# exercise the loader's other path.
#
# Ring-0 code on the dev host runs in KVM's instruction emulator, which
# cannot execute SSE/AVX/x87/XSAVE/INT n/BMI/POPCNT...: general registers
# only (HOST-KVM "How guest code runs").
GUEST_CC     ?= gcc
GUEST_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -Wshadow -O2 -g \
	-ffreestanding -fno-pic -fno-pie -mno-red-zone -mgeneral-regs-only \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -fcf-protection=none \
	-fno-asynchronous-unwind-tables -fno-builtin -Iguest/lib \
	$(if $(findstring clang,$(GUEST_CC)),-Wno-unused-command-line-argument)
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none \
	-Wl,-z,max-page-size=0x1000 -Wl,-z,noexecstack -Wl,-T,guest/lib/guest.ld

GUEST_LIB_SRCS := $(wildcard guest/lib/*.c guest/lib/*.S)
GUEST_LIB_OBJS := $(patsubst guest/lib/%,$(BUILD)/guest/lib/%.o,$(GUEST_LIB_SRCS))
GUEST_TESTS    := $(patsubst guest/tests/%.c,%,$(wildcard guest/tests/*.c))
GUEST_ELFS     := $(GUEST_TESTS:%=$(BUILD)/guest/%.elf)
# guest/tests/*.S: snippets (e.g. compat-mode code) linked into every test
GUEST_TEST_ASM := $(patsubst guest/tests/%.S,$(BUILD)/guest/tests/%.S.o,$(wildcard guest/tests/*.S))
GUEST_HDRS     := $(wildcard guest/lib/*.h guest/tests/*.h)

guest: $(GUEST_ELFS) $(BUILD)/guest/boot32.flat

$(BUILD)/guest/lib/%.c.o: guest/lib/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/lib/%.S.o: guest/lib/%.S $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/tests/%.o: guest/tests/%.c $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -Iguest/tests -c $< -o $@

$(BUILD)/guest/tests/%.S.o: guest/tests/%.S $(GUEST_HDRS)
	@mkdir -p $(dir $@)
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(BUILD)/guest/%.elf: $(BUILD)/guest/tests/%.o $(GUEST_LIB_OBJS) $(GUEST_TEST_ASM) guest/lib/guest.ld
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) $< $(GUEST_LIB_OBJS) $(GUEST_TEST_ASM) -o $@

# ELF32/EM_386 wrapping the 64-bit image, as kvm-unit-tests' x86_64 .flat
$(BUILD)/guest/boot32.flat: $(BUILD)/guest/boot.elf
	$(Q)objcopy -O elf32-i386 $< $@

.SECONDARY: $(GUEST_LIB_OBJS) $(GUEST_TEST_ASM) $(GUEST_TESTS:%=$(BUILD)/guest/tests/%.o)
