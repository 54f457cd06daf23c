/* SPDX-License-Identifier: MIT */
/*
 * quirks.h: the host single-step facts (HOST-KVM.md quirks 1-5, 11, 12)
 * per instruction, pinned on real byte sequences.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"
#include "quirks.h"

struct qcase {
	const char *what;
	enum cpu_mode mode;
	uint8_t bytes[15];
	uint8_t nbytes;
	uint32_t quirks;	/* exactly these INSN_Q_* */
};

#define B(...)	.bytes = { __VA_ARGS__ }, \
		.nbytes = sizeof((uint8_t[]){ __VA_ARGS__ })
#define L64	CPU_MODE_LONG64
#define P32	CPU_MODE_PROT32
#define R16	CPU_MODE_REAL16

static const struct qcase cases[] = {
	/* quirk 11: fences swallow the step exit */
	{ "mfence", L64, B(0x0f, 0xae, 0xf0), INSN_Q_STEP_SWALLOWED },
	{ "lfence", P32, B(0x0f, 0xae, 0xe8), INSN_Q_STEP_SWALLOWED },
	{ "sfence", R16, B(0x0f, 0xae, 0xf8), INSN_Q_STEP_SWALLOWED },
	{ "clflush is no fence", L64, B(0x0f, 0xae, 0x38), 0 },
	/* quirk 5: REP string: two steps */
	{ "rep movsb", L64, B(0xf3, 0xa4), INSN_Q_TWO_STEPS },
	{ "rep stosq", L64, B(0xf3, 0x48, 0xab), INSN_Q_TWO_STEPS },
	{ "repne scasb", P32, B(0xf2, 0xae), INSN_Q_TWO_STEPS },
	{ "rep movsw (16)", R16, B(0xf3, 0xa5), INSN_Q_TWO_STEPS },
	{ "movsb", L64, B(0xa4), 0 },
	{ "pause (f3 90)", L64, B(0xf3, 0x90), 0 },
	{ "rep ret", L64, B(0xf3, 0xc3), 0 },
	/* quirk 12: OUT has no step exit of its own after a userspace exit */
	{ "out %al,(%dx)", L64, B(0xee), INSN_Q_IO_NO_STEP_EXIT },
	{ "out %al,$0x80", R16, B(0xe6, 0x80), INSN_Q_IO_NO_STEP_EXIT },
	{ "out %eax,$0xf4", P32, B(0xe7, 0xf4), INSN_Q_IO_NO_STEP_EXIT },
	{ "outsb", L64, B(0x6e), INSN_Q_IO_NO_STEP_EXIT },
	{ "rep outsb", L64, B(0xf3, 0x6e),
	  INSN_Q_IO_NO_STEP_EXIT | INSN_Q_TWO_STEPS },
	{ "in is fine", L64, B(0xec), 0 },
	{ "rep insb", L64, B(0xf3, 0x6c), INSN_Q_TWO_STEPS },
	/* quirk 5: MSR exits first */
	{ "rdmsr", L64, B(0x0f, 0x32), INSN_Q_MSR_EXIT_FIRST },
	{ "wrmsr", R16, B(0x0f, 0x30), INSN_Q_MSR_EXIT_FIRST },
	/* quirk 3 */
	{ "hlt", L64, B(0xf4), INSN_Q_HLT_NO_HALT },
	/* quirk 2 */
	{ "rdpmc", P32, B(0x0f, 0x33), INSN_Q_EMULATE },
	/* quirk 4 */
	{ "int $0x80", P32, B(0xcd, 0x80),
	  INSN_Q_RUNS_HANDLER | INSN_Q_MODE_CHANGE },
	{ "int3", L64, B(0xcc), INSN_Q_RUNS_HANDLER | INSN_Q_MODE_CHANGE },
	{ "into", R16, B(0xce), INSN_Q_RUNS_HANDLER | INSN_Q_MODE_CHANGE },
	{ "ud2", L64, B(0x0f, 0x0b),
	  INSN_Q_RUNS_HANDLER | INSN_Q_ALWAYS_FAULTS },
	/* hypercalls hang KVM_RUN at CPL0 */
	{ "vmcall", L64, B(0x0f, 0x01, 0xc1), INSN_Q_HANGS_CPL0 },
	{ "vmmcall", P32, B(0x0f, 0x01, 0xd9), INSN_Q_HANGS_CPL0 },
	/* CS loads */
	{ "ljmp", P32, B(0xea, 0, 0x10, 0, 0, 0x08, 0), INSN_Q_MODE_CHANGE },
	{ "lcall *(%rax)", L64, B(0xff, 0x18), INSN_Q_MODE_CHANGE },
	{ "lret", L64, B(0xcb), INSN_Q_MODE_CHANGE },
	{ "iretq", L64, B(0x48, 0xcf), INSN_Q_MODE_CHANGE },
	{ "syscall", L64, B(0x0f, 0x05), INSN_Q_MODE_CHANGE },
	{ "sysexit", P32, B(0x0f, 0x35), INSN_Q_MODE_CHANGE },
	/* no quirk */
	{ "nop", L64, B(0x90), 0 },
	{ "loop", L64, B(0xe2, 0xfe), 0 },
	{ "call *%rax", L64, B(0xff, 0xd0), 0 },
	{ "ret", L64, B(0xc3), 0 },
	{ "cpuid", L64, B(0x0f, 0xa2), 0 },
};

static void test_quirk_flags(void **state)
{
	unsigned int bad = 0;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const struct qcase *c = &cases[k];
		struct insn i;
		uint32_t q;

		assert_int_equal(insn_decode(&i, c->bytes, c->nbytes, c->mode),
				 INSN_OK);
		q = insn_step_quirks(&i);
		if (q != c->quirks) {
			print_error("%s: quirks %#x, want %#x\n", c->what, q,
				    c->quirks);
			bad++;
		}
		/* the named helpers agree with the flags */
		bad += insn_step_is_swallowed(&i) != !!(q & INSN_Q_STEP_SWALLOWED);
		bad += insn_is_rep_string(&i) != !!(q & INSN_Q_TWO_STEPS);
		bad += insn_out_lacks_step_exit(&i) !=
		       !!(q & INSN_Q_IO_NO_STEP_EXIT);
		bad += insn_msr_exits_first(&i) != !!(q & INSN_Q_MSR_EXIT_FIRST);
	}
	assert_int_equal(bad, 0);
}

/* Quirk 5: the first step of REP MOVSB leaves RIP on it: not retired. */
static void test_rep_retires_when_rip_leaves(void **state)
{
	static const uint8_t rep_movsb[] = { 0xf3, 0xa4 };
	static const uint8_t jmp_self[] = { 0xeb, 0xfe };
	struct insn i;

	(void)state;
	assert_int_equal(insn_decode(&i, rep_movsb, 2, CPU_MODE_LONG64), INSN_OK);
	assert_false(insn_step_retired(&i, 0x1000, 0x1000));
	assert_true(insn_step_retired(&i, 0x1000, 0x1002));
	/* `jmp .` retires although RIP does not move */
	assert_int_equal(insn_decode(&i, jmp_self, 2, CPU_MODE_LONG64), INSN_OK);
	assert_true(insn_step_retired(&i, 0x1000, 0x1000));
}

/* Quirk 1: native 64-bit CPL3 cannot be stepped; everything else can. */
static void test_can_step(void **state)
{
	(void)state;
	assert_false(engine_can_step(CPU_MODE_LONG64, 3));
	assert_true(engine_can_step(CPU_MODE_LONG64, 0));
	assert_true(engine_can_step(CPU_MODE_PROT32, 3));	/* compat CPL3 */
	assert_true(engine_can_step(CPU_MODE_PROT32, 0));
	assert_true(engine_can_step(CPU_MODE_PROT16, 3));
	assert_true(engine_can_step(CPU_MODE_REAL16, 0));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quirk_flags),
		cmocka_unit_test(test_rep_retires_when_rip_leaves),
		cmocka_unit_test(test_can_step),
	};

	return cmocka_run_group_tests_name("engine quirks", tests, NULL, NULL);
}
