/* SPDX-License-Identifier: MIT */
/*
 * The RDPMC hook on the guest's #GP handler (vmm/rdpmc.c), without KVM:
 * a fake vCPU whose sync registers and guest RAM the test lays out (a
 * flat 32-bit protected-mode guest: GDT, IDT gate 13, exception frames
 * built the way the CPU pushes them, SDM Vol. 3A "Stack Usage on
 * Transfers to Interrupt and Exception-Handling Routines").
 *
 *  - an RDPMC from ring 3 (CR4.PCE = 1) or ring 0 that faulted is
 *    emulated and the exception unwound: EDX:EAX, RIP + 2, CS/SS/ESP/EFLAGS
 *    of the interrupted code;
 *  - an RDPMC the model refuses (CR4.PCE = 0 at CPL 3, index out of range)
 *    and any other #GP reach the guest's handler;
 *  - a ring-3 program that jumps to the handler with a forged frame naming
 *    a ring-0 CS (or its own CS with IOPL 3) is not unwound: the hook
 *    cannot be used to gain privilege;
 *  - prefixes: RIP moves past them; LOCK (#UD) is not an RDPMC;
 *  - rdpmc_emulate() takes CPL 3 in virtual-8086 mode, whatever CS holds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/kvm.h>

#include "fake_vm.h"
#include "guestmem.h"
#include "rdpmc.h"
#include "vcpu.h"
#include "vm.h"

#define RAM		(4u << 20)
#define GDT		0x1000u
#define IDT		0x2000u
#define HANDLER		0x5000u
#define CODE		0x6000u		/* where the faulting instruction is */
#define KSTACK		0x8000u		/* ring-0 stack top */
#define USTACK		0x7000u

#define KCS		0x08
#define KDS		0x10
#define UCS		0x1b
#define UDS		0x23

#define CR4_PCE		(1ull << 8)
#define EFLAGS_IF	(1u << 9)
#define EFLAGS_IOPL3	(3u << 12)
#define EFLAGS_VM	(1u << 17)

static struct vm vm;
static struct vcpu v;
static struct kvm_run run;
static _Alignas(8) unsigned char pmu_mem[8192];

/* ---- test doubles for what vcpu.c provides with KVM (vm_gpa: fake_vm.c) ---- */

uint64_t vcpu_linear_rip(struct vcpu *c)
{
	return (vcpu_sregs(c)->cs.base + (uint32_t)vcpu_regs(c)->rip) & 0xffffffffull;
}

bool vcpu_long_mode(struct vcpu *c)
{
	(void)c;
	return false;
}

/* ---- a flat 32-bit guest ---- */

static void seg(struct kvm_segment *k, uint16_t sel, unsigned int type)
{
	memset(k, 0, sizeof(*k));
	k->selector = sel;
	k->limit = 0xffffffff;
	k->type = type;
	k->present = 1;
	k->dpl = sel & 3;
	k->db = 1;
	k->s = 1;
	k->g = 1;
}

static int setup(void **state)
{
	struct kvm_sregs *s;
	char err[128];

	(void)state;
	fake_vm_init(&vm, RAM);
	memset(&v, 0, sizeof(v));
	memset(&run, 0, sizeof(run));
	v.vm = &vm;
	v.run = &run;
	v.pmu = vpmu_init(pmu_mem, sizeof(pmu_mem), vpmu_model_find("skylake"), err, sizeof(err));
	assert_non_null(v.pmu);
	assert_int_equal(vpmu_wrmsr(v.pmu, 0xc1, 0x1234), VPMU_MSR_OK);	/* PMC0 */
	fake_flat_desc(&vm, GDT, 1, 0xa, 0);	/* KCS */
	fake_flat_desc(&vm, GDT, 2, 0x2, 0);	/* KDS */
	fake_flat_desc(&vm, GDT, 3, 0xa, 3);	/* UCS */
	fake_flat_desc(&vm, GDT, 4, 0x2, 3);	/* UDS */
	fake_gate32(&vm, IDT, 13, KCS, HANDLER);	/* #GP */
	vm.mem[CODE] = 0x0f;
	vm.mem[CODE + 1] = 0x33;	/* RDPMC */
	s = vcpu_sregs(&v);
	s->cr0 = 1;			/* PE, no paging */
	s->cr4 = CR4_PCE;
	s->gdt.base = GDT;
	s->gdt.limit = 5 * 8 - 1;
	s->idt.base = IDT;
	s->idt.limit = 256 * 8 - 1;
	rdpmc_refresh(&v);
	assert_int_equal(v.dbg.gp_bp, HANDLER);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_vm_free(&vm);
	return 0;
}

/* The vCPU stopped at the handler's first instruction, running at
 * cs/ss, with `words` frame words at the top of its stack. */
static void at_handler(uint16_t cs, uint16_t ss, const uint32_t *frame, unsigned int words)
{
	struct kvm_sregs *s = vcpu_sregs(&v);
	struct kvm_regs *r = vcpu_regs(&v);
	uint32_t sp = (cs & 3) ? USTACK - 4 * words : KSTACK - 4 * words;

	seg(&s->cs, cs, 0xb);
	seg(&s->ss, ss, 0x3);
	for (unsigned int i = 0; i < words; i++)
		fake_put32(&vm, sp + 4 * i, frame[i]);
	memset(r, 0, sizeof(*r));
	r->rsp = sp;
	r->rip = HANDLER;
	r->rflags = 0x2;
	r->rax = r->rdx = 0xdeadbeef;
	run.exit_reason = KVM_EXIT_DEBUG;
	run.debug.arch.pc = HANDLER;
	run.debug.arch.dr6 = 0;
	run.kvm_dirty_regs = 0;
	v.dbg.step_over = false;
	memset(&v.stats, 0, sizeof(v.stats));
}

static void expect_passed(uint16_t cs)
{
	assert_true(rdpmc_on_debug(&v));
	assert_true(v.dbg.step_over);		/* the guest's handler runs */
	assert_int_equal(v.stats.rdpmc_emulated, 0);
	assert_int_equal(vcpu_regs(&v)->rip, HANDLER);
	assert_int_equal(vcpu_sregs(&v)->cs.selector, cs);
	assert_int_equal(vcpu_regs(&v)->rax, 0xdeadbeef);
}

/* CPL 3 RDPMC with CR4.PCE: #GP went to ring 0 with SS:ESP in the frame */
static void test_user_rdpmc_emulated(void **state)
{
	const uint32_t frame[] = { 0, CODE, UCS, EFLAGS_IF | 0x2, USTACK - 0x100, UDS };

	(void)state;
	at_handler(KCS, KDS, frame, 6);
	assert_true(rdpmc_on_debug(&v));
	assert_false(v.dbg.step_over);
	assert_int_equal(v.stats.rdpmc_emulated, 1);
	assert_int_equal(vcpu_regs(&v)->rax, 0x1234);
	assert_int_equal(vcpu_regs(&v)->rdx, 0);
	assert_int_equal(vcpu_regs(&v)->rip, CODE + 2);
	assert_int_equal(vcpu_regs(&v)->rsp, USTACK - 0x100);
	assert_int_equal(vcpu_regs(&v)->rflags, EFLAGS_IF | 0x2);
	assert_int_equal(vcpu_sregs(&v)->cs.selector, UCS);
	assert_int_equal(vcpu_sregs(&v)->cs.dpl, 3);
	assert_int_equal(vcpu_sregs(&v)->ss.selector, UDS);
	assert_true(run.kvm_dirty_regs & KVM_SYNC_X86_REGS);
}

/* CPL 0 RDPMC: same-privilege frame (error code, EIP, CS, EFLAGS) */
static void test_kernel_rdpmc_emulated(void **state)
{
	const uint32_t frame[] = { 0, CODE, KCS, 0x2 };

	(void)state;
	at_handler(KCS, KDS, frame, 4);
	vcpu_regs(&v)->rcx = 0x40000000;	/* fixed counter 0 */
	assert_int_equal(vpmu_wrmsr(v.pmu, 0x309, 77), VPMU_MSR_OK);
	assert_true(rdpmc_on_debug(&v));
	assert_int_equal(v.stats.rdpmc_emulated, 1);
	assert_int_equal(vcpu_regs(&v)->rax, 77);
	assert_int_equal(vcpu_regs(&v)->rip, CODE + 2);
	assert_int_equal(vcpu_regs(&v)->rsp, KSTACK);	/* the frame popped */
	assert_int_equal(vcpu_sregs(&v)->cs.selector, KCS);
}

/* The model's #GP cases and other #GPs reach the guest's handler */
static void test_refused_and_other_gp_pass(void **state)
{
	const uint32_t frame[] = { 0, CODE, UCS, 0x202, USTACK - 0x100, UDS };
	const uint32_t other[] = { 0, CODE + 8, UCS, 0x202, USTACK - 0x100, UDS };

	(void)state;
	vcpu_sregs(&v)->cr4 = 0;		/* CPL 3 without PCE: #GP */
	at_handler(KCS, KDS, frame, 6);
	expect_passed(KCS);
	assert_int_equal(v.stats.rdpmc_gp, 1);
	vcpu_sregs(&v)->cr4 = CR4_PCE;
	at_handler(KCS, KDS, frame, 6);
	vcpu_regs(&v)->rcx = 64;		/* no such counter */
	expect_passed(KCS);
	at_handler(KCS, KDS, other, 6);		/* not an RDPMC */
	expect_passed(KCS);
	assert_int_equal(v.stats.gp_passed, 1);
}

/* Ring 3 jumps to the handler with a frame naming ring 0: not unwound */
static void test_forged_frame_refused(void **state)
{
	const uint32_t to_ring0[] = { 0, CODE, KCS, 0x202, 0x1ff000, KDS };
	const uint32_t iopl3[] = { 0, CODE, UCS, 0x202 | EFLAGS_IOPL3 };

	(void)state;
	at_handler(UCS, UDS, to_ring0, 6);
	expect_passed(UCS);
	assert_int_equal(vcpu_sregs(&v)->ss.selector, UDS);
	at_handler(UCS, UDS, iopl3, 4);
	expect_passed(UCS);
	assert_int_equal(vcpu_regs(&v)->rflags & EFLAGS_IOPL3, 0);
	/* the same frame met in ring 0 is a legitimate kernel RDPMC */
	at_handler(KCS, KDS, to_ring0, 6);
	assert_true(rdpmc_on_debug(&v));
	assert_int_equal(v.stats.rdpmc_emulated, 1);
}

/* Prefixes: 66/2E/F3 do not change RDPMC (RIP moves past them); LOCK
 * makes it #UD; in 32-bit code 0x48 is DEC EAX, not a REX prefix */
static void test_prefixed_rdpmc(void **state)
{
	static const struct { uint8_t b[4]; unsigned int n, len; } cases[] = {
		{ { 0x66, 0x0f, 0x33 }, 3, 3 },
		{ { 0x2e, 0xf3, 0x0f, 0x33 }, 4, 4 },
		{ { 0xf0, 0x0f, 0x33 }, 3, 0 },
		{ { 0x48, 0x0f, 0x33 }, 3, 0 },
	};
	const uint32_t frame[] = { 0, CODE + 0x10, KCS, 0x2 };

	(void)state;
	for (unsigned int k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		memcpy(vm.mem + CODE + 0x10, cases[k].b, cases[k].n);
		at_handler(KCS, KDS, frame, 4);
		if (!cases[k].len) {
			expect_passed(KCS);
			continue;
		}
		assert_true(rdpmc_on_debug(&v));
		assert_int_equal(v.stats.rdpmc_emulated, 1);
		assert_int_equal(vcpu_regs(&v)->rip, CODE + 0x10 + cases[k].len);
	}
}

/* rdpmc_emulate() (the stepping engine's path): virtual-8086 mode is CPL 3 */
static void test_emulate_vm86_is_cpl3(void **state)
{
	struct kvm_sregs *s = vcpu_sregs(&v);
	struct kvm_regs *r = vcpu_regs(&v);

	(void)state;
	s->cr4 = 0;
	seg(&s->cs, 0x0000, 0xb);
	s->cs.base = 0;
	r->rip = CODE;
	r->rcx = 0;
	r->rflags = 0x2 | EFLAGS_VM;
	assert_int_equal(rdpmc_emulate(&v), 0);		/* #GP: CPL 3, no PCE */
	r->rflags = 0x2;
	assert_int_equal(rdpmc_emulate(&v), 1);		/* CPL 0 */
	assert_int_equal(r->rax, 0x1234);
	assert_int_equal(r->rip, CODE + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_user_rdpmc_emulated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kernel_rdpmc_emulated, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_and_other_gp_pass, setup, teardown),
		cmocka_unit_test_setup_teardown(test_forged_frame_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_prefixed_rdpmc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_emulate_vm86_is_cpl3, setup, teardown),
	};

	return cmocka_run_group_tests_name("vmm_rdpmc_hook", tests, NULL, NULL);
}
