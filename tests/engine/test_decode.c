/* SPDX-License-Identifier: MIT */
/*
 * insn_decode(): real byte sequences of every class in 64-, 32- and
 * 16-bit modes (lengths, classes, flags, targets), branch conditions, the
 * mode helper.  Byte sequences were checked against GNU as/objdump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "decode.h"

#define NONE	UINT64_MAX	/* no target expected (not a direct branch) */

struct dcase {
	const char *what;
	uint8_t bytes[15];
	uint8_t nbytes;
	uint8_t cls;
	uint8_t length;
	uint8_t flags;
	uint64_t rip;
	uint64_t target;	/* insn_target(); NONE: not INSN_F_REL */
};

#define B(...)	.bytes = { __VA_ARGS__ }, \
		.nbytes = sizeof((uint8_t[]){ __VA_ARGS__ })
#define COND_REL	(INSN_F_COND | INSN_F_REL)

static void check_one(const struct dcase *c, enum cpu_mode mode)
{
	struct insn i;
	int rc = insn_decode(&i, c->bytes, c->nbytes, mode);

	if (rc != INSN_OK) {
		print_error("%s: insn_decode = %d\n", c->what, rc);
		fail();
	}
	if (i.cls != c->cls || i.length != c->length || i.flags != c->flags) {
		print_error("%s: class %s len %u flags %#x, want %s %u %#x\n",
			    c->what, insn_class_name(i.cls), i.length, i.flags,
			    insn_class_name(c->cls), c->length, c->flags);
		fail();
	}
	assert_int_equal(i.mode, mode);
	assert_int_equal(insn_fallthrough(&i, c->rip),
			 c->rip + c->length);
	if (c->target == NONE) {
		assert_false(i.flags & INSN_F_REL);
		return;
	}
	if (insn_target(&i, c->rip) != c->target) {
		print_error("%s: target %#llx, want %#llx\n", c->what,
			    (unsigned long long)insn_target(&i, c->rip),
			    (unsigned long long)c->target);
		fail();
	}
}

static void check_all(const struct dcase *c, size_t n, enum cpu_mode mode)
{
	for (size_t k = 0; k < n; k++)
		check_one(&c[k], mode);
}

/* ------------------------------------------------------------------ */
/* 64-bit mode                                                        */
/* ------------------------------------------------------------------ */

static const struct dcase branches64[] = {
	{ "loop .", B(0xe2, 0xfe), INSN_LOOP, 2, COND_REL, 0x1000, 0x1000 },
	{ "loope .", B(0xe1, 0xfe), INSN_LOOP, 2, COND_REL, 0x1000, 0x1000 },
	{ "loopne .", B(0xe0, 0xfe), INSN_LOOP, 2, COND_REL, 0x1000, 0x1000 },
	{ "KUT loop 1b", B(0xe2, 0xf0), INSN_LOOP, 2, COND_REL, 0x401a, 0x400c },
	{ "jnz rel32", B(0x0f, 0x85, 0x10, 0, 0, 0), INSN_JCC, 6, COND_REL,
	  0x1000, 0x1016 },
	{ "jnz .+2", B(0x75, 0x00), INSN_JCC, 2, COND_REL, 0x1000, 0x1002 },
	{ "jl back", B(0x7c, 0xf0), INSN_JCC, 2, COND_REL, 0x1000, 0xff2 },
	{ "jo rel32 back", B(0x0f, 0x80, 0x00, 0xff, 0xff, 0xff), INSN_JCC, 6,
	  COND_REL, 0x10000, 0xff06 },
	{ "jrcxz", B(0xe3, 0xfe), INSN_JRCXZ, 2, COND_REL, 0x1000, 0x1000 },
	{ "jecxz", B(0x67, 0xe3, 0xfe), INSN_JRCXZ, 3, COND_REL, 0x1000,
	  0x1001 },
	{ "jmp .+2", B(0xeb, 0x00), INSN_JMP, 2, INSN_F_REL, 0x1000, 0x1002 },
	{ "jmp rel32", B(0xe9, 0x00, 0x01, 0, 0), INSN_JMP, 5, INSN_F_REL,
	  0x1000, 0x1105 },
	{ "jmp high", B(0xe9, 0xfb, 0xff, 0xff, 0xff), INSN_JMP, 5,
	  INSN_F_REL, 0xffffffff80001000ull, 0xffffffff80001000ull },
	{ "jmp *%rax", B(0xff, 0xe0), INSN_JMP_IND, 2, 0, 0x1000, NONE },
	{ "jmp *0(%rip)", B(0xff, 0x25, 0, 0, 0, 0), INSN_JMP_IND, 6, 0,
	  0x1000, NONE },
	{ "call next", B(0xe8, 0, 0, 0, 0), INSN_CALL, 5, INSN_F_REL, 0x1000,
	  0x1005 },
	{ "call *%rax", B(0xff, 0xd0), INSN_CALL_IND, 2, 0, 0x1000, NONE },
	{ "call *8(%rbx)", B(0xff, 0x53, 0x08), INSN_CALL_IND, 3, 0, 0x1000,
	  NONE },
	{ "ret", B(0xc3), INSN_RET, 1, 0, 0x1000, NONE },
	{ "ret $8", B(0xc2, 0x08, 0x00), INSN_RET, 3, 0, 0x1000, NONE },
	{ "rep ret", B(0xf3, 0xc3), INSN_RET, 2, 0, 0x1000, NONE },
	{ "lret", B(0xcb), INSN_FAR_RET, 1, 0, 0x1000, NONE },
	{ "lretq", B(0x48, 0xcb), INSN_FAR_RET, 2, 0, 0x1000, NONE },
	{ "lret $4", B(0xca, 0x04, 0x00), INSN_FAR_RET, 3, 0, 0x1000, NONE },
	{ "ljmp *0(%rip)", B(0xff, 0x2d, 0, 0, 0, 0), INSN_FAR_JMP, 6, 0,
	  0x1000, NONE },
	{ "rex.w ljmp *0(%rip)", B(0x48, 0xff, 0x2d, 0, 0, 0, 0),
	  INSN_FAR_JMP, 7, 0, 0x1000, NONE },
	{ "ljmp *(%rax)", B(0xff, 0x28), INSN_FAR_JMP, 2, 0, 0x1000, NONE },
	{ "lcall *0(%rip)", B(0xff, 0x1d, 0, 0, 0, 0), INSN_FAR_CALL, 6, 0,
	  0x1000, NONE },
	{ "lcall *(%rax)", B(0xff, 0x18), INSN_FAR_CALL, 2, 0, 0x1000, NONE },
	{ "iretd", B(0xcf), INSN_IRET, 1, 0, 0x1000, NONE },
	{ "iretq", B(0x48, 0xcf), INSN_IRET, 2, 0, 0x1000, NONE },
	{ "syscall", B(0x0f, 0x05), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "sysret", B(0x0f, 0x07), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "sysretq", B(0x48, 0x0f, 0x07), INSN_SYS, 3, 0, 0x1000, NONE },
	{ "sysenter", B(0x0f, 0x34), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "sysexit", B(0x0f, 0x35), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "int3", B(0xcc), INSN_INT, 1, 0, 0x1000, NONE },
	{ "int $0x80", B(0xcd, 0x80), INSN_INT, 2, 0, 0x1000, NONE },
	{ "int1", B(0xf1), INSN_INT, 1, 0, 0x1000, NONE },
};

static const struct dcase system64[] = {
	{ "rdpmc", B(0x0f, 0x33), INSN_RDPMC, 2, 0, 0x1000, NONE },
	{ "rdmsr", B(0x0f, 0x32), INSN_RDMSR, 2, 0, 0x1000, NONE },
	{ "wrmsr", B(0x0f, 0x30), INSN_WRMSR, 2, 0, 0x1000, NONE },
	{ "hlt", B(0xf4), INSN_HLT, 1, 0, 0x1000, NONE },
	{ "mfence", B(0x0f, 0xae, 0xf0), INSN_FENCE, 3, 0, 0x1000, NONE },
	{ "lfence", B(0x0f, 0xae, 0xe8), INSN_FENCE, 3, 0, 0x1000, NONE },
	{ "sfence", B(0x0f, 0xae, 0xf8), INSN_FENCE, 3, 0, 0x1000, NONE },
	{ "clflush (%rax)", B(0x0f, 0xae, 0x38), INSN_PLAIN, 3, 0, 0x1000,
	  NONE },
	{ "out %al,(%dx)", B(0xee), INSN_OUT, 1, 0, 0x1000, NONE },
	{ "out %eax,(%dx)", B(0xef), INSN_OUT, 1, 0, 0x1000, NONE },
	{ "out %al,$0x80", B(0xe6, 0x80), INSN_OUT, 2, 0, 0x1000, NONE },
	{ "outsb", B(0x6e), INSN_OUT, 1, 0, 0x1000, NONE },
	{ "rep outsb", B(0xf3, 0x6e), INSN_OUT, 2, INSN_F_REP, 0x1000, NONE },
	{ "in (%dx),%al", B(0xec), INSN_IN, 1, 0, 0x1000, NONE },
	{ "in $0x80,%al", B(0xe4, 0x80), INSN_IN, 2, 0, 0x1000, NONE },
	{ "insb", B(0x6c), INSN_IN, 1, 0, 0x1000, NONE },
	{ "rep insw", B(0xf3, 0x66, 0x6d), INSN_IN, 3, INSN_F_REP, 0x1000,
	  NONE },
	{ "rep movsb", B(0xf3, 0xa4), INSN_REP_STRING, 2, INSN_F_REP, 0x1000,
	  NONE },
	{ "rep stosq", B(0xf3, 0x48, 0xab), INSN_REP_STRING, 3, INSN_F_REP,
	  0x1000, NONE },
	{ "repe cmpsb", B(0xf3, 0xa6), INSN_REP_STRING, 2, INSN_F_REP, 0x1000,
	  NONE },
	{ "repne scasb", B(0xf2, 0xae), INSN_REP_STRING, 2, INSN_F_REP,
	  0x1000, NONE },
	{ "rep lodsd", B(0xf3, 0xad), INSN_REP_STRING, 2, INSN_F_REP, 0x1000,
	  NONE },
	{ "movsb (no rep)", B(0xa4), INSN_PLAIN, 1, 0, 0x1000, NONE },
	{ "movsd %xmm1,%xmm0 (SSE)", B(0xf2, 0x0f, 0x10, 0xc1), INSN_PLAIN, 4,
	  0, 0x1000, NONE },
	{ "cpuid", B(0x0f, 0xa2), INSN_CPUID, 2, 0, 0x1000, NONE },
	{ "pause", B(0xf3, 0x90), INSN_PAUSE, 2, 0, 0x1000, NONE },
	{ "nop", B(0x90), INSN_PLAIN, 1, 0, 0x1000, NONE },
	{ "nopl 0(%rax)", B(0x0f, 0x1f, 0x40, 0x00), INSN_PLAIN, 4, 0, 0x1000,
	  NONE },
	{ "mov (%rax),%rdx", B(0x48, 0x8b, 0x10), INSN_PLAIN, 3, 0, 0x1000,
	  NONE },
	{ "add $64,%rax", B(0x48, 0x83, 0xc0, 0x40), INSN_PLAIN, 4, 0, 0x1000,
	  NONE },
	{ "leave", B(0xc9), INSN_PLAIN, 1, 0, 0x1000, NONE },
	{ "ud2", B(0x0f, 0x0b), INSN_UD, 2, 0, 0x1000, NONE },
	{ "ud1", B(0x0f, 0xb9, 0x00), INSN_UD, 3, 0, 0x1000, NONE },
	{ "vmcall", B(0x0f, 0x01, 0xc1), INSN_HYPERCALL, 3, 0, 0x1000, NONE },
	{ "vmmcall", B(0x0f, 0x01, 0xd9), INSN_HYPERCALL, 3, 0, 0x1000, NONE },
	{ "xbegin", B(0xc7, 0xf8, 0, 0, 0, 0), INSN_OTHER, 6, 0, 0x1000, NONE },
	{ "rsm", B(0x0f, 0xaa), INSN_OTHER, 2, 0, 0x1000, NONE },
};

static void test_branches_64(void **state)
{
	(void)state;
	check_all(branches64, sizeof(branches64) / sizeof(branches64[0]),
		  CPU_MODE_LONG64);
}

static void test_system_64(void **state)
{
	(void)state;
	check_all(system64, sizeof(system64) / sizeof(system64[0]),
		  CPU_MODE_LONG64);
}

/* ------------------------------------------------------------------ */
/* 32-bit protected (and compat) mode                                  */
/* ------------------------------------------------------------------ */

static const struct dcase prot32[] = {
	{ "loop .", B(0xe2, 0xfe), INSN_LOOP, 2, COND_REL, 0x1000, 0x1000 },
	{ "loopw (67: CX)", B(0x67, 0xe2, 0xfe), INSN_LOOP, 3, COND_REL, 0x1000,
	  0x1001 },
	{ "jnz rel32", B(0x0f, 0x85, 0x10, 0, 0, 0), INSN_JCC, 6, COND_REL,
	  0x1000, 0x1016 },
	{ "jecxz", B(0xe3, 0xfe), INSN_JRCXZ, 2, COND_REL, 0x1000, 0x1000 },
	{ "jmp rel32 wraps at 4G", B(0xe9, 0x20, 0, 0, 0), INSN_JMP, 5,
	  INSN_F_REL, 0xfffffff0, 0x15 },
	{ "jmp rel16 (66) wraps at 64K", B(0x66, 0xe9, 0xfc, 0xff), INSN_JMP, 4,
	  INSN_F_REL, 0x12345, 0x2345 },
	{ "call rel32", B(0xe8, 0xfb, 0xff, 0xff, 0xff), INSN_CALL, 5,
	  INSN_F_REL, 0x2000, 0x2000 },
	{ "call *%eax", B(0xff, 0xd0), INSN_CALL_IND, 2, 0, 0x1000, NONE },
	{ "jmp *%eax", B(0xff, 0xe0), INSN_JMP_IND, 2, 0, 0x1000, NONE },
	{ "ret", B(0xc3), INSN_RET, 1, 0, 0x1000, NONE },
	{ "ljmp $8,$0x1000", B(0xea, 0x00, 0x10, 0x00, 0x00, 0x08, 0x00),
	  INSN_FAR_JMP, 7, 0, 0x1000, NONE },
	{ "lcall $8,$0x1000", B(0x9a, 0x00, 0x10, 0x00, 0x00, 0x08, 0x00),
	  INSN_FAR_CALL, 7, 0, 0x1000, NONE },
	{ "ljmp *0x1000", B(0xff, 0x2d, 0x00, 0x10, 0x00, 0x00), INSN_FAR_JMP,
	  6, 0, 0x1000, NONE },
	{ "lret", B(0xcb), INSN_FAR_RET, 1, 0, 0x1000, NONE },
	{ "iret", B(0xcf), INSN_IRET, 1, 0, 0x1000, NONE },
	{ "iretw", B(0x66, 0xcf), INSN_IRET, 2, 0, 0x1000, NONE },
	{ "sysenter", B(0x0f, 0x34), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "sysexit", B(0x0f, 0x35), INSN_SYS, 2, 0, 0x1000, NONE },
	{ "int $0x80", B(0xcd, 0x80), INSN_INT, 2, 0, 0x1000, NONE },
	{ "into", B(0xce), INSN_INT, 1, 0, 0x1000, NONE },
	{ "rdpmc", B(0x0f, 0x33), INSN_RDPMC, 2, 0, 0x1000, NONE },
	{ "wrmsr", B(0x0f, 0x30), INSN_WRMSR, 2, 0, 0x1000, NONE },
	{ "mfence", B(0x0f, 0xae, 0xf0), INSN_FENCE, 3, 0, 0x1000, NONE },
	{ "rep movsb", B(0xf3, 0xa4), INSN_REP_STRING, 2, INSN_F_REP, 0x1000,
	  NONE },
	{ "out %al,(%dx)", B(0xee), INSN_OUT, 1, 0, 0x1000, NONE },
	{ "hlt", B(0xf4), INSN_HLT, 1, 0, 0x1000, NONE },
	{ "cpuid", B(0x0f, 0xa2), INSN_CPUID, 2, 0, 0x1000, NONE },
	{ "mov (%eax),%edx", B(0x8b, 0x10), INSN_PLAIN, 2, 0, 0x1000, NONE },
	{ "inc %eax (not REX)", B(0x40), INSN_PLAIN, 1, 0, 0x1000, NONE },
};

static void test_prot32(void **state)
{
	(void)state;
	check_all(prot32, sizeof(prot32) / sizeof(prot32[0]), CPU_MODE_PROT32);
}

/* ------------------------------------------------------------------ */
/* 16-bit: real mode and 16-bit protected mode                         */
/* ------------------------------------------------------------------ */

static const struct dcase mode16[] = {
	{ "loop .", B(0xe2, 0xfe), INSN_LOOP, 2, COND_REL, 0x100, 0x100 },
	{ "jne back", B(0x75, 0xe6), INSN_JCC, 2, COND_REL, 0x3a, 0x22 },
	{ "jnz rel16", B(0x0f, 0x85, 0x10, 0x00), INSN_JCC, 4, COND_REL, 0x100,
	  0x114 },
	{ "jcxz", B(0xe3, 0xfe), INSN_JRCXZ, 2, COND_REL, 0x100, 0x100 },
	{ "jmp rel16 wraps at 64K", B(0xe9, 0x10, 0x00), INSN_JMP, 3,
	  INSN_F_REL, 0xfff0, 0x0003 },
	{ "jmp rel32 (66)", B(0x66, 0xe9, 0xfb, 0xff, 0xff, 0xff), INSN_JMP, 6,
	  INSN_F_REL, 0x100, 0x101 },
	{ "call rel16", B(0xe8, 0x00, 0x00), INSN_CALL, 3, INSN_F_REL, 0x100,
	  0x103 },
	{ "call *%ax", B(0xff, 0xd0), INSN_CALL_IND, 2, 0, 0x100, NONE },
	{ "ret", B(0xc3), INSN_RET, 1, 0, 0x100, NONE },
	{ "ljmp $0x800,$0", B(0xea, 0x00, 0x00, 0x00, 0x08), INSN_FAR_JMP, 5, 0,
	  0x100, NONE },
	{ "lcall $0x800,$0x10", B(0x9a, 0x10, 0x00, 0x00, 0x08), INSN_FAR_CALL,
	  5, 0, 0x100, NONE },
	{ "66 ljmp ptr16:32", B(0x66, 0xea, 0, 0, 0, 0, 0x08, 0x00),
	  INSN_FAR_JMP, 8, 0, 0x100, NONE },
	{ "lret", B(0xcb), INSN_FAR_RET, 1, 0, 0x100, NONE },
	{ "iret", B(0xcf), INSN_IRET, 1, 0, 0x100, NONE },
	{ "int $0x10", B(0xcd, 0x10), INSN_INT, 2, 0, 0x100, NONE },
	{ "into", B(0xce), INSN_INT, 1, 0, 0x100, NONE },
	{ "rep movsb", B(0xf3, 0xa4), INSN_REP_STRING, 2, INSN_F_REP, 0x100,
	  NONE },
	{ "out %al,$0x80", B(0xe6, 0x80), INSN_OUT, 2, 0, 0x100, NONE },
	{ "in (%dx),%al", B(0xec), INSN_IN, 1, 0, 0x100, NONE },
	{ "hlt", B(0xf4), INSN_HLT, 1, 0, 0x100, NONE },
	{ "wrmsr", B(0x0f, 0x30), INSN_WRMSR, 2, 0, 0x100, NONE },
	{ "mov (%bx),%dx", B(0x8b, 0x17), INSN_PLAIN, 2, 0, 0x100, NONE },
	{ "mov $imm16,%ax", B(0xb8, 0x34, 0x12), INSN_PLAIN, 3, 0, 0x100,
	  NONE },
};

static void test_real16(void **state)
{
	(void)state;
	check_all(mode16, sizeof(mode16) / sizeof(mode16[0]), CPU_MODE_REAL16);
}

static void test_prot16(void **state)
{
	(void)state;
	check_all(mode16, sizeof(mode16) / sizeof(mode16[0]), CPU_MODE_PROT16);
}

/* A 16-bit IP wraps: `jmp .` at 0xfffe falls through to 0 (not 0x10000). */
static void test_ip_wrap_16(void **state)
{
	static const uint8_t jmp_self[] = { 0xeb, 0xfe };
	struct insn i;

	(void)state;
	assert_int_equal(insn_decode(&i, jmp_self, 2, CPU_MODE_REAL16), INSN_OK);
	assert_int_equal(insn_fallthrough(&i, 0xfffe), 0);
	assert_int_equal(insn_target(&i, 0xfffe), 0xfffe);
	assert_int_equal(insn_decode(&i, jmp_self, 2, CPU_MODE_PROT32), INSN_OK);
	assert_int_equal(insn_fallthrough(&i, 0xfffffffe), 0);
	assert_int_equal(insn_target(&i, 0xfffffffe), 0xfffffffe);
	assert_int_equal(insn_decode(&i, jmp_self, 2, CPU_MODE_LONG64), INSN_OK);
	assert_int_equal(insn_fallthrough(&i, 0xfffffffe), 0x100000000ull);
}

/* ------------------------------------------------------------------ */
/* Sizes that differ by mode                                            */
/* ------------------------------------------------------------------ */

static void test_widths(void **state)
{
	static const uint8_t loop[] = { 0xe2, 0xfe };
	static const uint8_t loop67[] = { 0x67, 0xe2, 0xfe };
	static const uint8_t jmp66[] = { 0x66, 0xe9, 0xfc, 0xff };
	struct insn i;

	(void)state;
	assert_int_equal(insn_decode(&i, loop, 2, CPU_MODE_LONG64), INSN_OK);
	assert_int_equal(i.addr_bits, 64);
	assert_int_equal(i.ip_bits, 64);
	assert_int_equal(i.cc, INSN_LOOP_ALWAYS);
	assert_int_equal(insn_decode(&i, loop67, 3, CPU_MODE_LONG64), INSN_OK);
	assert_int_equal(i.addr_bits, 32);
	assert_int_equal(insn_decode(&i, loop, 2, CPU_MODE_PROT32), INSN_OK);
	assert_int_equal(i.addr_bits, 32);
	assert_int_equal(i.ip_bits, 32);
	assert_int_equal(insn_decode(&i, loop67, 3, CPU_MODE_PROT32), INSN_OK);
	assert_int_equal(i.addr_bits, 16);
	assert_int_equal(insn_decode(&i, loop, 2, CPU_MODE_REAL16), INSN_OK);
	assert_int_equal(i.addr_bits, 16);
	assert_int_equal(i.ip_bits, 16);
	assert_int_equal(insn_decode(&i, loop67, 3, CPU_MODE_REAL16), INSN_OK);
	assert_int_equal(i.addr_bits, 32);
	/* 66 shrinks a near branch to 16 bits in 32-bit mode only */
	assert_int_equal(insn_decode(&i, jmp66, 4, CPU_MODE_PROT32), INSN_OK);
	assert_int_equal(i.op_bits, 16);
	assert_int_equal(i.length, 4);
	/* ...in 64-bit mode it is ignored (Intel): rel32 follows, 7 bytes */
	assert_int_equal(insn_decode(&i, jmp66, 4, CPU_MODE_LONG64), INSN_ESHORT);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

static void test_errors(void **state)
{
	static const uint8_t far_jmp[] = { 0xea, 0, 0, 0, 0, 0x08, 0 };
	static const uint8_t into[] = { 0xce };
	static const uint8_t call_short[] = { 0xe8, 0x00, 0x00 };
	static const uint8_t twobyte[] = { 0x0f };
	static const uint8_t too_long[16] = {
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x90 };
	struct insn i = { .length = 77 };

	(void)state;
	/* JMP ptr16:32 and INTO do not exist in 64-bit mode (#UD) */
	assert_int_equal(insn_decode(&i, far_jmp, 7, CPU_MODE_LONG64),
			 INSN_EINVAL);
	assert_int_equal(insn_decode(&i, into, 1, CPU_MODE_LONG64), INSN_EINVAL);
	assert_int_equal(insn_decode(&i, call_short, 3, CPU_MODE_LONG64),
			 INSN_ESHORT);
	assert_int_equal(insn_decode(&i, twobyte, 1, CPU_MODE_PROT32),
			 INSN_ESHORT);
	assert_int_equal(insn_decode(&i, twobyte, 0, CPU_MODE_PROT32),
			 INSN_ESHORT);
	assert_int_equal(insn_decode(&i, too_long, 16, CPU_MODE_LONG64),
			 INSN_EINVAL);
	assert_int_equal(insn_decode(&i, into, 1, (enum cpu_mode)4), INSN_EMODE);
	assert_int_equal(i.length, 77);		/* untouched on error */
	assert_int_equal(insn_decoder_init(), 0);	/* idempotent */
}

/* ------------------------------------------------------------------ */
/* Branch conditions                                                   */
/* ------------------------------------------------------------------ */

#define CF	(1u << 0)
#define PF	(1u << 2)
#define ZF	(1u << 6)
#define SF	(1u << 7)
#define OF	(1u << 11)

static bool jcc(unsigned int cc, uint64_t rflags)
{
	uint8_t b[2] = { (uint8_t)(0x70 | cc), 0x10 };
	struct insn i;

	assert_int_equal(insn_decode(&i, b, 2, CPU_MODE_LONG64), INSN_OK);
	assert_int_equal(i.cls, INSN_JCC);
	assert_int_equal(i.cc, cc);
	return insn_cond_taken(&i, rflags, 0);
}

static void test_jcc_conditions(void **state)
{
	(void)state;
	assert_true(jcc(0x0, OF));	assert_false(jcc(0x0, 0));	/* jo */
	assert_true(jcc(0x1, 0));	assert_false(jcc(0x1, OF));	/* jno */
	assert_true(jcc(0x2, CF));	assert_false(jcc(0x2, ZF));	/* jb */
	assert_true(jcc(0x3, ZF));	assert_false(jcc(0x3, CF));	/* jae */
	assert_true(jcc(0x4, ZF));	assert_false(jcc(0x4, CF));	/* je */
	assert_true(jcc(0x5, SF));	assert_false(jcc(0x5, ZF));	/* jne */
	assert_true(jcc(0x6, CF));	assert_true(jcc(0x6, ZF));	/* jbe */
	assert_false(jcc(0x6, SF | OF | PF));
	assert_true(jcc(0x7, SF));	assert_false(jcc(0x7, CF));	/* ja */
	assert_false(jcc(0x7, ZF));
	assert_true(jcc(0x8, SF));	assert_false(jcc(0x8, OF));	/* js */
	assert_true(jcc(0x9, OF));	assert_false(jcc(0x9, SF));	/* jns */
	assert_true(jcc(0xa, PF));	assert_false(jcc(0xa, 0));	/* jp */
	assert_true(jcc(0xb, CF));	assert_false(jcc(0xb, PF));	/* jnp */
	assert_true(jcc(0xc, SF));	assert_true(jcc(0xc, OF));	/* jl */
	assert_false(jcc(0xc, SF | OF));	assert_false(jcc(0xc, ZF));
	assert_true(jcc(0xd, SF | OF));	assert_true(jcc(0xd, 0));	/* jge */
	assert_false(jcc(0xd, SF));
	assert_true(jcc(0xe, ZF | SF | OF)); assert_true(jcc(0xe, OF)); /* jle */
	assert_false(jcc(0xe, SF | OF));	assert_false(jcc(0xe, CF));
	assert_true(jcc(0xf, 0));	assert_true(jcc(0xf, SF | OF));	/* jg */
	assert_false(jcc(0xf, ZF));	assert_false(jcc(0xf, SF));
}

static bool cond(const uint8_t *b, size_t n, enum cpu_mode m, uint64_t rflags,
		 uint64_t rcx)
{
	struct insn i;

	assert_int_equal(insn_decode(&i, b, n, m), INSN_OK);
	return insn_cond_taken(&i, rflags, rcx);
}

static void test_loop_conditions(void **state)
{
	static const uint8_t loop[] = { 0xe2, 0xfe };
	static const uint8_t loope[] = { 0xe1, 0xfe };
	static const uint8_t loopne[] = { 0xe0, 0xfe };
	static const uint8_t loop67[] = { 0x67, 0xe2, 0xfe };
	static const uint8_t jrcxz[] = { 0xe3, 0xfe };
	static const uint8_t jecxz[] = { 0x67, 0xe3, 0xfe };
	static const uint8_t jmp[] = { 0xeb, 0xfe };
	const enum cpu_mode L = CPU_MODE_LONG64;

	(void)state;
	/* LOOP: RCX-1 != 0 */
	assert_false(cond(loop, 2, L, 0, 1));
	assert_true(cond(loop, 2, L, 0, 2));
	assert_true(cond(loop, 2, L, 0, 0));		/* 0 wraps: 2^64-1 left */
	/* address size picks CX/ECX/RCX */
	assert_false(cond(loop67, 3, L, 0, 0x100000001ull));	/* ECX = 1 */
	assert_true(cond(loop, 2, L, 0, 0x100000001ull));
	assert_false(cond(loop, 2, CPU_MODE_REAL16, 0, 0x10001));	/* CX = 1 */
	assert_false(cond(loop, 2, CPU_MODE_PROT32, 0, 0xffff00000001ull));
	/* LOOPE/LOOPNE also test ZF */
	assert_true(cond(loope, 2, L, ZF, 5));
	assert_false(cond(loope, 2, L, 0, 5));
	assert_false(cond(loope, 2, L, ZF, 1));
	assert_true(cond(loopne, 2, L, 0, 5));
	assert_false(cond(loopne, 2, L, ZF, 5));
	assert_false(cond(loopne, 2, L, 0, 1));
	/* JrCXZ: rCX == 0, no decrement */
	assert_true(cond(jrcxz, 2, L, 0, 0));
	assert_false(cond(jrcxz, 2, L, 0, 1));
	assert_true(cond(jecxz, 3, L, 0, 0x100000000ull));
	assert_false(cond(jrcxz, 2, L, 0, 0x100000000ull));
	assert_true(cond(jrcxz, 2, CPU_MODE_REAL16, 0, 0x10000));
	/* not a conditional branch */
	assert_false(cond(jmp, 2, L, ZF | CF, 0));
}

static void test_cpu_mode_of(void **state)
{
	(void)state;
	/* pe, vm, lma, cs.l, cs.d */
	assert_int_equal(cpu_mode_of(false, false, false, false, false),
			 CPU_MODE_REAL16);
	assert_int_equal(cpu_mode_of(true, true, false, false, false),
			 CPU_MODE_REAL16);			/* vm86 */
	assert_int_equal(cpu_mode_of(true, false, false, false, false),
			 CPU_MODE_PROT16);
	assert_int_equal(cpu_mode_of(true, false, false, false, true),
			 CPU_MODE_PROT32);
	assert_int_equal(cpu_mode_of(true, false, true, false, true),
			 CPU_MODE_PROT32);			/* compat 32 */
	assert_int_equal(cpu_mode_of(true, false, true, false, false),
			 CPU_MODE_PROT16);			/* compat 16 */
	assert_int_equal(cpu_mode_of(true, false, true, true, false),
			 CPU_MODE_LONG64);
	/* CS.L with EFER.LMA = 0 is ignored */
	assert_int_equal(cpu_mode_of(true, false, false, true, true),
			 CPU_MODE_PROT32);
}

static void test_class_names(void **state)
{
	(void)state;
	for (unsigned int c = 0; c < INSN_CLASS_NR; c++) {
		assert_non_null(insn_class_name(c));
		assert_string_not_equal(insn_class_name(c), "?");
	}
	assert_string_equal(insn_class_name(INSN_LOOP), "loop");
	assert_string_equal(insn_class_name(INSN_CLASS_NR), "?");
}

static void test_struct_is_compact(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct insn), 12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_branches_64),
		cmocka_unit_test(test_system_64),
		cmocka_unit_test(test_prot32),
		cmocka_unit_test(test_real16),
		cmocka_unit_test(test_prot16),
		cmocka_unit_test(test_ip_wrap_16),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_jcc_conditions),
		cmocka_unit_test(test_loop_conditions),
		cmocka_unit_test(test_cpu_mode_of),
		cmocka_unit_test(test_class_names),
		cmocka_unit_test(test_struct_is_compact),
	};

	return cmocka_run_group_tests_name("engine decode", tests, NULL, NULL);
}
