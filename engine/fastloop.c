// SPDX-License-Identifier: MIT
/*
 * The counted-loop fast path of the exact engine.
 *
 * When the engine is about to step a LOOP that closes a qualifying loop
 * (engine/loop.h) with RCX = c >= 2, the rest of the loop is known: c - 1
 * periods of "LOOP taken, then the body", then a LOOP that falls through.
 * Instead of stepping it, the engine lets the guest execute it free, with
 * one hardware breakpoint on the LOOP's fallthrough and interrupts held
 * (KVM_GUESTDBG_BLOCKIRQ), and counts it in closed form with
 * vpmu_count_pattern().  The guest really executes every instruction;
 * only the counting is analytic.
 *
 * Exactness guards:
 *  - overflow: vpmu_headroom_pattern() says how many periods can run with
 *    no counter wrapping.  If that is fewer than the loop has, the run is
 *    cut short by starting it with RCX = periods + 1 (the body never looks
 *    at RCX), and at the breakpoint RCX and RIP are put back as the real
 *    loop would have them: RIP on the LOOP, RCX = c - periods.  The engine
 *    then steps on, so the overflowing instruction raises its PMI with
 *    zero skid;
 *  - a page fault or an NMI inside the loop: breakpoints on their handlers
 *    stop the run before the handler's first instruction; RCX says how many
 *    LOOPs ran and the saved RIP where in the body it stopped, so the
 *    counts are recovered exactly and stepping resumes in the handler.
 *    (#GP is caught by the RDPMC hook's breakpoint; a loop that ends that
 *    way is counted from RCX alone and reported unexplained.)
 */
#include <stdio.h>
#include <string.h>

#include "retire.h"
#include "step.h"
#include "../vmm/guestdbg.h"
#include "../vmm/guestmem.h"
#include "../vmm/pmi.h"
#include "../vmm/vm.h"

#define PF_VECTOR	14
#define NMI_VECTOR	2
#define EFER_LMA	(1ull << 10)

static uint64_t width_mask(unsigned int bits)
{
	return bits >= 64 ? ~0ull : (1ull << bits) - 1;
}

static unsigned int period_spans(struct vcpu *v, const struct fastloop *f,
				 struct vpmu_span s[2])
{
	return loop_period_spans(&f->loop, f->shape.body, f->cpl, E(v)->cpi, s);
}

static void count_periods(struct vcpu *v, const struct fastloop *f,
			  uint64_t periods)
{
	struct vpmu_span s[2];
	unsigned int n = period_spans(v, f, s);

	if (periods && vpmu_count_pattern(v->pmu, s, n, periods))
		vcpu_deliver_pmi(v);
	E(v)->loop.iterations += periods;
	E(v)->retired += periods * (f->shape.body + 1);
}

static void set_rcx(struct vcpu *v, const struct fastloop *f, uint64_t count)
{
	uint64_t mask = width_mask(f->loop.addr_bits);
	struct kvm_regs *r = vcpu_regs(v);

	r->rcx = (r->rcx & ~mask) | (count & mask);
	vcpu_regs_dirty(v);
}

static uint64_t rcx_now(struct vcpu *v, const struct fastloop *f)
{
	return vcpu_regs(v)->rcx & width_mask(f->loop.addr_bits);
}

static void stop(struct vcpu *v)
{
	E(v)->loop.active = false;
	v->dbg.engine_blockirq = false;
	guestdbg_set_engine_bps(v, NULL, 0);
}

bool fastloop_start(struct vcpu *v)
{
	struct step_engine *e = E(v);
	struct fastloop *f = &e->loop;
	const struct pending *p = &e->cur;
	uint64_t c, head, len, h, bp[3];
	struct vpmu_span s[2];
	uint8_t code[LOOP_MAX_BODY * 15 + 15];
	unsigned int nbp = 0;

	if (p->insn.cls != INSN_LOOP || p->insn.cc != INSN_LOOP_ALWAYS)
		return false;
	c = vcpu_regs(v)->rcx & width_mask(p->insn.addr_bits);
	head = insn_target(&p->insn, p->rip);
	len = p->rip - head + p->insn.length;
	if (c < 2 || head > p->rip || len > sizeof(code) ||
	    guest_read_linear(v->vm, vcpu_sregs(v), p->lin - (p->rip - head), code, len) ||
	    !loop_qualifies(&p->insn, p->rip, code, len, &f->shape))
		return false;
	f->loop = p->insn;
	f->rip = p->rip;
	f->lin = p->lin;
	f->cpl = p->cpl;
	f->exit_lin = p->lin + p->insn.length;
	h = vpmu_headroom_pattern(v->pmu, s, period_spans(v, f, s));
	if (!h)
		return false;
	f->rcx_real = c;
	f->periods = h < c - 1 ? h : c - 1;
	f->rcx_run = f->periods + 1;	/* == c unless cut short */
	if (f->rcx_run != c) {
		set_rcx(v, f, f->rcx_run);
		f->cut_short++;
	}
	bp[nbp++] = f->exit_lin;
	f->pf_lin = idt_handler(&e->idt, v->vm, vcpu_sregs(v), PF_VECTOR);
	f->nmi_lin = idt_handler(&e->idt, v->vm, vcpu_sregs(v), NMI_VECTOR);
	if (f->pf_lin)
		bp[nbp++] = f->pf_lin;
	if (f->nmi_lin)
		bp[nbp++] = f->nmi_lin;
	guestdbg_set_engine_bps(v, bp, nbp);
	v->dbg.engine_blockirq = true;
	f->dbg_mark = v->stats.debug_exits;
	f->active = true;
	f->runs++;
	e->have = false;
	return true;
}

/* The run reached the LOOP's fallthrough. */
static void finished(struct vcpu *v, struct fastloop *f)
{
	if (f->rcx_run == f->rcx_real) {
		/* the whole loop ran: periods, then the final LOOP fell through */
		count_periods(v, f, f->periods);
		retire(v, &f->loop, false, f->cpl);
		return;
	}
	/* cut short: the last LOOP fell through only because RCX was lowered;
	 * undo it (LOOP changes nothing but RCX and RIP) and step from there */
	count_periods(v, f, f->periods);
	set_rcx(v, f, f->rcx_real - f->periods);
	vcpu_regs(v)->rip = f->rip;
	vcpu_regs_dirty(v);
}

/* The RIP the exception/NMI frame on the stack saved (64- and 32-bit). */
static int frame_rip(struct vcpu *v, bool error_code, uint64_t *rip)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	bool lma = s->efer & EFER_LMA;
	unsigned int w = lma ? 8 : 4;
	uint64_t sp = vcpu_regs(v)->rsp + (error_code ? w : 0), val = 0;

	if (!lma)
		sp = s->ss.base + (uint32_t)sp;
	if (guest_read_linear(v->vm, s, sp, &val, w))
		return -1;
	*rip = val;
	return 0;
}

/* Account for LOOPs and body instructions that ran before a stop at
 * `rip`; false if `rip` is not in the loop. */
static bool account_partial(struct vcpu *v, struct fastloop *f, uint64_t loops,
			    uint64_t rip)
{
	const struct insn plain = { .cls = INSN_PLAIN, .length = 1 };
	unsigned int i;

	if (rip == f->rip) {		/* stopped on the LOOP itself */
		count_periods(v, f, loops);
		return true;
	}
	for (i = 0; i < f->shape.body && f->shape.body_rip[i] != rip; i++)
		;
	if (i == f->shape.body || !loops)
		return false;
	count_periods(v, f, loops - 1);
	retire(v, &f->loop, true, f->cpl);
	for (unsigned int k = 0; k < i; k++)
		retire(v, &plain, false, f->cpl);
	return true;
}

/* Stopped at the #PF or NMI handler's entry, before its first instruction. */
static void interrupted(struct vcpu *v, struct fastloop *f, bool pf)
{
	uint64_t loops = f->rcx_run - rcx_now(v, f), rip;
	uint64_t real = rcx_now(v, f) + (f->rcx_real - f->rcx_run);

	if (frame_rip(v, pf, &rip) || !account_partial(v, f, loops, rip)) {
		E(v)->unexplained++;
		fprintf(stderr, "vpmu: exact engine: loop at %#llx stopped where it cannot "
			"be accounted\n", (unsigned long long)f->rip);
	}
	set_rcx(v, f, real);
	if (pf)
		E(v)->faults++;
	else
		E(v)->interrupts++;
}

bool fastloop_on_debug(struct vcpu *v)
{
	struct fastloop *f = &E(v)->loop;
	uint64_t lin = vcpu_linear_rip(v);

	if (!f->active)
		return false;
	stop(v);
	if (lin == f->exit_lin)
		finished(v, f);
	else if (lin == f->pf_lin || lin == f->nmi_lin)
		interrupted(v, f, lin == f->pf_lin);
	else
		fastloop_lost(v);
	return true;
}

void fastloop_lost(struct vcpu *v)
{
	struct fastloop *f = &E(v)->loop;
	uint64_t loops = f->rcx_run - rcx_now(v, f);

	stop(v);
	count_periods(v, f, loops);
	set_rcx(v, f, rcx_now(v, f) + (f->rcx_real - f->rcx_run));
	E(v)->unexplained++;
	fprintf(stderr, "vpmu: exact engine: counted loop at %#llx left unexpectedly at "
		"%#llx (counts may be off)\n", (unsigned long long)f->rip,
		(unsigned long long)vcpu_regs(v)->rip);
}
