/* SPDX-License-Identifier: MIT */
/*
 * What single-stepping an instruction does on the development host's KVM,
 * as data for the stepping loop (engine/engine_step.c).  Each flag names
 * the quirk of /work/shared/HOST-KVM.md ("quirk N") it encodes; all were
 * measured there, except where a comment says "not probed".  Pure; no KVM.
 *
 * Counting rule these serve: one insn_retire_tick() per retired
 * instruction, no more, no fewer.
 */
#ifndef ENGINE_QUIRKS_H
#define ENGINE_QUIRKS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

/*
 * Quirk 11: MFENCE/LFENCE/SFENCE swallow the single-step exit: it comes
 * only after the next non-fence instruction (and after `mfence; jmp` on
 * the jump target, losing a branch).  Fix verified on the host: when the
 * instruction to step is a fence, also set a hardware breakpoint on
 * insn_fallthrough().  The breakpoint exit retires the fence; quirk 6
 * applies to it (clear the breakpoint before the next KVM_RUN, and expect
 * a second exit at the same address from SINGLESTEP + HW_BP, which
 * retires nothing).
 */
#define INSN_Q_STEP_SWALLOWED	(1u << 0)
/*
 * Quirk 5: a REP string instruction takes two steps, the first runs all
 * iterations and leaves RIP on the instruction, the second retires it.
 * It retires when RIP leaves it: see insn_step_retired().  (REP INS/OUTS
 * carry this flag too; their per-iteration I/O exits are not probed.)
 */
#define INSN_Q_TWO_STEPS	(1u << 1)
/*
 * Quirk 12: an OUT/OUTS that exits to userspace (KVM_EXIT_IO) gets no step
 * exit of its own: the next step exit comes after the following
 * instruction.  Count the OUT at its I/O exit (RIP is then past it), and
 * step on.  An OUT handled in the kernel, and IN, step normally.
 */
#define INSN_Q_IO_NO_STEP_EXIT	(1u << 2)
/*
 * Quirk 5: a RDMSR/WRMSR that exits to userspace (MSR filter) gets its
 * step exit after completion: the MSR exit comes first and retires
 * nothing; count the instruction at the debug exit that follows.  (The
 * enabling WRMSR is counted with the enable state after it, PMU-FACTS §10:
 * apply the write before counting.)
 */
#define INSN_Q_MSR_EXIT_FIRST	(1u << 3)
/*
 * Quirk 3: HLT under single-step gives KVM_EXIT_DEBUG, never KVM_EXIT_HLT,
 * and the vCPU does not halt (even with IF=0).  The HLT retires at that
 * exit; the engine must halt the vCPU itself and stop the cycle clock
 * while halted (unhalted cycles, PMU-FACTS §10).
 */
#define INSN_Q_HLT_NO_HALT	(1u << 4)
/*
 * Quirk 2: RDPMC never exits to userspace; the guest gets #GP at every
 * CPL.  Emulate it instead of stepping it (vmm/rdpmc.h), then count it as
 * retired at fallthrough (unless the emulation injected #GP).
 */
#define INSN_Q_EMULATE		(1u << 5)
/*
 * Quirk 4: a step that raises an exception or takes an interrupt also
 * executes the handler's first instruction.  INT n/INT3/INT1/INTO (when
 * it traps) and UD* always go to a handler: the step retires the INT (not
 * the UD) *and* the handler's first instruction; decode that one at the
 * handler's entry and count it too.  For INT n this is inferred from
 * quirk 4, not probed (INT n and INT3 cannot be emulated at CPL0 here).
 */
#define INSN_Q_RUNS_HANDLER	(1u << 6)
/* UD0/UD1/UD2: #UD every time, never retired (PMU-FACTS §10). */
#define INSN_Q_ALWAYS_FAULTS	(1u << 7)
/*
 * Loads CS (far JMP/CALL/RET, IRET, SYSCALL..., INT): the decode mode and
 * CPL may differ afterwards; re-read them (cpu_mode_of()) and end a
 * cached basic block here.  Not a host quirk, an architectural fact.
 */
#define INSN_Q_MODE_CHANGE	(1u << 8)
/*
 * VMCALL/VMMCALL at CPL0 hang KVM_RUN on this host (HOST-KVM "How guest
 * code runs"): do not step one at CPL0; stop the guest with a message.
 */
#define INSN_Q_HANGS_CPL0	(1u << 9)

/* All the INSN_Q_* flags of `i`. */
uint32_t insn_step_quirks(const struct insn *i);

/* Quirk 11: a fence; step it with a breakpoint on its fallthrough. */
bool insn_step_is_swallowed(const struct insn *i);
/* Quirk 5: REP string (incl. REP INS/OUTS): two steps, one instruction. */
bool insn_is_rep_string(const struct insn *i);
/* Quirk 12: OUT/OUTS: no step exit after an I/O exit to userspace. */
bool insn_out_lacks_step_exit(const struct insn *i);
/* Quirk 5: RDMSR/WRMSR: the MSR exit precedes the step exit. */
bool insn_msr_exits_first(const struct insn *i);

/*
 * Did a step from `rip` to `next_rip` retire `i`?  False only for the
 * first step of a REP string (RIP still on it, quirk 5); `jmp .` does
 * retire.  Faults are not visible here: the stepping loop sees those as
 * exception delivery (next_rip at a handler).
 */
bool insn_step_retired(const struct insn *i, uint64_t rip, uint64_t next_rip);

/*
 * Quirk 1: single-step and debug breakpoints do nothing in native 64-bit
 * CPL3 code on this host, so it cannot be counted exactly: report that
 * time as uncounted.  Every other mode/CPL steps, one instruction a step.
 */
bool engine_can_step(enum cpu_mode mode, uint8_t cpl);

#endif /* ENGINE_QUIRKS_H */
