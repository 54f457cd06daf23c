/* SPDX-License-Identifier: MIT */
/*
 * Counted loops the exact engine may run free (issue 6's fast path).
 *
 * A loop qualifies when its closing instruction is a plain LOOP (not
 * LOOPE/LOOPNE, not at the end of the IP range) jumping back to T, and the
 * body [T, LOOP) is straight-line code of at most LOOP_MAX_BODY plain
 * instructions that neither read nor write RCX (in any width, explicitly,
 * implicitly or in an address), write no memory and no segment register
 * (so the loop cannot rewrite its own code or the IDT), and can fault only
 * on a memory read: register arithmetic, moves, LEA, PAUSE, fences; no
 * divide, no privileged or system instruction, no STI/CLI/POPF, no stack
 * operation.  A #PF on a read is caught on the guest's handler.
 * Then RCX alone decides the trip count, every body instruction retires
 * the same plain tick, and the engine can let the guest execute the loop
 * with one breakpoint at its exit and count it in closed form.  Because
 * the body never looks at RCX, the engine may also shorten the run by
 * lowering RCX and restoring it afterwards (to stop before a counter
 * overflows, so that the PMI keeps zero skid).
 */
#ifndef ENGINE_LOOP_H
#define ENGINE_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode.h"
#include "vpmu.h"

#define LOOP_MAX_BODY	64

struct loop_shape {
	uint64_t head;		/* T: RIP of the body's first instruction */
	unsigned int body;	/* instructions in [T, LOOP) */
	uint64_t body_rip[LOOP_MAX_BODY];	/* RIP of each */
};

/*
 * May the LOOP `l` at `rip` be run free?  `code` holds the bytes from the
 * loop head T = insn_target(l, rip) up to and including the LOOP (so
 * rip + l->length - T bytes).  Returns true and fills *shape.
 */
bool loop_qualifies(const struct insn *l, uint64_t rip, const uint8_t *code,
		    size_t len, struct loop_shape *shape);

/*
 * One period of a qualifying loop as vpmu_count_pattern() spans: the
 * taken LOOP `l`, then `body` plain instructions (a body instruction is
 * INSN_PLAIN, INSN_PAUSE or INSN_FENCE, which all retire the same tick:
 * engine/retire.c), at `cpl`, `cpi` cycles each.  Returns the number of
 * spans (1 for `loop .`).
 */
unsigned int loop_period_spans(const struct insn *l, unsigned int body,
			       uint8_t cpl, uint32_t cpi, struct vpmu_span s[2]);

#endif
