/* SPDX-License-Identifier: MIT */
/*
 * A toy "CPU" for the engine tests: walks real machine code the way the
 * stepping loop will, one decoded instruction at a time, computing where
 * each one goes (conditionals from RFLAGS/RCX with insn_cond_taken,
 * LOOP decrementing RCX, direct targets with insn_target, indirect ones
 * from `ind_target`).  It executes nothing else: the code under test is
 * chosen so that only RCX and the branch outcomes matter.
 *
 * Also the byte image of kvm-unit-tests' precise measured loop (x86/pmu.c
 * LOOP_ASM + IBPB_JMP_ASM, KVM-UNIT-TESTS.md §3.2), assembled with GNU as.
 */
#ifndef TESTS_ENGINE_SIM_H
#define TESTS_ENGINE_SIM_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "decode.h"
#include "retire.h"

#define SIM_MAX_CODE	256

struct sim {
	const uint8_t *code;
	size_t size;
	uint64_t base;		/* RIP of code[0] */
	enum cpu_mode mode;
	uint64_t rcx, rflags;
	uint64_t ind_target;	/* where JMP_IND / CALL_IND go */
	bool cache;		/* decode each offset once (a block cache) */
	bool cached[SIM_MAX_CODE];
	struct insn insn[SIM_MAX_CODE];
};

static inline void sim_init(struct sim *s, const uint8_t *code, size_t size,
			    uint64_t base, enum cpu_mode mode)
{
	memset(s, 0, sizeof(*s));
	s->code = code;
	s->size = size;
	s->base = base;
	s->mode = mode;
}

/* Decode at rip; 0 or the insn_decode error. */
static inline int sim_decode(struct sim *s, uint64_t rip, struct insn *i)
{
	size_t off = rip - s->base;
	size_t n = s->size - off < 15 ? s->size - off : 15;
	int rc;

	if (off >= s->size)
		return INSN_EINVAL;
	if (s->cache && s->cached[off]) {
		*i = s->insn[off];
		return INSN_OK;
	}
	rc = insn_decode(i, s->code + off, n, s->mode);
	if (rc == INSN_OK && s->cache) {
		s->insn[off] = *i;
		s->cached[off] = true;
	}
	return rc;
}

/* Where `i` at `rip` goes; updates RCX for LOOP. */
static inline uint64_t sim_next(struct sim *s, const struct insn *i,
				uint64_t rip)
{
	if (insn_is_cond(i)) {
		bool taken = insn_cond_taken(i, s->rflags, s->rcx);

		if (i->cls == INSN_LOOP)
			s->rcx--;
		return taken ? insn_target(i, rip) : insn_fallthrough(i, rip);
	}
	switch (i->cls) {
	case INSN_JMP:
	case INSN_CALL:
		return insn_target(i, rip);
	case INSN_JMP_IND:
	case INSN_CALL_IND:
		return s->ind_target;
	default:
		return insn_fallthrough(i, rip);
	}
}

/* Retire the instruction at *rip: its tick at `cpl`/`cpi` in *t, and *rip
 * moves on; 0 or the insn_decode error. */
static inline int sim_step(struct sim *s, uint64_t *rip, uint8_t cpl,
			   uint32_t cpi, struct vpmu_tick *t)
{
	struct insn i;
	uint64_t next;
	int rc = sim_decode(s, *rip, &i);

	if (rc)
		return rc;
	next = sim_next(s, &i, *rip);
	insn_retire_tick(&i, *rip, next, cpl, cpi, t);
	*rip = next;
	return 0;
}

/* Sums of ticks, as a counter of every event counting everywhere would. */
struct totals {
	uint64_t ticks, cycles;
	uint64_t n[VPMU_EV_NR];
};

static inline void totals_add(struct totals *t, const struct vpmu_tick *k)
{
	t->ticks++;
	t->cycles += k->cycles;
	for (unsigned int e = 0; e < VPMU_EV_NR; e++)
		t->n[e] += k->n[e];
}

/*
 * kvm-unit-tests x86/pmu.c, the Intel v2+ precise loop, 64-bit:
 * enable WRMSR, 2 MOV, CLFLUSH, MFENCE, N x (load, add, 7 NOP, LOOP), the
 * IBPB + indirect-jump tail (9 executed), MOV + 2 XOR, disable WRMSR.
 */
static const uint8_t kut_loop64[] = {
	0x0f, 0x30,				/* 00 wrmsr (GLOBAL_CTRL on) */
	0x89, 0xcf,				/* 02 mov %ecx,%edi */
	0x89, 0xd9,				/* 04 mov %ebx,%ecx (N) */
	0x0f, 0xae, 0x38,			/* 06 clflush (%rax) */
	0x0f, 0xae, 0xf0,			/* 09 mfence */
	0x48, 0x8b, 0x10,			/* 0c 1: mov (%rax),%rdx */
	0x48, 0x83, 0xc0, 0x40,			/* 0f add $64,%rax */
	0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, /* 13 7 x nop */
	0xe2, 0xf0,				/* 1a loop 1b */
	0xb9, 0x49, 0x00, 0x00, 0x00,		/* 1c mov $0x49,%ecx */
	0xb8, 0x01, 0x00, 0x00, 0x00,		/* 21 mov $1,%eax */
	0x31, 0xd2,				/* 26 xor %edx,%edx */
	0x0f, 0x30,				/* 28 wrmsr (PRED_CMD IBPB) */
	0xe8, 0x00, 0x00, 0x00, 0x00,		/* 2a call 1f */
	0x58,					/* 2f 1: pop %rax */
	0x48, 0x05, 0x0a, 0x00, 0x00, 0x00,	/* 30 add $(2f-1b),%rax */
	0xff, 0xe0,				/* 36 jmp *%rax */
	0x90,					/* 38 nop (jumped over) */
	0x90,					/* 39 2: nop */
	0x89, 0xf9,				/* 3a mov %edi,%ecx */
	0x31, 0xc0,				/* 3c xor %eax,%eax */
	0x31, 0xd2,				/* 3e xor %edx,%edx */
	0x0f, 0x30,				/* 40 wrmsr (GLOBAL_CTRL off) */
};
#define KUT_ENABLE	0x00	/* offsets in kut_loop64 */
#define KUT_BODY	0x0c
#define KUT_LOOP	0x1a
#define KUT_TAIL	0x1c
#define KUT_IBPB	0x28
#define KUT_JMP_TARGET	0x39
#define KUT_DISABLE	0x40
#define KUT_END		0x42

#endif /* TESTS_ENGINE_SIM_H */
