/* SPDX-License-Identifier: MIT */
/*
 * What a guest can see of one PMU, read through the public MSR interface
 * only, plus the facts the checks derive from the model's fields by the
 * rules of PMU-FACTS (MSR numbers, widths, which counter may count).  The
 * fuzz targets compare these views before and after every operation, so
 * their checks do not depend on libvpmu's internals.
 */
#ifndef VPMU_FUZZ_PMU_VIEW_H
#define VPMU_FUZZ_PMU_VIEW_H

#include <stdbool.h>
#include <stdint.h>

#include "vpmu.h"

/* Counter slots of a view: GP 0..7, then fixed 0..6. */
#define VIEW_SLOTS	(VPMU_MAX_GP + VPMU_MAX_FIXED)
#define VIEW_FIXED(i)	(VPMU_MAX_GP + (i))

/* Intel (PMU-FACTS §2) */
#define I_PMC(i)	(0xc1u + (i))
#define I_EVTSEL(i)	(0x186u + (i))
#define I_FIXED_CTR(i)	(0x309u + (i))
#define I_A_PMC(i)	(0x4c1u + (i))
#define I_PERF_CAP	0x345u
#define I_FIXED_CTRL	0x38du
#define I_STATUS	0x38eu
#define I_GCTRL		0x38fu
#define I_OVF_CTRL	0x390u
#define I_STATUS_SET	0x391u
#define I_INUSE		0x392u
#define I_DEBUGCTL	0x1d9u
#define I_STATUS_LBR_FRZ (1ull << 58)
#define I_STATUS_CTR_FRZ (1ull << 59)
#define I_DEBUGCTL_FRZ_LBR (1ull << 11)
#define I_DEBUGCTL_FRZ_PMON (1ull << 12)
/* AMD (PMU-FACTS §14.2) */
#define A_K7_CTL(i)	(0xc0010000u + (i))
#define A_K7_CTR(i)	(0xc0010004u + (i))
#define A_CTL(i)	(0xc0010200u + 2u * (i))
#define A_CTR(i)	(0xc0010201u + 2u * (i))
#define A_STATUS	0xc0000300u
#define A_GCTL		0xc0000301u
#define A_STATUS_CLR	0xc0000302u
#define A_STATUS_SET	0xc0000303u
/* AMD PERF_CTL reserved bits 19, 21, 36-39, 42-63 (§14.3) */
#define A_CTL_RSVD	0xfffffcf000280000ull
/* selector bits shared by both vendors (§3, §14.3) */
#define SEL_USR		(1ull << 16)
#define SEL_OS		(1ull << 17)
#define SEL_INT		(1ull << 20)
#define SEL_ANY		(1ull << 21)
#define SEL_EN		(1ull << 22)

struct pmu_view {
	bool exists[VIEW_SLOTS];
	uint64_t value[VIEW_SLOTS];	/* counter values */
	uint64_t sel[VPMU_MAX_GP];	/* PERFEVTSEL / PERF_CTL */
	uint64_t fixed_ctrl, global_ctrl, status, debugctl;
};

bool model_intel(const struct vpmu_model *m);
/* Intel v2+ or AMD PerfMonV2: GLOBAL_CTRL and GLOBAL_STATUS exist. */
bool model_has_global(const struct vpmu_model *m);
bool model_slot_exists(const struct vpmu_model *m, unsigned int slot);
uint64_t model_width_mask(const struct vpmu_model *m, unsigned int slot);
/* GLOBAL_STATUS / GLOBAL_CTRL bit of a slot */
uint64_t slot_bit(unsigned int slot);
/* every existing counter's bit */
uint64_t model_counter_bits(const struct vpmu_model *m);
/* Intel v3/v4 without the v5 deprecation: AnyThread is writable. */
bool model_anythread_ok(const struct vpmu_model *m);
bool model_fw_write(const struct vpmu_model *m);

/* The MSR that reads counter `slot` / programs GP counter i. */
uint32_t counter_msr(const struct vpmu_model *m, unsigned int slot);
uint32_t select_msr(const struct vpmu_model *m, unsigned int i);

/* Is msr inside one of vpmu_msr_ranges(m)? */
bool msr_in_ranges(const struct vpmu_model *m, uint32_t msr);

/* Read everything; fails the run if an existing register does not read
 * or a counter holds a value wider than its width. */
void view_read(struct vpmu *p, struct pmu_view *v);

bool view_equal(const struct pmu_view *a, const struct pmu_view *b);

/* Could `slot` count at `cpl` under view v, by its enable bits, the
 * global enables and freeze?  (Event, filter and HO/GO only narrow it.) */
bool view_may_count(const struct pmu_view *v, const struct vpmu_model *m,
		    unsigned int slot, unsigned int cpl);
/* Does slot ask for a PMI on overflow? */
bool view_wants_pmi(const struct pmu_view *v, const struct vpmu_model *m,
		    unsigned int slot);

/* Snapshot bytes of p into buf (vpmu_snapshot_size() bytes). */
void state_bytes(const struct vpmu *p, uint8_t *buf);
/* Is p's whole state (snapshot) the same as buf? */
bool state_is(const struct vpmu *p, const uint8_t *buf);

#endif
