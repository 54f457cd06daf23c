// SPDX-License-Identifier: MIT
/*
 * RDPMC through a breakpoint on the guest's #GP handler.
 *
 * On the dev host RDPMC never exits to userspace: KVM injects #GP at every
 * CPL, whatever CR4.PCE says (HOST-KVM quirk 2).  So the VMM puts a
 * hardware execute breakpoint (guestdbg.c, DR0) on the linear address of
 * the guest's #GP handler, taken from IDT gate 13.  When it hits, the
 * exception frame on the guest stack names the faulting instruction:
 *
 *   - an RDPMC (0F 33, with any prefixes but LOCK) that the model allows
 *     (vpmu_rdpmc with CPL from the saved CS, CR0.PE, CR4.PCE; SDM Vol. 2B
 *     RDPMC "Operation"): the exception is unwound as if it never
 *     happened: EDX:EAX = value (upper halves of RAX/RDX zeroed as a
 *     32-bit register write does), RIP past the instruction,
 *     CS/RFLAGS/RSP/SS from the frame (RF clear).  Only when the hit is a
 *     real exception delivery: the vCPU runs in the gate's CS and the
 *     frame's CPL is not below it; a ring-3 jump to the handler with a
 *     forged frame is never unwound (tests/vmm/test_rdpmc_hook.c);
 *   - anything else (a real #GP, or an RDPMC the model faults): the
 *     guest's handler runs.  The breakpoint would re-trigger at the same
 *     RIP (quirk 6), so guestdbg steps one instruction with it disarmed
 *     and re-arms it.  The step also executes one handler instruction
 *     (quirk 4 applies only when the step itself takes an event).
 *
 * When the hook re-reads the IDT: rdpmc_refresh() runs after every exit
 * to userspace (I/O, MSR, debug, halt-watchdog kick: at least every
 * 250 ms); it is a page walk in our own mapping of guest RAM, no ioctl,
 * and KVM_SET_GUEST_DEBUG is issued only when the address changed.  A
 * guest that changes its IDT and executes RDPMC with no exit in between
 * is not covered.
 *
 * Cost (measured on the dev host): while the breakpoint is armed every
 * exit costs ~5 us more (20000 filtered RDMSRs: 0.38 s unarmed, 0.48 s
 * armed); syncing the segment registers through kvm_run costs nothing
 * measurable.  An RDPMC answered through the hook takes ~20 us.
 *
 * Frames (SDM Vol. 3A "Exception and Interrupt Handling in 64-bit Mode"
 * and "Stack Usage on Transfers to Interrupt and Exception-Handling
 * Routines"): 64-bit: error code, RIP, CS, RFLAGS, RSP, SS (always, also
 * from compat mode); 32-bit: error code, EIP, CS, EFLAGS, and ESP, SS only
 * on a privilege change.  Real mode, virtual-8086 mode, 16-bit gates, task
 * gates and LDT code segments are not hooked (the guest gets its #GP).
 */
#include "rdpmc.h"

#include <string.h>

#include "../engine/decode.h"
#include "guestmem.h"
#include "vcpu.h"
#include "vm.h"

#define CR0_PE		(1ull << 0)
#define CR4_PCE		(1ull << 8)
#define EFER_LMA	(1ull << 10)
#define RFLAGS_FIXED	(1ull << 1)
#define RFLAGS_RF	(1ull << 16)
#define RFLAGS_VM	(1ull << 17)
#define GP_VECTOR	13
#define GATE_INTR32	0xe
#define GATE_TRAP32	0xf

struct gp_frame {
	uint64_t rip, rflags, rsp;
	uint16_t cs, ss;
	uint64_t fault_la;	/* linear address of the faulting instruction */
	enum cpu_mode mode;	/* of the faulting code (32-bit frames: no VM86) */
	struct seg_desc cs_desc;
};

static bool lma(const struct kvm_sregs *s)
{
	return s->efer & EFER_LMA;
}

/*
 * IDT gate 13: the #GP handler's linear address and code segment
 * selector; 0 if there is no usable gate (SDM Vol. 3A Figures 6-2 and
 * 6-8: 32-bit and 64-bit interrupt/trap gates).
 */
static uint64_t gp_gate(struct vcpu *v, uint16_t *sel)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	unsigned int gsize = lma(s) ? 16 : 8;
	uint32_t g[4];
	unsigned int type;
	struct seg_desc cs;

	if (!(s->cr0 & CR0_PE) || s->idt.limit < GP_VECTOR * gsize + gsize - 1)
		return 0;
	if (guest_read_linear(v->vm, s, s->idt.base + GP_VECTOR * gsize, g, gsize))
		return 0;
	type = (g[1] >> 8) & 0xf;
	if (!(g[1] & (1u << 15)) || (type != GATE_INTR32 && type != GATE_TRAP32))
		return 0;
	*sel = (uint16_t)(g[0] >> 16);
	if (lma(s))
		return (g[0] & 0xffff) | (g[1] & 0xffff0000u) | ((uint64_t)g[2] << 32);
	if (guest_read_gdt_desc(v->vm, s, *sel, &cs))
		return 0;
	return (cs.base + ((g[0] & 0xffff) | (g[1] & 0xffff0000u))) & 0xffffffffull;
}

void rdpmc_refresh(struct vcpu *v)
{
	uint16_t sel;

	v->dbg.gp_bp = gp_gate(v, &sel);
}

static int read_frame64(struct vcpu *v, struct gp_frame *f)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	uint64_t q[6];

	if (guest_read_linear(v->vm, s, vcpu_regs(v)->rsp, q, sizeof(q)))
		return -1;
	f->rip = q[1];
	f->cs = (uint16_t)q[2];
	f->rflags = q[3];
	f->rsp = q[4];
	f->ss = (uint16_t)q[5];
	return 0;
}

static int read_frame32(struct vcpu *v, struct gp_frame *f)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	uint32_t esp = (uint32_t)vcpu_regs(v)->rsp;
	uint32_t d[6];

	if (guest_read_linear(v->vm, s, (s->ss.base + esp) & 0xffffffffull, d, 16))
		return -1;
	f->rip = d[1];
	f->cs = (uint16_t)d[2];
	f->rflags = d[3];
	if (f->rflags & RFLAGS_VM)
		return -1;
	if ((f->cs & 3) != (s->cs.selector & 3)) {	/* privilege change */
		if (guest_read_linear(v->vm, s, (s->ss.base + esp + 16) & 0xffffffffull,
				      &d[4], 8))
			return -1;
		f->rsp = d[4];
		f->ss = (uint16_t)d[5];
	} else {
		f->rsp = (uint32_t)(esp + 16);
		f->ss = s->ss.selector;
	}
	return 0;
}

static int read_frame(struct vcpu *v, struct gp_frame *f)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	if (lma(s) ? read_frame64(v, f) : read_frame32(v, f))
		return -1;
	if (guest_read_gdt_desc(v->vm, s, f->cs, &f->cs_desc))
		return -1;
	f->mode = cpu_mode_of(true, false, lma(s), f->cs_desc.l, f->cs_desc.db);
	f->fault_la = f->mode == CPU_MODE_LONG64 ? f->rip
				  : (f->cs_desc.base + (uint32_t)f->rip) & 0xffffffffull;
	return 0;
}

/*
 * Length of the RDPMC at linear address la, decoded in `mode` (prefixes
 * included; LOCK RDPMC is #UD, so no RDPMC), 0 if it is not one.
 */
static unsigned int rdpmc_len(struct vcpu *v, uint64_t la, enum cpu_mode mode)
{
	uint8_t b[15];
	size_t n = guest_read_code(v->vm, vcpu_sregs(v), la, b);
	struct insn i;

	return n && insn_decode(&i, b, n, mode) == INSN_OK && i.cls == INSN_RDPMC ?
	       i.length : 0;
}

static void load_seg(struct kvm_segment *k, uint16_t sel,
		     const struct seg_desc *d, uint8_t cpl)
{
	memset(k, 0, sizeof(*k));
	k->selector = sel;
	if (!d) {		/* null SS (64-bit mode): unusable */
		k->unusable = 1;
		k->dpl = cpl;
		return;
	}
	k->base = d->base;
	k->limit = d->limit;
	k->type = d->type | 1;	/* the CPU sets the accessed bit on load */
	k->present = d->present;
	k->dpl = d->dpl;
	k->db = d->db;
	k->s = d->s;
	k->l = d->l;
	k->g = d->g;
	k->avl = d->avl;
}

/* The CS/SS of the interrupted code, if they differ from the handler's. */
static int restore_segments(struct vcpu *v, const struct gp_frame *f)
{
	struct kvm_sregs *s = vcpu_sregs(v);
	struct seg_desc ss;
	uint8_t cpl = f->cs & 3;

	if (f->cs == s->cs.selector && f->ss == s->ss.selector)
		return 0;
	if ((f->ss & ~3u) == 0) {
		if (!lma(s) || cpl == 3)
			return -1;
		load_seg(&s->ss, f->ss, NULL, cpl);
	} else {
		if (guest_read_gdt_desc(v->vm, s, f->ss, &ss))
			return -1;
		load_seg(&s->ss, f->ss, &ss, cpl);
	}
	load_seg(&s->cs, f->cs, &f->cs_desc, cpl);
	vcpu_sregs_dirty(v);
	return 0;
}

static void set_result(struct vcpu *v, uint64_t val)
{
	struct kvm_regs *r = vcpu_regs(v);

	r->rax = (uint32_t)val;
	r->rdx = (uint32_t)(val >> 32);
}

static void pass_to_guest(struct vcpu *v)
{
	v->dbg.step_over = true;
}

/*
 * Did the CPU reach the handler by delivering an exception?  Then it runs
 * in the gate's code segment, and the interrupted code was at the same or
 * a less privileged level (an exception never moves to an outer ring: SDM
 * Vol. 3A "Protection of Exception- and Interrupt-Handler Procedures").
 * A user program that jumps to the handler's address with a forged frame
 * (the breakpoint fires before the fetch would fault) fails this, so it
 * can never be "returned" to a more privileged CS, RSP or RFLAGS.
 */
static bool delivered(struct vcpu *v, const struct gp_frame *f)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	unsigned int cpl = s->cs.selector & 3;
	uint16_t sel = 0;

	return gp_gate(v, &sel) && (s->cs.selector & ~3u) == (sel & ~3u) &&
	       (f->cs & 3) >= cpl;
}

static void on_gp_handler(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	struct vpmu_cpu_state cpu;
	struct gp_frame f;
	struct kvm_regs *r = vcpu_regs(v);
	uint64_t val;
	unsigned int len;

	if (read_frame(v, &f) || !delivered(v, &f) ||
	    !(len = rdpmc_len(v, f.fault_la, f.mode))) {
		v->stats.gp_passed++;
		pass_to_guest(v);
		return;
	}
	cpu.cpl = f.cs & 3;
	cpu.cr0_pe = s->cr0 & CR0_PE;
	cpu.cr4_pce = s->cr4 & CR4_PCE;
	if (vpmu_rdpmc(v->pmu, (uint32_t)r->rcx, &cpu, &val) != VPMU_MSR_OK ||
	    restore_segments(v, &f)) {
		v->stats.rdpmc_gp++;
		pass_to_guest(v);
		return;
	}
	set_result(v, val);
	r->rip = f.mode == CPU_MODE_LONG64 ? f.rip + len : (uint32_t)(f.rip + len);
	r->rflags = (f.rflags & ~RFLAGS_RF) | RFLAGS_FIXED;
	r->rsp = f.rsp;
	vcpu_regs_dirty(v);
	v->stats.rdpmc_emulated++;
}

bool rdpmc_on_debug(struct vcpu *v)
{
	const struct kvm_debug_exit_arch *a = &v->run->debug.arch;

	if (v->dbg.step_over) {
		/* the step over the handler's first instruction is done; the
		 * engine, if it is stepping too, sees this step as its own */
		v->dbg.step_over = false;
		return !v->dbg.engine_step;
	}
	if (!v->dbg.gp_bp || a->pc != v->dbg.gp_bp || (a->dr6 & DR6_BS))
		return false;
	on_gp_handler(v);
	return true;
}

int rdpmc_emulate(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	struct kvm_regs *r = vcpu_regs(v);
	struct vpmu_cpu_state cpu;
	uint64_t val;
	unsigned int len = rdpmc_len(v, vcpu_linear_rip(v),
				     cpu_mode_of(s->cr0 & CR0_PE, r->rflags & RFLAGS_VM,
						 lma(s), s->cs.l, s->cs.db));

	if (!len)
		return -1;
	/* SDM Vol. 3A "Privilege Levels": CPL is CS.RPL in protected mode,
	 * 3 in virtual-8086 mode, 0 in real mode */
	cpu.cpl = !(s->cr0 & CR0_PE) ? 0 : (r->rflags & RFLAGS_VM) ? 3 : (s->cs.selector & 3);
	cpu.cr0_pe = s->cr0 & CR0_PE;
	cpu.cr4_pce = s->cr4 & CR4_PCE;
	if (vpmu_rdpmc(v->pmu, (uint32_t)r->rcx, &cpu, &val) != VPMU_MSR_OK) {
		v->stats.rdpmc_gp++;
		return 0;
	}
	set_result(v, val);
	r->rip = vcpu_long_mode(v) ? r->rip + len : (uint32_t)(r->rip + len);
	vcpu_regs_dirty(v);
	v->stats.rdpmc_emulated++;
	return 1;
}
