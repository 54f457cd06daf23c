/* SPDX-License-Identifier: MIT */
/* Host single-step quirks per instruction class (quirks.h, HOST-KVM.md). */
#include "quirks.h"

static const uint16_t class_quirks[INSN_CLASS_NR] = {
	[INSN_FENCE]	= INSN_Q_STEP_SWALLOWED,		/* quirk 11 */
	[INSN_OUT]	= INSN_Q_IO_NO_STEP_EXIT,		/* quirk 12 */
	[INSN_RDMSR]	= INSN_Q_MSR_EXIT_FIRST,		/* quirk 5 */
	[INSN_WRMSR]	= INSN_Q_MSR_EXIT_FIRST,		/* quirk 5 */
	[INSN_HLT]	= INSN_Q_HLT_NO_HALT,			/* quirk 3 */
	[INSN_RDPMC]	= INSN_Q_EMULATE,			/* quirk 2 */
	[INSN_INT]	= INSN_Q_RUNS_HANDLER | INSN_Q_MODE_CHANGE, /* quirk 4 */
	[INSN_UD]	= INSN_Q_RUNS_HANDLER | INSN_Q_ALWAYS_FAULTS, /* quirk 4 */
	[INSN_HYPERCALL] = INSN_Q_HANGS_CPL0,	/* HOST-KVM "How guest code runs" */
	[INSN_FAR_JMP]	= INSN_Q_MODE_CHANGE,
	[INSN_FAR_CALL]	= INSN_Q_MODE_CHANGE,
	[INSN_FAR_RET]	= INSN_Q_MODE_CHANGE,
	[INSN_IRET]	= INSN_Q_MODE_CHANGE,
	[INSN_SYS]	= INSN_Q_MODE_CHANGE,
};

uint32_t insn_step_quirks(const struct insn *i)
{
	uint32_t q = class_quirks[i->cls];

	if (i->flags & INSN_F_REP)
		q |= INSN_Q_TWO_STEPS;				/* quirk 5 */
	return q;
}

bool insn_step_is_swallowed(const struct insn *i)
{
	return insn_step_quirks(i) & INSN_Q_STEP_SWALLOWED;
}

bool insn_is_rep_string(const struct insn *i)
{
	return insn_step_quirks(i) & INSN_Q_TWO_STEPS;
}

bool insn_out_lacks_step_exit(const struct insn *i)
{
	return insn_step_quirks(i) & INSN_Q_IO_NO_STEP_EXIT;
}

bool insn_msr_exits_first(const struct insn *i)
{
	return insn_step_quirks(i) & INSN_Q_MSR_EXIT_FIRST;
}

bool insn_step_retired(const struct insn *i, uint64_t rip, uint64_t next_rip)
{
	/* quirk 5: the iterations step leaves RIP on the REP instruction */
	return !((i->flags & INSN_F_REP) && next_rip == rip);
}

bool engine_can_step(enum cpu_mode mode, uint8_t cpl)
{
	return !(mode == CPU_MODE_LONG64 && cpl == 3);		/* quirk 1 */
}
