// SPDX-License-Identifier: MIT
/*
 * Boot: the multiboot contract and the devices, from inside.  Also built
 * as boot32.flat (ELF32 wrapping 64-bit code, like kvm-unit-tests).
 */
#include "libguest.h"

#define MBI_MEM		(1u << 0)
#define MBI_CMDLINE	(1u << 2)
#define MBI_MODS	(1u << 3)

extern uint32_t mb_info;

static uint64_t fwcfg_read(uint16_t key, unsigned int len)
{
	uint64_t v = 0;

	outw(0x510, key);
	for (unsigned int i = 0; i < len; i++)
		v |= (uint64_t)inb(0x511) << (8 * i);
	return v;
}

int main(void)
{
	const uint32_t *mbi = (const uint32_t *)(uintptr_t)mb_info;
	const char *mem = guest_arg("mem");
	uint64_t want_mem = mem ? 0 : 128;

	for (const char *p = mem; p && *p; p++)
		want_mem = want_mem * 10 + (uint64_t)(*p - '0');
	report(mb_info >= 0x1000 && mb_info < 0x100000,
	       "boot info 0x%x below 1 MiB, not in page 0", mb_info);
	report((mbi[0] & (MBI_MEM | MBI_CMDLINE)) == (MBI_MEM | MBI_CMDLINE),
	       "boot info flags 0x%x have mem and cmdline", mbi[0]);
	report_eq(mbi[1], 640, "mem_lower = 640 KiB");
	report_eq(mbi[2], want_mem * 1024 - 1024, "mem_upper = RAM - 1 MiB (in KiB)");
	report(guest_arg("hello") && !strcmp(guest_arg("hello"), "world"),
	       "command line '%s' carries the arguments after --", guest_cmdline());
	report_eq(fwcfg_read(5, 2), 1, "fw_cfg key 5 (CPU count) = 1");
	report_eq(fwcfg_read(3, 8), want_mem << 20, "fw_cfg key 3 = RAM bytes");
	report_eq(fwcfg_read(0x11, 8), 0, "fw_cfg key 0x11 = 0");
	report_eq(fwcfg_read(0x1234, 2), 0, "fw_cfg unknown key reads 0 (not 0xffff)");
	report_eq(inb(0x3fd) & 0x60, 0x60, "UART LSR has THRE and TEMT");
	/* divisor latch write with DLAB set must not print (KUT's init) */
	outb(0x3fb, 0x80);
	outb(0x3f8, 0x01);
	outb(0x3f9, 0x00);
	outb(0x3fb, 0x03);
	report_eq(inb(0x3fb), 0x03, "UART LCR reads back");
	report_eq(apic_id(), 0, "BSP APIC ID 0");
	report_eq(inb(0x3e0), 0xff, "unknown IO port reads all-ones");
	return report_summary();
}
