/* SPDX-License-Identifier: MIT */
/*
 * vpmu_count_pattern() is the closed form of nested vpmu_count() calls:
 * check that, for random loop shapes and random selectors (CMASK, INV and
 * EDGE included), both give the same counters, status and PMI requests,
 * and that vpmu_headroom_pattern() is exact.
 */
#include <stdlib.h>

#include "helpers.h"
#include "../rng.h"

/* Random selectors on icelake's 8 GP counters + 4 fixed. */
static void program(struct vpmu *p)
{
	static const uint16_t ev[] = { 0x00c0, 0x00c4, 0x003c, 0x20c4, 0x01c4, 0x10c4 };

	for (unsigned int i = 0; i < 8; i++) {
		uint64_t sel = ev[test_rnd(6)] | SEL_EN | SEL_OS | (test_rnd(2) ? SEL_USR : 0);

		if (test_rnd(2))
			sel |= (uint64_t)test_rnd(3) << 24;		/* CMASK 0..2 */
		if (test_rnd(3) == 0)
			sel |= SEL_INV;
		if (test_rnd(3) == 0)
			sel |= SEL_EDGE;
		if (test_rnd(2))
			sel |= SEL_INT;
		wr_(p, MSR_EVTSEL(i), sel, __FILE__, __LINE__);
		/* start close to the wrap now and then */
		wr_(p, MSR_A_PMC(i), test_rnd(2) ? (1ull << 48) - 1 - test_rnd(200) : test_rnd(1000),
		    __FILE__, __LINE__);
	}
	wr_(p, MSR_FIXED_CTRL, 0xbbbb, __FILE__, __LINE__);
	wr_(p, MSR_GCTRL, 0xf000000ffull, __FILE__, __LINE__);
}

static void random_pattern(struct vpmu_span *s, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		s[i].tick.cycles = 1 + test_rnd(3);
		s[i].tick.n[VPMU_EV_INSTRUCTIONS] = (uint8_t)test_rnd(3);
		s[i].tick.n[VPMU_EV_BRANCHES] = (uint8_t)test_rnd(2);
		s[i].tick.n[VPMU_EV_BR_TAKEN] = s[i].tick.n[VPMU_EV_BRANCHES] & test_rnd(2);
		s[i].tick.n[VPMU_EV_BR_COND] = (uint8_t)test_rnd(2);
		s[i].times = test_rnd(4);
	}
}

static void snapshot_regs(struct vpmu *p, uint64_t *out)
{
	for (unsigned int i = 0; i < 8; i++)
		out[i] = rd_(p, MSR_A_PMC(i), __FILE__, __LINE__);
	for (unsigned int i = 0; i < 4; i++)
		out[8 + i] = rd_(p, MSR_FIXED_CTR(i), __FILE__, __LINE__);
	out[12] = rd_(p, MSR_GSTATUS, __FILE__, __LINE__);
}

static void test_pattern_equals_nested(void **state)
{
	(void)state;
	for (unsigned int iter = 0; iter < 3000; iter++) {
		struct vpmu *a = new_pmu_slot(0, "icelake");
		struct vpmu *b;
		struct vpmu_span s[4];
		unsigned int n = 1 + test_rnd(4);
		uint64_t periods = 1 + test_rnd(20), pa = 0, pb, ra[13], rb[13];

		program(a);
		b = new_pmu_slot(1, "icelake");
		memcpy(b, a, vpmu_state_size());
		random_pattern(s, n);
		for (uint64_t r = 0; r < periods; r++)
			for (unsigned int i = 0; i < n; i++)
				if (s[i].times)
					pa |= vpmu_count(a, &s[i].tick, s[i].times);
		pb = vpmu_count_pattern(b, s, n, periods);
		/* the second pattern call continues from the edge state */
		pa |= vpmu_count(a, &s[0].tick, 1);
		pb |= vpmu_count(b, &s[0].tick, 1);
		snapshot_regs(a, ra);
		snapshot_regs(b, rb);
		assert_memory_equal(ra, rb, sizeof(ra));
		assert_int_equal(pa | vpmu_take_pmi(a), pb | vpmu_take_pmi(b));
	}
}

static void test_headroom_pattern_exact(void **state)
{
	(void)state;
	for (unsigned int iter = 0; iter < 2000; iter++) {
		struct vpmu *a = new_pmu_slot(0, "icelake");
		struct vpmu *b;
		struct vpmu_span s[3];
		unsigned int n = 1 + test_rnd(3);
		uint64_t h, st;

		program(a);
		random_pattern(s, n);
		h = vpmu_headroom_pattern(a, s, n);
		if (h == UINT64_MAX || h > 100000)
			continue;
		b = new_pmu_slot(1, "icelake");
		memcpy(b, a, vpmu_state_size());
		wr_(a, MSR_GOVF, rd_(a, MSR_GSTATUS, __FILE__, __LINE__), __FILE__, __LINE__);
		if (h)
			vpmu_count_pattern(a, s, n, h);
		st = rd_(a, MSR_GSTATUS, __FILE__, __LINE__);
		assert_int_equal(st & 0xf000000ffull, 0);	/* nothing wrapped */
		wr_(b, MSR_GOVF, rd_(b, MSR_GSTATUS, __FILE__, __LINE__), __FILE__, __LINE__);
		vpmu_count_pattern(b, s, n, h + 1);
		assert_true(rd_(b, MSR_GSTATUS, __FILE__, __LINE__) & 0xf000000ffull);
	}
}

/* The counted loop of kvm-unit-tests: 1 LOOP, then 9 body instructions. */
static void test_kut_loop_shape(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_span s[2];

	(void)state;
	memset(s, 0, sizeof(s));
	s[0].tick.cycles = 1;
	s[0].tick.n[VPMU_EV_INSTRUCTIONS] = 1;
	s[0].tick.n[VPMU_EV_BRANCHES] = 1;
	s[0].times = 1;
	s[1].tick.cycles = 1;
	s[1].tick.n[VPMU_EV_INSTRUCTIONS] = 1;
	s[1].times = 9;
	wr_(p, MSR_EVTSEL(0), 0xc0 | SEL_EN | SEL_OS, __FILE__, __LINE__);
	wr_(p, MSR_EVTSEL(1), 0xc4 | SEL_EN | SEL_OS, __FILE__, __LINE__);
	wr_(p, MSR_EVTSEL(2), 0xc4 | SEL_EN | SEL_OS | SEL_EDGE | (1ull << 24), __FILE__, __LINE__);
	wr_(p, MSR_EVTSEL(3), 0xc0 | SEL_EN | SEL_OS | (2ull << 24), __FILE__, __LINE__);
	vpmu_count_pattern(p, s, 2, 1000000);
	assert_int_equal(rd_(p, MSR_PMC(0), __FILE__, __LINE__), 10000000);
	assert_int_equal(rd_(p, MSR_PMC(1), __FILE__, __LINE__), 1000000);
	assert_int_equal(rd_(p, MSR_PMC(2), __FILE__, __LINE__), 1000000);	/* one edge per LOOP */
	assert_int_equal(rd_(p, MSR_PMC(3), __FILE__, __LINE__), 0);		/* CMASK 2: never 2 per cycle */
}

/*
 * Closed-form increments beyond 128 bits (span times x periods x events):
 * the counter value is still exact modulo 2^W, and the wrap is reported.
 * A repeat of 2^40 instructions, 3 per tick, for 2^40 periods adds
 * 3 * 2^80: a multiple of 2^48, so the counter ends where it started.
 */
static void test_pattern_huge(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct vpmu_span s;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.tick.cycles = 1;
	s.tick.n[VPMU_EV_INSTRUCTIONS] = 3;
	s.times = 1ull << 40;
	WR(p, MSR_EVTSEL(0), 0xc0 | SEL_EN | SEL_OS | SEL_INT);
	WR(p, MSR_PMC(0), 12345);
	/* (2^48 - 1 - 12345 - 3 * 2^40) / (3 * 2^40) = 84, plus the first */
	assert_int_equal(vpmu_headroom_pattern(p, &s, 1), 85);
	assert_int_equal(vpmu_count_pattern(p, &s, 1, 1ull << 40), 1);
	assert_int_equal(RD(p, MSR_PMC(0)), 12345);
	assert_int_equal(RD(p, MSR_GSTATUS) & 1, 1);
	/* one period of exactly 2^64 events: the value is unchanged, but the
	 * counter wrapped (2^16 times), so the status bit is set */
	WR(p, MSR_GOVF, 1);
	s.tick.n[VPMU_EV_INSTRUCTIONS] = 2;
	s.times = 1ull << 63;
	assert_int_equal(vpmu_count_pattern(p, &s, 1, 1), 1);
	assert_int_equal(RD(p, MSR_PMC(0)), 12345);
	assert_int_equal(RD(p, MSR_GSTATUS) & 1, 1);
	s.tick.n[VPMU_EV_INSTRUCTIONS] = 3;
	/* and 2^64 - 1 periods of 2^64 - 1 ticks: (2^64-1)^2 * 3 mod 2^48 */
	WR(p, MSR_GOVF, 1);
	s.times = UINT64_MAX;
	vpmu_count_pattern(p, &s, 1, UINT64_MAX);
	assert_int_equal(RD(p, MSR_PMC(0)), (12345 + 3) & MASKW(48));
	assert_int_equal(RD(p, MSR_GSTATUS) & 1, 1);
}

/*
 * Spans that never tick (times == 0) take no cycle: a pattern of only such
 * spans changes nothing, not even the EDGE state of counters of the other
 * CPL class (found by fuzz_snapshot), and their CPL does not matter.
 */
static void test_pattern_empty_spans(void **state)
{
	struct vpmu *p = new_pmu_slot(0, "zen3"), *q;
	unsigned char *a = malloc(vpmu_snapshot_size()), *b = malloc(vpmu_snapshot_size());
	struct vpmu_span s[2];

	(void)state;
	memset(s, 0, sizeof(s));
	/* a user-only EDGE counter of conditional branches, mid-edge */
	WR(p, AMD_CTL(5), AMD_EV(0xd1, 0) | SEL_EN | SEL_USR | SEL_EDGE | SEL_CMASK(1));
	s[0].tick.cycles = 1;
	s[0].tick.cpl = 3;
	s[0].tick.n[VPMU_EV_BR_COND] = 1;
	s[0].times = 1;
	vpmu_count_pattern(p, s, 1, 1);		/* condition now true */
	assert_int_equal(RD(p, AMD_CTR(5)), 1);
	q = new_pmu_slot(1, "zen3");
	memcpy(q, p, vpmu_state_size());
	s[0].tick.cpl = 0;			/* a kernel span that never ticks */
	s[0].times = 0;
	assert_int_equal(vpmu_headroom_pattern(p, s, 1), UINT64_MAX);
	assert_int_equal(vpmu_count_pattern(p, s, 1, 5), 0);
	assert_int_equal(vpmu_save(p, a, vpmu_snapshot_size()), vpmu_save(q, b, vpmu_snapshot_size()));
	assert_memory_equal(a, b, vpmu_snapshot_size());
	/* the edge was kept: another true cycle at CPL 3 is no new edge */
	s[0].tick.cpl = 3;
	s[0].times = 1;
	vpmu_count_pattern(p, s, 1, 1);
	assert_int_equal(RD(p, AMD_CTR(5)), 1);
	/* an empty span at CPL 0 beside user spans: still one CPL class */
	s[1] = s[0];
	s[1].tick.cpl = 0;
	s[1].times = 0;
	assert_int_not_equal(vpmu_headroom_pattern(p, s, 2), 0);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pattern_equals_nested),
		cmocka_unit_test(test_headroom_pattern_exact),
		cmocka_unit_test(test_kut_loop_shape),
		cmocka_unit_test(test_pattern_huge),
		cmocka_unit_test(test_pattern_empty_spans),
	};

	return cmocka_run_group_tests_name("pattern", tests, NULL, NULL);
}
