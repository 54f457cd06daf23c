// SPDX-License-Identifier: MIT
/*
 * guest_start(): called by entry.S in 64-bit mode.  IDT, TSS, PIC masked
 * (HOST-KVM quirk 9: KVM resets LVT0 to ExtINT, so an unprogrammed 8259
 * could deliver a stray vector), APIC enabled, command line read from the
 * multiboot info, then main() and exit with its status.
 */
#include "exc.h"

#define MBI_CMDLINE	(1u << 2)

extern uint32_t mb_info;
void guest_start(void);
void apic_setup(void);

static char cmdline[1024];

const char *guest_cmdline(void)
{
	return cmdline;
}

const char *guest_arg(const char *key)
{
	size_t n = strlen(key);

	for (const char *p = cmdline; *p; p++) {
		if ((p == cmdline || p[-1] == ' ') && !strncmp(p, key, n) && p[n] == '=') {
			static char val[128];
			size_t i = 0;

			for (p += n + 1; *p && *p != ' ' && i + 1 < sizeof(val); p++)
				val[i++] = *p;
			val[i] = 0;
			return val;
		}
	}
	return NULL;
}

uint64_t guest_arg_num(const char *key)
{
	const char *s = guest_arg(key);
	uint64_t v = 0;

	for (; s && *s >= '0' && *s <= '9'; s++)
		v = v * 10 + (uint64_t)(*s - '0');
	return v;
}

static void read_cmdline(void)
{
	const uint32_t *mbi = (const uint32_t *)(uintptr_t)mb_info;
	const char *s;
	size_t i = 0;

	if (!mbi || !(mbi[0] & MBI_CMDLINE))
		return;
	s = (const char *)(uintptr_t)mbi[4];
	for (; s[i] && i + 1 < sizeof(cmdline); i++)
		cmdline[i] = s[i];
	cmdline[i] = 0;
}

void guest_start(void)
{
	setup_idt();
	setup_tss();
	outb(0x21, 0xff);	/* mask both 8259s */
	outb(0xa1, 0xff);
	apic_setup();
	read_cmdline();
	exit(main());
}
