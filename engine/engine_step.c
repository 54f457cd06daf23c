// SPDX-License-Identifier: MIT
/*
 * The exact counting engine: single-step the guest while any counter can
 * count, decode each instruction before it runs, and report it to libvpmu
 * when the step shows it retired.  The guest runs free whenever nothing
 * can count; that only changes at a PMU MSR write, which always exits, so
 * the switch is exact.
 *
 * One step normally retires the instruction that was decoded before it.
 * The host's quirks (HOST-KVM.md) make some steps differ, and the engine
 * recognises each by where the step ended:
 *  - REP string: the first step leaves RIP on the instruction (quirk 5);
 *  - a fence swallows its step exit (quirk 11): a breakpoint on the next
 *    instruction ends the step there;
 *  - an OUT that exits to userspace has no step exit (quirk 12): the step
 *    ends one instruction later, so both retire;
 *  - a step that delivers an exception or interrupt also runs the
 *    handler's first instruction (quirk 4): the step ends at or just past
 *    a handler entry (engine/idt.c).  A fault's instruction does not
 *    retire (PMU-FACTS §10); an interrupt's was never started; INT n
 *    retires (a trap);
 *  - HLT does not halt under single-step (quirk 3): the engine runs HLT
 *    free, with breakpoints after it and on the PMI handler;
 *  - RDPMC never exits (quirk 2): it is emulated before it would run;
 *  - native 64-bit CPL3 cannot be stepped (quirk 1): that time is
 *    reported as uncounted, never guessed.
 * A PMI requested by a counter is delivered before the next instruction
 * starts (zero skid).
 */
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>

#include "decode.h"
#include "idt.h"
#include "quirks.h"
#include "retire.h"
#include "step.h"
#include "../vmm/engine_ops.h"
#include "../vmm/guestdbg.h"
#include "../vmm/guestmem.h"
#include "../vmm/pmi.h"
#include "../vmm/rdpmc.h"
#include "../vmm/vcpu.h"
#include "../vmm/vm.h"

#define RFLAGS_VM	(1ull << 17)
#define EFER_LMA	(1ull << 10)
#define NMI_VECTOR	2
#define APIC_LVTPC	0x340
#define LVT_MASKED	(1u << 16)
#define LVT_MODE_NMI	(4u << 8)

uint8_t cur_cpl(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	if (!(s->cr0 & 1))
		return 0;
	if (vcpu_regs(v)->rflags & RFLAGS_VM)
		return 3;
	return s->cs.selector & 3;
}

enum cpu_mode cur_mode(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	return cpu_mode_of(s->cr0 & 1, vcpu_regs(v)->rflags & RFLAGS_VM,
			   s->efer & EFER_LMA, s->cs.l, s->cs.db);
}

/* Can any counter count at any CPL?  Only then is stepping worth it. */
static bool counting(struct vcpu *v)
{
	return vpmu_active_events(v->pmu, 0) | vpmu_active_events(v->pmu, 3);
}

/* Decode the instruction at linear address `lin`; 0 or -1. */
int decode_at(struct vcpu *v, uint64_t lin, enum cpu_mode mode,
		     struct insn *out)
{
	uint8_t bytes[15];
	size_t n = guest_read_code(v->vm, vcpu_sregs(v), lin, bytes);

	return n && insn_decode(out, bytes, n, mode) == INSN_OK ? 0 : -1;
}

/*
 * Where an IRET will return: RIP and CS from its frame at SS:RSP (operand
 * size 16/32/64), the mode and linear address from CS's descriptor.
 */
static void read_iret_frame(struct vcpu *v, struct pending *p)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	unsigned int w = p->insn.op_bits / 8;
	uint64_t rip = 0, cs = 0, sp = vcpu_regs(v)->rsp;
	struct seg_desc d;

	p->ret_known = false;
	if (!(s->efer & EFER_LMA))
		sp = s->ss.base + (s->ss.db ? (uint32_t)sp : (uint16_t)sp);
	if (!(s->cr0 & 1) || guest_read_linear(v->vm, s, sp, &rip, w) ||
	    guest_read_linear(v->vm, s, sp + w, &cs, 2) ||
	    guest_read_gdt_desc(v->vm, s, (uint16_t)cs, &d))
		return;
	p->ret_mode = cpu_mode_of(true, false, s->efer & EFER_LMA, d.l, d.db);
	p->ret_rip = rip;
	p->ret_lin = (p->ret_mode == CPU_MODE_LONG64 ? 0 : d.base) + rip;
	p->ret_known = true;
}

static int decode_current(struct vcpu *v)
{
	struct step_engine *e = E(v);

	e->cur.rip = vcpu_regs(v)->rip;
	e->cur.lin = vcpu_linear_rip(v);
	e->cur.cpl = cur_cpl(v);
	e->have = !decode_at(v, e->cur.lin, cur_mode(v), &e->cur.insn);
	if (e->have && e->cur.insn.cls == INSN_IRET)
		read_iret_frame(v, &e->cur);
	return e->have ? 0 : -1;
}


/* Report one retired instruction; deliver its PMI before the next one. */
void retire(struct vcpu *v, const struct insn *i, bool taken, uint8_t cpl)
{
	struct step_engine *e = E(v);
	struct vpmu_tick t;

	insn_retire_tick_taken(i, taken, cpl, e->cpi, &t);
	e->retired++;
	if (vpmu_count(v->pmu, &t, 1))
		vcpu_deliver_pmi(v);
}

/* A conditional branch was taken iff it did not fall through. */
static bool outcome_taken(const struct insn *i, uint64_t rip, uint64_t next)
{
	if (i->cls == INSN_INT)
		return true;
	return next != insn_fallthrough(i, rip);
}

/* May a step of `i` from `rip` have ended at `next` without an event? */
static bool expected_end(const struct insn *i, uint64_t rip, uint64_t next)
{
	switch (i->cls) {
	case INSN_JCC:
	case INSN_JRCXZ:
	case INSN_LOOP:
		return next == insn_fallthrough(i, rip) || next == insn_target(i, rip);
	case INSN_JMP:
	case INSN_CALL:
		return next == insn_target(i, rip);
	case INSN_JMP_IND: case INSN_CALL_IND: case INSN_RET:
	case INSN_FAR_JMP: case INSN_FAR_CALL: case INSN_FAR_RET:
	case INSN_IRET: case INSN_SYS: case INSN_INT: case INSN_OTHER:
		return true;	/* any target: checked against the IDT below */
	case INSN_REP_STRING:
		return next == rip || next == insn_fallthrough(i, rip);
	default:
		return next == insn_fallthrough(i, rip);
	}
}

/*
 * A stepped IRET loads RFLAGS from its frame, and the step runs on
 * through the first instruction at the return address (a case of quirk
 * 4, seen returning to compat-mode CPL3).  If the step ended one
 * instruction past the return address, both retired.
 */
static bool iret_ran_on(struct vcpu *v, uint64_t next, uint64_t lin)
{
	struct pending *p = &E(v)->cur;
	struct insn second;

	if (p->insn.cls != INSN_IRET || !p->ret_known || lin == p->ret_lin ||
	    decode_at(v, p->ret_lin, p->ret_mode, &second) ||
	    !expected_end(&second, p->ret_rip, next))
		return false;
	retire(v, &p->insn, true, p->cpl);
	retire(v, &second, outcome_taken(&second, p->ret_rip, next), cur_cpl(v));
	return true;
}

static bool unconstrained(const struct insn *i)
{
	return expected_end(i, 0, 0x1234) && expected_end(i, 0, 0x5678);
}

/*
 * The step ended at a handler: the instruction faulted (not retired),
 * trapped (INT n: retired), or an interrupt came before it (not started).
 * Then the handler's first instruction ran, unless the step stopped at
 * the entry.
 */
void handler_entered(struct vcpu *v, const struct idt_hit *h)
{
	struct step_engine *e = E(v);
	const struct pending *p = &e->cur;

	if (p->insn.cls == INSN_INT)
		retire(v, &p->insn, true, p->cpl);
	else if (h->vector >= 32 || h->vector == NMI_VECTOR)
		e->interrupts++;
	else
		e->faults++;
	if (h->ran_first)
		retire(v, &h->first, outcome_taken(&h->first, h->first_rip,
						   vcpu_regs(v)->rip), cur_cpl(v));
}

/* Account for the step of e->cur that ended where the vCPU is now. */
static void resolve(struct vcpu *v)
{
	struct step_engine *e = E(v);
	struct pending *p = &e->cur;
	uint64_t next = vcpu_regs(v)->rip, lin = vcpu_linear_rip(v);
	struct idt_hit hit;

	e->steps++;
	/* quirk 12: each userspace OUT retired without a step exit; the
	 * step ended after the instruction that followed it */
	while (e->out_exits && p->insn.cls == INSN_OUT) {
		uint64_t ft = insn_fallthrough(&p->insn, p->rip);

		e->out_exits--;
		retire(v, &p->insn, false, p->cpl);
		p->lin += ft - p->rip;
		p->rip = ft;
		if (decode_at(v, p->lin, cur_mode(v), &p->insn))
			goto lost;
	}
	e->out_exits = 0;
	if (!insn_step_retired(&p->insn, p->rip, next) &&
	    p->insn.cls == INSN_REP_STRING)
		return;		/* quirk 5: first of two steps; keep it */
	if (iret_ran_on(v, next, lin)) {
		e->have = false;
		return;
	}
	if (expected_end(&p->insn, p->rip, next)) {
		if (unconstrained(&p->insn) &&
		    idt_find_entry(&e->idt, v->vm, vcpu_sregs(v), lin, false, &hit))
			handler_entered(v, &hit);
		else if (p->insn.flags & INSN_F_COND)
			retire(v, &p->insn, outcome_taken(&p->insn, p->rip, next), p->cpl);
		else
			retire(v, &p->insn, true, p->cpl);
		e->have = false;
		return;
	}
	if (idt_find_entry(&e->idt, v->vm, vcpu_sregs(v), lin, true, &hit)) {
		handler_entered(v, &hit);
		e->have = false;
		return;
	}
lost:
	/* Not explained by any rule: count the instruction (it most likely
	 * ran) and say so once; the statistic goes to the summary. */
	e->unexplained++;
	if (!e->warned) {
		e->warned = true;
		fprintf(stderr, "vpmu: exact engine: step of %s at %#llx ended at %#llx "
			"(unexplained; counts may be off by one)\n",
			insn_class_name(p->insn.cls), (unsigned long long)p->rip,
			(unsigned long long)next);
	}
	retire(v, &p->insn, true, p->cpl);
	e->have = false;
}

static double elapsed_s(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (double)(b.tv_sec - a->tv_sec) + (b.tv_nsec - a->tv_nsec) / 1e9;
}

static void end_native(struct vcpu *v)
{
	struct step_engine *e = E(v);

	if (!e->native)
		return;
	e->native = false;
	v->stats.uncounted_s += elapsed_s(&e->native_start);
}

/* The vector a PMI arrives on, per the guest's LVTPC (for HLT wake-up). */
static unsigned int pmi_vector(struct vcpu *v)
{
	struct kvm_lapic_state l;
	uint32_t lvt;

	if (ioctl(v->fd, KVM_GET_LAPIC, &l) < 0)
		return NMI_VECTOR;
	memcpy(&lvt, &l.regs[APIC_LVTPC], 4);
	return (lvt & (7u << 8)) == LVT_MODE_NMI ? NMI_VECTOR : lvt & 0xff;
}

/*
 * HLT: quirk 3 says a stepped HLT does not halt.  Count it, then let it
 * run free: the vCPU halts in KVM until an interrupt.  Breakpoints on the
 * PMI's handler and on the instruction after HLT bring the engine back.
 */
static void run_halt(struct vcpu *v)
{
	struct step_engine *e = E(v);
	uint64_t bp[2];
	unsigned int n = 0;

	retire(v, &e->cur.insn, false, e->cur.cpl);
	e->halts++;
	bp[n] = idt_handler(&e->idt, v->vm, vcpu_sregs(v), pmi_vector(v));
	if (bp[n])
		n++;
	bp[n++] = e->cur.lin + e->cur.insn.length;
	guestdbg_set_engine_bps(v, bp, n);
	e->halt_wait = true;
	e->have = false;
}

/* Emulate RDPMCs at RIP (quirk 2); false if one must raise #GP. */
static bool emulate_rdpmcs(struct vcpu *v)
{
	struct step_engine *e = E(v);

	while (e->have && e->cur.insn.cls == INSN_RDPMC) {
		struct pending p = e->cur;

		if (rdpmc_emulate(v) != 1)
			return false;
		retire(v, &p.insn, false, p.cpl);
		decode_current(v);
	}
	return true;
}

/* What the next KVM_RUN does: step (true), or run free. */
static bool plan_run(struct vcpu *v)
{
	struct step_engine *e = E(v);
	uint64_t bp;

	end_native(v);
	if (e->loop.active) {
		/* a debug exit we did not see (the RDPMC hook's) ended the run */
		if (v->stats.debug_exits == e->loop.dbg_mark)
			return false;
		fastloop_lost(v);
	}
	if (e->halt_wait)
		return false;
	if (!counting(v)) {
		e->have = false;
		guestdbg_set_engine_bps(v, NULL, 0);
		return false;
	}
	/* a debug exit consumed elsewhere (the RDPMC hook) ended a step */
	if (e->have && !e->exit_seen && vcpu_regs(v)->rip != e->cur.rip)
		resolve(v);
	e->exit_seen = false;
	if (!engine_can_step(cur_mode(v), cur_cpl(v))) {
		e->native = true;	/* quirk 1: uncounted until the next exit */
		clock_gettime(CLOCK_MONOTONIC, &e->native_start);
		e->have = false;
		return false;
	}
	if (!e->have && decode_current(v))
		return true;	/* unreadable: step anyway, resync after */
	emulate_rdpmcs(v);
	/* HLT outside ring 0 raises #GP (SDM Vol. 2A HLT): step it like any
	 * faulting instruction; only a ring-0 HLT halts */
	if (e->have && e->cur.insn.cls == INSN_HLT && e->cur.cpl == 0) {
		run_halt(v);
		return false;
	}
	/* a PMI sent since the guest last ran is still to be taken: a free
	 * run would hold it (BLOCKIRQ) for the whole loop, so step once */
	if (e->have && !e->no_fastloop && v->stats.pmis_delivered == e->pmi_mark &&
	    fastloop_start(v))
		return false;
	e->fence_bp = e->have && insn_step_is_swallowed(&e->cur.insn);
	bp = e->cur.lin + e->cur.insn.length;
	guestdbg_set_engine_bps(v, e->fence_bp ? &bp : NULL, e->fence_bp);
	return true;
}

static bool step_wants(struct vcpu *v)
{
	bool step = plan_run(v);

	E(v)->pmi_mark = v->stats.pmis_delivered;
	return step;
}

static int step_on_debug(struct vcpu *v)
{
	struct step_engine *e = E(v);

	end_native(v);
	e->exit_seen = true;
	if (fastloop_on_debug(v))
		return 0;
	if (e->halt_wait) {	/* woken: resume stepping from here */
		e->halt_wait = false;
		guestdbg_set_engine_bps(v, NULL, 0);
		return 0;
	}
	/* a step that ends where it began retired a self-loop (`jmp .`,
	 * `loop .`): DR6.BS says a step completed; a breakpoint exit without
	 * it ran nothing */
	if (e->have && (vcpu_regs(v)->rip != e->cur.rip ||
			e->cur.insn.cls == INSN_REP_STRING ||
			(v->run->debug.arch.dr6 & DR6_BS)))
		resolve(v);
	return 0;
}

static void step_on_exit(struct vcpu *v, unsigned int reason)
{
	struct step_engine *e = E(v);

	end_native(v);
	e->exit_seen = true;
	if (reason == KVM_EXIT_IO && v->run->io.direction == KVM_EXIT_IO_OUT &&
	    e->have && e->cur.insn.cls == INSN_OUT && guestdbg_stepping(v))
		e->out_exits++;
}

static int step_attach(struct vcpu *v)
{
	struct step_engine *e = calloc(1, sizeof(*e));

	if (!e || insn_decoder_init()) {
		free(e);
		fprintf(stderr, "vpmu: exact engine: cannot initialise\n");
		return -1;
	}
	e->cpi = v->vm->cfg.cpi ? v->vm->cfg.cpi : ENGINE_CPI_DEFAULT;
	e->no_fastloop = getenv("VPMU_NO_FASTLOOP") != NULL;
	v->engine_data = e;
	return 0;
}

static void step_detach(struct vcpu *v)
{
	struct step_engine *e = E(v);

	if (!e)
		return;
	end_native(v);
	v->stats.engine = (struct engine_stats){
		.steps = e->steps, .retired = e->retired, .faults = e->faults,
		.interrupts = e->interrupts, .halts = e->halts,
		.loops = e->loop.runs, .loop_iterations = e->loop.iterations,
		.unexplained = e->unexplained,
	};
	free(e);
	v->engine_data = NULL;
}

const struct engine_ops engine_exact = {
	.name = "exact",
	/*
	 * Not produced: LLC references (3) and misses (4), branch mispredicts
	 * (6) need cache / predictor models; GP reference cycles (2) tick on
	 * the virtual clock, which is not the TSC that software calibrates
	 * them against (kvm-unit-tests does).  Fixed counter 2 still counts.
	 */
	.hidden_arch_events = (1u << 2) | (1u << 3) | (1u << 4) | (1u << 6),
	.attach = step_attach,
	.wants_step = step_wants,
	.on_debug = step_on_debug,
	.on_exit = step_on_exit,
	.detach = step_detach,
};
