/* SPDX-License-Identifier: MIT */
/*
 * The exact engine's view of the guest IDT (engine/idt.c), without KVM:
 * a flat 32-bit guest whose IDT the test writes (SDM Vol. 3A "Interrupt
 * Descriptor Table", 32-bit interrupt gates).
 *
 *  - idt_handler() reads the gate afresh: a guest that rewrites its #PF
 *    gate without touching IDTR gets the breakpoint on the new handler;
 *  - a handler that starts a few bytes before the end of readable memory
 *    is still found (its first instruction decodes from what is there);
 *  - idt_find_entry() tells a step that stopped at a handler entry from
 *    one that also ran the handler's first instruction (HOST-KVM quirk 4).
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
#include "idt.h"

#define RAM		(1u << 20)
#define GDT		0x1000u
#define IDT		0x2000u
#define KCS		0x08

static struct vm vm;
static struct kvm_sregs sregs;
static struct idt_cache cache;

/* 32-bit interrupt gate `vec` -> KCS:off */
static void gate(unsigned int vec, uint32_t off)
{
	fake_gate32(&vm, IDT, vec, KCS, off);
}

static int setup(void **state)
{
	(void)state;
	fake_vm_init(&vm, RAM);
	memset(&sregs, 0, sizeof(sregs));
	memset(&cache, 0, sizeof(cache));
	fake_flat_desc(&vm, GDT, 1, 0xa, 0);	/* KCS */
	sregs.cr0 = 1;
	sregs.gdt.base = GDT;
	sregs.gdt.limit = 2 * 8 - 1;
	sregs.idt.base = IDT;
	sregs.idt.limit = 256 * 8 - 1;
	memset(vm.mem + 0x5000, 0x90, 16);	/* nop handlers */
	memset(vm.mem + 0x6000, 0x90, 16);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fake_vm_free(&vm);
	return 0;
}

static void test_rewritten_gate(void **state)
{
	(void)state;
	gate(14, 0x5000);
	assert_int_equal(idt_handler(&cache, &vm, &sregs, 14), 0x5000);
	gate(14, 0x6000);		/* same IDTR, new handler */
	assert_int_equal(idt_handler(&cache, &vm, &sregs, 14), 0x6000);
	fake_put32(&vm, IDT + 8 * 14 + 4, 0);	/* not present */
	assert_int_equal(idt_handler(&cache, &vm, &sregs, 14), 0);
}

static void test_handler_at_end_of_memory(void **state)
{
	(void)state;
	vm.mem[RAM - 3] = 0x90;		/* nop, then 2 bytes, then nothing */
	gate(2, RAM - 3);
	assert_int_equal(idt_handler(&cache, &vm, &sregs, 2), RAM - 3);
}

static void test_find_entry(void **state)
{
	struct idt_hit hit;

	(void)state;
	gate(32, 0x5000);
	assert_true(idt_find_entry(&cache, &vm, &sregs, 0x5000, false, &hit));
	assert_int_equal(hit.vector, 32);
	assert_false(hit.ran_first);
	assert_true(idt_find_entry(&cache, &vm, &sregs, 0x5001, false, &hit));
	assert_int_equal(hit.vector, 32);
	assert_true(hit.ran_first);		/* quirk 4: the NOP ran too */
	assert_false(idt_find_entry(&cache, &vm, &sregs, 0x5002, false, &hit));
	/* a gate written later is found when the caller asks to re-read */
	gate(33, 0x6000);
	assert_true(idt_find_entry(&cache, &vm, &sregs, 0x6000, true, &hit));
	assert_int_equal(hit.vector, 33);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rewritten_gate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_handler_at_end_of_memory, setup, teardown),
		cmocka_unit_test_setup_teardown(test_find_entry, setup, teardown),
	};

	return cmocka_run_group_tests_name("vmm_idt", tests, NULL, NULL);
}
