// SPDX-License-Identifier: MIT
/*
 * Test double of vm_gpa() (vmm/vm.c) for the VMM tests that run without
 * KVM: guest RAM is vm->mem, vm->mem_size bytes, as the real one maps it.
 */
#include "vm.h"

void *vm_gpa(struct vm *m, uint64_t gpa, size_t len)
{
	return gpa <= m->mem_size && len <= m->mem_size - gpa ? m->mem + gpa : NULL;
}
