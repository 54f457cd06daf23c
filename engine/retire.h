/* SPDX-License-Identifier: MIT */
/*
 * The counting rule of the exact engine: one retired instruction -> one
 * struct vpmu_tick for vpmu_count().  Pure; no KVM.  The rule, and why
 * each event is or is not produced: docs/engine-events.md.
 *
 * Virtual time: every retired instruction takes `cpi` cycles (default
 * ENGINE_CPI_DEFAULT = 1); core cycles and reference cycles both tick once
 * per such cycle (tick.cycles; vpmu.h counts both per cycle).  The
 * instruction and branch events occur in the last of those cycles.
 *
 * Branches (Intel BR_INST_RETIRED.* / AMD Ex_Ret_Brn*):
 *   class                       BRANCHES COND TAKEN NOT_TAKEN CALL RET FAR
 *   JCC, JRCXZ, LOOP*             1       1   t      !t
 *   JMP, JMP_IND                  1           1
 *   CALL, CALL_IND                1           1               1
 *   RET                           1           1                    1
 *   FAR_JMP/CALL/RET, IRET, SYS   1           1                        1
 *   INT (INT n/INT3/INT1/INTO)    1           t                        t
 *   everything else (UD: none)
 * t = taken: for conditionals next_rip != fallthrough; for INT, whether it
 * transferred (only INTO can fall through, when OF = 0).
 *
 * Call these only for an instruction that retired.  One that faulted
 * (#GP, #UD, #PF, ...) is not counted (PMU-FACTS §10: KVM counts only
 * instructions that complete or end with a trap); report its cycles with
 * insn_fault_tick() if virtual time should pass.
 */
#ifndef ENGINE_RETIRE_H
#define ENGINE_RETIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"
#include "vpmu.h"

#define ENGINE_CPI_DEFAULT	1

/*
 * The tick of `i`, which started at `rip` and left the vCPU at `next_rip`
 * (RIP after the step, as KVM reports it), at privilege level `cpl` (the
 * CPL the instruction started at: SYSCALL counts as user, SYSRET as
 * kernel), costing `cpi` cycles (0 means ENGINE_CPI_DEFAULT).
 *
 * A conditional branch whose target equals its fallthrough (`75 00`) looks
 * not taken here; when that matters use insn_retire_tick_taken() with
 * insn_cond_taken() on the registers before the step.
 */
void insn_retire_tick(const struct insn *i, uint64_t rip, uint64_t next_rip,
		      uint8_t cpl, uint32_t cpi, struct vpmu_tick *t);

/* The same with the outcome given: `taken` matters for JCC/JRCXZ/LOOP/INT. */
void insn_retire_tick_taken(const struct insn *i, bool taken, uint8_t cpl,
			    uint32_t cpi, struct vpmu_tick *t);

/* Virtual time of an instruction that faulted: cycles only, no events. */
void insn_fault_tick(uint8_t cpl, uint32_t cpi, struct vpmu_tick *t);

/*
 * The non-cycle events (VPMU_EV_BIT mask) the tick of `i` contains, e.g.
 * to skip vpmu_count() when none of them and no cycle event is active.
 */
uint32_t insn_retire_events(const struct insn *i, bool taken);

/*
 * Every event this engine can produce (VPMU_EV_BIT mask): cycles, ref
 * cycles, instructions and the branch events.  BR_MISSES and LLC_REFS /
 * LLC_MISSES need a predictor / cache model and are never produced: the
 * VMM should mark them unavailable (CPUID.0AH.EBX bits 6, 3, 4).
 */
uint32_t engine_produced_events(void);

#endif /* ENGINE_RETIRE_H */
