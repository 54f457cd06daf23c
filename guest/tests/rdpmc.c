// SPDX-License-Identifier: MIT
/*
 * RDPMC (PMU-FACTS §9).  On the dev host RDPMC never exits to the VMM
 * (HOST-KVM quirk 2): it works only through the VMM's breakpoint on our
 * #GP handler (vmm/rdpmc.c), at CPL0 and at CPL3 (compat and 64-bit mode,
 * where the hook also has to undo a privilege change).
 */
#include "pmu_spec.h"
#include "user_snippets.h"

#define RDPMC_FIXED	BIT(30)		/* Intel type 0x4000: fixed counter */
#define RDPMC_METRICS	BIT(29)		/* Intel type 0x2000: PERF_METRICS */

static const struct pmu_spec *S;

static uint32_t ctr_msr(unsigned int i)
{
	if (S->vendor == INTEL)
		return MSR_PMC0 + i;
	return S->perfctr_core ? MSR_F15H_PERF_CTL0 + 2 * i + 1 : MSR_K7_PERFCTR0 + i;
}

static void rdpmc_eq(uint32_t ecx, uint64_t want, const char *what)
{
	uint64_t v = ~0ull;
	int e = rdpmc_safe(ecx, &v);

	if (e != NO_EXCEPTION)
		report(false, "RDPMC(0x%x) %s: exception %d", ecx, what, e);
	else
		report_eq(v, want, "RDPMC(0x%x) %s = 0x%llx", ecx, what, (unsigned long long)want);
}

static void rdpmc_gp(uint32_t ecx, const char *what)
{
	uint64_t v;

	report_eq((uint64_t)rdpmc_safe(ecx, &v), GP_VECTOR, "RDPMC(0x%x) %s #GP", ecx, what);
}

static void gp_counters(void)
{
	uint64_t m = width_mask(S->gp_width);

	for (unsigned int i = 0; i < S->nr_gp; i++) {
		uint64_t v = (0x1234567ull + i * 0x1111) & m;

		wrmsr(ctr_msr(i), v);
		rdpmc_eq(i, v, "reads the counter written");
	}
	if (S->vendor == INTEL) {
		/* legacy write sign-extends EAX: RDPMC returns W bits */
		wrmsr(MSR_PMC0, 0xfffffff0);
		rdpmc_eq(0, m & ~0xfull, "after a sign-extended write");
	} else {
		wrmsr(ctr_msr(0), m);
		rdpmc_eq(0, m, "48-bit value, zero-extended");
	}
	rdpmc_gp(S->nr_gp, "index = number of GP counters");
	rdpmc_gp(64, "64");
	rdpmc_gp(0x10000 | 0, "unknown type 1");
}

static void fixed_counters(void)
{
	for (unsigned int i = 0; i < S->nr_fixed; i++) {
		uint64_t v = 0xabcdef00ull + i;

		wrmsr(MSR_FIXED_CTR0 + i, v);
		rdpmc_eq(RDPMC_FIXED | i, v, "fixed counter");
		wrmsr(MSR_FIXED_CTR0 + i, 0);
	}
	rdpmc_gp(RDPMC_FIXED | S->nr_fixed, "fixed counter that does not exist");
	rdpmc_gp(RDPMC_METRICS, "PERF_METRICS without PERF_CAPABILITIES[15]");
}

static volatile uint64_t user64_val;
static volatile int user64_exc;

static int64_t user64_rdpmc(uint32_t ecx)
{
	uint64_t v = 0;

	user64_exc = rdpmc_safe(ecx, &v);
	user64_val = v;
	return 0;
}

static void ring3(void)
{
	uint64_t want = 0x5a5a5a;

	wrmsr(ctr_msr(0), want);
	write_cr4(read_cr4() | CR4_PCE);
	user_rdpmc_result = 0;
	run_user(USER_COMPAT32, user_rdpmc32, 0);
	report(last_exception == NO_EXCEPTION && user_rdpmc_result == want,
	       "RDPMC(0) in compat-mode ring 3 with CR4.PCE=1 = 0x%llx (exception %d)",
	       (unsigned long long)user_rdpmc_result, last_exception);
	run_user(USER_64, user64_rdpmc, 0);
	report(user64_exc == NO_EXCEPTION && user64_val == want,
	       "RDPMC(0) in 64-bit ring 3 with CR4.PCE=1 = 0x%llx (exception %d)",
	       (unsigned long long)user64_val, user64_exc);
	write_cr4(read_cr4() & ~CR4_PCE);
	run_user(USER_COMPAT32, user_rdpmc32, 0);
	report_eq((uint64_t)last_exception, GP_VECTOR,
		  "RDPMC(0) in compat-mode ring 3 with CR4.PCE=0 #GP");
	run_user(USER_64, user64_rdpmc, 0);
	report_eq((uint64_t)user64_exc, GP_VECTOR, "RDPMC(0) in 64-bit ring 3 with CR4.PCE=0 #GP");
	wrmsr(ctr_msr(0), 0);
}

int main(void)
{
	S = pmu_spec_get();
	gp_counters();
	if (S->vendor == INTEL && S->version >= 2)
		fixed_counters();
	ring3();
	for (unsigned int i = 0; i < S->nr_gp; i++)
		wrmsr(ctr_msr(i), 0);
	return report_summary();
}
