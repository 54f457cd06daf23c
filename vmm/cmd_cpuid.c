// SPDX-License-Identifier: MIT
/*
 * vpmu cpuid MODEL: the CPUID leaves the model owns, as vpmu_cpuid_apply()
 * writes them over an all-zero leaf.  In a run, bits the model does not
 * own come from KVM_GET_SUPPORTED_CPUID (the host).
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "util.h"
#include "vpmu.h"

int cmd_cpuid(int argc, char **argv)
{
	const struct vpmu_model *m;
	uint32_t leaves[64][2];
	unsigned int n;

	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		printf("usage: vpmu cpuid MODEL\n\nPrint the CPUID leaves (and the "
		       "bits of shared leaves) that the PMU model MODEL defines.\n"
		       "Other bits of a shared leaf are shown as 0; in a run they come from the host.\n");
		return 0;
	}
	if (argc != 2)
		die(EXIT_USAGE, "usage: vpmu cpuid MODEL (see 'vpmu models')");
	m = cmd_find_model(argv[1]);
	n = vpmu_cpuid_leaves(m, leaves, ARRAY_SIZE(leaves));
	printf("# %s: %s\n# leaf.subleaf   eax        ebx        ecx        edx\n",
	       m->name, vpmu_model_summary(m));
	for (unsigned int i = 0; i < n && i < ARRAY_SIZE(leaves); i++) {
		struct vpmu_cpuid r = { 0, 0, 0, 0 };

		vpmu_cpuid_apply(m, leaves[i][0], leaves[i][1], &r);
		printf("0x%08x.%-4u 0x%08x 0x%08x 0x%08x 0x%08x\n", leaves[i][0],
		       leaves[i][1], r.eax, r.ebx, r.ecx, r.edx);
	}
	return 0;
}
