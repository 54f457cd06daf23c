// SPDX-License-Identifier: MIT
/*
 * Application processors: INIT/SIPI through the (in-kernel) local APIC,
 * SDM Vol. 3A "MP Initialization Protocol Algorithm".  The trampoline is
 * in entry.S.
 */
#include "exc.h"

#define AP_TRAMPOLINE	0x8000
#define MAX_APS		4
#define ICR_INIT_ALL	0x000c4500u	/* all excluding self, level assert, INIT */
#define ICR_SIPI_ALL	0x000c4600u	/* all excluding self, start-up */

extern char ap_tramp_start[], ap_tramp_end[];
void ap_main(void);
void apic_setup_ap(void);

static volatile unsigned int aps_online;
static void (*volatile ap_fn)(void);

void ap_main(void)
{
	setup_idt();		/* same table: LIDT is per CPU */
	apic_setup_ap();
	if (ap_fn)
		ap_fn();
	__atomic_fetch_add(&aps_online, 1, __ATOMIC_SEQ_CST);
}

unsigned int smp_start_aps(void (*fn)(void), unsigned int expected)
{
	ap_fn = fn;
	memcpy((void *)AP_TRAMPOLINE, ap_tramp_start,
	       (size_t)(ap_tramp_end - ap_tramp_start));
	apic_write(APIC_ICR_HI, 0);
	apic_write(APIC_ICR_LO, ICR_INIT_ALL);
	apic_write(APIC_ICR_HI, 0);
	apic_write(APIC_ICR_LO, ICR_SIPI_ALL | (AP_TRAMPOLINE >> 12));
	for (unsigned long spin = 0; spin < 2000000 &&
	     __atomic_load_n(&aps_online, __ATOMIC_SEQ_CST) < expected; spin++)
		__asm__ volatile("pause");
	return aps_online;
}

uint16_t fwcfg_read16(uint16_t key)
{
	uint16_t v;

	outw(0x510, key);
	v = inb(0x511);
	return (uint16_t)(v | inb(0x511) << 8);
}
