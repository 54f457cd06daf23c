/* SPDX-License-Identifier: MIT */
/* The exact engine's private state, shared by engine_step.c and fastloop.c. */
#ifndef ENGINE_STEP_H
#define ENGINE_STEP_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "decode.h"
#include "idt.h"
#include "loop.h"
#include "vpmu.h"
#include "../vmm/vcpu.h"

/* A counted loop running free (fastloop.c). */
struct fastloop {
	bool active;
	struct loop_shape shape;
	struct insn loop;	/* the LOOP instruction */
	uint64_t rip;		/* its RIP */
	uint64_t lin;		/* its linear address */
	uint64_t exit_lin;	/* linear address of its fallthrough */
	uint64_t rcx_real;	/* RCX when the run started (the real count) */
	uint64_t rcx_run;	/* RCX the run started with (lower when cut short) */
	uint64_t periods;	/* LOOP+body periods the run may do */
	uint64_t pf_lin, nmi_lin;	/* #PF / NMI handler entries (breakpoints) */
	uint8_t cpl;
	uint64_t dbg_mark;	/* vcpu debug-exit count when the run started */
	/* statistics */
	uint64_t runs, cut_short, iterations;
};

struct pending {
	struct insn insn;
	uint64_t rip;		/* RIP as KVM reports it */
	uint64_t lin;		/* linear address */
	uint8_t cpl;
	/* IRET: where it returns (read from its frame before the step) */
	bool ret_known;
	uint64_t ret_rip, ret_lin;
	enum cpu_mode ret_mode;
};

struct step_engine {
	bool have;		/* `cur` is decoded and about to run / running */
	struct pending cur;
	unsigned int out_exits;	/* userspace OUT exits during this step */
	bool fence_bp;		/* a breakpoint ends the fence's step */
	bool halt_wait;		/* HLT running free, breakpoints armed */
	bool native;		/* running native 64-bit CPL3 code */
	bool exit_seen;		/* on_debug/on_exit ran since the last run */
	bool no_fastloop;	/* VPMU_NO_FASTLOOP: single-step every loop */
	uint64_t pmi_mark;	/* stats.pmis_delivered when the guest last entered */
	struct timespec native_start;
	uint32_t cpi;
	struct idt_cache idt;
	bool warned;
	struct fastloop loop;	/* a counted loop running free */
	/* statistics */
	uint64_t steps, retired, faults, interrupts, unexplained, halts;
};


static inline struct step_engine *E(struct vcpu *v)
{
	return v->engine_data;
}

uint8_t cur_cpl(struct vcpu *v);
enum cpu_mode cur_mode(struct vcpu *v);
int decode_at(struct vcpu *v, uint64_t lin, enum cpu_mode mode, struct insn *out);
/* Report one retired instruction; deliver its PMI before the next one. */
void retire(struct vcpu *v, const struct insn *i, bool taken, uint8_t cpl);
/* A step ended in an interrupt/exception handler: account for it. */
void handler_entered(struct vcpu *v, const struct idt_hit *h);

/* fastloop.c: the counted-loop fast path */
/* Start running the LOOP at e->cur free, if it qualifies; true if so. */
bool fastloop_start(struct vcpu *v);
/* A debug exit while the loop runs: account for it; true if consumed. */
bool fastloop_on_debug(struct vcpu *v);
/* A debug exit was consumed elsewhere while the loop ran: recover. */
void fastloop_lost(struct vcpu *v);

#endif
