// SPDX-License-Identifier: MIT
/*
 * The CPUID the guest sees for its model (PMU-FACTS §1, §14.1, §15), at
 * CPL0 and in compat-mode ring 3.  HOST-KVM: native CPUID in 64-bit ring
 * 3 returns the host's values on the dev host; that is reported, not
 * checked (on a VMX/SVM host it would show the model).
 */
#include "pmu_spec.h"
#include "user_snippets.h"

static const struct pmu_spec *S;

static void vendor(char out[13], struct cpuid r)
{
	memcpy(out, &r.b, 4);
	memcpy(out + 4, &r.d, 4);
	memcpy(out + 8, &r.c, 4);
	out[12] = 0;
}

static uint32_t hidden_events(void)
{
	const char *h = guest_arg("hidden");
	uint32_t v = 0;

	if (h && h[0] == '0' && h[1] == 'x')
		for (h += 2; *h; h++)
			v = v << 4 | (uint32_t)(*h <= '9' ? *h - '0' : (*h | 0x20) - 'a' + 10);
	return v;
}

static void intel(void)
{
	struct cpuid a = cpuid(0xa, 0), one = cpuid(1, 0);

	report_eq(a.a, S->cpuid_a_eax, "CPUID.0AH:EAX");
	/* the counting engine hides the events it cannot produce:
	 * "hidden=MASK" on the command line (tests/t/guest.sh) */
	report_eq(a.b, S->cpuid_a_ebx | hidden_events(), "CPUID.0AH:EBX");
	report_eq(a.c, S->cpuid_a_ecx, "CPUID.0AH:ECX");
	report_eq(a.d, S->cpuid_a_edx, "CPUID.0AH:EDX");
	report_eq((a.a >> 8) & 0xff, S->nr_gp, "CPUID.0AH:EAX[15:8] = %u GP counters", S->nr_gp);
	report_eq((one.c >> 15) & 1, S->pdcm, "CPUID.01H:ECX[15] PDCM = %d", S->pdcm);
	report(cpuid(0, 0).a >= 0xa, "CPUID max leaf 0x%x reaches 0AH", cpuid(0, 0).a);
}

static void amd(void)
{
	struct cpuid e1 = cpuid(0x80000001, 0), a = cpuid(0xa, 0);
	uint32_t max_ext = cpuid(0x80000000, 0).a;

	report_eq((e1.c >> 23) & 1, S->perfctr_core, "CPUID.8000_0001H:ECX[23] PerfCtrExtCore = %d",
		  S->perfctr_core);
	report_eq(a.a | a.b | a.c | a.d, 0, "CPUID.0AH is all zero on AMD");
	if (S->perfmon_v2) {
		struct cpuid p = cpuid(0x80000022, 0);

		report(max_ext >= 0x80000022, "CPUID max extended leaf 0x%x reaches 8000_0022H", max_ext);
		report_eq(p.a & 1, 1, "CPUID.8000_0022H:EAX[0] PerfMonV2");
		report_eq(p.b & 0xf, S->nr_gp, "CPUID.8000_0022H:EBX[3:0] = %u counters", S->nr_gp);
	} else if (max_ext >= 0x80000022) {
		report_eq(cpuid(0x80000022, 0).a & 1, 0, "CPUID.8000_0022H:EAX[0] PerfMonV2 clear");
	}
}

static volatile struct cpuid user64_cpuid;

static int64_t user64_cpuid0(uint32_t arg)
{
	user64_cpuid = cpuid(arg, 0);
	return 0;
}

static void ring3(void)
{
	struct cpuid k = cpuid(0xa, 0);
	char v[13];

	run_user(USER_COMPAT32, user_cpuid32, 0xa);
	report_eq(last_exception, (uint64_t)NO_EXCEPTION, "CPUID in compat-mode ring 3 runs");
	report(user_cpuid_result[0] == k.a && user_cpuid_result[1] == k.b &&
	       user_cpuid_result[2] == k.c && user_cpuid_result[3] == k.d,
	       "CPUID.0AH in compat-mode ring 3 equals ring 0 (0x%x 0x%x 0x%x 0x%x)",
	       user_cpuid_result[0], user_cpuid_result[1], user_cpuid_result[2],
	       user_cpuid_result[3]);
	run_user(USER_COMPAT32, user_cpuid32, 0);
	vendor(v, (struct cpuid){ 0, user_cpuid_result[1], user_cpuid_result[2],
				  user_cpuid_result[3] });
	report_info("vendor in compat-mode ring 3: %s", v);
	/* HOST-KVM: native 64-bit ring 3 shows the host's CPUID there */
	run_user(USER_64, user64_cpuid0, 0);
	vendor(v, (struct cpuid){ 0, user64_cpuid.b, user64_cpuid.c, user64_cpuid.d });
	report_info("vendor in 64-bit ring 3: %s (the host's on a software KVM)", v);
}

int main(void)
{
	char v[13];

	S = pmu_spec_get();
	vendor(v, cpuid(0, 0));
	report(!strcmp(v, S->vendor == INTEL ? "GenuineIntel" : "AuthenticAMD"),
	       "CPUID vendor %s", v);
	if (S->vendor == INTEL)
		intel();
	else
		amd();
	ring3();
	return report_summary();
}
