/* SPDX-License-Identifier: MIT */
/*
 * The one place that computes KVM_SET_GUEST_DEBUG for a vCPU.  Two users
 * want guest debugging: the RDPMC hook (a hardware breakpoint on the
 * guest's #GP handler, plus a one-step "step over" after letting a real
 * #GP through) and the counting engine (single-step, extra breakpoints).
 * guestdbg_sync() merges them before every KVM_RUN and calls the ioctl
 * only when the result changed (~5 us per call on the dev host).
 */
#ifndef VMM_GUESTDBG_H
#define VMM_GUESTDBG_H

#include <stdbool.h>
#include <stdint.h>

#define GUESTDBG_ENGINE_BPS	3	/* DR1..DR3; DR0 is the RDPMC hook's */

/* DR6 bits (SDM Vol. 3B "Debug Status Register (DR6)") */
#define DR6_B0		(1u << 0)
#define DR6_BMASK	0xfu
#define DR6_BS		(1u << 14)

struct guestdbg {
	/* RDPMC hook */
	uint64_t gp_bp;		/* linear address of the #GP handler, 0 = none */
	bool step_over;		/* next run: BP off, one single-step */
	/* engine */
	bool engine_step;
	bool engine_blockirq;	/* hold interrupts (KVM_GUESTDBG_BLOCKIRQ) */
	unsigned int engine_nbp;
	uint64_t engine_bp[GUESTDBG_ENGINE_BPS];
	/* last state handed to KVM */
	bool applied;
	uint32_t applied_control;
	uint64_t applied_dr[4];
	uint64_t applied_dr7;
	uint64_t ioctls;
};

struct vcpu;

/* Compute the wanted state and apply it; 0 or -1 with errno. */
int guestdbg_sync(struct vcpu *v);
/* Replace the engine's breakpoints (n <= GUESTDBG_ENGINE_BPS). */
void guestdbg_set_engine_bps(struct vcpu *v, const uint64_t *addr,
			     unsigned int n);
/* Is single-stepping on for the run that just exited? */
bool guestdbg_stepping(const struct vcpu *v);

#endif
