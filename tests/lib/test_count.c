/* SPDX-License-Identifier: MIT */
/*
 * Counting (PMU-FACTS §10 and the project decisions): the per-cycle
 * CMASK/INV/EDGE table row by row, enable gating (EN, GLOBAL_CTRL, USR/OS),
 * fixed counters, the event maps, vpmu_count(repeat) == repeated single
 * calls, vpmu_headroom exactness, vpmu_active_events, vpmu_stats.
 *
 * A tick of c cycles: CYCLES and REF_CYCLES occur once in each cycle, every
 * other event occurs n[e] times in the last cycle and 0 times before it.
 */
#include "helpers.h"

#define INSTR	VPMU_EV_INSTRUCTIONS
#define EV_BIT	VPMU_EV_BIT

static const uint64_t SEL_INSTR = SEL_EV(0xC0, 0x00);
static const uint64_t SEL_CYC = SEL_EV(0x3C, 0x00);

/* A skylake PMU with PERFEVTSEL0 = sel; GP0 counts in every ring. */
static struct vpmu *gp0(const char *model, uint64_t sel)
{
	struct vpmu *p = new_pmu(model);

	WR(p, MSR_EVTSEL(0), sel);
	return p;
}

static uint64_t pmc(struct vpmu *p, unsigned int i)
{
	return RD(p, MSR_PMC(i));
}

/* apply a tick once and return how much GP counter i moved */
static uint64_t delta(struct vpmu *p, unsigned int i, const struct vpmu_tick *t)
{
	uint64_t before = pmc(p, i);

	count1(p, t);
	return (pmc(p, i) - before) & MASKW(vpmu_model_of(p)->gp_width);
}

static uint64_t dinstr(struct vpmu *p, uint32_t cycles, uint8_t n)
{
	struct vpmu_tick t = ev_tick(cycles, 0, INSTR, n);

	return delta(p, 0, &t);
}

static uint64_t dcyc(struct vpmu *p, uint32_t cycles)
{
	struct vpmu_tick t = mk_tick(cycles, 0);

	return delta(p, 0, &t);
}

/* ---------------- §10 table ---------------- */

/* CMASK=0, INV=0, EDGE=0: +v */
static void test_cmask0_adds_occurrences(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON);

	(void)state;
	assert_int_equal(dinstr(p, 1, 3), 3);
	assert_int_equal(dinstr(p, 7, 3), 3);	/* all in the last cycle */
	assert_int_equal(dinstr(p, 5, 0), 0);
	assert_int_equal(dinstr(p, 1, 255), 255);
	assert_int_equal(dinstr(p, 1000, 1), 1);
	assert_int_equal(pmc(p, 0), 262);
}

/* CMASK=c>0: +1 in each cycle where v >= c */
static void test_cmask_threshold(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(2));

	(void)state;
	assert_int_equal(dinstr(p, 1, 3), 1);
	assert_int_equal(dinstr(p, 1, 2), 1);	/* v == c counts */
	assert_int_equal(dinstr(p, 1, 1), 0);
	assert_int_equal(dinstr(p, 1, 0), 0);
	assert_int_equal(dinstr(p, 6, 5), 1);	/* only the last cycle reaches c */
	assert_int_equal(pmc(p, 0), 3);

	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(255));
	assert_int_equal(dinstr(p, 1, 254), 0);
	assert_int_equal(dinstr(p, 1, 255), 1);

	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(1));
	assert_int_equal(dinstr(p, 9, 200), 1);
}

/* CMASK=c>0, INV=1: +1 in each cycle where v < c */
static void test_cmask_inv(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(2) | SEL_INV);

	(void)state;
	assert_int_equal(dinstr(p, 4, 3), 3);	/* 3 empty cycles, last has 3 */
	assert_int_equal(dinstr(p, 4, 1), 4);	/* every cycle below 2 */
	assert_int_equal(dinstr(p, 1, 2), 0);
	assert_int_equal(dinstr(p, 1, 0), 1);
	assert_int_equal(dinstr(p, 10, 0), 10);
	assert_int_equal(pmc(p, 0), 18);
}

/* Decision: INV is ignored when CMASK=0 */
static void test_inv_ignored_without_cmask(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_INV);

	(void)state;
	assert_int_equal(dinstr(p, 4, 3), 3);
	assert_int_equal(dinstr(p, 1, 0), 0);
	assert_int_equal(dinstr(p, 9, 7), 7);
}

/* EDGE with CMASK=1: rising edges of (v >= 1), state kept across ticks */
static void edge_threshold1_sequence(uint64_t sel)
{
	struct vpmu *p = gp0("skylake", sel);

	assert_int_equal(dinstr(p, 1, 2), 1);	/* false (fresh) -> true */
	assert_int_equal(dinstr(p, 1, 2), 0);	/* true -> true */
	assert_int_equal(dinstr(p, 1, 5), 0);
	assert_int_equal(dinstr(p, 1, 0), 0);	/* true -> false */
	assert_int_equal(dinstr(p, 1, 1), 1);	/* false -> true */
	assert_int_equal(dinstr(p, 3, 1), 1);	/* 0, 0, 1: one rising edge */
	assert_int_equal(dinstr(p, 3, 1), 1);
	assert_int_equal(dinstr(p, 1, 1), 0);	/* previous cycle was true */
	assert_int_equal(dinstr(p, 2, 0), 0);
	assert_int_equal(pmc(p, 0), 4);
}

static void test_edge_cmask1(void **state)
{
	(void)state;
	edge_threshold1_sequence(SEL_INSTR | SEL_ON | SEL_EDGE | SEL_CMASK(1));
}

/* Decision: EDGE with CMASK=0 uses threshold 1 (and INV stays ignored) */
static void test_edge_cmask0(void **state)
{
	(void)state;
	edge_threshold1_sequence(SEL_INSTR | SEL_ON | SEL_EDGE);
	edge_threshold1_sequence(SEL_INSTR | SEL_ON | SEL_EDGE | SEL_INV);
}

/* EDGE with CMASK=2: rising edges of (v >= 2) */
static void test_edge_cmask2(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_EDGE | SEL_CMASK(2));

	(void)state;
	assert_int_equal(dinstr(p, 1, 1), 0);	/* below threshold */
	assert_int_equal(dinstr(p, 1, 2), 1);
	assert_int_equal(dinstr(p, 1, 3), 0);	/* still true */
	assert_int_equal(dinstr(p, 1, 1), 0);	/* false */
	assert_int_equal(dinstr(p, 1, 5), 1);
	assert_int_equal(dinstr(p, 4, 9), 1);	/* 0,0,0 false then 9 */
	assert_int_equal(pmc(p, 0), 3);
}

/* EDGE + INV + CMASK=2: rising edges of (v < 2) */
static void test_edge_inv(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_EDGE | SEL_INV | SEL_CMASK(2));

	(void)state;
	assert_int_equal(dinstr(p, 1, 5), 0);	/* condition false */
	assert_int_equal(dinstr(p, 1, 0), 1);	/* false -> true */
	assert_int_equal(dinstr(p, 1, 1), 0);	/* still true */
	assert_int_equal(dinstr(p, 3, 4), 0);	/* true, true, false */
	assert_int_equal(dinstr(p, 3, 4), 1);	/* false -> true, true, false */
	assert_int_equal(dinstr(p, 1, 7), 0);
	assert_int_equal(pmc(p, 0), 2);

	/* a fresh counter starts with "previous = false" */
	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_EDGE | SEL_INV | SEL_CMASK(2));
	assert_int_equal(dinstr(p, 1, 0), 1);
	assert_int_equal(dinstr(p, 5, 1), 0);
}

/* CYCLES occur once per cycle: v = 1 in every cycle */
static void test_per_cycle_event_modifiers(void **state)
{
	struct vpmu *p;
	struct vpmu_tick t;

	(void)state;
	p = gp0("skylake", SEL_CYC | SEL_ON);
	assert_int_equal(dcyc(p, 1), 1);
	assert_int_equal(dcyc(p, 17), 17);
	t = mk_tick(3, 0);
	t.n[VPMU_EV_CYCLES] = 50;	/* n[] of a per-cycle event is not used */
	t.n[INSTR] = 9;
	assert_int_equal(delta(p, 0, &t), 3);

	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_CMASK(1));
	assert_int_equal(dcyc(p, 17), 17);
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_CMASK(2));
	assert_int_equal(dcyc(p, 17), 0);
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_CMASK(2) | SEL_INV);
	assert_int_equal(dcyc(p, 17), 17);
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_CMASK(1) | SEL_INV);
	assert_int_equal(dcyc(p, 17), 0);
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_INV);	/* INV ignored */
	assert_int_equal(dcyc(p, 17), 17);

	/* one rising edge, then the condition stays true across ticks */
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_EDGE | SEL_CMASK(1));
	assert_int_equal(dcyc(p, 5), 1);
	assert_int_equal(dcyc(p, 5), 0);
	assert_int_equal(dcyc(p, 1), 0);
	/* inverted: (1 < 1) is never true */
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_EDGE | SEL_INV | SEL_CMASK(1));
	assert_int_equal(dcyc(p, 5), 0);
	/* inverted with c=2: always true -> one edge */
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_EDGE | SEL_INV | SEL_CMASK(2));
	assert_int_equal(dcyc(p, 5), 1);
	assert_int_equal(dcyc(p, 5), 0);
}

/* A counter programmed later starts with previous = false */
static void test_edge_fresh_counter(void **state)
{
	uint64_t sel = SEL_CYC | SEL_ON | SEL_EDGE | SEL_CMASK(1);
	struct vpmu *p = gp0("skylake", sel);
	struct vpmu_tick t = mk_tick(4, 0);

	(void)state;
	count1(p, &t);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 1);
	WR(p, MSR_EVTSEL(1), sel);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 1);
	assert_int_equal(pmc(p, 1), 1);
	count1(p, &t);
	assert_int_equal(pmc(p, 1), 1);
}

/* Reprogramming a selector is fresh programming: previous = false again */
static void test_edge_reprogram_starts_fresh(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_CYC | SEL_ON | SEL_EDGE);
	struct vpmu_tick t = mk_tick(4, 0);

	(void)state;
	count1(p, &t);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 1);
	/* same condition (v >= 1), new selector value */
	WR(p, MSR_EVTSEL(0), SEL_CYC | SEL_ON | SEL_EDGE | SEL_CMASK(1));
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 2);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 2);
}

/* Several counters on the same multi-occurrence cycles */
static void test_mixed_thresholds(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = ev_tick(2, 0, INSTR, 4);

	(void)state;
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON | SEL_CMASK(3));
	WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON | SEL_CMASK(5));
	WR(p, MSR_EVTSEL(2), SEL_INSTR | SEL_ON);
	WR(p, MSR_EVTSEL(3), SEL_INSTR | SEL_ON | SEL_CMASK(5) | SEL_INV);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 1);
	assert_int_equal(pmc(p, 1), 0);
	assert_int_equal(pmc(p, 2), 4);
	assert_int_equal(pmc(p, 3), 2);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 2);
	assert_int_equal(pmc(p, 1), 0);
	assert_int_equal(pmc(p, 2), 8);
	assert_int_equal(pmc(p, 3), 4);
}

/* ---------------- gating ---------------- */

static void test_enable_bit(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_OS | SEL_USR);

	(void)state;
	assert_int_equal(dinstr(p, 1, 5), 0);	/* EN = 0 */
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	assert_int_equal(dinstr(p, 1, 5), 5);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_OS | SEL_USR);
	assert_int_equal(dinstr(p, 1, 5), 0);
	assert_int_equal(pmc(p, 0), 5);
}

/* v2+: GLOBAL_CTRL[i] is ANDed with EN */
static void test_global_ctrl_gates(void **state)
{
	static const char *const models[] = { "lean", "skylake", "icelake" };
	unsigned int k;

	(void)state;
	for (k = 0; k < ARRAY_LEN(models); k++) {
		struct vpmu *p = new_pmu(models[k]);
		struct vpmu_tick t = ev_tick(3, 0, INSTR, 2);

		WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
		WR(p, MSR_EVTSEL(1), SEL_INSTR | SEL_ON);
		WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_ON(1));
		count1(p, &t);		/* reset GLOBAL_CTRL: GP only */
		assert_int_equal(pmc(p, 0), 2);
		assert_int_equal(pmc(p, 1), 2);
		assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 0);
		assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 0);
		WR(p, MSR_GCTRL, 0x2 | (1ull << 33));
		count1(p, &t);
		assert_int_equal(pmc(p, 0), 2);
		assert_int_equal(pmc(p, 1), 4);
		assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 0);
		assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 3);
		WR(p, MSR_GCTRL, 0);
		count1(p, &t);
		assert_int_equal(pmc(p, 1), 4);
		assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 3);
		WR(p, MSR_GCTRL, 0x3 | (3ull << 32));
		count1(p, &t);
		assert_int_equal(pmc(p, 0), 4);
		assert_int_equal(pmc(p, 1), 6);
		assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 2);
		assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 6);
	}
}

/*
 * The instruction-boundary contract (vpmu.h, PMU-FACTS §10), driven the
 * way an engine drives it: each instruction's MSR effect first, then its
 * tick.  kvm-unit-tests' measured block, reduced: enabling WRMSR, k
 * instructions, disabling WRMSR counts k + 1 (the enabling one only); a
 * faulting WRMSR (reserved bit: #GP) is not reported, so it counts nothing.
 */
static void test_instruction_boundary(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick one = ev_tick(1, 0, INSTR, 1);

	(void)state;
	WR(p, MSR_GCTRL, 0);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	WR(p, MSR_GCTRL, 1);		/* the enabling WRMSR ... */
	count1(p, &one);		/* ... retires, counted */
	count_n(p, &one, 7);
	WR(p, MSR_GCTRL, 0);		/* the disabling WRMSR ... */
	count1(p, &one);		/* ... retires, not counted */
	assert_int_equal(pmc(p, 0), 8);
	WR_GP(p, MSR_GCTRL, 1ull << 40);	/* #GP: the engine reports nothing */
	count1(p, &one);		/* the next instruction, still disabled */
	assert_int_equal(pmc(p, 0), 8);
}

/* v1: no GLOBAL_CTRL, EN alone enables */
static void test_v1_counts_with_en(void **state)
{
	struct vpmu_model m = intel_custom("lean", 1);
	struct vpmu *p = new_pmu_model(0, &m);
	struct vpmu_tick t = ev_tick(4, 3, INSTR, 2);

	(void)state;
	WR(p, MSR_EVTSEL(1), SEL_CYC | SEL_EN | SEL_USR);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_EN | SEL_USR);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 2);
	assert_int_equal(pmc(p, 1), 4);
}

/* (cpl == 0 && OS) || (cpl > 0 && USR), for GP and fixed counters */
static void test_usr_os(void **state)
{
	static const struct { uint64_t sel; uint64_t fix; bool at[4]; } rows[] = {
		{ SEL_EN,                    0,                    { 0, 0, 0, 0 } },
		{ SEL_EN | SEL_OS,           FIX_OS(0),            { 1, 0, 0, 0 } },
		{ SEL_EN | SEL_USR,          FIX_USR(0),           { 0, 1, 1, 1 } },
		{ SEL_EN | SEL_OS | SEL_USR, FIX_OS(0) | FIX_USR(0), { 1, 1, 1, 1 } },
	};
	unsigned int r, cpl;

	(void)state;
	for (r = 0; r < ARRAY_LEN(rows); r++) {
		struct vpmu *p = new_pmu("skylake");

		WR(p, MSR_EVTSEL(0), SEL_INSTR | rows[r].sel);
		WR(p, MSR_FIXED_CTRL, rows[r].fix);
		WR(p, MSR_GCTRL, 0xF | (7ull << 32));
		for (cpl = 0; cpl < 4; cpl++) {
			struct vpmu_tick t = ev_tick(1, (uint8_t)cpl, INSTR, 3);
			uint64_t g0 = pmc(p, 0), f0 = RD(p, MSR_FIXED_CTR(0));

			count1(p, &t);
			CHECK_EQ(pmc(p, 0) - g0, rows[r].at[cpl] ? 3 : 0,
				 "GP0 sel %#llx at CPL%u", (unsigned long long)rows[r].sel, cpl);
			CHECK_EQ(RD(p, MSR_FIXED_CTR(0)) - f0, rows[r].at[cpl] ? 3 : 0,
				 "fixed0 field %#llx at CPL%u", (unsigned long long)rows[r].fix, cpl);
		}
	}
}

/* Fixed 0 = instructions, 1 = cycles, 2 = ref cycles, 3 = cycles (slots) */
static void fixed_events_one(const char *model, unsigned int nfixed)
{
	struct vpmu *p = new_pmu(model);
	struct vpmu_tick t = ev_tick(7, 0, INSTR, 3);
	uint64_t ctrl = 0, en = 0;
	unsigned int i;

	t.n[VPMU_EV_BRANCHES] = 2;
	for (i = 0; i < nfixed; i++) {
		ctrl |= FIX_ON(i);
		en |= 1ull << (32 + i);
	}
	WR(p, MSR_FIXED_CTRL, ctrl);
	count1(p, &t);			/* not enabled in GLOBAL_CTRL yet */
	for (i = 0; i < nfixed; i++)
		assert_int_equal(RD(p, MSR_FIXED_CTR(i)), 0);
	WR(p, MSR_GCTRL, en);
	count1(p, &t);
	count1(p, &t);
	assert_int_equal(RD(p, MSR_FIXED_CTR(0)), 6);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 14);
	assert_int_equal(RD(p, MSR_FIXED_CTR(2)), 14);
	if (nfixed > 3)
		assert_int_equal(RD(p, MSR_FIXED_CTR(3)), 14);
	for (i = 0; i < VPMU_MAX_GP && i < vpmu_model_of(p)->nr_gp; i++)
		assert_int_equal(pmc(p, i), 0);
}

static void test_fixed_counter_events(void **state)
{
	(void)state;
	fixed_events_one("lean", 3);
	fixed_events_one("skylake", 3);
	fixed_events_one("icelake", 4);
	fixed_events_one("sapphirerapids", 4);
	fixed_events_one("alderlake-p", 4);
	fixed_events_one("alderlake-e", 3);
}

/* Fixed counters have no CMASK/INV/EDGE: only their 4-bit field */
static void test_fixed_pmi_bit_does_not_gate(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = ev_tick(5, 3, INSTR, 1);

	(void)state;
	WR(p, MSR_GCTRL, 7ull << 32);
	WR(p, MSR_FIXED_CTRL, FIX_PMI(1));	/* PMI alone: not enabled */
	count1(p, &t);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 0);
	WR(p, MSR_FIXED_CTRL, FIX_PMI(1) | FIX_USR(1));
	count1(p, &t);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 5);
}

/* ---------------- event maps ---------------- */

static const uint8_t ev_n[VPMU_EV_NR] = {
	[VPMU_EV_INSTRUCTIONS] = 3, [VPMU_EV_BRANCHES] = 5, [VPMU_EV_BR_COND] = 7,
	[VPMU_EV_BR_TAKEN] = 11, [VPMU_EV_BR_NOT_TAKEN] = 13, [VPMU_EV_BR_CALL] = 17,
	[VPMU_EV_BR_RET] = 19, [VPMU_EV_BR_FAR] = 23, [VPMU_EV_BR_MISSES] = 29,
	[VPMU_EV_LLC_REFS] = 31, [VPMU_EV_LLC_MISSES] = 37, [VPMU_EV_BR_NEAR_TAKEN] = 43,
};
#define EV_CYCLES_IN_TICK 41

struct enc { uint64_t sel; unsigned int ev; };	/* ev = VPMU_EV_NONE: nothing */

static void check_map(const char *model, uint32_t ctl_msr, uint32_t ctr_msr,
		      const struct enc *e, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		struct vpmu *p = new_pmu(model);
		struct vpmu_tick t = mk_tick(EV_CYCLES_IN_TICK, 0);
		uint64_t want, got_ev;

		memcpy(t.n, ev_n, sizeof(t.n));
		CHECK_WR(p, ctl_msr, e[k].sel | SEL_ON);
		got_ev = vpmu_active_events(p, 0);
		CHECK_EQ(got_ev, e[k].ev == VPMU_EV_NONE ? 0 : EV_BIT(e[k].ev),
			 "[%s] vpmu_active_events for selector %#llx", model,
			 (unsigned long long)e[k].sel);
		count1(p, &t);
		if (e[k].ev == VPMU_EV_NONE)
			want = 0;
		else if (EV_BIT(e[k].ev) & VPMU_EV_PER_CYCLE)
			want = EV_CYCLES_IN_TICK;
		else
			want = ev_n[e[k].ev];
		CHECK_RD(p, ctr_msr, want);
	}
}

static const struct enc intel_common[] = {
	{ SEL_EV(0x3C, 0x00), VPMU_EV_CYCLES },
	{ SEL_EV(0x3C, 0x01), VPMU_EV_REF_CYCLES },
	{ SEL_EV(0xC0, 0x00), VPMU_EV_INSTRUCTIONS },
	{ SEL_EV(0xC4, 0x00), VPMU_EV_BRANCHES },
	{ SEL_EV(0xC5, 0x00), VPMU_EV_BR_MISSES },
	{ SEL_EV(0x2E, 0x4F), VPMU_EV_LLC_REFS },
	{ SEL_EV(0x2E, 0x41), VPMU_EV_LLC_MISSES },
	/* anything else counts nothing */
	{ SEL_EV(0x00, 0x03), VPMU_EV_NONE },	/* fixed-counter pseudo-encoding */
	{ SEL_EV(0x00, 0x01), VPMU_EV_NONE },
	{ SEL_EV(0x00, 0x00), VPMU_EV_NONE },
	{ SEL_EV(0xC0, 0x01), VPMU_EV_NONE },
	{ SEL_EV(0x3C, 0x02), VPMU_EV_NONE },
	{ SEL_EV(0x2E, 0x40), VPMU_EV_NONE },
	{ SEL_EV(0xA4, 0x01), VPMU_EV_NONE },	/* topdown slots: fixed 3 only */
	{ SEL_EV(0x76, 0x00), VPMU_EV_NONE },	/* AMD cycles */
	{ SEL_EV(0xC2, 0x00), VPMU_EV_NONE },
	{ SEL_EV(0xC4, 0x80), VPMU_EV_NONE },
	{ SEL_EV(0xC5, 0x01), VPMU_EV_NONE },
};

static const struct enc intel_skl_branches[] = {
	{ SEL_EV(0xC4, 0x01), VPMU_EV_BR_COND },
	{ SEL_EV(0xC4, 0x02), VPMU_EV_BR_CALL },
	{ SEL_EV(0xC4, 0x04), VPMU_EV_BRANCHES },
	{ SEL_EV(0xC4, 0x08), VPMU_EV_BR_RET },
	{ SEL_EV(0xC4, 0x10), VPMU_EV_BR_NOT_TAKEN },
	{ SEL_EV(0xC4, 0x20), VPMU_EV_BR_NEAR_TAKEN },	/* NEAR_TAKEN: far excluded */
	{ SEL_EV(0xC4, 0x40), VPMU_EV_BR_FAR },
};

static void test_event_map_intel(void **state)
{
	unsigned int k, i;

	(void)state;
	for (k = 0; k < nr_intel_expect; k++) {
		const struct intel_expect *x = &intel_expect[k];
		unsigned int last = x->nr_gp - 1;

		check_map(x->name, MSR_EVTSEL(0), MSR_PMC(0), intel_common, ARRAY_LEN(intel_common));
		check_map(x->name, MSR_EVTSEL(last), MSR_PMC(last), intel_common, 3);
		if (x->skl_branch_umasks) {
			check_map(x->name, MSR_EVTSEL(0), MSR_PMC(0), intel_skl_branches,
				  ARRAY_LEN(intel_skl_branches));
		} else {
			struct enc none[ARRAY_LEN(intel_skl_branches)];

			for (i = 0; i < ARRAY_LEN(none); i++) {
				none[i].sel = intel_skl_branches[i].sel;
				none[i].ev = VPMU_EV_NONE;
			}
			check_map(x->name, MSR_EVTSEL(0), MSR_PMC(0), none, ARRAY_LEN(none));
		}
	}
}

static const struct enc amd_map[] = {
	{ AMD_EV(0x76, 0x00), VPMU_EV_CYCLES },
	{ AMD_EV(0xC0, 0x00), VPMU_EV_INSTRUCTIONS },
	{ AMD_EV(0xC2, 0x00), VPMU_EV_BRANCHES },
	{ AMD_EV(0xC3, 0x00), VPMU_EV_BR_MISSES },
	{ AMD_EV(0xC4, 0x00), VPMU_EV_BR_TAKEN },
	{ AMD_EV(0xC6, 0x00), VPMU_EV_BR_FAR },
	{ AMD_EV(0xC8, 0x00), VPMU_EV_BR_RET },
	{ AMD_EV(0xD1, 0x00), VPMU_EV_BR_COND },
	/* the unit mask is ignored for these */
	{ AMD_EV(0x76, 0xFF), VPMU_EV_CYCLES },
	{ AMD_EV(0xC0, 0x01), VPMU_EV_INSTRUCTIONS },
	{ AMD_EV(0xC2, 0x80), VPMU_EV_BRANCHES },
	/* the 12-bit select takes part: 0x1C2 is not 0xC2 */
	{ AMD_EV(0x1C2, 0x00), VPMU_EV_NONE },
	{ AMD_EV(0x176, 0x00), VPMU_EV_NONE },
	{ AMD_EV(0x3C, 0x00), VPMU_EV_NONE },	/* Intel cycles */
	{ AMD_EV(0xC5, 0x00), VPMU_EV_NONE },
	{ AMD_EV(0x20, 0x00), VPMU_EV_NONE },
	{ AMD_EV(0x00, 0x00), VPMU_EV_NONE },
};

static void test_event_map_amd(void **state)
{
	static const struct enc ref_zen4[] = { { AMD_EV(0x120, 0x00), VPMU_EV_REF_CYCLES } };
	static const struct enc ref_none[] = { { AMD_EV(0x120, 0x00), VPMU_EV_NONE } };
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_amd_expect; k++) {
		const char *name = amd_expect[k].name;

		check_map(name, AMD_K7_CTL(0), AMD_K7_CTR(0), amd_map, ARRAY_LEN(amd_map));
		check_map(name, AMD_CTL(5), AMD_CTR(5), amd_map, 4);
		check_map(name, AMD_CTL(0), AMD_CTR(0),
			  amd_expect[k].perfmon_v2 ? ref_zen4 : ref_none, 1);
	}
}

/* ---------------- AMD gating ---------------- */

static void test_amd_gating(void **state)
{
	unsigned int k, cpl;

	(void)state;
	for (k = 0; k < nr_amd_expect; k++) {
		struct vpmu *p = new_pmu(amd_expect[k].name);
		struct vpmu_tick t = ev_tick(4, 0, INSTR, 3);

		WR(p, AMD_CTL(0), AMD_EV(0xC0, 0) | SEL_OS | SEL_USR);	/* EN = 0 */
		count1(p, &t);
		assert_int_equal(RD(p, AMD_CTR(0)), 0);
		WR(p, AMD_CTL(0), AMD_EV(0xC0, 0) | SEL_EN | SEL_OS);
		WR(p, AMD_CTL(1), AMD_EV(0xC0, 0) | SEL_EN | SEL_USR);
		for (cpl = 0; cpl < 4; cpl++) {
			t.cpl = (uint8_t)cpl;
			count1(p, &t);
		}
		assert_int_equal(RD(p, AMD_CTR(0)), 3);
		assert_int_equal(RD(p, AMD_CTR(1)), 9);
		if (amd_expect[k].perfmon_v2) {
			WR(p, AMD_GCTL, 0x2);	/* counter 0 off globally */
			t.cpl = 0;
			WR(p, AMD_CTL(1), AMD_EV(0xC0, 0) | SEL_EN | SEL_OS);
			count1(p, &t);
			assert_int_equal(RD(p, AMD_CTR(0)), 3);
			assert_int_equal(RD(p, AMD_CTR(1)), 12);
			WR(p, AMD_GCTL, 0);
			count1(p, &t);
			assert_int_equal(RD(p, AMD_CTR(1)), 12);
			WR(p, AMD_GCTL, 0x3F);
			count1(p, &t);
			assert_int_equal(RD(p, AMD_CTR(0)), 6);
			assert_int_equal(RD(p, AMD_CTR(1)), 15);
		}
	}
}

/* GuestOnly=1 with HostOnly=0 counts nothing (no SVM in the guest) */
static void test_amd_host_guest_only(void **state)
{
	static const struct { uint64_t bits; uint64_t count; } rows[] = {
		{ 0, 3 },
		{ AMD_HOSTONLY, 3 },
		{ AMD_GUESTONLY, 0 },
		{ AMD_HOSTONLY | AMD_GUESTONLY, 3 },
	};
	unsigned int k, r;

	(void)state;
	for (k = 0; k < nr_amd_expect; k++)
		for (r = 0; r < ARRAY_LEN(rows); r++) {
			struct vpmu *p = new_pmu(amd_expect[k].name);
			struct vpmu_tick t = ev_tick(1, 0, INSTR, 3);

			WR(p, AMD_CTL(2), AMD_EV(0xC0, 0) | SEL_ON | rows[r].bits);
			count1(p, &t);
			CHECK_RD(p, AMD_CTR(2), rows[r].count);
			CHECK_EQ(vpmu_active_events(p, 0), rows[r].count ? EV_BIT(INSTR) : 0,
				 "[%s] active events with HO/GO %#llx", amd_expect[k].name,
				 (unsigned long long)rows[r].bits);
		}
}

/* ---------------- repeat == repeated single calls ---------------- */

struct scenario {
	const char *model;
	uint64_t sel[4];
	uint64_t preload[4];	/* via the legacy PMC (sign-extended) */
	uint64_t fixed_ctrl;
};

static void program(struct vpmu *p, const struct scenario *s)
{
	unsigned int i;

	for (i = 0; i < 4; i++) {
		WR(p, MSR_EVTSEL(i), s->sel[i]);
		WR(p, MSR_PMC(i), s->preload[i]);
	}
	WR(p, MSR_FIXED_CTRL, s->fixed_ctrl);
	WR(p, MSR_GCTRL, 0xF | (7ull << 32));
}

static void compare_repeat(const struct scenario *s, const struct vpmu_tick *ticks,
			   unsigned int nticks, uint64_t repeat)
{
	struct vpmu *a = new_pmu_slot(0, s->model), *b = new_pmu_slot(1, s->model);
	unsigned int k, i;

	program(a, s);
	program(b, s);
	for (k = 0; k < nticks; k++) {
		uint64_t ra = vpmu_count(a, &ticks[k], repeat);
		uint64_t rb = count_n(b, &ticks[k], repeat);

		CHECK_EQ(ra, rb, "repeat %llu, tick %u: PMI requests", (unsigned long long)repeat, k);
		for (i = 0; i < 4; i++)
			CHECK_EQ(RD(a, MSR_PMC(i)), RD(b, MSR_PMC(i)),
				 "repeat %llu, tick %u: PMC%u (sel %#llx)",
				 (unsigned long long)repeat, k, i,
				 (unsigned long long)s->sel[i]);
		for (i = 0; i < 3; i++)
			CHECK_EQ(RD(a, MSR_FIXED_CTR(i)), RD(b, MSR_FIXED_CTR(i)),
				 "repeat %llu, tick %u: fixed %u", (unsigned long long)repeat, k, i);
		CHECK_EQ(RD(a, MSR_GSTATUS), RD(b, MSR_GSTATUS),
			 "repeat %llu, tick %u: GLOBAL_STATUS", (unsigned long long)repeat, k);
		CHECK_EQ(vpmu_take_pmi(a), vpmu_take_pmi(b),
			 "repeat %llu, tick %u: latched PMIs", (unsigned long long)repeat, k);
	}
}

static void test_repeat_equals_single_calls(void **state)
{
	static const uint64_t repeats[] = { 1, 2, 3, 7, 100 };
	const struct scenario s = {
		.model = "skylake",
		.sel = {
			SEL_INSTR | SEL_ON,
			SEL_INSTR | SEL_ON | SEL_CMASK(2) | SEL_INV,
			SEL_INSTR | SEL_ON | SEL_EDGE | SEL_CMASK(1),
			SEL_CYC | SEL_OS | SEL_EN | SEL_EDGE | SEL_INV | SEL_CMASK(2),
		},
		.fixed_ctrl = FIX_ON(0) | FIX_USR(1) | FIX_OS(2),
	};
	struct vpmu_tick ticks[6];
	unsigned int r;

	(void)state;
	ticks[0] = ev_tick(1, 0, INSTR, 1);
	ticks[1] = ev_tick(3, 0, INSTR, 2);
	ticks[2] = ev_tick(1, 3, INSTR, 0);
	ticks[3] = ev_tick(5, 3, INSTR, 7);
	ticks[4] = ev_tick(2, 0, INSTR, 0);
	ticks[5] = ev_tick(1, 0, INSTR, 4);
	for (r = 0; r < ARRAY_LEN(repeats); r++)
		compare_repeat(&s, ticks, ARRAY_LEN(ticks), repeats[r]);
}

/* Wrapping inside a bulk call (no INT, no freeze): values and status exact */
static void test_repeat_across_wrap(void **state)
{
	const struct scenario s = {
		.model = "skylake",
		.sel = { SEL_INSTR | SEL_ON, SEL_CYC | SEL_ON, SEL_INSTR | SEL_ON | SEL_CMASK(2),
			 SEL_CYC | SEL_ON | SEL_EDGE },
		.preload = { (uint64_t)-5, (uint64_t)-20, (uint64_t)-2, (uint64_t)-1 },
	};
	struct vpmu_tick t = ev_tick(3, 0, INSTR, 3);

	(void)state;
	compare_repeat(&s, &t, 1, 7);
	{
		struct vpmu *p = new_pmu("skylake");

		program(p, &s);
		vpmu_count(p, &t, 7);
		assert_int_equal(RD(p, MSR_PMC(0)), 16);	/* -5 + 21 */
		assert_int_equal(RD(p, MSR_PMC(1)), 1);		/* -20 + 21 */
		assert_int_equal(RD(p, MSR_PMC(2)), 5);		/* -2 + 7 */
		assert_int_equal(RD(p, MSR_PMC(3)), 0);		/* -1 + 1 */
		assert_int_equal(RD(p, MSR_GSTATUS), 0xF);
		assert_int_equal(vpmu_take_pmi(p), 0);
	}
}

/* ---------------- headroom ---------------- */

static void test_headroom_nothing_counts(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_tick t = ev_tick(3, 0, INSTR, 3);

	(void)state;
	assert_true(vpmu_headroom(p, &t) == UINT64_MAX);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_EN | SEL_USR);	/* not at CPL0 */
	assert_true(vpmu_headroom(p, &t) == UINT64_MAX);
	WR(p, MSR_EVTSEL(0), SEL_EV(0xC5, 0) | SEL_ON);		/* no misses in t */
	assert_true(vpmu_headroom(p, &t) == UINT64_MAX);
}

/* after headroom repeats nothing wrapped; one more wraps */
static void check_headroom(struct vpmu *p, const struct vpmu_tick *t, uint64_t want)
{
	uint64_t h = vpmu_headroom(p, t);

	assert_int_equal(h, want);
	if (h)
		vpmu_count(p, t, h);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
	count1(p, t);
	assert_int_not_equal(RD(p, MSR_GSTATUS), 0);
}

static void test_headroom_exact(void **state)
{
	const uint64_t M = MASKW(48);
	struct vpmu *p;
	struct vpmu_tick t = ev_tick(7, 0, INSTR, 3);

	(void)state;
	p = gp0("skylake", SEL_INSTR | SEL_ON);
	WR(p, MSR_A_PMC(0), M - 10);	/* 3 x 3 = 9 <= 10 < 12 */
	check_headroom(p, &t, 3);
	assert_int_equal(RD(p, MSR_PMC(0)), 1);	/* M - 10 + 12 = 2^48 + 1 */

	p = gp0("skylake", SEL_INSTR | SEL_ON);
	WR(p, MSR_A_PMC(0), M - 9);	/* lands exactly on M after 3 */
	assert_int_equal(vpmu_headroom(p, &t), 3);
	vpmu_count(p, &t, 3);
	assert_int_equal(RD(p, MSR_PMC(0)), M);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
	assert_int_equal(vpmu_headroom(p, &t), 0);

	p = gp0("skylake", SEL_INSTR | SEL_ON);
	WR(p, MSR_A_PMC(0), M);
	check_headroom(p, &t, 0);

	/* from 0: 2^48 - 1 single events fit */
	p = gp0("skylake", SEL_INSTR | SEL_ON);
	{
		struct vpmu_tick one = ev_tick(1, 0, INSTR, 1);

		assert_int_equal(vpmu_headroom(p, &one), M);
		vpmu_count(p, &one, M);
		assert_int_equal(RD(p, MSR_PMC(0)), M);
		assert_int_equal(RD(p, MSR_GSTATUS), 0);
		count1(p, &one);
		assert_int_equal(RD(p, MSR_PMC(0)), 0);
		assert_int_equal(RD(p, MSR_GSTATUS), 1);
	}

	/* the minimum over counters, fixed ones included */
	p = new_pmu("skylake");
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	WR(p, MSR_A_PMC(0), M - 300);			/* 100 */
	WR(p, MSR_EVTSEL(1), SEL_CYC | SEL_ON);
	WR(p, MSR_A_PMC(1), M - 400);			/* 57 */
	WR(p, MSR_FIXED_CTRL, FIX_ON(1));
	WR(p, MSR_GCTRL, 0x3 | (1ull << 33));
	WR(p, MSR_FIXED_CTR(1), M - 300);		/* 42 */
	check_headroom(p, &t, 42);
	assert_int_equal(RD(p, MSR_GSTATUS), 1ull << 33);
}

static void test_headroom_modifiers(void **state)
{
	const uint64_t M = MASKW(48);
	struct vpmu *p;
	struct vpmu_tick t = ev_tick(4, 0, INSTR, 3);

	(void)state;
	/* CMASK: +1 per tick */
	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(2));
	WR(p, MSR_A_PMC(0), M - 50);
	check_headroom(p, &t, 50);
	/* INV CMASK=2: three empty cycles per tick -> +3 */
	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_CMASK(2) | SEL_INV);
	WR(p, MSR_A_PMC(0), M - 50);
	check_headroom(p, &t, 16);
	/* EDGE: 0,0,0,3 -> one edge per tick */
	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_EDGE | SEL_CMASK(1));
	WR(p, MSR_A_PMC(0), M - 5);
	check_headroom(p, &t, 5);
	/* EDGE on a condition that stays true: at most one increment ever */
	p = gp0("skylake", SEL_CYC | SEL_ON | SEL_EDGE | SEL_CMASK(1));
	WR(p, MSR_A_PMC(0), M - 1);
	count1(p, &t);				/* the one rising edge */
	assert_int_equal(RD(p, MSR_PMC(0)), M);
	assert_true(vpmu_headroom(p, &t) == UINT64_MAX);
	vpmu_count(p, &t, 1000);
	assert_int_equal(RD(p, MSR_PMC(0)), M);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
	/* same counter, single-cycle ticks of a last-cycle event at the edge */
	p = gp0("skylake", SEL_INSTR | SEL_ON | SEL_EDGE | SEL_CMASK(1));
	{
		struct vpmu_tick one = ev_tick(1, 0, INSTR, 1);
		struct vpmu_tick two = ev_tick(2, 0, INSTR, 1);

		WR(p, MSR_A_PMC(0), M - 1);
		count1(p, &one);			/* edge: counter = M, prev true */
		assert_int_equal(RD(p, MSR_PMC(0)), M);
		assert_true(vpmu_headroom(p, &one) == UINT64_MAX);
		assert_int_equal(vpmu_headroom(p, &two), 0);	/* 0 then 1: an edge */
	}
}

static void test_headroom_amd_and_40bit(void **state)
{
	struct vpmu_model m = intel_custom("lean", 2);
	struct vpmu *p;
	struct vpmu_tick t = ev_tick(2, 0, INSTR, 5);

	(void)state;
	p = new_pmu("zen4");
	WR(p, AMD_CTL(3), AMD_EV(0xC0, 0) | SEL_ON);
	WR(p, AMD_CTR(3), MASKW(48) - 22);
	assert_int_equal(vpmu_headroom(p, &t), 4);
	vpmu_count(p, &t, 4);
	assert_int_equal(RD(p, AMD_CTR(3)), MASKW(48) - 2);
	assert_int_equal(RD(p, AMD_GSTATUS), 0);
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(3)), 2);
	assert_int_equal(RD(p, AMD_GSTATUS), 1 << 3);

	m.gp_width = 40;
	m.fixed_width = 40;
	p = new_pmu_model(0, &m);
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_ON);
	WR(p, MSR_PMC(0), (uint64_t)-22);
	assert_int_equal(RD(p, MSR_PMC(0)), MASKW(40) - 21);
	check_headroom(p, &t, 4);
	assert_int_equal(RD(p, MSR_PMC(0)), 3);
}

/* ---------------- active events ---------------- */

static void test_active_events(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	unsigned int cpl;

	(void)state;
	for (cpl = 0; cpl < 4; cpl++)
		assert_int_equal(vpmu_active_events(p, cpl), 0);	/* RESET */
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_EN | SEL_OS);
	assert_int_equal(vpmu_active_events(p, 0), EV_BIT(INSTR));
	assert_int_equal(vpmu_active_events(p, 3), 0);
	WR(p, MSR_EVTSEL(2), SEL_EV(0xC5, 0) | SEL_EN | SEL_USR);
	assert_int_equal(vpmu_active_events(p, 0), EV_BIT(INSTR));
	assert_int_equal(vpmu_active_events(p, 1), EV_BIT(VPMU_EV_BR_MISSES));
	WR(p, MSR_FIXED_CTRL, FIX_USR(1) | FIX_OS(2));
	assert_int_equal(vpmu_active_events(p, 3), EV_BIT(VPMU_EV_BR_MISSES));	/* no GLOBAL_CTRL */
	WR(p, MSR_GCTRL, 0xF | (3ull << 33));
	assert_int_equal(vpmu_active_events(p, 3),
			 EV_BIT(VPMU_EV_BR_MISSES) | EV_BIT(VPMU_EV_CYCLES));
	assert_int_equal(vpmu_active_events(p, 0),
			 EV_BIT(INSTR) | EV_BIT(VPMU_EV_REF_CYCLES));
	WR(p, MSR_GCTRL, 0x1 | (1ull << 34));
	assert_int_equal(vpmu_active_events(p, 3), 0);
	assert_int_equal(vpmu_active_events(p, 0), EV_BIT(INSTR) | EV_BIT(VPMU_EV_REF_CYCLES));
	/* v4 freeze: nothing counts */
	WR(p, MSR_GSET, ST_CTR_FRZ);
	assert_int_equal(vpmu_active_events(p, 0), 0);
	WR(p, MSR_GOVF, ST_CTR_FRZ);
	assert_int_equal(vpmu_active_events(p, 0), EV_BIT(INSTR) | EV_BIT(VPMU_EV_REF_CYCLES));
	WR(p, MSR_EVTSEL(0), SEL_INSTR | SEL_OS);		/* EN off */
	assert_int_equal(vpmu_active_events(p, 0), EV_BIT(VPMU_EV_REF_CYCLES));
}

/* ---------------- misc ---------------- */

/* A write to a running counter takes effect at once (§16 #12) */
static void test_running_counter_write(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON);
	struct vpmu_tick t = ev_tick(1, 0, INSTR, 10);

	(void)state;
	count1(p, &t);
	WR(p, MSR_PMC(0), 0);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 10);
	WR(p, MSR_A_PMC(0), 1000);
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 1010);
	WR(p, MSR_PMC(0), 0xFFFFFFFF);		/* -1 */
	count1(p, &t);
	assert_int_equal(pmc(p, 0), 9);
	assert_int_equal(RD(p, MSR_GSTATUS), 1);
}

/* Counting on one counter leaves the others alone */
static void test_counters_independent(void **state)
{
	struct vpmu *p = new_pmu("icelake");
	struct vpmu_tick t = mk_tick(6, 2);
	unsigned int i;

	(void)state;
	memcpy(t.n, ev_n, sizeof(t.n));
	WR(p, MSR_EVTSEL(5), SEL_EV(0xC4, 0x08) | SEL_EN | SEL_USR);
	WR(p, MSR_EVTSEL(7), SEL_EV(0x2E, 0x41) | SEL_EN | SEL_USR);
	count1(p, &t);
	for (i = 0; i < 8; i++)
		assert_int_equal(pmc(p, i), i == 5 ? ev_n[VPMU_EV_BR_RET] :
				 i == 7 ? ev_n[VPMU_EV_LLC_MISSES] : 0);
}

/* vpmu_stats: what each counter counted under each configuration */
static void test_stats(void **state)
{
	struct vpmu *p = gp0("skylake", SEL_INSTR | SEL_ON);
	struct vpmu_counter_stat st[VPMU_STATS_MAX];
	struct vpmu_tick t = ev_tick(4, 0, INSTR, 5);
	unsigned int n, i, found = 0;

	(void)state;
	WR(p, MSR_FIXED_CTRL, FIX_ON(1));
	WR(p, MSR_GCTRL, 0x1 | (1ull << 33));
	count1(p, &t);
	count1(p, &t);
	WR(p, MSR_PMC(0), (uint64_t)-3);
	count1(p, &t);				/* wraps once */
	memset(st, 0, sizeof(st));
	n = vpmu_stats(p, st, VPMU_STATS_MAX);
	assert_true(n >= 2 && n <= VPMU_STATS_MAX);
	for (i = 0; i < n; i++) {
		if (!st[i].fixed && st[i].index == 0 && st[i].config == (SEL_INSTR | SEL_ON)) {
			assert_int_equal(st[i].counted, 15);
			assert_int_equal(st[i].overflows, 1);
			found |= 1;
		}
		if (st[i].fixed && st[i].index == 1 && st[i].config == 0x3) {
			assert_int_equal(st[i].counted, 12);
			assert_int_equal(st[i].overflows, 0);
			found |= 2;
		}
	}
	assert_int_equal(found, 3);
	assert_true(vpmu_stats(p, st, 1) == n);		/* returns how many exist */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_cmask0_adds_occurrences),
		TEST(test_cmask_threshold),
		TEST(test_cmask_inv),
		TEST(test_inv_ignored_without_cmask),
		TEST(test_edge_cmask1),
		TEST(test_edge_cmask0),
		TEST(test_edge_cmask2),
		TEST(test_edge_inv),
		TEST(test_per_cycle_event_modifiers),
		TEST(test_edge_fresh_counter),
		TEST(test_edge_reprogram_starts_fresh),
		TEST(test_mixed_thresholds),
		TEST(test_enable_bit),
		TEST(test_global_ctrl_gates),
		TEST(test_instruction_boundary),
		TEST(test_v1_counts_with_en),
		TEST(test_usr_os),
		TEST(test_fixed_counter_events),
		TEST(test_fixed_pmi_bit_does_not_gate),
		TEST(test_event_map_intel),
		TEST(test_event_map_amd),
		TEST(test_amd_gating),
		TEST(test_amd_host_guest_only),
		TEST(test_repeat_equals_single_calls),
		TEST(test_repeat_across_wrap),
		TEST(test_headroom_nothing_counts),
		TEST(test_headroom_exact),
		TEST(test_headroom_modifiers),
		TEST(test_headroom_amd_and_40bit),
		TEST(test_active_events),
		TEST(test_running_counter_write),
		TEST(test_counters_independent),
		TEST(test_stats),
	};
	return cmocka_run_group_tests_name("count", tests, NULL, NULL);
}
