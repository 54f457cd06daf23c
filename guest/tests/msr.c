// SPDX-License-Identifier: MIT
/*
 * Every PMU MSR's read / write / #GP rule, from inside the guest, with
 * expectations from the spec (pmu_spec.h, PMU-FACTS §2-§8, §14).
 */
#include "pmu_spec.h"

static const struct pmu_spec *S;

/* ---- helpers ---- */

static void gp_rd(uint32_t msr, const char *name)
{
	uint64_t v;

	report_eq((uint64_t)rdmsr_safe(msr, &v), GP_VECTOR, "RDMSR %s (0x%x) #GP", name, msr);
}

static void gp_wr(uint32_t msr, uint64_t val, const char *name)
{
	report_eq((uint64_t)wrmsr_safe(msr, val), GP_VECTOR,
		  "WRMSR %s (0x%x) = 0x%llx #GP", name, msr, (unsigned long long)val);
}

/* write val, expect no fault and `want` read back */
static void rt(uint32_t msr, uint64_t val, uint64_t want, const char *name)
{
	uint64_t got = ~0ull;
	int w = wrmsr_safe(msr, val), r = rdmsr_safe(msr, &got);

	if (w != NO_EXCEPTION || r != NO_EXCEPTION) {
		report(false, "%s (0x%x) = 0x%llx: write exception %d, read exception %d",
		       name, msr, (unsigned long long)val, w, r);
		return;
	}
	report_eq(got, want, "%s (0x%x) = 0x%llx reads 0x%llx", name, msr,
		  (unsigned long long)val, (unsigned long long)want);
}

static void rd_eq(uint32_t msr, uint64_t want, const char *name)
{
	uint64_t got = ~0ull;
	int r = rdmsr_safe(msr, &got);

	if (r != NO_EXCEPTION)
		report(false, "RDMSR %s (0x%x): exception %d", name, msr, r);
	else
		report_eq(got, want, "%s (0x%x) reads 0x%llx", name, msr,
			  (unsigned long long)want);
}

static void wr_ok(uint32_t msr, uint64_t val, const char *name)
{
	report_eq((uint64_t)wrmsr_safe(msr, val), (uint64_t)NO_EXCEPTION,
		  "WRMSR %s (0x%x) = 0x%llx accepted", name, msr, (unsigned long long)val);
}

/* ---- Intel ---- */

/* PERFEVTSEL reserved mask = bits 63:32 and bit 21 (AnyThread) unless
 * v3/v4 without deprecation (PMU-FACTS §3, K-vi mask 0xFFFFFFFF00200000) */
static void intel_evtsel(void)
{
	uint64_t low = 0xffffffffull & ~SEL_ANY & ~SEL_EN;	/* all but EN: counts nothing */

	for (unsigned int i = 0; i < S->nr_gp; i++)
		rd_eq(MSR_PERFEVTSEL0 + i, 0, "PERFEVTSEL reset");
	for (unsigned int b = 32; b < 64; b++)
		gp_wr(MSR_PERFEVTSEL0, BIT(b), "PERFEVTSEL0 reserved bit");
	if (S->anythread)
		rt(MSR_PERFEVTSEL0, SEL_ANY | 0xc0, SEL_ANY | 0xc0, "PERFEVTSEL0 AnyThread (v3/v4)");
	else
		gp_wr(MSR_PERFEVTSEL0, SEL_ANY | 0xc0, "PERFEVTSEL0 AnyThread (v2 or deprecated)");
	rt(MSR_PERFEVTSEL0, SEL_PC | 0xc0, SEL_PC | 0xc0, "PERFEVTSEL0 PC bit 19 allowed");
	for (unsigned int i = 0; i < S->nr_gp; i++)
		rt(MSR_PERFEVTSEL0 + i, low, low, "PERFEVTSEL all defined bits but EN");
	for (unsigned int i = 0; i < S->nr_gp; i++)
		rt(MSR_PERFEVTSEL0 + i, 0, 0, "PERFEVTSEL cleared");
}

/* legacy PMCi: counter = sign-extended EAX, EDX ignored (PMU-FACTS §8) */
static void intel_pmc(void)
{
	uint64_t m = width_mask(S->gp_width);

	for (unsigned int i = 0; i < S->nr_gp; i++) {
		rd_eq(MSR_PMC0 + i, 0, "PMC reset");
		rt(MSR_PMC0 + i, 0x12345678, 0x12345678, "PMC");
		rt(MSR_PMC0 + i, 0x80000000, m & 0xffffffff80000000ull, "PMC sign-extends EAX bit 31");
		rt(MSR_PMC0 + i, 0xffffff0123456789ull, 0x23456789, "PMC ignores EDX");
		rt(MSR_PMC0 + i, 0, 0, "PMC cleared");
	}
}

/* full-width aliases 0x4C1+i exist iff PERF_CAPABILITIES.FW_WRITE (bit 13) */
static void intel_full_width(void)
{
	uint64_t top = BIT(S->gp_width - 1);

	if (!(S->perf_cap & BIT(13))) {
		gp_rd(MSR_A_PMC0, "A_PMC0 without FW_WRITE");
		gp_wr(MSR_A_PMC0, 1, "A_PMC0 without FW_WRITE");
		return;
	}
	for (unsigned int i = 0; i < S->nr_gp; i++) {
		rt(MSR_A_PMC0 + i, top | 0x1234, top | 0x1234, "A_PMC full-width");
		rd_eq(MSR_PMC0 + i, top | 0x1234, "PMC aliases A_PMC");
		gp_wr(MSR_A_PMC0 + i, BIT(S->gp_width), "A_PMC bit = width");
		gp_wr(MSR_A_PMC0 + i, BIT(63), "A_PMC bit 63");
		rt(MSR_A_PMC0 + i, 0, 0, "A_PMC cleared");
	}
}

static void intel_past_nr_gp(void)
{
	if (S->nr_gp >= 8)
		return;
	gp_rd(MSR_PMC0 + S->nr_gp, "PMC past nr_gp");
	gp_wr(MSR_PMC0 + S->nr_gp, 0, "PMC past nr_gp");
	gp_rd(MSR_PERFEVTSEL0 + S->nr_gp, "PERFEVTSEL past nr_gp");
	gp_wr(MSR_PERFEVTSEL0 + S->nr_gp, 0, "PERFEVTSEL past nr_gp");
	if (S->perf_cap & BIT(13))
		gp_rd(MSR_A_PMC0 + S->nr_gp, "A_PMC past nr_gp");
}

static void intel_fixed(void)
{
	uint64_t m = width_mask(S->fixed_width);
	uint64_t ok = 0;

	for (unsigned int i = 0; i < S->nr_fixed; i++) {
		rd_eq(MSR_FIXED_CTR0 + i, 0, "FIXED_CTR reset");
		rt(MSR_FIXED_CTR0 + i, m & 0x123456789abcull, m & 0x123456789abcull, "FIXED_CTR");
		gp_wr(MSR_FIXED_CTR0 + i, BIT(S->fixed_width), "FIXED_CTR bit = width");
		rt(MSR_FIXED_CTR0 + i, 0, 0, "FIXED_CTR cleared");
	}
	if (S->nr_fixed < 7) {
		gp_rd(MSR_FIXED_CTR0 + S->nr_fixed, "FIXED_CTR past the last");
		gp_wr(MSR_FIXED_CTR0 + S->nr_fixed, 0, "FIXED_CTR past the last");
	}
	/* FIXED_CTR_CTRL: per counter bits 0 (OS), 1 (USR), 3 (PMI), and 2
	 * (AnyThread) only on v3/v4 non-deprecated (PMU-FACTS §4) */
	rd_eq(MSR_FIXED_CTR_CTRL, 0, "FIXED_CTR_CTRL reset");
	for (unsigned int i = 0; i < S->nr_fixed; i++)
		ok |= (0xbull | (S->anythread ? 4 : 0)) << (4 * i);
	/* enable bits would start counting: check PMI bits alone, then OS|USR */
	rt(MSR_FIXED_CTR_CTRL, ok & 0x8888888888888888ull, ok & 0x8888888888888888ull,
	   "FIXED_CTR_CTRL PMI bits of every fixed counter");
	rt(MSR_FIXED_CTR_CTRL, ok, ok, "FIXED_CTR_CTRL all defined bits");
	wrmsr(MSR_FIXED_CTR_CTRL, 0);
	if (!S->anythread)
		gp_wr(MSR_FIXED_CTR_CTRL, 0x4, "FIXED_CTR_CTRL AnyThread bit 2 (v2 or deprecated)");
	gp_wr(MSR_FIXED_CTR_CTRL, 0x1ull << (4 * S->nr_fixed), "FIXED_CTR_CTRL field of a missing counter");
	gp_wr(MSR_FIXED_CTR_CTRL, BIT(32), "FIXED_CTR_CTRL bit 32");
	gp_wr(MSR_FIXED_CTR_CTRL, BIT(63), "FIXED_CTR_CTRL bit 63");
	rd_eq(MSR_FIXED_CTR_CTRL, 0, "FIXED_CTR_CTRL unchanged by faulting writes");
}

static uint64_t gp_bits(void) { return BIT(S->nr_gp) - 1; }
static uint64_t fixed_bits(void) { return (BIT(S->nr_fixed) - 1) << 32; }

static void intel_global(void)
{
	uint64_t clr = gp_bits() | fixed_bits() | BIT(62) | BIT(63);

	/* GLOBAL_CTRL: RESET = GP enables (PMU-FACTS §5.2) */
	rd_eq(MSR_GLOBAL_CTRL, gp_bits(), "GLOBAL_CTRL reset = GP enable bits");
	rt(MSR_GLOBAL_CTRL, gp_bits() | fixed_bits(), gp_bits() | fixed_bits(), "GLOBAL_CTRL GP and fixed bits");
	if (S->nr_gp < 32)
		gp_wr(MSR_GLOBAL_CTRL, BIT(S->nr_gp), "GLOBAL_CTRL bit past nr_gp");
	gp_wr(MSR_GLOBAL_CTRL, BIT(32 + S->nr_fixed), "GLOBAL_CTRL bit past the fixed counters");
	gp_wr(MSR_GLOBAL_CTRL, BIT(48), "GLOBAL_CTRL bit 48 (no PERF_METRICS)");
	gp_wr(MSR_GLOBAL_CTRL, BIT(63), "GLOBAL_CTRL bit 63");
	rt(MSR_GLOBAL_CTRL, gp_bits(), gp_bits(), "GLOBAL_CTRL back to reset value");
	/* GLOBAL_STATUS is read-only (PMU-FACTS §5.1) */
	rd_eq(MSR_GLOBAL_STATUS, 0, "GLOBAL_STATUS reset");
	gp_wr(MSR_GLOBAL_STATUS, 0, "GLOBAL_STATUS write of 0");
	gp_wr(MSR_GLOBAL_STATUS, 1, "GLOBAL_STATUS write of 1");
	/* OVF_CTRL clearable bits (project rule): GP | fixed | 62 | 63,
	 * | 61 on v3+, | 58 59 60 on v4+; reads 0 (PMU-FACTS §5.3) */
	if (S->version >= 3)
		clr |= BIT(61);
	if (S->version >= 4)
		clr |= BIT(58) | BIT(59) | BIT(60);
	wr_ok(MSR_GLOBAL_OVF_CTRL, clr, "GLOBAL_OVF_CTRL every clearable bit");
	rd_eq(MSR_GLOBAL_OVF_CTRL, 0, "GLOBAL_OVF_CTRL");
	if (S->version < 3)
		gp_wr(MSR_GLOBAL_OVF_CTRL, BIT(61), "GLOBAL_OVF_CTRL bit 61 before v3");
	if (S->version < 4)
		gp_wr(MSR_GLOBAL_OVF_CTRL, BIT(59), "GLOBAL_OVF_CTRL bit 59 before v4");
	if (S->nr_gp < 32)
		gp_wr(MSR_GLOBAL_OVF_CTRL, BIT(S->nr_gp), "GLOBAL_OVF_CTRL bit past nr_gp");
	gp_wr(MSR_GLOBAL_OVF_CTRL, BIT(32 + S->nr_fixed), "GLOBAL_OVF_CTRL bit past the fixed counters");
	gp_wr(MSR_GLOBAL_OVF_CTRL, BIT(57), "GLOBAL_OVF_CTRL bit 57");
}

static void intel_v4(void)
{
	uint64_t set = gp_bits() | fixed_bits() | BIT(58) | BIT(59) | BIT(60) | BIT(61) | BIT(62);

	if (S->version < 4) {
		gp_rd(MSR_GLOBAL_STATUS_SET, "GLOBAL_STATUS_SET before v4");
		gp_wr(MSR_GLOBAL_STATUS_SET, 1, "GLOBAL_STATUS_SET before v4");
		gp_rd(MSR_GLOBAL_INUSE, "GLOBAL_INUSE before v4");
		return;
	}
	/* STATUS_SET: W1S into STATUS, same bits as OVF_CTRL minus 63, reads 0 */
	wr_ok(MSR_GLOBAL_STATUS_SET, 0x5, "GLOBAL_STATUS_SET GP 0 and 2");
	rd_eq(MSR_GLOBAL_STATUS, 0x5, "GLOBAL_STATUS after STATUS_SET");
	rd_eq(MSR_GLOBAL_STATUS_SET, 0, "GLOBAL_STATUS_SET");
	wr_ok(MSR_GLOBAL_OVF_CTRL, 0x5, "GLOBAL_STATUS_RESET GP 0 and 2");
	rd_eq(MSR_GLOBAL_STATUS, 0, "GLOBAL_STATUS after STATUS_RESET");
	wr_ok(MSR_GLOBAL_STATUS_SET, set, "GLOBAL_STATUS_SET every settable bit");
	rd_eq(MSR_GLOBAL_STATUS, set, "GLOBAL_STATUS has them");
	wr_ok(MSR_GLOBAL_OVF_CTRL, set, "GLOBAL_STATUS_RESET them");
	rd_eq(MSR_GLOBAL_STATUS, 0, "GLOBAL_STATUS clear again");
	gp_wr(MSR_GLOBAL_STATUS_SET, BIT(63), "GLOBAL_STATUS_SET bit 63 (CondChgd)");
	gp_wr(MSR_GLOBAL_STATUS_SET, BIT(57), "GLOBAL_STATUS_SET bit 57");
	/* INUSE: RO; bit i = PERFEVTSELi[7:0] != 0, 32+i = fixed EN != 0,
	 * 63 = some PMI enable (PMU-FACTS §5.5) */
	rd_eq(MSR_GLOBAL_INUSE, 0, "GLOBAL_INUSE at reset");
	gp_wr(MSR_GLOBAL_INUSE, 0, "GLOBAL_INUSE (read-only)");
	wrmsr(MSR_PERFEVTSEL0 + 1, 0xc0);
	rd_eq(MSR_GLOBAL_INUSE, BIT(1), "GLOBAL_INUSE bit 1 for PERFEVTSEL1 event 0xc0");
	wrmsr(MSR_PERFEVTSEL0 + 1, SEL_INT);
	rd_eq(MSR_GLOBAL_INUSE, BIT(63), "GLOBAL_INUSE bit 63 for INT alone");
	wrmsr(MSR_PERFEVTSEL0 + 1, 0);
}

static void intel_caps(void)
{
	if (S->pdcm) {
		rd_eq(MSR_PERF_CAPABILITIES, S->perf_cap, "PERF_CAPABILITIES");
		gp_wr(MSR_PERF_CAPABILITIES, S->perf_cap, "PERF_CAPABILITIES (read-only)");
	} else {
		gp_rd(MSR_PERF_CAPABILITIES, "PERF_CAPABILITIES without PDCM");
		gp_wr(MSR_PERF_CAPABILITIES, 0, "PERF_CAPABILITIES without PDCM");
	}
	/* DEBUGCTL: bit 12 with freeze, bit 11 too on v4+, all else #GP */
	rd_eq(MSR_DEBUGCTL, 0, "DEBUGCTL reset");
	if (S->freeze)
		rt(MSR_DEBUGCTL, BIT(12), BIT(12), "DEBUGCTL FREEZE_PERFMON_ON_PMI");
	else
		gp_wr(MSR_DEBUGCTL, BIT(12), "DEBUGCTL FREEZE_PERFMON_ON_PMI (no freeze)");
	if (S->freeze && S->version >= 4)
		rt(MSR_DEBUGCTL, BIT(11), BIT(11), "DEBUGCTL FREEZE_LBRS_ON_PMI (v4+)");
	else
		gp_wr(MSR_DEBUGCTL, BIT(11), "DEBUGCTL FREEZE_LBRS_ON_PMI (before v4)");
	gp_wr(MSR_DEBUGCTL, BIT(0), "DEBUGCTL LBR (not modelled)");
	gp_wr(MSR_DEBUGCTL, BIT(1), "DEBUGCTL BTF");
	gp_wr(MSR_DEBUGCTL, BIT(14), "DEBUGCTL FREEZE_WHILE_SMM");
	if (S->freeze)
		rt(MSR_DEBUGCTL, 0, 0, "DEBUGCTL cleared");
}

static void amd_msrs_absent_on_intel(void)
{
	gp_rd(MSR_K7_EVNTSEL0, "AMD PERF_CTL0 on Intel");
	gp_wr(MSR_K7_EVNTSEL0, 0, "AMD PERF_CTL0 on Intel");
	gp_rd(MSR_K7_PERFCTR0 + 3, "AMD PERF_CTR3 on Intel");
	gp_rd(MSR_F15H_PERF_CTL0, "AMD ext PERF_CTL0 on Intel");
	gp_rd(MSR_AMD_GLOBAL_CTL, "AMD PerfCntrGlobalCtl on Intel");
}

static void intel(void)
{
	intel_evtsel();
	intel_pmc();
	intel_full_width();
	intel_past_nr_gp();
	intel_fixed();
	intel_global();
	intel_v4();
	intel_caps();
	amd_msrs_absent_on_intel();
}

/* ---- AMD (PMU-FACTS §14) ---- */

/* PERF_CTL reserved bits 19, 21, 36-39, 42-63 are dropped, no #GP */
#define AMD_CTL_VALID	(0xffffffffull & ~BIT(19) & ~BIT(21) & ~SEL_EN) | (0xfull << 32) | BIT(40) | BIT(41)

static void amd_counters(void)
{
	uint64_t m = width_mask(48);

	for (unsigned int i = 0; i < 4 && i < S->nr_gp; i++) {
		rd_eq(MSR_K7_EVNTSEL0 + i, 0, "K7 PERF_CTL reset");
		rt(MSR_K7_EVNTSEL0 + i, 0x300c0, 0x300c0, "K7 PERF_CTL");
		if (S->perfctr_core)
			rd_eq(MSR_F15H_PERF_CTL0 + 2 * i, 0x300c0, "ext PERF_CTL aliases K7 PERF_CTL");
		rt(MSR_K7_EVNTSEL0 + i, ~SEL_EN, AMD_CTL_VALID, "K7 PERF_CTL drops reserved bits");
		rt(MSR_K7_EVNTSEL0 + i, 0, 0, "K7 PERF_CTL cleared");
		rt(MSR_K7_PERFCTR0 + i, 0xffff123456789abcull, 0x123456789abcull & m,
		   "K7 PERF_CTR drops bits 63:48");
		if (S->perfctr_core)
			rd_eq(MSR_F15H_PERF_CTL0 + 2 * i + 1, 0x123456789abcull, "ext PERF_CTR aliases K7 PERF_CTR");
		rt(MSR_K7_PERFCTR0 + i, 0, 0, "K7 PERF_CTR cleared");
	}
	if (!S->perfctr_core) {
		gp_rd(MSR_F15H_PERF_CTL0, "ext PERF_CTL0 without PerfCtrExtCore");
		gp_wr(MSR_F15H_PERF_CTL0 + 1, 0, "ext PERF_CTR0 without PerfCtrExtCore");
		return;
	}
	for (unsigned int i = 0; i < S->nr_gp; i++) {
		rt(MSR_F15H_PERF_CTL0 + 2 * i, ~SEL_EN, AMD_CTL_VALID, "ext PERF_CTL drops reserved bits");
		rt(MSR_F15H_PERF_CTL0 + 2 * i, 0, 0, "ext PERF_CTL cleared");
		rt(MSR_F15H_PERF_CTL0 + 2 * i + 1, ~0ull, m, "ext PERF_CTR drops bits 63:48");
		rt(MSR_F15H_PERF_CTL0 + 2 * i + 1, 0, 0, "ext PERF_CTR cleared");
	}
	gp_rd(MSR_F15H_PERF_CTL0 + 2 * S->nr_gp, "ext PERF_CTL past the last (0xC001020C)");
	gp_wr(MSR_F15H_PERF_CTL0 + 2 * S->nr_gp, 0, "ext PERF_CTL past the last (0xC001020C)");
	gp_rd(MSR_F15H_PERF_CTL0 + 2 * S->nr_gp + 1, "ext PERF_CTR past the last");
}

static void amd_global(void)
{
	uint64_t all = BIT(S->nr_gp) - 1;

	if (!S->perfmon_v2) {
		gp_rd(MSR_AMD_GLOBAL_STATUS, "PerfCntrGlobalStatus without PerfMonV2");
		gp_rd(MSR_AMD_GLOBAL_CTL, "PerfCntrGlobalCtl without PerfMonV2");
		gp_wr(MSR_AMD_GLOBAL_STATUS_CLR, 0, "PerfCntrGlobalStatusClr without PerfMonV2");
		return;
	}
	rd_eq(MSR_AMD_GLOBAL_CTL, all, "PerfCntrGlobalCtl reset = every counter enabled");
	rt(MSR_AMD_GLOBAL_CTL, ~0ull, all, "PerfCntrGlobalCtl drops reserved bits");
	rt(MSR_AMD_GLOBAL_CTL, 0, 0, "PerfCntrGlobalCtl cleared");
	rt(MSR_AMD_GLOBAL_CTL, all, all, "PerfCntrGlobalCtl restored");
	rd_eq(MSR_AMD_GLOBAL_STATUS, 0, "PerfCntrGlobalStatus reset");
	wr_ok(MSR_AMD_GLOBAL_STATUS, all, "PerfCntrGlobalStatus write ignored, no #GP");
	rd_eq(MSR_AMD_GLOBAL_STATUS, 0, "PerfCntrGlobalStatus unchanged by a write");
	wr_ok(MSR_AMD_GLOBAL_STATUS_SET, 0x5, "PerfCntrGlobalStatusSet counters 0 and 2");
	rd_eq(MSR_AMD_GLOBAL_STATUS, 0x5, "PerfCntrGlobalStatus after StatusSet");
	wr_ok(MSR_AMD_GLOBAL_STATUS_CLR, 0x4, "PerfCntrGlobalStatusClr counter 2");
	rd_eq(MSR_AMD_GLOBAL_STATUS, 0x1, "PerfCntrGlobalStatus after StatusClr");
	rd_eq(MSR_AMD_GLOBAL_STATUS_CLR, 0, "PerfCntrGlobalStatusClr");
	wr_ok(MSR_AMD_GLOBAL_STATUS_CLR, ~0ull, "PerfCntrGlobalStatusClr reserved bits ignored");
	rd_eq(MSR_AMD_GLOBAL_STATUS, 0, "PerfCntrGlobalStatus clear");
}

static void intel_msrs_absent_on_amd(void)
{
	gp_rd(MSR_PMC0, "Intel PMC0 on AMD");
	gp_wr(MSR_PERFEVTSEL0, 0, "Intel PERFEVTSEL0 on AMD");
	gp_rd(MSR_FIXED_CTR0, "Intel FIXED_CTR0 on AMD");
	gp_rd(MSR_GLOBAL_CTRL, "Intel GLOBAL_CTRL on AMD");
	gp_rd(MSR_A_PMC0, "Intel A_PMC0 on AMD");
	gp_rd(MSR_PERF_CAPABILITIES, "PERF_CAPABILITIES on AMD");
}

int main(void)
{
	S = pmu_spec_get();
	report_info("model %s: MSR rules", S->name);
	if (S->vendor == INTEL) {
		intel();
	} else {
		amd_counters();
		amd_global();
		intel_msrs_absent_on_amd();
	}
	return report_summary();
}
