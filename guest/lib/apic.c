// SPDX-License-Identifier: MIT
/* The local APIC in xAPIC mode: MMIO at 0xfee00000 (SDM Vol. 3A ch. 10). */
#include "libguest.h"

#define APIC_BASE	0xfee00000ul
#define MSR_APIC_BASE	0x1b
#define APIC_BASE_EN	BIT(11)

uint32_t apic_read(unsigned int reg)
{
	return *(volatile uint32_t *)(APIC_BASE + reg);
}

void apic_write(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(APIC_BASE + reg) = v;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

unsigned int apic_id(void)
{
	return apic_read(APIC_ID) >> 24;
}

void apic_setup(void);
void apic_setup_ap(void);

void apic_setup_ap(void)
{
	apic_setup();
}

void apic_setup(void)
{
	wrmsr(MSR_APIC_BASE, (rdmsr(MSR_APIC_BASE) & ~0xfffull) | APIC_BASE_EN);
	apic_write(APIC_SPIV, 0x1ff);	/* software enable, spurious vector 0xff */
}
