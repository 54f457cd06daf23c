# The vpmu VMM: $(BUILD)/vpmu from vmm/*.c, the engine objects when the
# engine fragment defines ENGINE_OBJS, and libvpmu.
VMM_SRCS := $(wildcard vmm/*.c)
VMM_OBJS := $(VMM_SRCS:%.c=$(BUILD)/%.o)
VMM_BIN  := $(BUILD)/vpmu
VMM_LIBS := -lZydis -lpfm -lpthread	# Debian names it libZydis.so

vmm: $(VMM_BIN)

$(BUILD)/vmm/%.o: vmm/%.c $(wildcard vmm/*.h) engine/decode.h include/vpmu.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -Ivmm -pthread -c $< -o $@

$(VMM_BIN): $(VMM_OBJS) $(ENGINE_OBJS) $(LIB_A)
	$(Q)$(CC) $(CFLAGS_COMMON) -pthread $(VMM_OBJS) $(ENGINE_OBJS) $(LIB_A) \
		$(VMM_LIBS) $(LDFLAGS_COMMON) -o $@
