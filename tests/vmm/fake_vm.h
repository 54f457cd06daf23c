/* SPDX-License-Identifier: MIT */
/*
 * A guest without KVM for the VMM tests: RAM is plain memory (fake_vm.c
 * also provides vm_gpa() over it), and helpers lay out the flat 32-bit
 * protected-mode structures the tests need (SDM Vol. 3A Figure 3-8,
 * segment descriptors; Figure 6-2, 32-bit interrupt gates).
 */
#ifndef TESTS_VMM_FAKE_VM_H
#define TESTS_VMM_FAKE_VM_H

#include <stdint.h>

#include "vm.h"

/* Zero *vm and give it `ram` bytes of zeroed RAM; fake_vm_free() frees. */
void fake_vm_init(struct vm *vm, uint64_t ram);
void fake_vm_free(struct vm *vm);
/* Little-endian 32-bit store at guest-physical gpa. */
void fake_put32(struct vm *vm, uint32_t gpa, uint32_t val);
/* GDT entry i at `gdt`: flat 4 GiB, 32-bit, `type`, `dpl`. */
void fake_flat_desc(struct vm *vm, uint32_t gdt, unsigned int i, unsigned int type,
		    unsigned int dpl);
/* 32-bit interrupt gate `vec` of the IDT at `idt`: sel:off, present. */
void fake_gate32(struct vm *vm, uint32_t idt, unsigned int vec, uint16_t sel,
		 uint32_t off);

#endif
