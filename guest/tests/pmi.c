// SPDX-License-Identifier: MIT
/*
 * PMIs through the LVTPC (PMU-FACTS §11, §16 #1, #5): a counter preset to
 * -N with INT overflows on the N-th instruction; the PMI arrives as the
 * LVTPC says (fixed vector or NMI); Intel sets LVTPC.mask on delivery,
 * AMD does not; a masked LVTPC gets no PMI; INT=0 sets status only.
 *
 * Counting needs an engine.  Under `--engine none` counters never move:
 * every test here is then skipped, so they start passing by themselves
 * when the exact engine is in.
 */
#include "pmu_spec.h"

#define PMI_VECTOR	32
#define N		40

static const struct pmu_spec *S;
static volatile unsigned int pmis, nmis;
static volatile uint32_t lvtpc_in_handler;

static void pmi_handler(struct frame *f)
{
	(void)f;
	pmis++;
	lvtpc_in_handler = apic_read(APIC_LVTPC);
	apic_eoi();
}

static void nmi_handler(struct frame *f)
{
	(void)f;
	nmis++;
	lvtpc_in_handler = apic_read(APIC_LVTPC);
}

static uint32_t sel_msr(void)
{
	if (S->vendor == INTEL)
		return MSR_PERFEVTSEL0;
	return S->perfctr_core ? MSR_F15H_PERF_CTL0 : MSR_K7_EVNTSEL0;
}

static uint32_t ctr_msr(void)
{
	if (S->vendor == INTEL)
		return MSR_PMC0;
	return S->perfctr_core ? MSR_F15H_PERF_CTL0 + 1 : MSR_K7_PERFCTR0;
}

static bool has_status(void)
{
	return S->vendor == INTEL ? S->version >= 2 : S->perfmon_v2;
}

static uint64_t status(void)
{
	return rdmsr(S->vendor == INTEL ? MSR_GLOBAL_STATUS : MSR_AMD_GLOBAL_STATUS);
}

static void clear_status(void)
{
	if (has_status())
		wrmsr(S->vendor == INTEL ? MSR_GLOBAL_OVF_CTRL : MSR_AMD_GLOBAL_STATUS_CLR, 1);
}

/* Counter 0 counts retired instructions from -n; INT if asked. */
static void run_counted(uint64_t preset, bool intr)
{
	uint64_t sel = SEL_EN | SEL_OS | SEL_USR | EV_INSTRUCTIONS | (intr ? SEL_INT : 0);

	wrmsr(sel_msr(), 0);
	wrmsr(ctr_msr(), preset & width_mask(S->gp_width));
	sti();
	wrmsr(sel_msr(), sel);
	/* not `1: loop 1b`: a self-loop keeps RIP and the exact engine takes
	 * the step for a re-trigger (reported to the engine) */
	__asm__ volatile("mov $60, %%ecx\n1: nop\n\tloop 1b" ::: "ecx", "memory");
	wrmsr(sel_msr(), 0);
	cli();
}

static bool engine_counts(void)
{
	uint64_t v;

	run_counted(0, false);
	v = rdmsr(ctr_msr());
	wrmsr(ctr_msr(), 0);
	report_info("counter 0 counted %llu instructions in a 60-iteration loop",
		    (unsigned long long)v);
	return v > 0;
}

static void one_pmi(uint32_t lvtpc, const char *how)
{
	bool intel = S->vendor == INTEL;
	volatile unsigned int *count = (lvtpc & (7u << 8)) == APIC_DM_NMI ? &nmis : &pmis;

	pmis = nmis = 0;
	lvtpc_in_handler = 0;
	apic_write(APIC_LVTPC, lvtpc);
	run_counted(-(uint64_t)N, true);
	report_eq(*count, 1, "PMI as %s delivered once", how);
	report_eq(pmis + nmis, 1, "PMI as %s: no other interrupt", how);
	report_eq((lvtpc_in_handler >> 16) & 1, intel,
		  "PMI as %s: LVTPC mask %s on delivery (%s)", how,
		  intel ? "set" : "not set", intel ? "Intel auto-mask" : "AMD: no auto-mask");
	report_eq((apic_read(APIC_LVTPC) >> 16) & 1, intel, "PMI as %s: LVTPC mask after the handler", how);
	if (has_status())
		report_eq(status() & 1, 1, "PMI as %s: overflow status bit 0 set", how);
	clear_status();
}

static void masked(void)
{
	pmis = nmis = 0;
	apic_write(APIC_LVTPC, APIC_LVT_MASKED | PMI_VECTOR);
	run_counted(-(uint64_t)N, true);
	report_eq(pmis + nmis, 0, "no PMI while LVTPC is masked");
	if (has_status())
		report_eq(status() & 1, 1, "masked: overflow status still set");
	clear_status();
}

static void no_int(void)
{
	pmis = nmis = 0;
	apic_write(APIC_LVTPC, PMI_VECTOR);
	run_counted(-(uint64_t)N, false);
	report_eq(pmis + nmis, 0, "overflow with INT=0 raises no PMI");
	if (has_status())
		report_eq(status() & 1, 1, "INT=0: overflow status set");
	report(rdmsr(ctr_msr()) < 1000, "counter wrapped and kept counting from 0 (0x%llx)",
	       (unsigned long long)rdmsr(ctr_msr()));
	clear_status();
}

int main(void)
{
	static const char *const names[] = {
		"fixed vector delivered", "NMI delivered", "masked LVTPC", "INT=0",
	};

	S = pmu_spec_get();
	set_irq_handler(PMI_VECTOR, pmi_handler);
	set_irq_handler(NMI_VECTOR, nmi_handler);
	if (!engine_counts()) {
		for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
			report_skip("no counting engine (counters do not count)", "PMI: %s", names[i]);
		return report_summary();
	}
	one_pmi(PMI_VECTOR, "fixed vector 32");
	one_pmi(APIC_DM_NMI, "NMI");
	masked();
	no_int();
	apic_write(APIC_LVTPC, APIC_LVT_MASKED);
	return report_summary();
}
