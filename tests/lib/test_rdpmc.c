/* SPDX-License-Identifier: MIT */
/*
 * RDPMC (PMU-FACTS §9 and the project decisions):
 *   allowed iff CPL == 0 || CR4.PCE || !CR0.PE;
 *   Intel: ECX type 0 = GP index < n, ECX[30] = fixed (must exist),
 *          ECX[31] (fast) #GP unless rdpmc_fast_low32, anything else #GP;
 *   AMD:   ECX < number of core counters, else #GP;
 *   the result is masked to the counter width.
 */
#include "helpers.h"

#define FIXED_SEL	(1u << 30)
#define FAST_SEL	(1u << 31)

static int rdpmc(struct vpmu *p, uint32_t ecx, uint64_t *v)
{
	*v = 0xDEADBEEFull;
	return vpmu_rdpmc(p, ecx, &cpu_kernel, v);
}

static void expect_rdpmc(struct vpmu *p, uint32_t ecx, uint64_t want)
{
	uint64_t v;
	int r = rdpmc(p, ecx, &v);

	CHECK(r == VPMU_MSR_OK, "[%s] rdpmc(%#x): %s, expected OK",
	      vpmu_model_of(p)->name, ecx, msr_result_name(r));
	if (r == VPMU_MSR_OK)
		CHECK_EQ(v, want, "[%s] rdpmc(%#x)", vpmu_model_of(p)->name, ecx);
}

static void expect_rdpmc_gp(struct vpmu *p, uint32_t ecx)
{
	uint64_t v;
	int r = rdpmc(p, ecx, &v);

	CHECK(r == VPMU_MSR_GP, "[%s] rdpmc(%#x): %s (value %#llx), expected #GP",
	      vpmu_model_of(p)->name, ecx, msr_result_name(r), (unsigned long long)v);
}

/* CPL0 || CR4.PCE || !CR0.PE, on both vendors */
static void test_privilege(void **state)
{
	static const char *const models[] = { "skylake", "lean", "zen2", "zen4" };
	unsigned int k, cpl, pe, pce;

	(void)state;
	for (k = 0; k < ARRAY_LEN(models); k++) {
		struct vpmu *p = new_pmu(models[k]);
		uint32_t ctr = vpmu_model_of(p)->vendor == VPMU_VENDOR_AMD ? AMD_CTR(0) : MSR_PMC(0);

		WR(p, ctr, 0x1234);
		for (cpl = 0; cpl < 4; cpl++)
			for (pe = 0; pe < 2; pe++)
				for (pce = 0; pce < 2; pce++) {
					struct vpmu_cpu_state c = {
						.cpl = (uint8_t)cpl, .cr0_pe = pe, .cr4_pce = pce,
					};
					bool ok = cpl == 0 || pce || !pe;
					uint64_t v = 0;
					int r = vpmu_rdpmc(p, 0, &c, &v);

					CHECK(r == (ok ? VPMU_MSR_OK : VPMU_MSR_GP),
					      "[%s] rdpmc(0) at CPL%u PE=%u PCE=%u: %s", models[k],
					      cpl, pe, pce, msr_result_name(r));
					if (ok && r == VPMU_MSR_OK)
						CHECK_EQ(v, 0x1234, "[%s] rdpmc(0) at CPL%u", models[k], cpl);
				}
	}
}

/* Intel GP counters: index < n; value masked to W */
static void intel_gp_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < m->nr_gp; i++)
		CHECK_WR(p, MSR_PMC(i), 0x10000 * (i + 1) + 0x55);
	for (i = 0; i < m->nr_gp; i++)
		expect_rdpmc(p, i, 0x10000 * (i + 1) + 0x55);
	for (i = m->nr_gp; i < 16; i++)
		expect_rdpmc_gp(p, i);
	expect_rdpmc_gp(p, 64);		/* KUT check_invalid_rdpmc_gp */
	expect_rdpmc_gp(p, 0xFFFF);
	/* width */
	CHECK_WR(p, MSR_PMC(0), 0xFFFFFFFF);
	expect_rdpmc(p, 0, MASKW(m->gp_width));
	CHECK_WR(p, MSR_PMC(0), 0x80000000);
	expect_rdpmc(p, 0, (0xFFFFFFFF80000000ull) & MASKW(m->gp_width));
}

static void test_intel_gp_index(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, intel_gp_one) >= nr_intel_presets);
	{
		struct vpmu_model m = intel_custom("lean", 1);

		intel_gp_one(&m);
	}
}

/* Intel fixed counters: ECX[30] | index of an existing fixed counter */
static void intel_fixed_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_WR(p, MSR_FIXED_CTR(i), 0x777000 + i);
	for (i = 0; i < 16; i++) {
		if (intel_fixed_exists(m, i))
			expect_rdpmc(p, FIXED_SEL | i, 0x777000 + i);
		else
			expect_rdpmc_gp(p, FIXED_SEL | i);
	}
	expect_rdpmc_gp(p, FIXED_SEL | 0xFFFF);
	if (intel_fixed_exists(m, 0)) {
		CHECK_WR(p, MSR_FIXED_CTR(0), MASKW(m->fixed_width));
		expect_rdpmc(p, FIXED_SEL, MASKW(m->fixed_width));
		CHECK_WR(p, MSR_FIXED_CTR(0), 0x80000000ull);	/* no sign extension */
		expect_rdpmc(p, FIXED_SEL, 0x80000000ull);
	}
}

static void test_intel_fixed(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, intel_fixed_one) >= nr_intel_presets);
	{
		struct vpmu_model m = intel_custom("lean", 1);	/* no fixed counters */

		intel_fixed_one(&m);
	}
}

/* Anything but type 0 / type 0x4000 is #GP; fast reads #GP on the presets */
static void intel_types_one(const struct vpmu_model *m)
{
	static const uint32_t bad[] = {
		FAST_SEL, FAST_SEL | 1, FAST_SEL | FIXED_SEL,
		1u << 29,			/* PERF_METRICS: not modelled */
		(1u << 29) | 1, 1u << 16, (1u << 16) | 1, 1u << 24, 1u << 28,
		FIXED_SEL | (1u << 16), FIXED_SEL | (1u << 29),
		0xFFFFFFFFu,
	};
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int k;

	CHECK(!m->rdpmc_fast_low32, "[%s] presets do not allow fast RDPMC", m->name);
	for (k = 0; k < ARRAY_LEN(bad); k++)
		expect_rdpmc_gp(p, bad[k]);
}

static void test_intel_other_types(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, intel_types_one) >= nr_intel_presets);
}

/* A model with rdpmc_fast_low32: ECX[31] returns the low 32 bits */
static void test_intel_fast_low32(void **state)
{
	struct vpmu_model m = *preset("skylake");
	struct vpmu *p;

	(void)state;
	m.rdpmc_fast_low32 = true;
	p = new_pmu_model(0, &m);
	WR(p, MSR_A_PMC(1), 0x123456789Aull);
	expect_rdpmc(p, 1, 0x123456789Aull);
	expect_rdpmc(p, FAST_SEL | 1, 0x3456789Aull);
	expect_rdpmc_gp(p, FAST_SEL | 4);		/* index still checked */
	expect_rdpmc_gp(p, 1u << 29);
	assert_int_equal(soft_failures(), 0);
}

/* RDPMC sees counting */
static void test_rdpmc_follows_counting(void **state)
{
	struct vpmu *p = new_pmu("icelake");
	struct vpmu_tick t = ev_tick(9, 3, VPMU_EV_INSTRUCTIONS, 4);
	struct vpmu_cpu_state user = { .cpl = 3, .cr0_pe = true, .cr4_pce = true };
	uint64_t v;

	(void)state;
	WR(p, MSR_EVTSEL(6), SEL_EV(0xC0, 0) | SEL_EN | SEL_USR);
	WR(p, MSR_FIXED_CTRL, FIX_USR(3) | FIX_USR(1));
	WR(p, MSR_GCTRL, 0xFF | (0xFull << 32));
	count1(p, &t);
	assert_int_equal(vpmu_rdpmc(p, 6, &user, &v), VPMU_MSR_OK);
	assert_int_equal(v, 4);
	assert_int_equal(vpmu_rdpmc(p, FIXED_SEL | 1, &user, &v), VPMU_MSR_OK);
	assert_int_equal(v, 9);
	assert_int_equal(vpmu_rdpmc(p, FIXED_SEL | 3, &user, &v), VPMU_MSR_OK);
	assert_int_equal(v, 9);
	user.cr4_pce = false;
	assert_int_equal(vpmu_rdpmc(p, 6, &user, &v), VPMU_MSR_GP);
}

/* AMD: ECX < number of core counters */
static void amd_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;
	uint32_t ctr;

	for (i = 0; i < m->nr_gp; i++) {
		ctr = m->amd_perfctr_core ? AMD_CTR(i) : AMD_K7_CTR(i);
		CHECK_WR(p, ctr, 0xF00000000000ull + i);
	}
	for (i = 0; i < m->nr_gp; i++)
		expect_rdpmc(p, i, 0xF00000000000ull + i);
	for (i = m->nr_gp; i < 32; i++)
		expect_rdpmc_gp(p, i);
	expect_rdpmc_gp(p, FIXED_SEL);
	expect_rdpmc_gp(p, FAST_SEL);
	expect_rdpmc_gp(p, 0xFFFFFFFFu);
	CHECK_WR(p, AMD_K7_CTR(0), ~0ull);
	expect_rdpmc(p, 0, MASKW(48));
}

static void test_amd(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, amd_one) >= nr_amd_presets);
	{
		struct vpmu *p = new_pmu("zen2");

		expect_rdpmc(p, 5, 0);
		expect_rdpmc_gp(p, 6);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_privilege),
		TEST(test_intel_gp_index),
		TEST(test_intel_fixed),
		TEST(test_intel_other_types),
		TEST(test_intel_fast_low32),
		TEST(test_rdpmc_follows_counting),
		TEST(test_amd),
	};
	return cmocka_run_group_tests_name("rdpmc", tests, NULL, NULL);
}
