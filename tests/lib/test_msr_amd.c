/* SPDX-License-Identifier: MIT */
/*
 * AMD PMU MSRs (PMU-FACTS §14 and the project decisions): legacy K7
 * aliases, PerfCtrExtCore, PerfMonV2 global registers, dropped reserved
 * bits, Intel MSRs #GP, DEBUGCTL not claimed.
 */
#include "helpers.h"

static unsigned int nr_ctr(const struct vpmu_model *m)
{
	return m->nr_gp;
}

static void reset_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < 4; i++) {
		CHECK_RD(p, AMD_K7_CTL(i), 0);
		CHECK_RD(p, AMD_K7_CTR(i), 0);
	}
	if (m->amd_perfctr_core)
		for (i = 0; i < nr_ctr(m); i++) {
			CHECK_RD(p, AMD_CTL(i), 0);
			CHECK_RD(p, AMD_CTR(i), 0);
		}
	if (m->amd_perfmon_v2) {
		CHECK_RD(p, AMD_GSTATUS, 0);
		CHECK_RD(p, AMD_GCTL, MASKW(nr_ctr(m)));	/* all enables at RESET */
		CHECK_RD(p, AMD_GCLR, 0);
		CHECK_RD(p, AMD_GSET, 0);
	}
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, reset_one) >= nr_amd_presets);
}

static void existence_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	uint64_t v;
	uint32_t msr;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		CHECK_WR(p, AMD_K7_CTL(i), 0);
		CHECK_WR(p, AMD_K7_CTR(i), 0);
	}
	for (i = 0; i < 8; i++) {	/* 0xC0010200 .. 0xC001020F */
		bool yes = m->amd_perfctr_core && i < nr_ctr(m);

		if (yes) {
			CHECK_WR(p, AMD_CTL(i), 0);
			CHECK_WR(p, AMD_CTR(i), 0);
			CHECK(vpmu_rdmsr(p, AMD_CTL(i), &v) == VPMU_MSR_OK,
			      "[%s] PERF_CTL%u must exist", m->name, i);
		} else {
			CHECK_RD_GP(p, AMD_CTL(i));
			CHECK_RD_GP(p, AMD_CTR(i));
			CHECK_WR_GP(p, AMD_CTL(i), 0);
			CHECK_WR_GP(p, AMD_CTR(i), 0);
		}
	}
	for (msr = AMD_GSTATUS; msr <= AMD_GSET; msr++) {
		if (m->amd_perfmon_v2) {
			CHECK(vpmu_rdmsr(p, msr, &v) == VPMU_MSR_OK,
			      "[%s] PerfMonV2 MSR %#x must exist", m->name, msr);
		} else {
			CHECK_RD_GP(p, msr);
			CHECK_WR_GP(p, msr, 0);
		}
	}
}

static void test_msr_existence(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, existence_one) >= nr_amd_presets);
}

/* Reserved PERF_CTL bits (19, 21, 36-39, 42-63) are dropped, never #GP */
static void ctl_bits(struct vpmu *p, uint32_t msr)
{
	unsigned int b;

	for (b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;

		CHECK_WR(p, msr, 0x5A);
		CHECK_WR(p, msr, bit);
		CHECK_RD(p, msr, bit & AMD_CTL_VALID);
	}
	CHECK_WR(p, msr, ~0ull);
	CHECK_RD(p, msr, AMD_CTL_VALID);
	CHECK_WR(p, msr, AMD_HOSTONLY | AMD_GUESTONLY | SEL_EN | 0x76);
	CHECK_RD(p, msr, AMD_HOSTONLY | AMD_GUESTONLY | SEL_EN | 0x76);
	CHECK_WR(p, msr, 0);
	CHECK_RD(p, msr, 0);
}

static void ctl_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < 4; i++)
		ctl_bits(p, AMD_K7_CTL(i));
	if (m->amd_perfctr_core)
		for (i = 0; i < nr_ctr(m); i++)
			ctl_bits(p, AMD_CTL(i));
}

static void test_ctl_reserved_dropped(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, ctl_one) >= nr_amd_presets);
}

/* Counter writes drop bits 63:48, no sign extension (§14.4) */
static void ctr_bits(struct vpmu *p, uint32_t msr)
{
	static const uint64_t vals[] = {
		0, 1, 0x80000000ull, 0xFFFFFFFFull, 0xFFFFFFFFFFFFull,
		0xFFFF123456789ABCull, 0x0001000000000000ull, ~0ull, 0x7FFFFFFFFFFFull,
	};
	unsigned int k;

	for (k = 0; k < ARRAY_LEN(vals); k++) {
		CHECK_WR(p, msr, vals[k]);
		CHECK_RD(p, msr, vals[k] & MASKW(48));
	}
}

static void ctr_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	assert_int_equal(m->gp_width, 48);
	for (i = 0; i < 4; i++)
		ctr_bits(p, AMD_K7_CTR(i));
	if (m->amd_perfctr_core)
		for (i = 0; i < nr_ctr(m); i++)
			ctr_bits(p, AMD_CTR(i));
}

static void test_ctr_write_width(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, ctr_one) >= nr_amd_presets);
}

/* Legacy 0xC0010000-7 alias counters 0-3 of the extended range */
static void alias_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	unsigned int i;

	if (!m->amd_perfctr_core)
		return;
	p = new_pmu_model(0, m);
	for (i = 0; i < nr_ctr(m); i++) {
		CHECK_WR(p, AMD_CTL(i), 0x10 + i);
		CHECK_WR(p, AMD_CTR(i), 0x1000 + i);
	}
	for (i = 0; i < 4; i++) {
		CHECK_RD(p, AMD_K7_CTL(i), 0x10 + i);
		CHECK_RD(p, AMD_K7_CTR(i), 0x1000 + i);
		CHECK_WR(p, AMD_K7_CTL(i), SEL_EV(0xC0, 0) | SEL_OS | (0x20u + i));
		CHECK_WR(p, AMD_K7_CTR(i), 0xABC00000000ull + i);
	}
	for (i = 0; i < nr_ctr(m); i++) {
		CHECK_RD(p, AMD_CTL(i), i < 4 ? (SEL_EV(0xC0, 0) | SEL_OS | (0x20u + i)) : 0x10 + i);
		CHECK_RD(p, AMD_CTR(i), i < 4 ? 0xABC00000000ull + i : 0x1000 + i);
	}
}

static void test_legacy_alias(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, alias_one) >= nr_amd_presets);
}

/* PerfMonV2 global registers (§14.2 and decisions) */
static void v2_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	uint64_t all;
	unsigned int b;

	if (!m->amd_perfmon_v2)
		return;
	p = new_pmu_model(0, m);
	all = MASKW(nr_ctr(m));
	/* GlobalCtl: reserved bits dropped */
	CHECK_WR(p, AMD_GCTL, ~0ull);
	CHECK_RD(p, AMD_GCTL, all);
	CHECK_WR(p, AMD_GCTL, 0x15);
	CHECK_RD(p, AMD_GCTL, 0x15);
	for (b = 0; b < 64; b++) {
		CHECK_WR(p, AMD_GCTL, 1ull << b);
		CHECK_RD(p, AMD_GCTL, (1ull << b) & all);
	}
	CHECK_WR(p, AMD_GCTL, 0);
	CHECK_RD(p, AMD_GCTL, 0);
	/* StatusSet: W1S, reads 0 */
	CHECK_WR(p, AMD_GSET, 0x21);
	CHECK_RD(p, AMD_GSTATUS, 0x21);
	CHECK_RD(p, AMD_GSET, 0);
	CHECK_WR(p, AMD_GSET, 0x02);
	CHECK_RD(p, AMD_GSTATUS, 0x23);
	/* GlobalStatus: read-only, writes ignored without #GP */
	CHECK_WR(p, AMD_GSTATUS, 0);
	CHECK_RD(p, AMD_GSTATUS, 0x23);
	CHECK_WR(p, AMD_GSTATUS, all);
	CHECK_RD(p, AMD_GSTATUS, 0x23);
	/* StatusClr: W1C, reads 0 */
	CHECK_WR(p, AMD_GCLR, 0x01);
	CHECK_RD(p, AMD_GSTATUS, 0x22);
	CHECK_RD(p, AMD_GCLR, 0);
	CHECK_WR(p, AMD_GCLR, 0);
	CHECK_RD(p, AMD_GSTATUS, 0x22);
	CHECK_WR(p, AMD_GSET, all);
	CHECK_RD(p, AMD_GSTATUS, all);
	CHECK_WR(p, AMD_GCLR, all);
	CHECK_RD(p, AMD_GSTATUS, 0);
	/* none of this touched GlobalCtl or the counters */
	CHECK_RD(p, AMD_GCTL, 0);
	CHECK_RD(p, AMD_CTR(0), 0);
}

static void test_perfmon_v2_globals(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, v2_one) >= 1);
}

/* Intel MSRs on AMD: #GP; DEBUGCTL and non-PMU MSRs: UNHANDLED */
static void intel_on_amd_one(const struct vpmu_model *m)
{
	static const uint32_t intel_msrs[] = {
		0x345, 0x38D, 0x38E, 0x38F, 0x390, 0x391, 0x392,
	};
	static const uint32_t non_pmu[] = {
		MSR_DEBUGCTL, 0x10, 0x1B, 0x174, 0x277, 0xC0000080, 0xC0000100,
	};
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < 8; i++) {
		CHECK_RD_GP(p, MSR_PMC(i));
		CHECK_WR_GP(p, MSR_PMC(i), 0);
		CHECK_RD_GP(p, MSR_EVTSEL(i));
		CHECK_WR_GP(p, MSR_EVTSEL(i), 0);
		CHECK_RD_GP(p, MSR_A_PMC(i));
		CHECK_WR_GP(p, MSR_A_PMC(i), 0);
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++) {
		CHECK_RD_GP(p, MSR_FIXED_CTR(i));
		CHECK_WR_GP(p, MSR_FIXED_CTR(i), 0);
	}
	for (i = 0; i < ARRAY_LEN(intel_msrs); i++) {
		CHECK_RD_GP(p, intel_msrs[i]);
		CHECK_WR_GP(p, intel_msrs[i], 0);
	}
	for (i = 0; i < ARRAY_LEN(non_pmu); i++) {
		CHECK_RD_UNH(p, non_pmu[i]);
		CHECK_WR_UNH(p, non_pmu[i], 0);
	}
}

static void test_intel_msrs_on_amd(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, intel_on_amd_one) >= nr_amd_presets);
}

static void reset_fn_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < 4; i++) {
		CHECK_WR(p, AMD_K7_CTL(i), SEL_EV(0x76, 0) | SEL_ON | SEL_INT);
		CHECK_WR(p, AMD_K7_CTR(i), 0x777);
	}
	if (m->amd_perfctr_core)
		for (i = 0; i < nr_ctr(m); i++) {
			CHECK_WR(p, AMD_CTL(i), SEL_EV(0xC0, 0) | SEL_ON);
			CHECK_WR(p, AMD_CTR(i), 0x888);
		}
	if (m->amd_perfmon_v2) {
		CHECK_WR(p, AMD_GCTL, 1);
		CHECK_WR(p, AMD_GSET, 3);
	}
	vpmu_reset(p);
	for (i = 0; i < 4; i++) {
		CHECK_RD(p, AMD_K7_CTL(i), 0);
		CHECK_RD(p, AMD_K7_CTR(i), 0);
	}
	if (m->amd_perfctr_core)
		for (i = 0; i < nr_ctr(m); i++) {
			CHECK_RD(p, AMD_CTL(i), 0);
			CHECK_RD(p, AMD_CTR(i), 0);
		}
	if (m->amd_perfmon_v2) {
		CHECK_RD(p, AMD_GCTL, MASKW(nr_ctr(m)));
		CHECK_RD(p, AMD_GSTATUS, 0);
	}
}

static void test_vpmu_reset(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, reset_fn_one) >= nr_amd_presets);
}

/* Hardcoded spot checks for the decided presets */
static void test_spot_zen2(void **state)
{
	static const char *const names[] = { "zen2", "zen3" };
	unsigned int k;

	(void)state;
	for (k = 0; k < ARRAY_LEN(names); k++) {
		struct vpmu *p = new_pmu(names[k]);

		WR(p, 0xC001020A, SEL_EN | 0x76);	/* PERF_CTL5 */
		assert_int_equal(RD(p, 0xC001020A), SEL_EN | 0x76);
		WR(p, 0xC001020B, 0xFFFF000000001234ull);
		assert_int_equal(RD(p, 0xC001020B), 0x1234);
		RD_GP(p, 0xC001020C);
		WR_GP(p, 0xC001020D, 0);
		RD_GP(p, 0xC0000300);			/* no PerfMonV2 */
		WR_GP(p, 0xC0000301, 0x3F);
		RD_GP(p, 0xC0000302);
		RD_GP(p, 0xC0000303);
		RD_GP(p, 0x345);			/* no PDCM */
		RD_UNH(p, 0x1D9);
		WR_UNH(p, 0x1D9, 0);
		WR(p, 0xC0010000, 0xFFFFFFFFFFFFFFFFull);
		assert_int_equal(RD(p, 0xC0010200), 0x0000030FFFD7FFFFull);
	}
}

static void test_spot_zen4(void **state)
{
	struct vpmu *p = new_pmu("zen4");

	(void)state;
	assert_int_equal(RD(p, 0xC0000301), 0x3F);
	WR(p, 0xC0000301, 0xFFFFFFFFFFFFFFC1ull);
	assert_int_equal(RD(p, 0xC0000301), 0x01);
	WR(p, 0xC0000303, 0x3F);
	assert_int_equal(RD(p, 0xC0000300), 0x3F);
	WR(p, 0xC0000300, 0);				/* ignored, no #GP */
	assert_int_equal(RD(p, 0xC0000300), 0x3F);
	WR(p, 0xC0000302, 0x0F);
	assert_int_equal(RD(p, 0xC0000300), 0x30);
	assert_int_equal(RD(p, 0xC0000302), 0);
	assert_int_equal(RD(p, 0xC0000303), 0);
	RD_GP(p, 0xC001020C);
	RD_UNH(p, 0x1D9);
	/* event select 0x120 (bits 35:32 = 1) is stored */
	WR(p, 0xC0010200, AMD_EV(0x120, 0) | SEL_EN | SEL_OS);
	assert_int_equal(RD(p, 0xC0010200), 0x100000020ull | SEL_EN | SEL_OS);
	assert_int_equal(RD(p, 0xC0010000), 0x100000020ull | SEL_EN | SEL_OS);
}

/* A PerfMonV2 model with 2 counters: the legacy MSRs of counters 2 and 3
 * do not exist either (KVM: #GP for an index beyond the count) */
static void test_v2_few_counters(void **state)
{
	struct vpmu_model m = *preset("zen4");
	struct vpmu *p;

	(void)state;
	m.nr_gp = 2;
	p = new_pmu_model(0, &m);
	for (unsigned int i = 0; i < 4; i++) {
		if (i < 2) {
			WR(p, AMD_K7_CTL(i), SEL_EN | 0xc0);
			assert_int_equal(RD(p, AMD_CTL(i)), SEL_EN | 0xc0);
			WR(p, AMD_K7_CTR(i), 5);
			assert_int_equal(RD(p, AMD_CTR(i)), 5);
		} else {
			WR_GP(p, AMD_K7_CTL(i), 0);
			RD_GP(p, AMD_K7_CTR(i));
			WR_GP(p, AMD_CTL(i), 0);
			RD_GP(p, AMD_CTR(i));
		}
	}
	WR(p, AMD_GCTL, ~0ull);
	assert_int_equal(RD(p, AMD_GCTL), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_reset_values),
		TEST(test_msr_existence),
		TEST(test_ctl_reserved_dropped),
		TEST(test_ctr_write_width),
		TEST(test_legacy_alias),
		TEST(test_perfmon_v2_globals),
		TEST(test_intel_msrs_on_amd),
		TEST(test_vpmu_reset),
		TEST(test_spot_zen2),
		TEST(test_spot_zen4),
		TEST(test_v2_few_counters),
	};
	return cmocka_run_group_tests_name("msr_amd", tests, NULL, NULL);
}
