/* SPDX-License-Identifier: MIT */
/*
 * libvpmu: a software model of the x86 performance monitoring unit.
 *
 * One `struct vpmu` models the PMU of one vCPU: its MSRs, CPUID leaves,
 * RDPMC, counting, overflow and PMI requests, an event filter, and
 * save/restore.  The library is pure C11: no KVM, no system calls, no
 * global mutable state, no allocation.  The caller allocates
 * vpmu_state_size() bytes and hands them to vpmu_init().
 *
 * Data flows one way: a VMM forwards the guest's MSR accesses and RDPMCs
 * here; a counting engine reports what the guest executed with
 * vpmu_count(); the VMM collects PMI requests with vpmu_take_pmi() and
 * delivers them through the guest's LVTPC.  The library never calls out.
 *
 * Facts and section numbers cited in the sources ("PMU-FACTS §N") refer
 * to the project's architecture reference, docs/pmu-model.md summarises
 * the decisions taken where the manuals are silent.
 */
#ifndef VPMU_H
#define VPMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VPMU_MAX_GP	8	/* GP counters a v1-v5 Intel or AMD model can have */
#define VPMU_MAX_FIXED	7	/* Intel fixed counters 0..6 (0x309..0x30F) */
#define VPMU_NAME_LEN	32

/* ------------------------------------------------------------------ */
/* Models                                                             */
/* ------------------------------------------------------------------ */

enum vpmu_vendor {
	VPMU_VENDOR_INTEL = 1,
	VPMU_VENDOR_AMD = 2,
};

/* CPUID.1AH:EAX[31:24], PMU-FACTS §1.5 */
enum vpmu_core_type {
	VPMU_CORE_NONE = 0,	/* not a hybrid part: leaf 1AH reads 0 */
	VPMU_CORE_ATOM = 0x20,	/* E-core */
	VPMU_CORE_CORE = 0x40,	/* P-core */
};

/* Bits of IA32_PERF_CAPABILITIES (0x345) the model gives meaning to */
#define VPMU_PERF_CAP_FW_WRITE	(1ull << 13)

/*
 * Everything that makes one PMU differ from another.  Presets come from
 * vpmu_model_find(); a model can also be filled in field by field and
 * checked with vpmu_model_validate().
 */
struct vpmu_model {
	char name[VPMU_NAME_LEN];
	enum vpmu_vendor vendor;
	uint32_t family, model, stepping;	/* CPUID.1:EAX, decoded */

	/* Intel architectural perfmon (CPUID 0AH) */
	uint8_t version;		/* 0..5; 0 = no architectural PMU */
	uint8_t nr_gp;			/* GP counters; AMD: core counters */
	uint8_t gp_width;		/* bits; AMD: always 48 */
	uint8_t nr_fixed;		/* contiguous fixed counters, EDX[4:0] */
	uint8_t fixed_width;		/* EDX[12:5] */
	uint32_t fixed_bitmap;		/* v5+: ECX, extra fixed counters */
	uint8_t events_len;		/* EAX[31:24] */
	uint32_t events_unavailable;	/* EBX: bit i = arch event i absent */
	bool anythread_deprecated;	/* EDX[15] (v5+): AnyThread #GPs */
	bool pdcm;			/* CPUID.1:ECX[15]: 0x345 exists */
	uint64_t perf_capabilities;	/* value of 0x345 when pdcm */
	bool freeze_on_pmi;		/* DEBUGCTL[12] (and [11] on v4+) */
	bool rdpmc_fast_low32;		/* RDPMC ECX[31]: low 32 bits, else #GP */
	uint8_t core_type;		/* enum vpmu_core_type */
	uint32_t native_model_id;	/* CPUID.1AH:EAX[23:0] */

	/* AMD (PMU-FACTS §14) */
	bool amd_perfctr_core;		/* CPUID 8000_0001h:ECX[23] */
	bool amd_perfmon_v2;		/* CPUID 8000_0022h:EAX[0] */
};

/* The n-th preset, or NULL past the last one. */
const struct vpmu_model *vpmu_model_at(unsigned int n);
/* A preset by name (case-sensitive), or NULL. */
const struct vpmu_model *vpmu_model_find(const char *name);
/* One line describing a preset, for `vpmu models`. */
const char *vpmu_model_summary(const struct vpmu_model *m);
/*
 * 0 if the model is possible; otherwise -1 and a one-line reason in
 * err (e.g. "perfmon v1 has at most 8 GP counters, not 9").
 */
int vpmu_model_validate(const struct vpmu_model *m, char *err, size_t errlen);
/* Does fixed counter i exist?  (CPUID 0AH rule, PMU-FACTS §1.2) */
bool vpmu_model_has_fixed(const struct vpmu_model *m, unsigned int i);

/*
 * What a migration destination must offer: 0 if a guest that saw `src`
 * may continue on `dst`, else the number of differences, each written to
 * report as one line "field: src X, dst Y".  report may be NULL.
 */
int vpmu_model_compat(const struct vpmu_model *src,
		      const struct vpmu_model *dst, char *report, size_t len);

/* ------------------------------------------------------------------ */
/* Instances                                                          */
/* ------------------------------------------------------------------ */

struct vpmu;

size_t vpmu_state_size(void);
/*
 * Build a PMU in caller memory `mem` (vpmu_state_size() bytes, 8-byte
 * aligned) in its RESET state.  Returns NULL (and a reason in err) if the
 * model is invalid or the buffer too small.
 */
struct vpmu *vpmu_init(void *mem, size_t size, const struct vpmu_model *m,
		       char *err, size_t errlen);
/* Back to the RESET state (counters 0, GLOBAL_CTRL = GP enables). */
void vpmu_reset(struct vpmu *p);
const struct vpmu_model *vpmu_model_of(const struct vpmu *p);

/* ------------------------------------------------------------------ */
/* MSRs                                                               */
/* ------------------------------------------------------------------ */

enum vpmu_msr_result {
	VPMU_MSR_OK = 0,
	VPMU_MSR_GP = 1,	/* the guest must get #GP(0) */
	VPMU_MSR_UNHANDLED = 2,	/* not a PMU MSR: the caller decides */
};

struct vpmu_msr_range {
	uint32_t first;
	uint32_t count;
};

/*
 * The MSR ranges a VMM must trap for this model: the PMU MSRs of both
 * vendors (so the other vendor's gets its #GP too) plus, on Intel,
 * DEBUGCTL.  Every MSR in them is answered by vpmu_rdmsr/vpmu_wrmsr
 * (value or #GP, never UNHANDLED).  Returns the number of ranges written
 * (at most max); the total is at most 16.
 */
unsigned int vpmu_msr_ranges(const struct vpmu_model *m,
			     struct vpmu_msr_range *out, unsigned int max);

int vpmu_rdmsr(struct vpmu *p, uint32_t msr, uint64_t *val);
int vpmu_wrmsr(struct vpmu *p, uint32_t msr, uint64_t val);

/* ------------------------------------------------------------------ */
/* RDPMC (PMU-FACTS §9)                                               */
/* ------------------------------------------------------------------ */

struct vpmu_cpu_state {
	uint8_t cpl;		/* 0..3 */
	bool cr0_pe;		/* protected mode */
	bool cr4_pce;		/* user RDPMC allowed */
};

/* VPMU_MSR_OK with the value in *val, or VPMU_MSR_GP. */
int vpmu_rdpmc(const struct vpmu *p, uint32_t ecx,
	       const struct vpmu_cpu_state *cpu, uint64_t *val);

/* ------------------------------------------------------------------ */
/* CPUID synthesis                                                    */
/* ------------------------------------------------------------------ */

struct vpmu_cpuid {
	uint32_t eax, ebx, ecx, edx;
};

/*
 * Apply the model to one CPUID leaf the VMM is about to expose: the PMU
 * leaves (0AH, 1AH, 23H, 8000_0022h) are replaced whole, the others get
 * only the bits the model owns (vendor string, family/model/stepping,
 * PDCM, DS, hybrid, PerfCtrExtCore, max leaf).  Returns true if the model
 * changed or owns the leaf.
 */
bool vpmu_cpuid_apply(const struct vpmu_model *m, uint32_t leaf,
		      uint32_t subleaf, struct vpmu_cpuid *r);

/*
 * The (leaf, subleaf) pairs the model needs to exist in the CPUID table,
 * whether or not the host lists them.  Returns how many (at most max).
 */
unsigned int vpmu_cpuid_leaves(const struct vpmu_model *m,
			       uint32_t (*out)[2], unsigned int max);

/* ------------------------------------------------------------------ */
/* Counting                                                           */
/* ------------------------------------------------------------------ */

/*
 * The events an engine can report.  The library maps each counter's
 * event selector to one of these when the selector is written; a
 * selector that maps to none counts nothing.
 */
enum vpmu_event {
	VPMU_EV_CYCLES,		/* unhalted core cycles (every cycle) */
	VPMU_EV_REF_CYCLES,	/* unhalted reference cycles (every cycle) */
	VPMU_EV_INSTRUCTIONS,	/* instructions retired */
	VPMU_EV_BRANCHES,	/* branch instructions retired */
	VPMU_EV_BR_COND,	/* conditional branches (Jcc, LOOPcc, JrCXZ) */
	VPMU_EV_BR_TAKEN,	/* branches that were taken */
	VPMU_EV_BR_NOT_TAKEN,	/* conditional branches not taken */
	VPMU_EV_BR_CALL,	/* near calls */
	VPMU_EV_BR_RET,		/* near returns */
	VPMU_EV_BR_FAR,		/* far transfers (far jmp/call/ret, IRET, ...) */
	VPMU_EV_BR_MISSES,	/* mispredicted branches */
	VPMU_EV_LLC_REFS,	/* last-level cache references */
	VPMU_EV_LLC_MISSES,	/* last-level cache misses */
	VPMU_EV_BR_NEAR_TAKEN,	/* taken near branches (BR_TAKEN minus far) */
	VPMU_EV_NR
};
#define VPMU_EV_NONE		0xff
#define VPMU_EV_BIT(e)		(1u << (e))
/* events that tick once in every cycle of a tick, not only in the last */
#define VPMU_EV_PER_CYCLE	(VPMU_EV_BIT(VPMU_EV_CYCLES) | \
				 VPMU_EV_BIT(VPMU_EV_REF_CYCLES))

const char *vpmu_event_name(unsigned int ev);

/*
 * What happened in `cycles` consecutive cycles at privilege level `cpl`:
 * the per-cycle events (cycles, ref cycles) occur once in every one of
 * them; every other event occurs n[e] times in the *last* cycle and not in
 * the others.  An engine that retires one instruction per tick reports
 * { cycles = CPI, n[INSTRUCTIONS] = 1, n[BRANCHES] = is_branch, ... }.
 * CMASK, INV and EDGE are applied cycle by cycle (PMU-FACTS §10).
 */
struct vpmu_tick {
	uint32_t cycles;	/* >= 1 */
	uint8_t cpl;
	uint8_t n[VPMU_EV_NR];
};

/*
 * Bit e set: some counter counts event e at this CPL right now.  0 means
 * nothing can count at this CPL (the engine may run the guest free).
 */
uint32_t vpmu_active_events(const struct vpmu *p, unsigned int cpl);

/*
 * Apply `tick` `repeat` times (repeat >= 1).  Returns the PMI requests it
 * raised, in GLOBAL_STATUS layout (GP i = bit i, fixed i = bit 32+i); they
 * are also latched for vpmu_take_pmi().  Bulk callers must keep repeat
 * within vpmu_headroom() to keep freeze-on-PMI and PMIs exact.
 *
 * Instruction boundaries (PMU-FACTS §10): report an instruction *after*
 * applying its own effects on the PMU, so that it counts with the enable
 * state in effect after it (the WRMSR that enables a counter is counted,
 * the one that disables it is not), and never report an instruction that
 * faulted.
 */
uint64_t vpmu_count(struct vpmu *p, const struct vpmu_tick *tick,
		    uint64_t repeat);

/*
 * How many times `tick` can be applied before some counter overflows:
 * after headroom repeats no counter has wrapped; repeat headroom+1 wraps
 * at least one.  UINT64_MAX when nothing would ever wrap.
 */
uint64_t vpmu_headroom(const struct vpmu *p, const struct vpmu_tick *tick);

/*
 * A loop in closed form: one period is span[0].tick repeated span[0].times,
 * then span[1].tick span[1].times, ...; vpmu_count_pattern() applies
 * `periods` periods, exactly as the nested calls of vpmu_count() would
 * (CMASK/INV/EDGE included), at the cost of two periods per counter.  All
 * spans must be at the same CPL class (0 or > 0); otherwise the call falls
 * back to the nested loop.  Keep periods within vpmu_headroom_pattern(),
 * the number of whole periods after which no counter has wrapped.
 */
struct vpmu_span {
	struct vpmu_tick tick;
	uint64_t times;
};

uint64_t vpmu_count_pattern(struct vpmu *p, const struct vpmu_span *span,
			    unsigned int nspan, uint64_t periods);
uint64_t vpmu_headroom_pattern(const struct vpmu *p,
			       const struct vpmu_span *span, unsigned int nspan);

/* Latched PMI requests (GLOBAL_STATUS layout) since the last call; clears. */
uint64_t vpmu_take_pmi(struct vpmu *p);
/* Intel sets LVTPC.mask when it delivers a PMI; AMD does not (§11). */
bool vpmu_lvtpc_automask(const struct vpmu_model *m);

/* ------------------------------------------------------------------ */
/* Event filter (semantics of KVM_SET_PMU_EVENT_FILTER, plus modifiers) */
/* ------------------------------------------------------------------ */

#define VPMU_FILTER_MAX		300
enum vpmu_filter_action {
	VPMU_FILTER_ALLOW = 0,
	VPMU_FILTER_DENY = 1,
};
/* entries are masked events: select 7:0+35:32, match 15:8, mask 63:56,
 * exclude bit 55; everything else must be 0 */
#define VPMU_FILTER_MASKED		(1u << 0)
/* plain entries must also match EDGE (18), INV (23) and CMASK (31:24) */
#define VPMU_FILTER_MATCH_MODIFIERS	(1u << 1)
#define VPMU_FILTER_EXCLUDE		(1ull << 55)

struct vpmu_filter {
	uint32_t action;		/* enum vpmu_filter_action */
	uint32_t flags;			/* VPMU_FILTER_* */
	uint32_t fixed_bitmap;		/* fixed counters named by the action */
	uint32_t nevents;
	uint64_t events[VPMU_FILTER_MAX];
};

/* Install (or with f == NULL remove) a filter.  0, or -1 with a reason. */
int vpmu_set_filter(struct vpmu *p, const struct vpmu_filter *f,
		    char *err, size_t errlen);
/* Masked-event entry helper: event select, umask mask, umask match. */
uint64_t vpmu_filter_masked_entry(uint32_t select, uint8_t mask,
				  uint8_t match, bool exclude);

/* ------------------------------------------------------------------ */
/* Host-side statistics (never visible to the guest)                   */
/* ------------------------------------------------------------------ */

#define VPMU_STATS_MAX	32

/* Everything one guest counter counted under one configuration. */
struct vpmu_counter_stat {
	bool fixed;
	uint8_t index;
	uint64_t config;	/* PERFEVTSEL/PERF_CTL, or the 4-bit fixed field */
	uint64_t counted;	/* events added while so configured */
	uint64_t overflows;
};

/* Copy out up to max entries; returns how many exist. */
unsigned int vpmu_stats(const struct vpmu *p, struct vpmu_counter_stat *out,
			unsigned int max);

/* ------------------------------------------------------------------ */
/* Snapshot                                                           */
/* ------------------------------------------------------------------ */

#define VPMU_SNAPSHOT_VERSION	1

size_t vpmu_snapshot_size(void);
/* Serialise; returns bytes written or 0 if len is too small. */
size_t vpmu_save(const struct vpmu *p, void *buf, size_t len);
/*
 * Restore a blob made by vpmu_save() for the same model.  0, or -1 with a
 * reason (bad magic, version, checksum, model mismatch with the list of
 * differences, invalid register value).  On failure p is unchanged.
 */
int vpmu_restore(struct vpmu *p, const void *buf, size_t len,
		 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* VPMU_H */
