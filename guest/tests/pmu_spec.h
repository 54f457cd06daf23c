/* SPDX-License-Identifier: MIT */
/*
 * What each PMU model preset must look like from inside the guest, written
 * from the spec (shared/PMU-FACTS.md §1-§15 and the project's rules), NOT
 * from what libvpmu returns.  Tests look their model up by the
 * "model=NAME" command-line argument (tests/t/guest.sh passes it).
 */
#ifndef GUEST_PMU_SPEC_H
#define GUEST_PMU_SPEC_H

#include "libguest.h"

enum vendor { INTEL = 1, AMD = 2 };

struct pmu_spec {
	const char *name;
	enum vendor vendor;
	/* Intel (PMU-FACTS §1.2, §15.1) */
	unsigned int version, nr_gp, gp_width, nr_fixed, fixed_width;
	uint32_t cpuid_a_eax, cpuid_a_ecx, cpuid_a_edx;
	uint32_t cpuid_a_ebx;		/* the preset's; the engine may hide more (hidden=MASK) */
	bool pdcm;			/* CPUID.1:ECX[15]: 0x345 exists */
	uint64_t perf_cap;		/* its value */
	bool anythread;			/* v3/v4 without EDX[15] deprecation */
	bool freeze;			/* DEBUGCTL[12] (and [11] on v4+) */
	/* AMD (PMU-FACTS §14, §15.2) */
	bool perfctr_core;		/* 8000_0001h:ECX[23] */
	bool perfmon_v2;		/* 8000_0022h:EAX[0], EBX[3:0] = nr_gp */
};

static const struct pmu_spec pmu_specs[] = {
	/* the CI model: Intel v2, 4 GP 48-bit, 3 fixed 48-bit, no PDCM, no
	 * full-width writes, GP ref-cycles hidden (EBX bit 2), no freeze */
	{ .name = "lean", .vendor = INTEL, .version = 2, .nr_gp = 4, .gp_width = 48,
	  .nr_fixed = 3, .fixed_width = 48,
	  .cpuid_a_eax = 0x07300402, .cpuid_a_ebx = 0x4, .cpuid_a_edx = 0x603 },
	/* Skylake-SP: Bochs dump 0x07300404 / 0 / 0 / 0x603; FW_WRITE only */
	{ .name = "skylake", .vendor = INTEL, .version = 4, .nr_gp = 4, .gp_width = 48,
	  .nr_fixed = 3, .fixed_width = 48,
	  .cpuid_a_eax = 0x07300404, .cpuid_a_edx = 0x603,
	  .pdcm = true, .perf_cap = 0x2000, .anythread = true, .freeze = true },
	/* Ice Lake client: 0x08300805 / 0 / 0xF / 0x8604 (AnyThread deprecated) */
	{ .name = "icelake", .vendor = INTEL, .version = 5, .nr_gp = 8, .gp_width = 48,
	  .nr_fixed = 4, .fixed_width = 48,
	  .cpuid_a_eax = 0x08300805, .cpuid_a_ecx = 0xf, .cpuid_a_edx = 0x8604,
	  .pdcm = true, .perf_cap = 0x2000, .freeze = true },
	/* Core 2 (Penryn): 0x07280202 / 0 / 0 / 0x503: 40-bit counters */
	{ .name = "core2", .vendor = INTEL, .version = 2, .nr_gp = 2, .gp_width = 40,
	  .nr_fixed = 3, .fixed_width = 40,
	  .cpuid_a_eax = 0x07280202, .cpuid_a_edx = 0x503,
	  .pdcm = true, .perf_cap = 0, .freeze = true },
	/* Zen 4: PerfCtrExtCore + PerfMonV2, 6 counters */
	{ .name = "zen4", .vendor = AMD, .nr_gp = 6, .gp_width = 48,
	  .perfctr_core = true, .perfmon_v2 = true },
	/* Zen 2: PerfCtrExtCore, no PerfMonV2 */
	{ .name = "zen2", .vendor = AMD, .nr_gp = 6, .gp_width = 48,
	  .perfctr_core = true },
	/* family 10h: the 4 legacy K7 counters only */
	{ .name = "k10", .vendor = AMD, .nr_gp = 4, .gp_width = 48 },
};

/* The spec named by "model=NAME", or exit after a failed report. */
static inline const struct pmu_spec *pmu_spec_get(void)
{
	const char *m = guest_arg("model");

	for (unsigned int i = 0; m && i < ARRAY_SIZE(pmu_specs); i++)
		if (!strcmp(pmu_specs[i].name, m))
			return &pmu_specs[i];
	report(false, "no expectations for model '%s' (pass -- model=NAME)",
	       m ? m : "(none)");
	exit(report_summary());
}

/* Intel MSRs (PMU-FACTS §2) */
#define MSR_PMC0		0xc1
#define MSR_PERFEVTSEL0		0x186
#define MSR_DEBUGCTL		0x1d9
#define MSR_FIXED_CTR0		0x309
#define MSR_PERF_CAPABILITIES	0x345
#define MSR_FIXED_CTR_CTRL	0x38d
#define MSR_GLOBAL_STATUS	0x38e
#define MSR_GLOBAL_CTRL		0x38f
#define MSR_GLOBAL_OVF_CTRL	0x390
#define MSR_GLOBAL_STATUS_SET	0x391
#define MSR_GLOBAL_INUSE	0x392
#define MSR_A_PMC0		0x4c1
/* AMD MSRs (PMU-FACTS §14.2) */
#define MSR_K7_EVNTSEL0		0xc0010000
#define MSR_K7_PERFCTR0		0xc0010004
#define MSR_F15H_PERF_CTL0	0xc0010200	/* CTL i at +2i, CTR i at +2i+1 */
#define MSR_AMD_GLOBAL_STATUS	0xc0000300
#define MSR_AMD_GLOBAL_CTL	0xc0000301
#define MSR_AMD_GLOBAL_STATUS_CLR 0xc0000302
#define MSR_AMD_GLOBAL_STATUS_SET 0xc0000303

/* Selector bits (PMU-FACTS §3, §14.3) */
#define SEL_USR		BIT(16)
#define SEL_OS		BIT(17)
#define SEL_EDGE	BIT(18)
#define SEL_PC		BIT(19)
#define SEL_INT		BIT(20)
#define SEL_ANY		BIT(21)
#define SEL_EN		BIT(22)
#define SEL_INV		BIT(23)
#define EV_INSTRUCTIONS	0xc0	/* Intel arch event 1 and AMD retired instructions */

static inline uint64_t width_mask(unsigned int w)
{
	return w >= 64 ? ~0ull : BIT(w) - 1;
}

#endif
