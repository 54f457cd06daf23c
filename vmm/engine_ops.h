/* SPDX-License-Identifier: MIT */
/*
 * The interface between the VMM and a counting engine.
 *
 * An engine turns what the guest executes into vpmu_count() calls on the
 * vCPU's struct vpmu (vcpu->pmu).  The VMM calls it from the vCPU's own
 * thread only, so an engine needs no locking for per-vCPU state; keep it
 * in vcpu->engine_data.
 *
 * Rules an engine follows:
 *  - After vpmu_count() returns PMI requests, call vcpu_deliver_pmi().
 *  - Ask for single-step with wants_step(); ask for breakpoints with
 *    guestdbg_set_engine_bps().  Never call KVM_SET_GUEST_DEBUG itself:
 *    guestdbg.c merges the engine's wishes with the RDPMC hook.
 *  - Registers live in the kvm_run sync area (vcpu_regs(), vcpu_sregs());
 *    after changing them call vcpu_regs_dirty() / vcpu_sregs_dirty().
 *  - RDPMC never exits on this host (HOST-KVM quirk 2).  An engine that is
 *    stepping decodes it itself and calls rdpmc_emulate() (vmm/rdpmc.h).
 */
#ifndef VMM_ENGINE_OPS_H
#define VMM_ENGINE_OPS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vcpu;

struct engine_ops {
	const char *name;
	/*
	 * CPUID.0AH.EBX bits (architectural events, PMU-FACTS §1.3) of events
	 * this engine cannot produce honestly: the VMM marks them unavailable
	 * on Intel models, so a guest does not rely on a count that is not
	 * there (issue 4: "marked unavailable rather than counting fake
	 * numbers").
	 */
	uint32_t hidden_arch_events;
	/* once per vCPU, before its first KVM_RUN; 0 or -1 (message printed) */
	int  (*attach)(struct vcpu *v);
	/* before each KVM_RUN: single-step the next instruction? */
	bool (*wants_step)(struct vcpu *v);
	/* a KVM_EXIT_DEBUG the RDPMC hook did not consume; 0 or -1 (fatal) */
	int  (*on_debug)(struct vcpu *v);
	/* after an IO/MSR/HLT/... exit has been handled (not for DEBUG) */
	void (*on_exit)(struct vcpu *v, unsigned int reason);
	/* once per vCPU when the run ends */
	void (*detach)(struct vcpu *v);
};

/* The engines this binary knows. */
extern const struct engine_ops engine_none;
/* The exact engine (engine/engine_step.c). */
extern const struct engine_ops engine_exact;

/* By name ("none", "exact"); NULL and a reason in err if unknown. */
const struct engine_ops *engine_find(const char *name, char *err, size_t len);
/* The default: "exact". */
const struct engine_ops *engine_default(void);

#endif
