# libvpmu: static and shared library plus pkg-config file.
LIB_SRCS := $(wildcard lib/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(BUILD)/%.o)
LIB_PIC_OBJS := $(LIB_SRCS:%.c=$(BUILD)/pic/%.o)
LIB_A   := $(BUILD)/libvpmu.a
LIB_SO  := $(BUILD)/libvpmu.so
LIB_PC  := $(BUILD)/libvpmu.pc
PREFIX  ?= /usr/local

lib: $(LIB_A) $(LIB_SO) $(LIB_PC)

$(BUILD)/lib/%.o: lib/%.c include/vpmu.h $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -c $< -o $@

$(BUILD)/pic/lib/%.o: lib/%.c include/vpmu.h $(wildcard lib/*.h)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS_COMMON) -fPIC -c $< -o $@

$(LIB_A): $(LIB_OBJS)
	$(Q)rm -f $@ && ar rcs $@ $^

$(LIB_SO): $(LIB_PIC_OBJS)
	$(Q)$(CC) -shared -Wl,-soname,libvpmu.so.0 -o $@ $^

$(LIB_PC): lib/libvpmu.pc.in
	@mkdir -p $(dir $@)
	$(Q)sed 's|@PREFIX@|$(PREFIX)|' $< > $@
