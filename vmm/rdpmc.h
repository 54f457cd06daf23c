/* SPDX-License-Identifier: MIT */
/*
 * RDPMC through the guest's #GP handler (HOST-KVM quirk 2: RDPMC never
 * exits to userspace, KVM injects #GP at every CPL).  See rdpmc.c.
 */
#ifndef VMM_RDPMC_H
#define VMM_RDPMC_H

#include <stdbool.h>
#include <stdint.h>

struct vcpu;

/* Re-read IDTR / IDT gate 13 and move the breakpoint if it changed. */
void rdpmc_refresh(struct vcpu *v);
/*
 * A KVM_EXIT_DEBUG arrived.  Returns true if the RDPMC hook consumed it
 * (breakpoint hit on the #GP handler, or the end of its step-over).
 */
bool rdpmc_on_debug(struct vcpu *v);
/*
 * For an engine that stopped at an RDPMC instruction (0F 33) at the
 * current RIP: ask the model.  Returns 1 if emulated (RAX/RDX/RIP set,
 * registers marked dirty), 0 if the guest must take #GP (let the
 * instruction execute: KVM raises it), -1 if RIP is not at an RDPMC.
 */
int rdpmc_emulate(struct vcpu *v);

#endif
