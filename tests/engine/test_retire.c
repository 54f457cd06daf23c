/* SPDX-License-Identifier: MIT */
/*
 * insn_retire_tick(): the tick every class produces, taken and not taken;
 * virtual time; and the counts of kvm-unit-tests' measured loop
 * (KVM-UNIT-TESTS.md §3.2: 10 instructions and 1 branch per iteration,
 * the IBPB tail 9 instructions and 2 branches, 10N+17 and N+2 in all).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "retire.h"
#include "sim.h"

#define EV(e)	VPMU_EV_BIT(VPMU_EV_##e)
#define I	EV(INSTRUCTIONS)
#define BR	(EV(INSTRUCTIONS) | EV(BRANCHES))
#define TK	EV(BR_TAKEN)
/* a taken near branch is also BR_NEAR_TAKEN (Intel 0xC4/0x20); far is not */
#define NTK	(EV(BR_TAKEN) | EV(BR_NEAR_TAKEN))
#define NT	EV(BR_NOT_TAKEN)
#define CND	EV(BR_COND)
#define CALL	EV(BR_CALL)
#define RET	EV(BR_RET)
#define FAR	EV(BR_FAR)

#define FALL	0		/* next_rip = fallthrough */
#define TARGET	1		/* next_rip = insn_target() */
#define AWAY	2		/* next_rip somewhere else (0x9000) */

struct rcase {
	const char *what;
	enum cpu_mode mode;
	uint8_t bytes[15];
	uint8_t nbytes;
	uint8_t next;		/* FALL / TARGET / AWAY */
	uint32_t events;	/* exactly these n[e] are 1, the rest 0 */
};

#define B(...)	.bytes = { __VA_ARGS__ }, \
		.nbytes = sizeof((uint8_t[]){ __VA_ARGS__ })
#define L64	CPU_MODE_LONG64
#define P32	CPU_MODE_PROT32
#define R16	CPU_MODE_REAL16

static const struct rcase cases[] = {
	/* conditionals: taken iff next_rip != fallthrough */
	{ "loop taken", L64, B(0xe2, 0xfe), TARGET, BR | CND | NTK },
	{ "loop not taken", L64, B(0xe2, 0xfe), FALL, BR | CND | NT },
	{ "loopne taken", P32, B(0xe0, 0xf0), TARGET, BR | CND | NTK },
	{ "loope not taken", R16, B(0xe1, 0xf0), FALL, BR | CND | NT },
	{ "jnz rel32 taken", L64, B(0x0f, 0x85, 0x10, 0, 0, 0), TARGET,
	  BR | CND | NTK },
	{ "jnz rel32 not taken", L64, B(0x0f, 0x85, 0x10, 0, 0, 0), FALL,
	  BR | CND | NT },
	{ "jl taken (16)", R16, B(0x7c, 0xf0), TARGET, BR | CND | NTK },
	{ "jrcxz taken", L64, B(0xe3, 0x10), TARGET, BR | CND | NTK },
	{ "jecxz not taken", P32, B(0xe3, 0x10), FALL, BR | CND | NT },
	/* unconditional near: always taken, even to the fallthrough */
	{ "jmp rel8", L64, B(0xeb, 0x10), TARGET, BR | NTK },
	{ "jmp .+2", L64, B(0xeb, 0x00), FALL, BR | NTK },
	{ "jmp *%rax", L64, B(0xff, 0xe0), AWAY, BR | NTK },
	{ "call next", L64, B(0xe8, 0, 0, 0, 0), FALL, BR | NTK | CALL },
	{ "call rel16", R16, B(0xe8, 0x10, 0x00), TARGET, BR | NTK | CALL },
	{ "call *%rax", L64, B(0xff, 0xd0), AWAY, BR | NTK | CALL },
	{ "ret", L64, B(0xc3), AWAY, BR | NTK | RET },
	{ "ret $8", P32, B(0xc2, 0x08, 0x00), AWAY, BR | NTK | RET },
	/* far transfers: taken + far, never near call/ret */
	{ "ljmp ptr16:32", P32, B(0xea, 0, 0x10, 0, 0, 0x08, 0), AWAY,
	  BR | TK | FAR },
	{ "ljmp ptr16:16", R16, B(0xea, 0, 0, 0, 0x08), AWAY, BR | TK | FAR },
	{ "ljmp *(%rax)", L64, B(0xff, 0x28), AWAY, BR | TK | FAR },
	{ "ljmp *0(%rip)", L64, B(0xff, 0x2d, 0, 0, 0, 0), AWAY,
	  BR | TK | FAR },
	{ "lcall ptr16:32", P32, B(0x9a, 0, 0x10, 0, 0, 0x08, 0), AWAY,
	  BR | TK | FAR },
	{ "lcall *(%rax)", L64, B(0xff, 0x18), AWAY, BR | TK | FAR },
	{ "lret", L64, B(0xcb), AWAY, BR | TK | FAR },
	{ "lretq", L64, B(0x48, 0xcb), AWAY, BR | TK | FAR },
	{ "iret (16)", R16, B(0xcf), AWAY, BR | TK | FAR },
	{ "iretd", P32, B(0xcf), AWAY, BR | TK | FAR },
	{ "iretq", L64, B(0x48, 0xcf), AWAY, BR | TK | FAR },
	{ "syscall", L64, B(0x0f, 0x05), AWAY, BR | TK | FAR },
	{ "sysretq", L64, B(0x48, 0x0f, 0x07), AWAY, BR | TK | FAR },
	{ "sysenter", P32, B(0x0f, 0x34), AWAY, BR | TK | FAR },
	{ "sysexit", P32, B(0x0f, 0x35), AWAY, BR | TK | FAR },
	/* software interrupts: branch + far when they transfer */
	{ "int $0x80", P32, B(0xcd, 0x80), AWAY, BR | TK | FAR },
	{ "int $0x10", R16, B(0xcd, 0x10), AWAY, BR | TK | FAR },
	{ "int3", L64, B(0xcc), AWAY, BR | TK | FAR },
	{ "int1", L64, B(0xf1), AWAY, BR | TK | FAR },
	{ "into trapping", P32, B(0xce), AWAY, BR | TK | FAR },
	{ "into, OF=0", P32, B(0xce), FALL, BR },
	/* instructions only */
	{ "rdpmc", L64, B(0x0f, 0x33), FALL, I },
	{ "rdmsr", L64, B(0x0f, 0x32), FALL, I },
	{ "wrmsr", L64, B(0x0f, 0x30), FALL, I },
	{ "hlt", L64, B(0xf4), FALL, I },
	{ "mfence", L64, B(0x0f, 0xae, 0xf0), FALL, I },
	{ "lfence", P32, B(0x0f, 0xae, 0xe8), FALL, I },
	{ "clflush", L64, B(0x0f, 0xae, 0x38), FALL, I },
	{ "out %al,(%dx)", L64, B(0xee), FALL, I },
	{ "out %al,$0x80", R16, B(0xe6, 0x80), FALL, I },
	{ "in (%dx),%al", L64, B(0xec), FALL, I },
	{ "rep movsb", L64, B(0xf3, 0xa4), FALL, I },
	{ "rep outsb", P32, B(0xf3, 0x6e), FALL, I },
	{ "cpuid", L64, B(0x0f, 0xa2), FALL, I },
	{ "pause", L64, B(0xf3, 0x90), FALL, I },
	{ "nop", L64, B(0x90), FALL, I },
	{ "vmcall", L64, B(0x0f, 0x01, 0xc1), FALL, I },
	{ "xbegin (other)", L64, B(0xc7, 0xf8, 0x10, 0, 0, 0), AWAY, I },
	{ "leave (not a branch)", L64, B(0xc9), FALL, I },
	/* always faults: never retired */
	{ "ud2", L64, B(0x0f, 0x0b), AWAY, 0 },
};

static uint64_t next_rip(const struct rcase *c, const struct insn *i,
			 uint64_t rip)
{
	if (c->next == TARGET)
		return insn_target(i, rip);
	return c->next == FALL ? insn_fallthrough(i, rip) : 0x9000;
}

static bool tick_is(const struct vpmu_tick *t, uint32_t events, uint32_t cycles,
		    uint8_t cpl, const char *what)
{
	bool ok = t->cycles == cycles && t->cpl == cpl;

	for (unsigned int e = 0; e < VPMU_EV_NR; e++)
		ok = ok && t->n[e] == ((events >> e) & 1);
	if (!ok) {
		print_error("%s: cycles %u cpl %u n =", what, t->cycles, t->cpl);
		for (unsigned int e = 0; e < VPMU_EV_NR; e++)
			print_error(" %u", t->n[e]);
		print_error(", want events %#x cycles %u cpl %u\n", events,
			    cycles, cpl);
	}
	return ok;
}

static void test_class_ticks(void **state)
{
	const uint64_t rip = 0x1000;
	unsigned int bad = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct rcase *c = &cases[k];
		struct vpmu_tick t;
		struct insn i;

		assert_int_equal(insn_decode(&i, c->bytes, c->nbytes, c->mode),
				 INSN_OK);
		memset(&t, 0xa5, sizeof(t));
		insn_retire_tick(&i, rip, next_rip(c, &i, rip), 0, 1, &t);
		bad += !tick_is(&t, c->events, 1, 0, c->what);
		/* the event mask agrees with the tick */
		if (insn_retire_events(&i, next_rip(c, &i, rip) !=
				       insn_fallthrough(&i, rip)) != c->events) {
			print_error("%s: insn_retire_events differs\n", c->what);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* `75 00`: target == fallthrough; the explicit outcome tells them apart. */
static void test_ambiguous_jcc(void **state)
{
	static const uint8_t jnz0[] = { 0x75, 0x00 };
	struct vpmu_tick t;
	struct insn i;

	(void)state;
	assert_int_equal(insn_decode(&i, jnz0, 2, CPU_MODE_LONG64), INSN_OK);
	insn_retire_tick(&i, 0x1000, 0x1002, 0, 1, &t);
	assert_true(tick_is(&t, BR | CND | NT, 1, 0, "jnz .+2 by rip"));
	/* ZF = 0: JNZ taken */
	insn_retire_tick_taken(&i, insn_cond_taken(&i, 0, 0), 0, 1, &t);
	assert_true(tick_is(&t, BR | CND | NTK, 1, 0, "jnz .+2 taken"));
	insn_retire_tick_taken(&i, insn_cond_taken(&i, 1u << 6, 0), 0, 1, &t);
	assert_true(tick_is(&t, BR | CND | NT, 1, 0, "jnz .+2 ZF=1"));
}

/* Virtual time: cpi cycles per instruction, 0 = default 1; CPL copied. */
static void test_virtual_time(void **state)
{
	static const uint8_t nop[] = { 0x90 };
	static const uint8_t ret[] = { 0xc3 };
	struct vpmu_tick t;
	struct insn i;

	(void)state;
	assert_int_equal(ENGINE_CPI_DEFAULT, 1);
	assert_int_equal(insn_decode(&i, nop, 1, CPU_MODE_LONG64), INSN_OK);
	insn_retire_tick(&i, 0x1000, 0x1001, 0, 0, &t);
	assert_true(tick_is(&t, I, 1, 0, "cpi 0"));
	insn_retire_tick(&i, 0x1000, 0x1001, 3, 4, &t);
	assert_true(tick_is(&t, I, 4, 3, "cpi 4 cpl 3"));
	assert_int_equal(insn_decode(&i, ret, 1, CPU_MODE_LONG64), INSN_OK);
	insn_retire_tick(&i, 0x1000, 0x5000, 2, 7, &t);
	assert_true(tick_is(&t, BR | NTK | RET, 7, 2, "ret cpi 7 cpl 2"));
	insn_fault_tick(1, 0, &t);
	assert_true(tick_is(&t, 0, 1, 1, "fault"));
	insn_fault_tick(0, 9, &t);
	assert_true(tick_is(&t, 0, 9, 0, "fault cpi 9"));
}

/* What the engine produces: the union of every class's events + cycles. */
static void test_produced_events(void **state)
{
	uint32_t all = EV(CYCLES) | EV(REF_CYCLES);

	(void)state;
	for (unsigned int c = 0; c < INSN_CLASS_NR; c++) {
		struct insn i = { .length = 1, .cls = (uint8_t)c, .ip_bits = 64 };

		all |= insn_retire_events(&i, true) | insn_retire_events(&i, false);
	}
	assert_int_equal(engine_produced_events(), all);
	assert_int_equal(engine_produced_events(),
			 EV(CYCLES) | EV(REF_CYCLES) | I | EV(BRANCHES) | CND |
			 TK | NT | CALL | RET | FAR | EV(BR_NEAR_TAKEN));
	assert_false(engine_produced_events() &
		     (EV(BR_MISSES) | EV(LLC_REFS) | EV(LLC_MISSES)));
}

/* ------------------------------------------------------------------ */
/* kvm-unit-tests' measured loop                                        */
/* ------------------------------------------------------------------ */

static void run(struct sim *s, uint64_t from, uint64_t to, struct totals *tot)
{
	uint64_t rip = from;

	while (rip != to) {
		struct vpmu_tick t;

		assert_int_equal(sim_step(s, &rip, 0, ENGINE_CPI_DEFAULT, &t), INSN_OK);
		totals_add(tot, &t);
	}
}

static void expect_loop(const struct totals *t, uint64_t n)
{
	assert_int_equal(t->n[VPMU_EV_INSTRUCTIONS], 10 * n);
	assert_int_equal(t->cycles, 10 * n);
	assert_int_equal(t->n[VPMU_EV_BRANCHES], n);
	assert_int_equal(t->n[VPMU_EV_BR_COND], n);
	assert_int_equal(t->n[VPMU_EV_BR_TAKEN], n - 1);
	assert_int_equal(t->n[VPMU_EV_BR_NOT_TAKEN], 1);
	assert_int_equal(t->n[VPMU_EV_BR_CALL] + t->n[VPMU_EV_BR_RET] +
			 t->n[VPMU_EV_BR_FAR], 0);
}

/* Loop body: load, add $64, 7 x nop, loop -> 10 instructions, 1 branch. */
static void test_kut_body_64(void **state)
{
	struct sim s;
	struct totals t = { 0 };

	(void)state;
	sim_init(&s, kut_loop64, sizeof(kut_loop64), 0x400000, CPU_MODE_LONG64);
	s.rcx = 1000;
	run(&s, 0x400000 + KUT_BODY, 0x400000 + KUT_TAIL, &t);
	expect_loop(&t, 1000);
	assert_int_equal(s.rcx, 0);
}

static void test_kut_body_32(void **state)
{
	static const uint8_t body[] = {
		0x8b, 0x10,		/* mov (%eax),%edx */
		0x83, 0xc0, 0x40,	/* add $64,%eax */
		0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
		0xe2, 0xf2,		/* loop 1b */
	};
	struct sim s;
	struct totals t = { 0 };

	(void)state;
	sim_init(&s, body, sizeof(body), 0x100000, CPU_MODE_PROT32);
	s.rcx = 0xdead00000000ull | 777;	/* only ECX counts */
	run(&s, 0x100000, 0x100000 + sizeof(body), &t);
	expect_loop(&t, 777);
}

static void test_kut_body_16(void **state)
{
	static const uint8_t body[] = {
		0x8b, 0x17,		/* mov (%bx),%dx */
		0x83, 0xc3, 0x40,	/* add $64,%bx */
		0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
		0xe2, 0xf2,		/* loop 1b */
	};
	struct sim s;
	struct totals t = { 0 };

	(void)state;
	sim_init(&s, body, sizeof(body), 0x7c00, CPU_MODE_REAL16);
	s.rcx = 0x30000 | 300;			/* only CX counts */
	run(&s, 0x7c00, 0x7c00 + sizeof(body), &t);
	expect_loop(&t, 300);
}

/* IBPB + indirect jump tail: 9 instructions, 2 branches (call, jmp *). */
static void test_kut_ibpb_tail(void **state)
{
	const uint64_t base = 0x400000;
	struct sim s;
	struct totals t = { 0 };

	(void)state;
	sim_init(&s, kut_loop64, sizeof(kut_loop64), base, CPU_MODE_LONG64);
	s.ind_target = base + KUT_JMP_TARGET;	/* pop; add $10 -> label 2 */
	run(&s, base + KUT_TAIL, base + KUT_JMP_TARGET + 1, &t);
	assert_int_equal(t.n[VPMU_EV_INSTRUCTIONS], 9);
	assert_int_equal(t.n[VPMU_EV_BRANCHES], 2);
	assert_int_equal(t.n[VPMU_EV_BR_TAKEN], 2);	/* call .+5 is taken */
	assert_int_equal(t.n[VPMU_EV_BR_CALL], 1);
	assert_int_equal(t.n[VPMU_EV_BR_COND], 0);
	assert_int_equal(t.n[VPMU_EV_BR_NOT_TAKEN], 0);
	assert_int_equal(t.n[VPMU_EV_BR_RET], 0);
	assert_int_equal(t.n[VPMU_EV_BR_FAR], 0);
}

/*
 * The whole window with the enable rule of PMU-FACTS §10 (an instruction
 * counts with the enable state after it): the enabling WRMSR counts, the
 * disabling one does not -> 10N+17 instructions, N+2 branches.
 */
static void kut_window(uint64_t n, bool cache)
{
	const uint64_t base = 0xffffffff81000000ull;
	struct sim s;
	struct totals t = { 0 };
	uint64_t rip = base;

	sim_init(&s, kut_loop64, sizeof(kut_loop64), base, CPU_MODE_LONG64);
	s.cache = cache;
	s.rcx = n;
	s.ind_target = base + KUT_JMP_TARGET;
	while (rip != base + KUT_END) {
		struct vpmu_tick tick;
		struct insn i;
		uint64_t next;

		assert_int_equal(sim_decode(&s, rip, &i), INSN_OK);
		next = sim_next(&s, &i, rip);
		insn_retire_tick(&i, rip, next, 0, ENGINE_CPI_DEFAULT, &tick);
		if (rip != base + KUT_DISABLE)
			totals_add(&t, &tick);
		rip = next;
	}
	assert_int_equal(t.n[VPMU_EV_INSTRUCTIONS], 10 * n + 17);
	assert_int_equal(t.cycles, 10 * n + 17);
	assert_int_equal(t.n[VPMU_EV_BRANCHES], n + 2);
	assert_int_equal(t.n[VPMU_EV_BR_COND], n);
	assert_int_equal(t.n[VPMU_EV_BR_TAKEN], n - 1 + 2);
	assert_int_equal(t.n[VPMU_EV_BR_NOT_TAKEN], 1);
	assert_int_equal(t.n[VPMU_EV_BR_CALL], 1);
	assert_int_equal(t.n[VPMU_EV_BR_RET] + t.n[VPMU_EV_BR_FAR], 0);
}

static void test_kut_window_decode_each(void **state)
{
	(void)state;
	kut_window(1000, false);
}

static void test_kut_window_1e6(void **state)
{
	(void)state;
	kut_window(1000000, true);	/* N of x86/pmu.c: 10000017, 1000002 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_class_ticks),
		cmocka_unit_test(test_ambiguous_jcc),
		cmocka_unit_test(test_virtual_time),
		cmocka_unit_test(test_produced_events),
		cmocka_unit_test(test_kut_body_64),
		cmocka_unit_test(test_kut_body_32),
		cmocka_unit_test(test_kut_body_16),
		cmocka_unit_test(test_kut_ibpb_tail),
		cmocka_unit_test(test_kut_window_decode_each),
		cmocka_unit_test(test_kut_window_1e6),
	};

	return cmocka_run_group_tests_name("engine retire", tests, NULL, NULL);
}
