// SPDX-License-Identifier: MIT
/*
 * The vpmu demo guest (`make demo`): a guest OS's view of its PMU.
 *
 * It reads the PMU from CPUID, programs the counters the way a profiler
 * would -- including two selectors that use CMASK, INV and EDGE, bits the
 * perf-proxy vPMU drops for instructions it counts in software -- runs a
 * few small workloads, reads the counters with RDPMC and prints a table.
 * The host prints its own summary of the same counters when the run ends.
 *
 * One workload is assembly with known counts (count_wl.S: a 100-iteration
 * LOOP), checked exactly, so the demo also says whether it told the truth.
 */
#include "libguest.h"

#define MSR_PERFEVTSEL0		0x186
#define MSR_FIXED_CTR_CTRL	0x38d
#define MSR_GLOBAL_CTRL		0x38f
#define MSR_AMD_CTL0		0xc0010200	/* CTL i at +2i, CTR i at +2i+1 */
#define MSR_AMD_GLOBAL_CTL	0xc0000301
#define SEL_USR			BIT(16)
#define SEL_OS			BIT(17)
#define SEL_EDGE		BIT(18)
#define SEL_EN			BIT(22)
#define SEL_INV			BIT(23)
#define CMASK(n)		((uint64_t)(n) << 24)

extern void wl_loop100(uint32_t, uint64_t, uint32_t);
extern char user_nops32[];

struct column {
	const char *title;
	uint16_t intel, amd;	/* event | umask << 8 */
	uint64_t mods;
};

/* Four GP counters: every Intel v2+ and AMD Zen preset has them. */
static const struct column cols[4] = {
	{ "instructions", 0x00c0, 0x00c0, 0 },
	{ "branches", 0x00c4, 0x00c2, 0 },
	/* cycles in which a branch retired after one that did not */
	{ "branch bursts", 0x00c4, 0x00c2, CMASK(1) | SEL_EDGE },
	/* cycles in which no branch retired */
	{ "no-branch cyc", 0x00c4, 0x00c2, CMASK(1) | SEL_INV },
};

static bool intel;
static bool amd_v2;

static uint32_t ctl_msr(unsigned int i)
{
	return intel ? MSR_PERFEVTSEL0 + i : MSR_AMD_CTL0 + 2 * i;
}

static void enable(bool on)
{
	if (intel)
		wrmsr(MSR_GLOBAL_CTRL, on ? 0xfull : 0);
	else if (amd_v2)
		wrmsr(MSR_AMD_GLOBAL_CTL, on ? 0xfull : 0);
}

static void program(void)
{
	for (unsigned int i = 0; i < 4; i++)
		wrmsr(ctl_msr(i), (intel ? cols[i].intel : cols[i].amd) | cols[i].mods |
				  SEL_EN | SEL_OS | SEL_USR);
	if (!intel && !amd_v2)
		return;
	enable(false);
}

static void read_all(uint64_t v[4])
{
	for (unsigned int i = 0; i < 4; i++)
		if (rdpmc_safe(i, &v[i]) != NO_EXCEPTION)
			v[i] = ~0ull;
}

/* --- workloads ---------------------------------------------------------- */

static int data[64];

static void wl_sum(void)
{
	volatile int sink = 0;

	for (int i = 0; i < 64; i++)
		sink += data[i];
}

static void wl_sort(void)
{
	for (int i = 1; i < 64; i++) {
		int x = data[i], j = i - 1;

		while (j >= 0 && data[j] > x) {
			data[j + 1] = data[j];
			j--;
		}
		data[j + 1] = x;
	}
}

static void wl_copy(void)
{
	static char src[2048], dst[2048];
	void *d = dst;
	const void *s = src;
	size_t n = sizeof(src);

	__asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) :: "memory");
}

static void wl_user(void)
{
	run_user(USER_COMPAT32, user_nops32, 0);
}

static void fill(void)
{
	uint32_t x = 12345;

	for (int i = 0; i < 64; i++) {
		x = x * 1103515245 + 12345;
		data[i] = (int)(x >> 16) & 0xfff;
	}
}

static const struct { const char *name; void (*fn)(void); } workloads[] = {
	{ "sum of 64 ints", wl_sum },
	{ "insertion sort", wl_sort },
	{ "rep movsb 2 KiB", wl_copy },
	{ "ring-3 call (compat)", wl_user },
};

static void row(const char *name, const uint64_t a[4], const uint64_t b[4])
{
	printf("  %-22s", name);
	for (unsigned int i = 0; i < 4; i++)
		printf(" %14llu", (unsigned long long)(b[i] - a[i]));
	printf("\n");
}

int main(void)
{
	struct cpuid v = cpuid(0, 0), a = cpuid(0xa, 0);
	uint64_t before[4], after[4];

	intel = v.b == 0x756e6547;	/* "Genu" */
	amd_v2 = !intel && (cpuid(0x80000000, 0).a >= 0x80000022) &&
		 (cpuid(0x80000022, 0).a & 1);
	if (intel && (a.a & 0xff) < 2) {
		printf("demo: needs Intel perfmon v2+ or an AMD Zen model\n");
		return 77;
	}
	printf("\nvpmu demo: the guest's view (%s, %s)\n",
	       intel ? "GenuineIntel" : "AuthenticAMD",
	       intel ? "architectural perfmon" : amd_v2 ? "PerfMonV2" : "PerfCtrExtCore");
	if (intel)
		printf("  CPUID.0AH: version %u, %u GP counters x %u bits, %u fixed\n",
		       a.a & 0xff, (a.a >> 8) & 0xff, (a.a >> 16) & 0xff, a.d & 0x1f);
	printf("  counters: instructions, branches, and two selectors a perf-proxy\n"
	       "  vPMU would drop for emulated instructions: branches with CMASK=1\n"
	       "  EDGE=1 (bursts) and with CMASK=1 INV=1 (cycles without a branch)\n\n");
	printf("  %-22s", "workload (RDPMC deltas)");
	for (unsigned int i = 0; i < 4; i++)
		printf(" %14s", cols[i].title);
	printf("\n");

	fill();
	program();
	enable(true);
	for (unsigned int w = 0; w < ARRAY_SIZE(workloads); w++) {
		read_all(before);
		workloads[w].fn();
		read_all(after);
		row(workloads[w].name, before, after);
	}
	enable(false);

	/* the exact one: enabled and disabled by its own WRMSRs */
	for (unsigned int i = 0; i < 4; i++)
		wrmsr(intel ? 0xc1 + i : MSR_AMD_CTL0 + 2 * i + 1, 0);
	if (intel || amd_v2) {
		static const uint64_t want[4] = { 205, 100, 100, 105 };

		wl_loop100(intel ? MSR_GLOBAL_CTRL : MSR_AMD_GLOBAL_CTL, 0xf,
			   intel ? MSR_GLOBAL_CTRL : MSR_AMD_GLOBAL_CTL);
		read_all(after);
		memset(before, 0, sizeof(before));
		row("100 x LOOP (asm)", before, after);
		for (unsigned int i = 0; i < 4; i++)
			report_eq(after[i], want[i], "demo: LOOP workload %s exact",
					   cols[i].title);
	}
	printf("\n");
	return report_summary();
}
