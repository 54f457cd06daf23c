// SPDX-License-Identifier: MIT
/*
 * The event filter seen from inside (issue 4): run under
 * `vpmu run --filter SPEC`, measure count_wl.S's branch workload (14
 * instructions, 7 branches, framing included) on GP counter 0
 * (instructions), GP counter 1 (branches) and, on Intel, fixed counters 0
 * and 1, and compare with "want=I,B[,F0,F1]" from the command line.  A
 * denied event counts 0; the counter still reads and writes normally.
 */
#include "pmu_spec.h"

extern void wl_branches(uint32_t, uint64_t, uint32_t);

static uint64_t want[4];
static unsigned int nwant;

static void parse_want(void)
{
	const char *s = guest_arg("want");

	for (; s && *s && nwant < 4; nwant++) {
		uint64_t v = 0;

		while (*s >= '0' && *s <= '9')
			v = v * 10 + (uint64_t)(*s++ - '0');
		want[nwant] = v;
		if (*s == ',')
			s++;
	}
}

int main(void)
{
	const struct pmu_spec *S = pmu_spec_get();
	bool intel = S->vendor == INTEL;
	uint32_t ctl0 = intel ? MSR_PERFEVTSEL0 : MSR_F15H_PERF_CTL0;
	uint32_t ctr0 = intel ? MSR_PMC0 : MSR_F15H_PERF_CTL0 + 1;
	unsigned int stride = intel ? 1 : 2;
	uint32_t gctl = intel ? MSR_GLOBAL_CTRL : MSR_AMD_GLOBAL_CTL;
	uint64_t got[4];
	static const char *const name[4] = { "GP instructions", "GP branches",
					     "fixed 0 (instructions)", "fixed 1 (cycles)" };

	parse_want();
	if (nwant < 2 || (intel ? S->version < 2 : !S->perfmon_v2)) {
		report(false, "filter: needs want=I,B[,F0,F1] and a global enable");
		return report_summary();
	}
	wrmsr(gctl, 0);		/* RESET sets the GP enables (§5.2) */
	wrmsr(ctl0, 0xc0 | SEL_EN | SEL_OS | SEL_USR);
	wrmsr(ctl0 + stride, (intel ? 0xc4 : 0xc2) | SEL_EN | SEL_OS | SEL_USR);
	wrmsr(ctr0, 0);
	wrmsr(ctr0 + stride, 0);
	if (intel) {
		wrmsr(MSR_FIXED_CTR_CTRL, 0x33);
		wrmsr(MSR_FIXED_CTR0, 0);
		wrmsr(MSR_FIXED_CTR0 + 1, 0);
	}
	wl_branches(gctl, intel ? 0x300000003ull : 3, gctl);
	got[0] = rdmsr(ctr0);
	got[1] = rdmsr(ctr0 + stride);
	if (intel) {
		got[2] = rdmsr(MSR_FIXED_CTR0);
		got[3] = rdmsr(MSR_FIXED_CTR0 + 1);
	}
	for (unsigned int i = 0; i < nwant && (intel || i < 2); i++)
		report_eq(got[i], want[i], "filter: %s", name[i]);
	/* filtered or not, the counter reads back what is written */
	wrmsr(ctr0 + stride, 0x1234);
	report_eq(rdmsr(ctr0 + stride), 0x1234, "filter: counter still writable");
	return report_summary();
}
