// SPDX-License-Identifier: MIT
/*
 * CPUID for the guest: KVM's supported table with the PMU model applied.
 * Note (HOST-KVM "Capabilities"): on the dev host these values are seen
 * by guest code at CPL0 and in compat mode, but native CPUID in 64-bit
 * ring 3 returns the host's own values.
 */
#include "cpuid.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define CPUID_MAX_ENT	256

/* Leaves whose subleaf (ECX) selects the answer (SDM Vol. 2A CPUID). */
static bool leaf_indexed(uint32_t leaf)
{
	static const uint32_t indexed[] = {
		0x4, 0x7, 0xb, 0xd, 0xf, 0x10, 0x12, 0x14, 0x17, 0x18, 0x1d,
		0x1e, 0x1f, 0x20, 0x23, 0x24, 0x8000001d, 0x80000020, 0x80000026,
	};

	for (size_t i = 0; i < ARRAY_SIZE(indexed); i++)
		if (indexed[i] == leaf)
			return true;
	return false;
}

static struct kvm_cpuid_entry2 *find_entry(struct kvm_cpuid2 *c, uint32_t leaf,
					   uint32_t sub)
{
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		if (e->function == leaf &&
		    (!(e->flags & KVM_CPUID_FLAG_SIGNIFCANT_INDEX) || e->index == sub))
			return e;
	}
	return NULL;
}

static void ensure_leaf(struct kvm_cpuid2 *c, uint32_t leaf, uint32_t sub)
{
	struct kvm_cpuid_entry2 *e;

	if (find_entry(c, leaf, sub))
		return;
	if (c->nent == CPUID_MAX_ENT)
		die(EXIT_VMM, "CPUID table full");
	e = &c->entries[c->nent++];
	memset(e, 0, sizeof(*e));
	e->function = leaf;
	e->index = sub;
	if (leaf_indexed(leaf))
		e->flags = KVM_CPUID_FLAG_SIGNIFCANT_INDEX;
}

void cpuid_build(struct vm *vm)
{
	struct kvm_cpuid2 *c;
	uint32_t need[64][2];
	unsigned int n;

	c = calloc(1, sizeof(*c) + CPUID_MAX_ENT * sizeof(c->entries[0]));
	if (!c)
		die(EXIT_VMM, "out of memory");
	c->nent = CPUID_MAX_ENT;
	if (ioctl(vm->kvm_fd, KVM_GET_SUPPORTED_CPUID, c) < 0)
		die(EXIT_VMM, "KVM_GET_SUPPORTED_CPUID: %s", strerror(errno));
	n = vpmu_cpuid_leaves(vm->cfg.model, need, ARRAY_SIZE(need));
	for (unsigned int i = 0; i < n; i++)
		ensure_leaf(c, need[i][0], need[i][1]);
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];
		struct vpmu_cpuid r = { e->eax, e->ebx, e->ecx, e->edx };

		vpmu_cpuid_apply(vm->cfg.model, e->function, e->index, &r);
		e->eax = r.eax;
		e->ebx = r.ebx;
		e->ecx = r.ecx;
		e->edx = r.edx;
	}
	vm->cpuid = c;
}

void cpuid_set_vcpu(struct vcpu *v)
{
	struct kvm_cpuid2 *src = v->vm->cpuid;
	size_t size = sizeof(*src) + src->nent * sizeof(src->entries[0]);
	struct kvm_cpuid2 *c = malloc(size);

	if (!c)
		die(EXIT_VMM, "out of memory");
	memcpy(c, src, size);
	for (uint32_t i = 0; i < c->nent; i++) {
		struct kvm_cpuid_entry2 *e = &c->entries[i];

		/* initial APIC ID: leaf 1 EBX[31:24], x2APIC ID in 0xB/0x1F EDX */
		if (e->function == 1)
			e->ebx = (e->ebx & 0x00ffffffu) | (v->id << 24);
		else if (e->function == 0xb || e->function == 0x1f)
			e->edx = v->id;
	}
	if (ioctl(v->fd, KVM_SET_CPUID2, c) < 0)
		die(EXIT_VMM, "KVM_SET_CPUID2: %s", strerror(errno));
	free(c);
}
