/* SPDX-License-Identifier: MIT */
/* The guest's CPUID table. */
#ifndef VMM_CPUID_H
#define VMM_CPUID_H

#include <stdint.h>

struct vm;
struct vcpu;

/*
 * KVM_GET_SUPPORTED_CPUID, then the model: every (leaf, subleaf) of
 * vpmu_cpuid_leaves() is made to exist and vpmu_cpuid_apply() runs on
 * every entry.  Stored in vm->cpuid.
 */
void cpuid_build(struct vm *vm);
/* KVM_SET_CPUID2 with this vCPU's APIC ID patched in (leaves 1, 0xB, 0x1F). */
void cpuid_set_vcpu(struct vcpu *v);

#endif
