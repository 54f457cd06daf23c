/* SPDX-License-Identifier: MIT */
/*
 * One retired instruction -> one vpmu_tick.  The table below is the whole
 * branch classification; retire.h shows it as a matrix and
 * docs/engine-events.md gives the reasons.
 */
#include "retire.h"

#include <string.h>

#define EV(e)		VPMU_EV_BIT(VPMU_EV_##e)
#define BRANCH		(EV(INSTRUCTIONS) | EV(BRANCHES))

/* How the outcome adds events on top of a class's fixed set. */
enum outcome {
	OUT_NONE,	/* fixed set only */
	OUT_COND,	/* + BR_TAKEN if taken, else BR_NOT_TAKEN */
	OUT_TRAP,	/* + BR_TAKEN | BR_FAR if it transferred (INTO) */
};

static const struct {
	uint16_t events;	/* VPMU_EV_BIT mask, always produced */
	uint8_t outcome;	/* enum outcome */
} class_rule[INSN_CLASS_NR] = {
	[INSN_PLAIN]	= { EV(INSTRUCTIONS), OUT_NONE },
	/* conditionals: BR_COND = Jcc, LOOPcc, JrCXZ (vpmu.h) */
	[INSN_JCC]	= { BRANCH | EV(BR_COND), OUT_COND },
	[INSN_JRCXZ]	= { BRANCH | EV(BR_COND), OUT_COND },
	/* LOOP counts taken and not taken (KUT §3.2: N iterations, N branches) */
	[INSN_LOOP]	= { BRANCH | EV(BR_COND), OUT_COND },
	/* unconditional near transfers are always taken, even `call .+5` */
	[INSN_JMP]	= { BRANCH | EV(BR_TAKEN) | EV(BR_NEAR_TAKEN), OUT_NONE },
	[INSN_JMP_IND]	= { BRANCH | EV(BR_TAKEN) | EV(BR_NEAR_TAKEN), OUT_NONE },
	[INSN_CALL]	= { BRANCH | EV(BR_TAKEN) | EV(BR_NEAR_TAKEN) | EV(BR_CALL), OUT_NONE },
	[INSN_CALL_IND]	= { BRANCH | EV(BR_TAKEN) | EV(BR_NEAR_TAKEN) | EV(BR_CALL), OUT_NONE },
	[INSN_RET]	= { BRANCH | EV(BR_TAKEN) | EV(BR_NEAR_TAKEN) | EV(BR_RET), OUT_NONE },
	/* far transfers: FAR only; a far CALL/RET is not a near CALL/RET */
	[INSN_FAR_JMP]	= { BRANCH | EV(BR_TAKEN) | EV(BR_FAR), OUT_NONE },
	[INSN_FAR_CALL]	= { BRANCH | EV(BR_TAKEN) | EV(BR_FAR), OUT_NONE },
	[INSN_FAR_RET]	= { BRANCH | EV(BR_TAKEN) | EV(BR_FAR), OUT_NONE },
	[INSN_IRET]	= { BRANCH | EV(BR_TAKEN) | EV(BR_FAR), OUT_NONE },
	[INSN_SYS]	= { BRANCH | EV(BR_TAKEN) | EV(BR_FAR), OUT_NONE },
	/*
	 * Software interrupts are branch instructions: Intel lists
	 * "interrupt call and return" under BR_INST_RETIRED.FAR_BRANCH (and
	 * so ALL_BRANCHES), AMD counts them in Ex_Ret_Brn_Far, and KVM's
	 * emulator flags INT3/INT n/INTO IsBranch.  Exceptions and external
	 * interrupts are not instructions and produce no tick here.
	 */
	[INSN_INT]	= { BRANCH, OUT_TRAP },
	[INSN_RDPMC]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_RDMSR]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_WRMSR]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_HLT]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_FENCE]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_OUT]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_IN]	= { EV(INSTRUCTIONS), OUT_NONE },
	/* one instruction however many iterations (Intel INST_RETIRED) */
	[INSN_REP_STRING] = { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_CPUID]	= { EV(INSTRUCTIONS), OUT_NONE },
	[INSN_PAUSE]	= { EV(INSTRUCTIONS), OUT_NONE },
	/* UD0/1/2 always fault: never retired (PMU-FACTS §10) */
	[INSN_UD]	= { 0, OUT_NONE },
	[INSN_HYPERCALL] = { EV(INSTRUCTIONS), OUT_NONE },
	/* unmodelled transfers (XBEGIN, RSM, ...): an instruction only */
	[INSN_OTHER]	= { EV(INSTRUCTIONS), OUT_NONE },
};

uint32_t insn_retire_events(const struct insn *i, bool taken)
{
	uint32_t ev = class_rule[i->cls].events;

	switch (class_rule[i->cls].outcome) {
	case OUT_COND:
		return ev | (taken ? EV(BR_TAKEN) | EV(BR_NEAR_TAKEN) : EV(BR_NOT_TAKEN));
	case OUT_TRAP:
		return taken ? ev | EV(BR_TAKEN) | EV(BR_FAR) : ev;
	default:
		return ev;
	}
}

static void tick_from_mask(uint32_t ev, uint8_t cpl, uint32_t cpi,
			   struct vpmu_tick *t)
{
	t->cycles = cpi ? cpi : ENGINE_CPI_DEFAULT;
	t->cpl = cpl;
	for (unsigned int e = 0; e < VPMU_EV_NR; e++)
		t->n[e] = (ev >> e) & 1;
}

void insn_retire_tick_taken(const struct insn *i, bool taken, uint8_t cpl,
			    uint32_t cpi, struct vpmu_tick *t)
{
	tick_from_mask(insn_retire_events(i, taken), cpl, cpi, t);
}

void insn_retire_tick(const struct insn *i, uint64_t rip, uint64_t next_rip,
		      uint8_t cpl, uint32_t cpi, struct vpmu_tick *t)
{
	/* only OUT_COND / OUT_TRAP classes read `taken` */
	bool taken = next_rip != insn_fallthrough(i, rip);

	insn_retire_tick_taken(i, taken, cpl, cpi, t);
}

void insn_fault_tick(uint8_t cpl, uint32_t cpi, struct vpmu_tick *t)
{
	tick_from_mask(0, cpl, cpi, t);
}

uint32_t engine_produced_events(void)
{
	return EV(CYCLES) | EV(REF_CYCLES) | EV(INSTRUCTIONS) | EV(BRANCHES) |
	       EV(BR_COND) | EV(BR_TAKEN) | EV(BR_NOT_TAKEN) | EV(BR_CALL) |
	       EV(BR_RET) | EV(BR_FAR) | EV(BR_NEAR_TAKEN);
}
