// SPDX-License-Identifier: MIT
/*
 * Guest debugging, merged in one place.  DR0 holds the RDPMC hook's
 * breakpoint on the guest's #GP handler; DR1..DR3 hold the engine's.
 * Single-step is on when the engine wants it or during the hook's
 * step-over.  During the step-over DR0 is off: a guest-debug breakpoint
 * re-triggers at the same RIP and RFLAGS.RF does not help (HOST-KVM
 * quirk 6), so the only way past it is one step without it.
 */
#include "guestdbg.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "engine_ops.h"
#include "vcpu.h"
#include "vm.h"

/* DR7 (SDM Vol. 3B "Debug Control Register (DR7)"): Ln|Gn enable slot n;
 * R/Wn = 00 (instruction execution) and LENn = 00 (1 byte) */
#define DR7_ENABLE(n)	(3ull << (2 * (n)))
#define DR7_FIXED1	(1ull << 10)

static uint32_t want(const struct vcpu *v, uint64_t dr[4], uint64_t *dr7)
{
	const struct guestdbg *d = &v->dbg;
	uint32_t control = 0;

	memset(dr, 0, 4 * sizeof(dr[0]));
	*dr7 = 0;
	if (d->gp_bp && !d->step_over) {
		dr[0] = d->gp_bp;
		*dr7 |= DR7_ENABLE(0);
	}
	for (unsigned int i = 0; i < d->engine_nbp; i++) {
		dr[1 + i] = d->engine_bp[i];
		*dr7 |= DR7_ENABLE(1 + i);
	}
	if (*dr7)
		control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_USE_HW_BP;
	if (d->engine_step || d->step_over)
		control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_SINGLESTEP;
	if (d->engine_blockirq)
		control |= KVM_GUESTDBG_ENABLE | KVM_GUESTDBG_BLOCKIRQ;
	if (*dr7)
		*dr7 |= DR7_FIXED1;
	return control;
}

int guestdbg_sync(struct vcpu *v)
{
	struct guestdbg *d = &v->dbg;
	const struct engine_ops *e = v->vm->cfg.engine;
	struct kvm_guest_debug g;
	uint64_t dr[4], dr7;
	uint32_t control;

	d->engine_step = e->wants_step ? e->wants_step(v) : false;
	control = want(v, dr, &dr7);
	if (d->applied && control == d->applied_control && dr7 == d->applied_dr7 &&
	    !memcmp(dr, d->applied_dr, sizeof(dr)))
		return 0;
	memset(&g, 0, sizeof(g));
	g.control = control;
	memcpy(g.arch.debugreg, dr, sizeof(dr));
	g.arch.debugreg[7] = dr7;
	d->ioctls++;
	if (ioctl(v->fd, KVM_SET_GUEST_DEBUG, &g) < 0)
		return -1;
	d->applied = true;
	d->applied_control = control;
	d->applied_dr7 = dr7;
	memcpy(d->applied_dr, dr, sizeof(dr));
	return 0;
}

void guestdbg_set_engine_bps(struct vcpu *v, const uint64_t *addr,
			     unsigned int n)
{
	if (n > GUESTDBG_ENGINE_BPS)
		n = GUESTDBG_ENGINE_BPS;
	v->dbg.engine_nbp = n;
	for (unsigned int i = 0; i < n; i++)
		v->dbg.engine_bp[i] = addr[i];
}

bool guestdbg_stepping(const struct vcpu *v)
{
	return v->dbg.applied && (v->dbg.applied_control & KVM_GUESTDBG_SINGLESTEP);
}
