/* SPDX-License-Identifier: MIT */
/*
 * One vCPU: its KVM fd and kvm_run, its PMU (struct vpmu), guest-debug
 * state and counters.  Everything an engine needs is reachable from here.
 */
#ifndef VMM_VCPU_H
#define VMM_VCPU_H

#include <linux/kvm.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "guestdbg.h"
#include "vpmu.h"

struct vm;

/* What a counting engine did (filled when it detaches). */
struct engine_stats {
	uint64_t steps;			/* single-steps taken */
	uint64_t retired;		/* instructions reported to the PMU */
	uint64_t faults, interrupts, halts;
	uint64_t loops, loop_iterations;	/* counted loops run free */
	uint64_t unexplained;		/* steps no rule accounted for */
};

struct vcpu_stats {
	uint64_t exits;
	uint64_t msr_exits;
	uint64_t io_exits;
	uint64_t debug_exits;
	uint64_t pmis_delivered;
	uint64_t pmis_dropped;		/* LVTPC masked (or an unusable mode) */
	uint64_t pmi_ns;		/* host time spent delivering PMIs */
	uint64_t rdpmc_emulated;
	uint64_t rdpmc_gp;		/* RDPMCs the model answered with #GP */
	uint64_t gp_passed;		/* other #GPs let through the hook */
	double uncounted_s;		/* filled by an engine: time not counted */
	struct engine_stats engine;
};

struct vcpu {
	struct vm *vm;
	unsigned int id;		/* = initial APIC ID */
	int fd;
	struct kvm_run *run;
	size_t run_size;
	pthread_t thread;
	bool thread_started;

	struct vpmu *pmu;		/* this vCPU's PMU model */
	void *pmu_mem;

	struct guestdbg dbg;
	void *engine_data;		/* owned by the engine */

	/* halt watchdog (vm.c): set by the vCPU thread when kicked */
	int kick_check;			/* atomic */
	uint64_t dead_tick;		/* atomic: tick at which it was seen stuck */

	struct vcpu_stats stats;
};

static inline struct kvm_regs *vcpu_regs(struct vcpu *v)
{
	return &v->run->s.regs.regs;
}

static inline struct kvm_sregs *vcpu_sregs(struct vcpu *v)
{
	return &v->run->s.regs.sregs;
}

/* Hand changed sync registers back to KVM at the next KVM_RUN. */
static inline void vcpu_regs_dirty(struct vcpu *v)
{
	v->run->kvm_dirty_regs |= KVM_SYNC_X86_REGS;
}

static inline void vcpu_sregs_dirty(struct vcpu *v)
{
	v->run->kvm_dirty_regs |= KVM_SYNC_X86_SREGS;
}

void vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id);
/* Thread body: the KVM_RUN loop. */
void *vcpu_thread(void *arg);
void vcpu_destroy(struct vcpu *v);
/* SIGUSR1 handler: makes the calling thread's KVM_RUN return -EINTR. */
void vcpu_kick_handler(int sig);

/* Current linear RIP (CS base + RIP outside 64-bit mode). */
uint64_t vcpu_linear_rip(struct vcpu *v);
/* True if the vCPU executes 64-bit code (EFER.LMA and CS.L). */
bool vcpu_long_mode(struct vcpu *v);

#endif
