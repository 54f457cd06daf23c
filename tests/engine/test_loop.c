/* SPDX-License-Identifier: MIT */
/*
 * The counted-loop fast path without KVM (engine/loop.h, fastloop.c):
 *
 *  - which loops qualify: a plain LOOP closing a straight-line body that
 *    never touches RCX, in any width, explicitly, implicitly or in an
 *    address, stores nothing and can fault only on a memory read (every
 *    rule of loop.h has a case here);
 *  - the closed form equals single-stepping: for loops of every shape
 *    (`loop .`, kvm-unit-tests' 9-instruction body, random bodies), random
 *    trip counts, CPI 1 and 3, counters with CMASK/INV/EDGE preset close
 *    to their wrap, the fast path as fastloop.c runs it (headroom periods
 *    in closed form, then the rest stepped) leaves every counter and
 *    GLOBAL_STATUS exactly as stepping every instruction does, and raises
 *    the first PMI on the same instruction (zero skid).
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
#include "loop.h"
#include "retire.h"
#include "sim.h"
#include "../rng.h"
#include "vpmu.h"

#define BASE		0x1000ull
#define MAX_CODE	(LOOP_MAX_BODY + 8)

/* ---- qualification ---- */

struct qcase {
	const char *name;
	enum cpu_mode mode;
	uint8_t body[16];	/* body bytes; a LOOP back to BASE is appended */
	unsigned int len;
	bool ok;
	unsigned int nbody;
	uint8_t loop_op;	/* 0xe2 LOOP unless set (0xe1 LOOPE, 0xe0 LOOPNE) */
	bool addr67;		/* 0x67 prefix on the LOOP */
};

#define B(...) { __VA_ARGS__ }, sizeof((uint8_t[]){ __VA_ARGS__ })

static const struct qcase qcases[] = {
	{ "nop", CPU_MODE_LONG64, B(0x90), true, 1, 0, false },
	{ "pause, lfence (plain ticks)", CPU_MODE_LONG64, B(0xf3, 0x90, 0x0f, 0xae, 0xe8), true, 2, 0, false },
	{ "mov (%rax),%rdx; add $64,%rax", CPU_MODE_LONG64, B(0x48, 0x8b, 0x10, 0x48, 0x83, 0xc0, 0x40), true, 2, 0, false },
	{ "add %ecx,%eax (reads ECX)", CPU_MODE_LONG64, B(0x01, 0xc8), false, 0, 0, false },
	{ "mov $1,%cl (writes CL)", CPU_MODE_LONG64, B(0xb1, 0x01), false, 0, 0, false },
	{ "mov %al,%ch (writes CH)", CPU_MODE_LONG64, B(0x88, 0xc5), false, 0, 0, false },
	{ "mov (%rcx),%eax (RCX base)", CPU_MODE_LONG64, B(0x8b, 0x01), false, 0, 0, false },
	{ "mov (%rax,%rcx,4),%eax (RCX index)", CPU_MODE_LONG64, B(0x8b, 0x04, 0x88), false, 0, 0, false },
	{ "shl %cl,%eax (implicit CL)", CPU_MODE_LONG64, B(0xd3, 0xe0), false, 0, 0, false },
	{ "xchg %eax,%ecx", CPU_MODE_LONG64, B(0x91), false, 0, 0, false },
	{ "push %rcx", CPU_MODE_LONG64, B(0x51), false, 0, 0, false },
	{ "cpuid (exits, writes ECX)", CPU_MODE_LONG64, B(0x0f, 0xa2), false, 0, 0, false },
	{ "jz .+2 (a branch in the body)", CPU_MODE_LONG64, B(0x74, 0x00), false, 0, 0, false },
	{ "wrmsr (exits)", CPU_MODE_LONG64, B(0x0f, 0x30), false, 0, 0, false },
	{ "loope", CPU_MODE_LONG64, B(0x90), false, 0, 0xe1, false },
	{ "loopne", CPU_MODE_LONG64, B(0x90), false, 0, 0xe0, false },
	{ "addr32 loop in 64-bit mode (ECX counts)", CPU_MODE_LONG64, B(0x90), false, 0, 0, true },
	/* faults other than a #PF on a read, self-modification, IF/TF */
	{ "div %ebx (#DE)", CPU_MODE_LONG64, B(0xf7, 0xf3), false, 0, 0, false },
	{ "idiv %ebx (#DE)", CPU_MODE_LONG64, B(0xf7, 0xfb), false, 0, 0, false },
	{ "popf (TF, IF)", CPU_MODE_LONG64, B(0x9d), false, 0, 0, false },
	{ "sti", CPU_MODE_LONG64, B(0xfb), false, 0, 0, false },
	{ "lidt (%rax)", CPU_MODE_LONG64, B(0x0f, 0x01, 0x18), false, 0, 0, false },
	{ "mov %rax,%cr3", CPU_MODE_LONG64, B(0x0f, 0x22, 0xd8), false, 0, 0, false },
	{ "mov %ax,%ss", CPU_MODE_LONG64, B(0x8e, 0xd0), false, 0, 0, false },
	{ "mov %edx,(%rax) (a store)", CPU_MODE_LONG64, B(0x89, 0x10), false, 0, 0, false },
	{ "addl $1,(%rax) (a store)", CPU_MODE_LONG64, B(0x83, 0x00, 0x01), false, 0, 0, false },
	{ "push %rax (a store)", CPU_MODE_LONG64, B(0x50), false, 0, 0, false },
	{ "pop %rax (stack)", CPU_MODE_LONG64, B(0x58), false, 0, 0, false },
	{ "rdtsc (system)", CPU_MODE_LONG64, B(0x0f, 0x31), false, 0, 0, false },
	{ "ud2", CPU_MODE_LONG64, B(0x0f, 0x0b), false, 0, 0, false },
	/* register arithmetic and reads qualify */
	{ "cmovz, setz, imul, bt (%rax)", CPU_MODE_LONG64,
	  B(0x0f, 0x44, 0xc3, 0x0f, 0x94, 0xc0, 0x0f, 0xaf, 0xc3, 0x0f, 0xa3, 0x18), true, 4, 0, false },
	{ "lea, sahf, std, mfence", CPU_MODE_LONG64,
	  B(0x48, 0x8d, 0x04, 0x40, 0x9e, 0xfd, 0x0f, 0xae, 0xf0), true, 4, 0, false },
	{ "32-bit: nop", CPU_MODE_PROT32, B(0x90), true, 1, 0, false },
	{ "32-bit: inc %ecx", CPU_MODE_PROT32, B(0x41), false, 0, 0, false },
	{ "32-bit: inc %eax", CPU_MODE_PROT32, B(0x40), true, 1, 0, false },
};

/* body + LOOP back to BASE; returns the length, *rip = the LOOP's RIP */
static size_t build_loop(uint8_t *code, const uint8_t *body, size_t n,
			 uint8_t op, bool addr67, uint64_t *rip)
{
	size_t len = 0, ll = addr67 ? 3 : 2;

	memcpy(code, body, n);
	len = n;
	*rip = BASE + len;
	if (addr67)
		code[len++] = 0x67;
	code[len++] = op ? op : 0xe2;
	code[len] = (uint8_t)(int8_t)-(int)(n + ll);
	return len + 1;
}

static bool qualifies(enum cpu_mode mode, const uint8_t *code, size_t len,
		      uint64_t rip, struct loop_shape *shape)
{
	struct insn l;

	assert_int_equal(insn_decode(&l, code + (rip - BASE), len - (rip - BASE), mode), INSN_OK);
	return loop_qualifies(&l, rip, code, len, shape);
}

static void test_qualifies(void **state)
{
	static struct loop_shape shape;
	uint8_t code[MAX_CODE];
	uint64_t rip;

	(void)state;
	for (unsigned int k = 0; k < sizeof(qcases) / sizeof(qcases[0]); k++) {
		const struct qcase *c = &qcases[k];
		size_t len = build_loop(code, c->body, c->len, c->loop_op, c->addr67, &rip);
		bool ok = qualifies(c->mode, code, len, rip, &shape);

		if (ok != c->ok)
			fail_msg("%s: qualifies %d, expected %d", c->name, ok, c->ok);
		if (ok) {
			assert_int_equal(shape.head, BASE);
			assert_int_equal(shape.body, c->nbody);
		}
	}
}

/* `loop .`, the body length limit, and a wrong byte count */
static void test_qualifies_edges(void **state)
{
	static struct loop_shape shape;
	uint8_t body[LOOP_MAX_BODY + 1], code[MAX_CODE];
	uint64_t rip;
	size_t len;

	(void)state;
	len = build_loop(code, body, 0, 0, false, &rip);
	assert_true(qualifies(CPU_MODE_LONG64, code, len, rip, &shape));
	assert_int_equal(shape.body, 0);
	assert_int_equal(shape.head, rip);

	memset(body, 0x90, sizeof(body));
	len = build_loop(code, body, LOOP_MAX_BODY, 0, false, &rip);
	assert_true(qualifies(CPU_MODE_LONG64, code, len, rip, &shape));
	assert_int_equal(shape.body, LOOP_MAX_BODY);
	assert_int_equal(shape.body_rip[LOOP_MAX_BODY - 1], rip - 1);
	/* a buffer that is not exactly head..LOOP is refused */
	{
		struct insn l;

		assert_int_equal(insn_decode(&l, code + (rip - BASE), 2, CPU_MODE_LONG64), INSN_OK);
		assert_false(loop_qualifies(&l, rip, code, len - 1, &shape));
		assert_false(loop_qualifies(&l, rip, code, len + 1, &shape));
	}
	len = build_loop(code, body, LOOP_MAX_BODY + 1, 0, false, &rip);
	/* rel8 reaches back 127 bytes: 65 NOPs + LOOP is still encodable */
	assert_false(qualifies(CPU_MODE_LONG64, code, len, rip, &shape));
}

/* A LOOP at the end of the 16-bit IP range falls through to IP 0: its
 * exit is not rip + length, so it is not run free */
static void test_qualifies_ip_wrap(void **state)
{
	static struct loop_shape shape;
	static const uint8_t code[] = { 0x90, 0xe2, 0xfd };	/* nop; loop 1b */
	struct insn l;

	(void)state;
	assert_int_equal(insn_decode(&l, code + 1, 2, CPU_MODE_REAL16), INSN_OK);
	assert_true(loop_qualifies(&l, 0x1001, code, 3, &shape));
	assert_false(loop_qualifies(&l, 0xfffe, code, 3, &shape));
}

/* kvm-unit-tests' measured loop: 9 body instructions (KUT §3.2) */
static void test_qualifies_kut(void **state)
{
	static struct loop_shape shape;
	const uint8_t *code = kut_loop64 + KUT_BODY;
	size_t len = KUT_TAIL - KUT_BODY;
	uint64_t rip = BASE + (KUT_LOOP - KUT_BODY);

	(void)state;
	assert_true(qualifies(CPU_MODE_LONG64, code, len, rip, &shape));
	assert_int_equal(shape.body, 9);
	assert_int_equal(shape.body_rip[2], BASE + (0x13 - KUT_BODY));
}

/* ---- closed form = single-step ---- */

static struct vpmu *new_pmu(void *mem, const char *name)
{
	char err[128] = "";
	struct vpmu *p = vpmu_init(mem, vpmu_state_size(), vpmu_model_find(name), err, sizeof(err));

	if (!p)
		fail_msg("vpmu_init(%s): %s", name, err);
	return p;
}

/* Random selectors, close to the wrap now and then (Intel or AMD). */
static void program(struct vpmu *p, bool intel)
{
	static const uint16_t intel_ev[] = { 0x00c0, 0x00c4, 0x003c, 0x20c4, 0x01c4, 0x10c4 };
	static const uint16_t amd_ev[] = { 0x00c0, 0x00c2, 0x0076, 0x00c4, 0x00d1 };
	unsigned int n = intel ? 4 : 6;

	for (unsigned int i = 0; i < n; i++) {
		uint64_t sel = (intel ? intel_ev[test_rnd(6)] : amd_ev[test_rnd(5)]) |
			       (1ull << 22) | (1ull << 17) | (1ull << 16);
		uint64_t near = test_rnd(2) ? (1ull << 48) - 1 - test_rnd(400) : test_rnd(1000);

		if (test_rnd(2))
			sel |= (uint64_t)test_rnd(3) << 24;		/* CMASK 0..2 */
		if (test_rnd(4) == 0)
			sel |= 1ull << 23;			/* INV */
		if (test_rnd(3) == 0)
			sel |= 1ull << 18;			/* EDGE */
		if (test_rnd(2))
			sel |= 1ull << 20;			/* INT */
		if (intel) {
			assert_int_equal(vpmu_wrmsr(p, 0x186 + i, sel), VPMU_MSR_OK);
			/* legacy write: EAX sign-extended, so 2^48 - k fits (§8) */
			assert_int_equal(vpmu_wrmsr(p, 0xc1 + i, (uint32_t)near), VPMU_MSR_OK);
		} else {
			assert_int_equal(vpmu_wrmsr(p, 0xc0010200 + 2 * i, sel), VPMU_MSR_OK);
			assert_int_equal(vpmu_wrmsr(p, 0xc0010201 + 2 * i, near), VPMU_MSR_OK);
		}
	}
	if (intel) {
		assert_int_equal(vpmu_wrmsr(p, 0x309, (1ull << 48) - 1 - test_rnd(300)), VPMU_MSR_OK);
		assert_int_equal(vpmu_wrmsr(p, 0x38d, 0xbbb), VPMU_MSR_OK);
		assert_int_equal(vpmu_wrmsr(p, 0x38f, 0x70000000full), VPMU_MSR_OK);
	}
}

static void regs(struct vpmu *p, bool intel, uint64_t out[10])
{
	memset(out, 0, 10 * sizeof(out[0]));
	for (unsigned int i = 0; i < 6; i++)
		vpmu_rdmsr(p, intel ? 0xc1 + i : 0xc0010201 + 2 * i, &out[i]);
	if (intel) {
		for (unsigned int i = 0; i < 3; i++)
			vpmu_rdmsr(p, 0x309 + i, &out[6 + i]);
		vpmu_rdmsr(p, 0x38e, &out[9]);
	} else {
		vpmu_rdmsr(p, 0xc0000300, &out[9]);
	}
}

struct trace {
	uint64_t ticks;		/* instructions retired so far */
	uint64_t first_pmi;	/* 1-based index of the instruction that raised it */
};

static void note(struct trace *t, uint64_t pmi)
{
	t->ticks++;
	if (pmi && !t->first_pmi)
		t->first_pmi = t->ticks;
}

/* Step from the LOOP at `rip` with RCX = rcx until it falls through. */
static void step_rest(struct sim *s, struct vpmu *p, uint64_t rip, uint64_t rcx,
		      uint8_t cpl, uint32_t cpi, struct trace *t)
{
	uint64_t exit = rip + 2;

	s->rcx = rcx;
	while (rip != exit) {
		struct vpmu_tick k;

		assert_int_equal(sim_step(s, &rip, cpl, cpi, &k), INSN_OK);
		note(t, vpmu_count(p, &k, 1));
	}
}

/* how often each path of fast() ran: the test must reach all of them */
static unsigned int n_declined, n_whole, n_cut, n_pmi;

/* The fast path as fastloop.c runs it: headroom periods in closed form,
 * the final LOOP retired if the whole loop ran, else the rest stepped. */
static void fast(struct sim *s, struct vpmu *p, uint64_t rip, uint64_t c,
		 uint8_t cpl, uint32_t cpi, struct trace *t)
{
	static struct loop_shape shape;
	struct vpmu_span sp[2];
	struct insn l;
	uint64_t h, periods;
	unsigned int n;

	assert_int_equal(sim_decode(s, rip, &l), INSN_OK);
	assert_true(loop_qualifies(&l, rip, s->code, s->size, &shape));
	n = loop_period_spans(&l, shape.body, cpl, cpi, sp);
	h = vpmu_headroom_pattern(p, sp, n);
	if (c < 2 || !h) {		/* fastloop_start() declines */
		n_declined++;
		step_rest(s, p, rip, c, cpl, cpi, t);
		return;
	}
	periods = h < c - 1 ? h : c - 1;
	/* no counter can wrap within the headroom: no PMI in here */
	assert_int_equal(vpmu_count_pattern(p, sp, n, periods), 0);
	t->ticks += periods * (shape.body + 1);
	if (periods == c - 1) {
		struct vpmu_tick k;

		n_whole++;
		insn_retire_tick_taken(&l, false, cpl, cpi, &k);
		note(t, vpmu_count(p, &k, 1));
		return;
	}
	n_cut++;
	step_rest(s, p, rip, c - periods, cpl, cpi, t);
}

static void compare_one(const uint8_t *code, size_t len, uint64_t rip,
			const char *model, uint64_t c, uint8_t cpl, uint32_t cpi)
{
	static _Alignas(8) unsigned char ma[8192], mb[8192];
	bool intel = vpmu_model_find(model)->vendor == VPMU_VENDOR_INTEL;
	struct vpmu *a = new_pmu(ma, model), *b;
	struct trace ta = { 0 }, tb = { 0 };
	uint64_t ra[10], rb[10];
	struct sim s;

	program(a, intel);
	b = new_pmu(mb, model);
	memcpy(b, a, vpmu_state_size());
	sim_init(&s, code, len, BASE, CPU_MODE_LONG64);
	s.cache = true;
	step_rest(&s, a, rip, c, cpl, cpi, &ta);
	sim_init(&s, code, len, BASE, CPU_MODE_LONG64);
	s.cache = true;
	fast(&s, b, rip, c, cpl, cpi, &tb);
	regs(a, intel, ra);
	regs(b, intel, rb);
	n_pmi += ta.first_pmi != 0;
	if (memcmp(ra, rb, sizeof(ra)) || ta.ticks != tb.ticks || ta.first_pmi != tb.first_pmi ||
	    vpmu_take_pmi(a) != vpmu_take_pmi(b))
		fail_msg("%s, %llu trips, CPI %u: stepped %llu insns (first PMI at %llu), "
			 "fast %llu (first PMI at %llu); PMC0 %#llx vs %#llx, status %#llx vs %#llx",
			 model, (unsigned long long)c, cpi, (unsigned long long)ta.ticks,
			 (unsigned long long)ta.first_pmi, (unsigned long long)tb.ticks,
			 (unsigned long long)tb.first_pmi, (unsigned long long)ra[0],
			 (unsigned long long)rb[0], (unsigned long long)ra[9],
			 (unsigned long long)rb[9]);
}

static void test_fast_equals_stepping(void **state)
{
	static const char *const models[] = { "skylake", "icelake", "lean", "zen4", "zen2" };
	uint8_t body[32], code[MAX_CODE];
	uint64_t rip;

	(void)state;
	for (unsigned int iter = 0; iter < 1500; iter++) {
		unsigned int shape = test_rnd(3), n = 0;
		size_t len;

		if (shape == 1) {	/* kvm-unit-tests' body */
			n = KUT_LOOP - KUT_BODY;
			memcpy(body, kut_loop64 + KUT_BODY, n);
		} else if (shape == 2) {	/* 1..6 register instructions */
			static const uint8_t plain[][4] = {
				{ 1, 0x90 },			/* nop */
				{ 2, 0xff, 0xc0 },		/* inc %eax */
				{ 2, 0x31, 0xd2 },		/* xor %edx,%edx */
				{ 3, 0x48, 0x8d, 0x00 },	/* lea (%rax),%rax */
			};
			unsigned int k = 1 + test_rnd(6);

			while (k--) {
				const uint8_t *in = plain[test_rnd(4)];

				memcpy(body + n, in + 1, in[0]);
				n += in[0];
			}
		}			/* shape 0: `loop .` */
		len = build_loop(code, body, n, 0, false, &rip);
		compare_one(code, len, rip, models[test_rnd(5)], 1 + test_rnd(300), (uint8_t)(test_rnd(4) ? 0 : 3),
			    test_rnd(2) ? 1 : 3);
	}
	print_message("declined %u, whole loop %u, cut short %u, with a PMI %u\n",
		      n_declined, n_whole, n_cut, n_pmi);
	assert_true(n_declined && n_whole > 100 && n_cut > 100 && n_pmi > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qualifies),
		cmocka_unit_test(test_qualifies_edges),
		cmocka_unit_test(test_qualifies_ip_wrap),
		cmocka_unit_test(test_qualifies_kut),
		cmocka_unit_test(test_fast_equals_stepping),
	};

	insn_decoder_init();
	return cmocka_run_group_tests_name("engine_loop", tests, NULL, NULL);
}
