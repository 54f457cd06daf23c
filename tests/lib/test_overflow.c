/* SPDX-License-Identifier: MIT */
/*
 * Overflow, status, PMI requests and freeze-on-PMI (PMU-FACTS §8, §11,
 * §16 and the project decisions):
 *   - counters wrap modulo 2^W and keep counting;
 *   - GLOBAL_STATUS gets the bit on every overflow (v2+), INT or not;
 *   - a PMI is requested only with INT / the fixed PMI bit;
 *   - freeze: v2/v3 clear GLOBAL_CTRL, v4+ set CTR_Frz (59) / LBR_Frz (58);
 *   - Intel auto-masks LVTPC, AMD does not.
 */
#include "helpers.h"

#define INSTR	VPMU_EV_INSTRUCTIONS

static const uint64_t SEL_INSTR = SEL_EV(0xC0, 0x00);
static const uint64_t SEL_CYC = SEL_EV(0x3C, 0x00);

static struct vpmu_tick instr(uint32_t cycles, uint8_t n)
{
	return ev_tick(cycles, 0, INSTR, n);
}

/* ---------------- wrap, status, PMI ---------------- */

static void test_wrap_48_sets_status_without_pmi(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(1, 3);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	WR(p, MSR_PMC(0), (uint64_t)-2);		/* 2^48 - 2 */
	assert_int_equal(RD(p, MSR_PMC(0)), 0xFFFFFFFFFFFEull);
	assert_int_equal(vpmu_count(p, &t, 1), 0);	/* no INT: no PMI */
	assert_int_equal(RD(p, MSR_PMC(0)), 1);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
	assert_int_equal(vpmu_take_pmi(p), 0);
	/* it keeps counting */
	assert_int_equal(vpmu_count(p, &t, 1), 0);
	assert_int_equal(RD(p, MSR_PMC(0)), 4);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
}

static void test_wrap_with_int_requests_pmi(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(2, 1);

	(void)state;
	WR(p, MSR_EVTSEL(2), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_PMC(2), 0xFFFFFFFF);			/* -1 */
	assert_int_equal(vpmu_count(p, &t, 1), 1u << 2);
	assert_int_equal(RD(p, MSR_PMC(2)), 0);
	assert_int_equal(RD(p, MSR_GSTATUS), 1u << 2);
	assert_int_equal(vpmu_take_pmi(p), 1u << 2);
	assert_int_equal(vpmu_take_pmi(p), 0);		/* taking clears */
	assert_int_equal(vpmu_count(p, &t, 1), 0);	/* no new overflow */
	assert_int_equal(vpmu_take_pmi(p), 0);
}

/* KUT: preload 1 - N, run N events: the counter reads 1, status set */
static void test_kut_preload_one_minus_n(void **state)
{
	struct vpmu *p = new_pmu("icelake");
	struct vpmu_tick t = instr(1, 1);
	uint64_t pmi;

	(void)state;
	WR(p, MSR_EVTSEL(7), SEL_INSTR | SEL_EN | SEL_OS | SEL_INT);
	WR(p, MSR_PMC(7), (uint64_t)(1 - 1000));
	pmi = count_n(p, &t, 1000);
	assert_int_equal(pmi, 1u << 7);
	assert_int_equal(RD(p, MSR_PMC(7)), 1);
	assert_int_equal(RD(p, MSR_GSTATUS), 1u << 7);
}

/* OVF_CTRL clears the bit only; a later overflow sets it again (§16 #4) */
static void test_status_clear_and_again(void **state)
{
	struct vpmu *p = new_pmu("lean");
	struct vpmu_tick t = instr(1, 2);

	(void)state;
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_PMC(1), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 2);
	assert_int_equal(RD(p, MSR_GSTATUS), 2);
	WR(p, MSR_GOVF, 2);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
	assert_int_equal(RD(p, MSR_PMC(1)), 1);			/* untouched */
	assert_int_equal(RD(p, MSR_GCTRL), 0xF);		/* untouched */
	assert_int_equal(RD(p, MSR_EVTSEL(1)), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_PMC(1), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 2);
	assert_int_equal(RD(p, MSR_GSTATUS), 2);
	assert_int_equal(vpmu_take_pmi(p), 2);
}

static void test_fixed_overflow(void **state)
{
	static const char *const models[] = { "lean", "skylake", "icelake", "alderlake-e" };
	unsigned int k;

	(void)state;
	for (k = 0; k < ARRAY_LEN(models); k++) {
		struct vpmu *p = new_pmu(models[k]);
		struct vpmu_tick t = instr(3, 2);
		uint64_t m = MASKW(vpmu_model_of(p)->fixed_width);

		WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_PMI(0) | FIX_ON(1) | FIX_OS(2));
		WR(p, MSR_GCTRL, 7ull << 32);
		WR(p, MSR_FIXED_CTR(0), m - 1);		/* +2 instructions: wraps */
		WR(p, MSR_FIXED_CTR(1), m - 2);		/* +3 cycles: wraps, no PMI bit */
		WR(p, MSR_FIXED_CTR(2), m - 3);		/* +3: lands on m, no wrap */
		assert_int_equal(vpmu_count(p, &t, 1), ST_FIXED(0));
		assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 0);	/* 2^Wf - 2 + 2 */
		assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 0);	/* 2^Wf - 3 + 3 */
		assert_int_equal(RD(p, MSR_FIXED_CTR(2)), m);
		assert_int_equal(RD(p, MSR_GSTATUS), ST_FIXED(0) | ST_FIXED(1));
		assert_int_equal(vpmu_take_pmi(p), ST_FIXED(0));
	}
}

/* Several counters overflowing in one tick */
static void test_multiple_overflows(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(4, 1);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_EVTSEL(2), SEL_CYC | SEL_ON);
	WR(p, MSR_EVTSEL(3), SEL_CYC | SEL_ON | SEL_INT);	/* does not wrap */
	WR(p, MSR_FIXED_CTRL, FIX_ON(1) | FIX_PMI(1));
	WR(p, MSR_GCTRL, 0xF | (1ull << 33));
	WR(p, MSR_PMC(0), (uint64_t)-1);
	WR(p, MSR_PMC(2), (uint64_t)-4);
	WR(p, MSR_PMC(3), (uint64_t)-5);
	WR(p, MSR_FIXED_CTR(1), MASKW(48) - 1);
	assert_int_equal(vpmu_count(p, &t, 1), 1 | ST_FIXED(1));
	assert_int_equal(RD(p, MSR_GSTATUS), 1 | 4 | ST_FIXED(1));
	assert_int_equal(RD(p, MSR_PMC(2)), 0);
	assert_int_equal(RD(p, MSR_PMC(3)), MASKW(48));
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 2);
}

/* PMI requests latch until taken */
static void test_take_pmi_accumulates(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(1, 1);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_PMC(0), (uint64_t)-1);
	WR(p, MSR_PMC(1), (uint64_t)-2);
	assert_int_equal(vpmu_count(p, &t, 1), 1);
	assert_int_equal(vpmu_count(p, &t, 1), 2);	/* returns only its own */
	assert_int_equal(vpmu_take_pmi(p), 3);
	assert_int_equal(vpmu_take_pmi(p), 0);
}

/* A bulk call whose last repetition overflows */
static void test_pmi_in_bulk_call(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(2, 3);
	uint64_t h;

	(void)state;
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_A_PMC(1), MASKW(48) - 10);
	h = vpmu_headroom(p, &t);
	assert_int_equal(h, 3);
	assert_int_equal(vpmu_count(p, &t, h), 0);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
	assert_int_equal(vpmu_count(p, &t, 1), 2);
	assert_int_equal(RD(p, MSR_PMC(1)), 1);

	p = new_pmu("skylake");
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_A_PMC(1), MASKW(48) - 10);
	assert_int_equal(vpmu_count(p, &t, 4), 2);	/* headroom + 1 */
	assert_int_equal(RD(p, MSR_PMC(1)), 1);
	assert_int_equal(RD(p, MSR_GSTATUS), 2);
	assert_int_equal(vpmu_take_pmi(p), 2);
}

/* Widths: 40 and 48 must be valid; others are tried if the model validates */
static void test_custom_widths(void **state)
{
	static const uint8_t widths[] = { 32, 36, 40, 44, 47, 48 };
	unsigned int k;

	(void)state;
	for (k = 0; k < ARRAY_LEN(widths); k++) {
		struct vpmu_model m = intel_custom("lean", 2);
		char err[256];
		uint8_t w = widths[k];
		struct vpmu *p;
		struct vpmu_tick t = instr(1, 1);

		m.gp_width = w;
		m.fixed_width = w;
		if (vpmu_model_validate(&m, err, sizeof(err)) != 0) {
			assert_true(w != 40 && w != 48);
			continue;
		}
		p = new_pmu_model(0, &m);
		WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
		WR(p, MSR_PMC(0), 0xFFFFFFFF);			/* -1 */
		CHECK_RD(p, MSR_PMC(0), MASKW(w));
		WR(p, MSR_FIXED_CTRL, FIX_ON(0));
		WR(p, MSR_GCTRL, 1 | ST_FIXED(0));
		WR_GP(p, MSR_FIXED_CTR(0), 1ull << w);
		WR(p, MSR_FIXED_CTR(0), MASKW(w));
		CHECK_EQ(vpmu_count(p, &t, 1), 1, "width %u: PMI", w);
		CHECK_RD(p, MSR_PMC(0), 0);
		CHECK_RD(p, MSR_FIXED_CTR(0), 0);
		CHECK_RD(p, MSR_GSTATUS, 1 | ST_FIXED(0));
		/* half way: no wrap */
		WR(p, MSR_PMC(0), 0x7FFFFFFF);
		count1(p, &t);
		CHECK_RD(p, MSR_PMC(0), 0x80000000ull & MASKW(w));
	}
}

/* v1: no status register; the PMI request is the only trace */
static void test_v1_overflow(void **state)
{
	struct vpmu_model m = intel_custom("lean", 1);
	struct vpmu *p = new_pmu_model(0, &m);
	struct vpmu_tick t = instr(1, 2);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON);
	WR(p, MSR_PMC(0), (uint64_t)-1);
	WR(p, MSR_PMC(1), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 1);
	assert_int_equal(RD(p, MSR_PMC(0)), 1);
	assert_int_equal(RD(p, MSR_PMC(1)), 1);
	assert_int_equal(vpmu_take_pmi(p), 1);
	RD_GP(p, MSR_GSTATUS);
}

/* AMD: no status before PerfMonV2; with it the bit is set INT or not */
static void test_amd_overflow(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_amd_expect; k++) {
		struct vpmu *p = new_pmu(amd_expect[k].name);
		struct vpmu_tick t = instr(1, 2);

		WR(p, AMD_CTL(5), AMD_EV(0xC0, 0) | SEL_ON | SEL_INT);
		WR(p, AMD_CTL(1), AMD_EV(0xC0, 0) | SEL_ON);
		WR(p, AMD_CTR(5), MASKW(48));
		WR(p, AMD_CTR(1), MASKW(48) - 1);
		assert_int_equal(vpmu_count(p, &t, 1), 1u << 5);
		assert_int_equal(RD(p, AMD_CTR(5)), 1);
		assert_int_equal(RD(p, AMD_CTR(1)), 0);
		assert_int_equal(vpmu_take_pmi(p), 1u << 5);
		if (amd_expect[k].perfmon_v2) {
			assert_int_equal(RD(p, AMD_GSTATUS), (1u << 5) | (1u << 1));
			WR(p, AMD_GCLR, 1u << 5);
			assert_int_equal(RD(p, AMD_GSTATUS), 1u << 1);
		} else {
			RD_GP(p, AMD_GSTATUS);
		}
		/* it keeps counting */
		count1(p, &t);
		assert_int_equal(RD(p, AMD_CTR(5)), 3);
		assert_int_equal(RD(p, AMD_CTR(1)), 2);
	}
}

/* ---------------- freeze on PMI ---------------- */

/* v2/v3: the PMI clears every GLOBAL_CTRL enable bit */
static void legacy_freeze(uint8_t version)
{
	struct vpmu_model m = intel_custom("lean", version);
	struct vpmu *p;
	struct vpmu_tick t = instr(5, 2);
	uint64_t all = 0xF | (7ull << 32);

	m.freeze_on_pmi = true;
	p = new_pmu_model(0, &m);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_EVTSEL(1), SEL_CYC | SEL_ON);
	WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_ON(1));
	WR(p, MSR_GCTRL, all);
	WR(p, MSR_PMC(0), (uint64_t)-3);
	assert_int_equal(vpmu_count(p, &t, 1), 0);	/* -1, no overflow */
	assert_int_equal(RD(p, MSR_GCTRL), all);
	assert_int_equal(vpmu_count(p, &t, 1), 1);	/* overflow + PMI */
	assert_int_equal(RD(p, MSR_GCTRL), 0);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
	assert_int_equal(RD(p, MSR_DEBUGCTL), DEBUGCTL_FRZ_PMON);
	assert_int_equal(RD(p, MSR_PMC(0)), 1);
	assert_int_equal(RD(p, MSR_PMC(1)), 10);
	assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 4);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 10);
	/* frozen: nothing counts */
	assert_int_equal(vpmu_count(p, &t, 1), 0);
	assert_int_equal(RD(p, MSR_PMC(0)), 1);
	assert_int_equal(RD(p, MSR_PMC(1)), 10);
	assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 4);
	assert_int_equal(vpmu_active_events(p, 0), 0);
	/* software re-enables */
	WR(p, MSR_GOVF, 1);
	WR(p, MSR_GCTRL, all);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 3);
	assert_int_equal(RD(p, MSR_PMC(1)), 15);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 15);
	/* a fixed counter PMI freezes as well */
	WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_ON(1) | FIX_PMI(1));
	WR(p, MSR_FIXED_CTR(1), MASKW(48));
	assert_int_equal(vpmu_count(p, &t, 1), ST_FIXED(1));
	assert_int_equal(RD(p, MSR_GCTRL), 0);
}

static void test_freeze_v2(void **state)
{
	(void)state;
	legacy_freeze(2);
}

static void test_freeze_v3(void **state)
{
	struct vpmu_model m = intel_custom("lean", 3);
	struct vpmu *p;

	(void)state;
	legacy_freeze(3);
	m.freeze_on_pmi = true;
	p = new_pmu_model(0, &m);
	WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_LBR);	/* streamlined LBR freeze: v4+ */
}

/* No freeze without INT, or without DEBUGCTL[12] */
static void test_no_freeze_without_pmi(void **state)
{
	struct vpmu_model m = intel_custom("lean", 2);
	struct vpmu *p;
	struct vpmu_tick t = instr(1, 2);

	(void)state;
	m.freeze_on_pmi = true;
	p = new_pmu_model(0, &m);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);		/* no INT */
	WR(p, MSR_PMC(0), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 0);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
	assert_int_equal(RD(p, MSR_GCTRL), 0xF);

	p = new_pmu("skylake");
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	WR(p, MSR_PMC(0), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 0);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 3);

	p = new_pmu("skylake");
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);	/* DEBUGCTL = 0 */
	WR(p, MSR_PMC(0), (uint64_t)-1);
	assert_int_equal(vpmu_count(p, &t, 1), 1);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 3);
}

/* v4+: CTR_Frz (59) set, GLOBAL_CTRL untouched, all counting stops */
static void streamlined_freeze(const struct vpmu_model *m)
{
	struct vpmu *p;
	struct vpmu_tick t = instr(5, 2);
	uint64_t gctrl = 0x3 | (3ull << 32);

	if (m->vendor != VPMU_VENDOR_INTEL || m->version < 4 || !m->freeze_on_pmi)
		return;
	p = new_pmu_model(0, m);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	WR(p, MSR_EVTSEL(1), SEL_CYC | SEL_ON);
	WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_ON(1));
	WR(p, MSR_GCTRL, gctrl);
	WR(p, MSR_PMC(0), (uint64_t)-1);
	CHECK_EQ(vpmu_count(p, &t, 1), 1, "[%s] PMI", m->name);
	CHECK_RD(p, MSR_GSTATUS, 1 | ST_CTR_FRZ);
	CHECK_RD(p, MSR_GCTRL, gctrl);
	CHECK_RD(p, MSR_PMC(0), 1);
	CHECK_RD(p, MSR_PMC(1), 5);
	CHECK_RD(p, MSR_FIXED_CTR(1), 5);
	CHECK_EQ(vpmu_active_events(p, 0), 0, "[%s] active events while frozen", m->name);
	CHECK_EQ(vpmu_headroom(p, &t), UINT64_MAX, "[%s] headroom while frozen", m->name);
	count1(p, &t);
	count1(p, &t);
	CHECK_RD(p, MSR_PMC(0), 1);
	CHECK_RD(p, MSR_PMC(1), 5);
	CHECK_RD(p, MSR_FIXED_CTR(0), 2);
	CHECK_RD(p, MSR_FIXED_CTR(1), 5);
	/* clearing the overflow bit alone does not unfreeze */
	CHECK_WR(p, MSR_GOVF, 1);
	count1(p, &t);
	CHECK_RD(p, MSR_PMC(1), 5);
	CHECK_RD(p, MSR_GSTATUS, ST_CTR_FRZ);
	/* clearing CTR_Frz does */
	CHECK_WR(p, MSR_GOVF, ST_CTR_FRZ);
	CHECK_RD(p, MSR_GSTATUS, 0);
	count1(p, &t);
	CHECK_RD(p, MSR_PMC(0), 3);
	CHECK_RD(p, MSR_PMC(1), 10);
	CHECK_RD(p, MSR_FIXED_CTR(0), 4);
	CHECK_RD(p, MSR_FIXED_CTR(1), 10);

	/* DEBUGCTL[11] adds LBR_Frz */
	p = new_pmu_model(0, m);
	CHECK_WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON | DEBUGCTL_FRZ_LBR);
	CHECK_WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	CHECK_WR(p, MSR_PMC(0), (uint64_t)-1);
	count1(p, &t);
	CHECK_RD(p, MSR_GSTATUS, 1 | ST_CTR_FRZ | ST_LBR_FRZ);
	CHECK_WR(p, MSR_GOVF, 1 | ST_CTR_FRZ | ST_LBR_FRZ);
	CHECK_RD(p, MSR_GSTATUS, 0);

	/* DEBUGCTL[11] alone: LBR_Frz only, counters keep running */
	p = new_pmu_model(0, m);
	CHECK_WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_LBR);
	CHECK_WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_INT);
	CHECK_WR(p, MSR_PMC(0), (uint64_t)-1);
	count1(p, &t);
	CHECK_RD(p, MSR_GSTATUS, 1 | ST_LBR_FRZ);
	count1(p, &t);
	CHECK_RD(p, MSR_PMC(0), 3);

	/* a fixed counter PMI freezes too */
	p = new_pmu_model(0, m);
	CHECK_WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	CHECK_WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_PMI(0));
	CHECK_WR(p, MSR_GCTRL, 1ull << 32);
	CHECK_WR(p, MSR_FIXED_CTR(0), MASKW(m->fixed_width));
	CHECK_EQ(vpmu_count(p, &t, 1), ST_FIXED(0), "[%s] fixed PMI", m->name);
	CHECK_RD(p, MSR_GSTATUS, ST_FIXED(0) | ST_CTR_FRZ);
	CHECK_RD(p, MSR_GCTRL, 1ull << 32);
	count1(p, &t);
	CHECK_RD(p, MSR_FIXED_CTR(0), 1);
}

static void test_freeze_v4(void **state)
{
	(void)state;
	assert_true(preset("skylake")->freeze_on_pmi);
	streamlined_freeze(preset("skylake"));
	for_each_preset(VPMU_VENDOR_INTEL, streamlined_freeze);
}

/* Setting CTR_Frz through STATUS_SET freezes as well */
static void test_status_set_freezes(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = instr(3, 1);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_CYC | SEL_ON);
	WR(p, MSR_GSET, ST_CTR_FRZ);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 0);
	assert_int_equal(RD(p, MSR_GCTRL), 0xF);
	WR(p, MSR_GOVF, ST_CTR_FRZ);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 3);
	WR(p, MSR_GSET, ST_LBR_FRZ);		/* LBR_Frz does not stop counters */
	count1(p, &t);
	assert_int_equal(RD(p, MSR_PMC(0)), 6);
}

/* §11: Intel sets LVTPC.mask on PMI delivery, AMD does not */
static void automask_intel(const struct vpmu_model *m)
{
	CHECK(vpmu_lvtpc_automask(m), "[%s] Intel must auto-mask LVTPC", m->name);
}

static void automask_amd(const struct vpmu_model *m)
{
	CHECK(!vpmu_lvtpc_automask(m), "[%s] AMD must not auto-mask LVTPC", m->name);
}

static void test_lvtpc_automask(void **state)
{
	(void)state;
	assert_true(vpmu_lvtpc_automask(preset("skylake")));
	assert_true(vpmu_lvtpc_automask(preset("lean")));
	assert_false(vpmu_lvtpc_automask(preset("zen2")));
	assert_false(vpmu_lvtpc_automask(preset("zen4")));
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, automask_intel) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, automask_amd) >= nr_amd_presets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_wrap_48_sets_status_without_pmi),
		TEST(test_wrap_with_int_requests_pmi),
		TEST(test_kut_preload_one_minus_n),
		TEST(test_status_clear_and_again),
		TEST(test_fixed_overflow),
		TEST(test_multiple_overflows),
		TEST(test_take_pmi_accumulates),
		TEST(test_pmi_in_bulk_call),
		TEST(test_custom_widths),
		TEST(test_v1_overflow),
		TEST(test_amd_overflow),
		TEST(test_freeze_v2),
		TEST(test_freeze_v3),
		TEST(test_no_freeze_without_pmi),
		TEST(test_freeze_v4),
		TEST(test_status_set_freezes),
		TEST(test_lvtpc_automask),
	};
	return cmocka_run_group_tests_name("overflow", tests, NULL, NULL);
}
