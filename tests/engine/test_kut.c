/* SPDX-License-Identifier: MIT */
/*
 * The engine's ticks driving a real libvpmu: kvm-unit-tests' precise loop
 * (x86/pmu.c, KVM-UNIT-TESTS.md §3.2-3.3) on a Skylake model, the way the
 * stepping loop will run it: decode, resolve the step, apply a WRMSR to
 * the PMU first, then count the instruction (PMU-FACTS §10, quirk 5).
 * Checks the exact counts pmu.flat expects, the overflow that lands on
 * exactly 1 with a zero-skid PMI, and CMASK=2.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "retire.h"
#include "sim.h"
#include "vpmu.h"

/* Intel MSRs and selector bits (PMU-FACTS §2-§5) */
#define MSR_PMC(i)	(0xc1u + (i))
#define MSR_EVTSEL(i)	(0x186u + (i))
#define MSR_FIXED(i)	(0x309u + (i))
#define MSR_FIXED_CTRL	0x38du
#define MSR_GSTATUS	0x38eu
#define MSR_GCTRL	0x38fu
#define SEL_USR		(1ull << 16)
#define SEL_OS		(1ull << 17)
#define SEL_INT		(1ull << 20)
#define SEL_EN		(1ull << 22)
#define SEL_CMASK(c)	((uint64_t)(c) << 24)
#define SEL(ev, umask)	(SEL_EN | SEL_OS | SEL_USR | (ev) | ((uint64_t)(umask) << 8))

#define N		1000000ull	/* x86/pmu.c */
#define BASE		0x400000ull

struct run {
	uint64_t pmi_rip;	/* RIP of the instruction that raised a PMI */
	uint64_t pmis;
	uint64_t counted;	/* vpmu_count() calls made */
};

static struct vpmu *new_pmu(void)
{
	const struct vpmu_model *m = vpmu_model_find("skylake");
	char err[128] = "";
	void *mem;
	struct vpmu *p;

	assert_non_null(m);
	mem = malloc(vpmu_state_size());
	assert_non_null(mem);
	p = vpmu_init(mem, vpmu_state_size(), m, err, sizeof(err));
	if (!p)
		print_error("vpmu_init: %s\n", err);
	assert_non_null(p);
	assert_int_equal(vpmu_wrmsr(p, MSR_GCTRL, 0), VPMU_MSR_OK);
	return p;
}

static void wr(struct vpmu *p, uint32_t msr, uint64_t val)
{
	assert_int_equal(vpmu_wrmsr(p, msr, val), VPMU_MSR_OK);
}

static uint64_t rd(struct vpmu *p, uint32_t msr)
{
	uint64_t v = 0;

	assert_int_equal(vpmu_rdmsr(p, msr, &v), VPMU_MSR_OK);
	return v;
}

/* The WRMSRs of the window, applied before their own tick is counted. */
static void apply_wrmsr(struct vpmu *p, uint64_t off, uint64_t enable)
{
	if (off == KUT_ENABLE)
		wr(p, MSR_GCTRL, enable);
	else if (off == KUT_DISABLE)
		wr(p, MSR_GCTRL, 0);
	else	/* PRED_CMD: not a PMU MSR */
		assert_int_equal(vpmu_wrmsr(p, 0x49, 1), VPMU_MSR_UNHANDLED);
}

static void run_window(struct vpmu *p, uint64_t enable, struct run *r)
{
	struct sim s;
	uint64_t rip = BASE;

	sim_init(&s, kut_loop64, sizeof(kut_loop64), BASE, CPU_MODE_LONG64);
	s.cache = true;
	s.rcx = N;
	s.ind_target = BASE + KUT_JMP_TARGET;
	memset(r, 0, sizeof(*r));
	while (rip != BASE + KUT_END) {
		struct vpmu_tick t;
		struct insn i;
		uint64_t next;

		assert_int_equal(sim_decode(&s, rip, &i), INSN_OK);
		next = sim_next(&s, &i, rip);
		if (i.cls == INSN_WRMSR)
			apply_wrmsr(p, rip - BASE, enable);
		/* skip the library when nothing counts what this tick holds */
		if ((insn_retire_events(&i, next != insn_fallthrough(&i, rip)) |
		     VPMU_EV_PER_CYCLE) & vpmu_active_events(p, 0)) {
			insn_retire_tick(&i, rip, next, 0, ENGINE_CPI_DEFAULT, &t);
			r->counted++;
			if (vpmu_count(p, &t, 1)) {
				r->pmis++;
				r->pmi_rip = rip;
			}
		}
		rip = next;
	}
}

/* instructions 10N+17, branches N+2 (exact on Intel v2+), plus the rest */
static void test_exact_counts(void **state)
{
	struct vpmu *p = new_pmu();
	struct run r;

	(void)state;
	wr(p, MSR_EVTSEL(0), SEL(0xc0, 0));		/* instructions */
	wr(p, MSR_EVTSEL(1), SEL(0xc4, 0));		/* branches */
	wr(p, MSR_EVTSEL(2), SEL(0xc4, 0x01));		/* conditional */
	wr(p, MSR_EVTSEL(3), SEL(0xc4, 0x02));		/* near calls */
	wr(p, MSR_FIXED_CTRL, 0x333);			/* fixed 0-2, all rings */
	run_window(p, 0xf | (7ull << 32), &r);

	assert_int_equal(rd(p, MSR_PMC(0)), 10 * N + 17);
	assert_int_equal(rd(p, MSR_PMC(1)), N + 2);
	assert_int_equal(rd(p, MSR_PMC(2)), N);
	assert_int_equal(rd(p, MSR_PMC(3)), 1);
	assert_int_equal(rd(p, MSR_FIXED(0)), 10 * N + 17);
	assert_int_equal(rd(p, MSR_FIXED(1)), 10 * N + 17);	/* CPI 1 */
	assert_int_equal(rd(p, MSR_FIXED(2)), 10 * N + 17);	/* ref = core */
	assert_int_equal(r.counted, 10 * N + 17);
	assert_int_equal(r.pmis, 0);
	free(p);
}

/*
 * check_counter_overflow: preset 1 - C with INT; after the loop the
 * counter reads exactly 1, the status bit is set, and the PMI came from
 * the instruction that wrapped it (the second-to-last counted: zero skid).
 */
static void test_overflow_lands_on_one(void **state)
{
	const uint64_t c = 10 * N + 17;
	struct vpmu *p = new_pmu();
	struct run r;

	(void)state;
	wr(p, MSR_EVTSEL(0), SEL(0xc0, 0) | SEL_INT);
	wr(p, MSR_PMC(0), (uint64_t)(1 - (int64_t)c));
	run_window(p, 1, &r);

	assert_int_equal(rd(p, MSR_PMC(0)), 1);
	assert_true(rd(p, MSR_GSTATUS) & 1);
	assert_int_equal(r.pmis, 1);
	assert_int_equal(r.pmi_rip, BASE + 0x3c);	/* xor %eax,%eax */
	assert_int_equal(vpmu_take_pmi(p), 1);
	free(p);
}

/* check_gp_counter_cmask: CMASK=2 on instructions, 1 per cycle -> 0. */
static void test_cmask(void **state)
{
	struct vpmu *p = new_pmu();
	struct run r;

	(void)state;
	wr(p, MSR_EVTSEL(0), SEL(0xc0, 0) | SEL_CMASK(2));
	run_window(p, 1, &r);
	assert_int_equal(rd(p, MSR_PMC(0)), 0);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_counts),
		cmocka_unit_test(test_overflow_lands_on_one),
		cmocka_unit_test(test_cmask),
	};

	return cmocka_run_group_tests_name("engine + libvpmu: kvm-unit-tests loop",
					   tests, NULL, NULL);
}
