// SPDX-License-Identifier: MIT
/* A guest without KVM for the VMM tests (fake_vm.h). */
#include "fake_vm.h"

#include <stdlib.h>
#include <string.h>

/* Test double of vmm/vm.c's: RAM is vm->mem, vm->mem_size bytes. */
void *vm_gpa(struct vm *m, uint64_t gpa, size_t len)
{
	return gpa <= m->mem_size && len <= m->mem_size - gpa ? m->mem + gpa : NULL;
}

void fake_vm_init(struct vm *vm, uint64_t ram)
{
	memset(vm, 0, sizeof(*vm));
	vm->mem = calloc(1, ram);
	vm->mem_size = vm->mem ? ram : 0;
}

void fake_vm_free(struct vm *vm)
{
	free(vm->mem);
	vm->mem = NULL;
	vm->mem_size = 0;
}

void fake_put32(struct vm *vm, uint32_t gpa, uint32_t val)
{
	memcpy(vm_gpa(vm, gpa, 4), &val, 4);
}

void fake_flat_desc(struct vm *vm, uint32_t gdt, unsigned int i, unsigned int type,
		    unsigned int dpl)
{
	fake_put32(vm, gdt + 8 * i, 0x0000ffff);
	fake_put32(vm, gdt + 8 * i + 4, 0x00cf9000 | (dpl << 13) | (type << 8));
}

void fake_gate32(struct vm *vm, uint32_t idt, unsigned int vec, uint16_t sel,
		 uint32_t off)
{
	fake_put32(vm, idt + 8 * vec, ((uint32_t)sel << 16) | (off & 0xffff));
	fake_put32(vm, idt + 8 * vec + 4, (off & 0xffff0000u) | 0x8e00);
}
