// SPDX-License-Identifier: MIT
/*
 * SMP (run with --cpus 2): the AP starts through INIT/SIPI, sees its own
 * APIC ID in CPUID and the LAPIC, and has a PMU of its own: counter and
 * selector values written on one vCPU are not seen on the other, and RDPMC
 * works on the AP too (the VMM arms the #GP-handler hook per vCPU).
 */
#include "pmu_spec.h"

static const struct pmu_spec *S;
static volatile uint64_t ap_pmc_before, ap_pmc_rdpmc, ap_cpuid_id, ap_lapic_id;
static volatile int ap_rdpmc_exc = -2;

static uint32_t ctr_msr(void)
{
	return S->vendor == INTEL ? MSR_PMC0 : MSR_K7_PERFCTR0;
}

static void ap_work(void)
{
	uint64_t v;

	ap_cpuid_id = cpuid(1, 0).b >> 24;
	ap_lapic_id = apic_id();
	ap_pmc_before = rdmsr(ctr_msr());
	wrmsr(ctr_msr(), 0x2222);
	ap_rdpmc_exc = rdpmc_safe(0, &v);
	ap_pmc_rdpmc = v;
}

int main(void)
{
	unsigned int cpus = fwcfg_read16(5), online;

	S = pmu_spec_get();
	report_eq(cpus, 2, "fw_cfg key 5: 2 CPUs (run with --cpus 2)");
	report_eq(cpuid(1, 0).b >> 24, 0, "BSP: CPUID.1:EBX[31:24] initial APIC ID 0");
	wrmsr(ctr_msr(), 0x1111);
	online = smp_start_aps(ap_work, cpus - 1);
	report_eq(online, cpus - 1, "APs online after INIT/SIPI");
	report_eq(ap_cpuid_id, 1, "AP: CPUID.1:EBX[31:24] initial APIC ID 1");
	report_eq(ap_lapic_id, 1, "AP: LAPIC ID 1");
	report_eq(ap_pmc_before, 0, "AP: its counter 0 starts at 0 (not the BSP's 0x1111)");
	report(ap_rdpmc_exc == NO_EXCEPTION && ap_pmc_rdpmc == 0x2222,
	       "AP: RDPMC(0) reads its own counter 0x2222 (exception %d, 0x%llx)",
	       ap_rdpmc_exc, (unsigned long long)ap_pmc_rdpmc);
	report_eq(rdmsr(ctr_msr()), 0x1111, "BSP: counter 0 still 0x1111");
	wrmsr(ctr_msr(), 0);
	return report_summary();
}
