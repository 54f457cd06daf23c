// SPDX-License-Identifier: MIT
/*
 * Not a test: a load generator for measuring the VMM's per-operation costs
 * from the host (wall time with N operations minus wall time with 0).
 *   rdmsr=N  N x RDMSR PERFEVTSEL0 (filtered: exits to the VMM)
 *   wrmsr=N  N x WRMSR PERFEVTSEL0
 *   rdpmc=N  N x RDPMC(0) at CPL0 (through the #GP-handler hook)
 *   gp=N     N x RDMSR of a missing MSR (a #GP the hook lets through)
 *   out=N    N x OUT to the debug-exit-free port 0x80... (unhandled: warns once)
 */
#include "libguest.h"

int main(void)
{
	const char *model = guest_arg("model");
	bool amd = model && (model[0] == 'z' || model[0] == 'k');
	uint32_t sel = amd ? 0xc0010000 : 0x186;
	uint64_t v;

	for (uint32_t i = guest_arg_num("rdmsr"); i; i--)
		rdmsr_safe(sel, &v);
	for (uint32_t i = guest_arg_num("wrmsr"); i; i--)
		wrmsr_safe(sel, 0);
	for (uint32_t i = guest_arg_num("rdpmc"); i; i--)
		rdpmc_safe(0, &v);
	for (uint32_t i = guest_arg_num("gp"); i; i--)
		rdmsr_safe(0xc0011fff, &v);
	return 0;
}
