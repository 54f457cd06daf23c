// SPDX-License-Identifier: MIT
/*
 * Not a test by itself: tests/t/cli.sh drives it to check the VMM's exit
 * status mapping and its handling of dying guests.
 *   code=N        exit with N through the debug-exit port
 *   crash=triple  no usable IDT, then #UD: triple fault
 *   crash=hlt     CLI; HLT forever
 *   crash=spin    loop forever (for --timeout)
 */
#include "libguest.h"

int main(void)
{
	const char *crash = guest_arg("crash");

	if (crash && !strcmp(crash, "triple")) {
		struct { uint16_t limit; uint64_t base; } __attribute__((packed)) none = { 0, 0 };

		__asm__ volatile("lidt %0; ud2" :: "m"(none));
	}
	if (crash && !strcmp(crash, "hlt"))
		for (;;)
			__asm__ volatile("cli; hlt");
	if (crash && !strcmp(crash, "spin"))
		for (;;)
			__asm__ volatile("pause");
	exit((int)guest_arg_num("code"));
}
