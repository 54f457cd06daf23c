/* SPDX-License-Identifier: MIT */
/* libvpmu internals: the per-vCPU state and the vendor operations. */
#ifndef VPMU_INTERNAL_H
#define VPMU_INTERNAL_H

#include "vpmu.h"

#define BIT(n)		(1ull << (n))
#define GENMASK(h, l)	((~0ull >> (63 - (h))) & (~0ull << (l)))
#define MASK_BITS(w)	((w) >= 64 ? ~0ull : BIT(w) - 1)

/* Counter slots: GP counters first, then fixed counters. */
#define NR_SLOTS	(VPMU_MAX_GP + VPMU_MAX_FIXED)
#define FIXED_SLOT(i)	(VPMU_MAX_GP + (i))
#define NO_STAT		0xff

/* Event-selector fields shared by Intel PERFEVTSEL and AMD PERF_CTL. */
#define SEL_EVENT	GENMASK(7, 0)
#define SEL_UMASK	GENMASK(15, 8)
#define SEL_USR		BIT(16)
#define SEL_OS		BIT(17)
#define SEL_EDGE	BIT(18)
#define SEL_INT		BIT(20)
#define SEL_EN		BIT(22)
#define SEL_INV		BIT(23)
#define SEL_CMASK	GENMASK(31, 24)
#define SEL_AMD_EVENT_HI GENMASK(35, 32)

/* The CPLs a counter counts at: bit 0 = CPL 0, bit 1 = CPL > 0. */
#define CPL_OS		1u
#define CPL_USR		2u
#define CPL_CLASS(cpl)	((cpl) ? 1 : 0)

/* Counter flags, derived from its configuration. */
#define CF_INV		0x01	/* INV with CMASK > 0 (INV is ignored at CMASK 0) */
#define CF_EDGE		0x02
#define CF_INT		0x04	/* request a PMI on overflow */
#define CF_PLAIN	0x08	/* no CMASK and no EDGE: increment = occurrences */

struct vpmu_counter {
	uint64_t value;		/* always within mask */
	uint64_t mask;		/* 2^width - 1 */
	uint64_t config;	/* selector, or the 4-bit fixed field */
	uint64_t status_bit;	/* GLOBAL_STATUS layout */
	uint8_t event;		/* VPMU_EV_* or VPMU_EV_NONE */
	uint8_t cpl_mask;	/* CPL_OS | CPL_USR */
	uint8_t cmask;
	uint8_t flags;		/* CF_* */
	uint8_t prev;		/* edge detector: condition held last cycle */
	uint8_t stat;		/* index in vpmu->stats or NO_STAT */
	bool exists;
	bool enabled;		/* own enable bit(s); global gating apart */
};

struct vpmu_ops {
	int (*rdmsr)(struct vpmu *p, uint32_t msr, uint64_t *val);
	int (*wrmsr)(struct vpmu *p, uint32_t msr, uint64_t val);
	int (*rdpmc)(const struct vpmu *p, uint32_t ecx, uint64_t *val);
	/* computed once at init: reserved masks, slot existence */
	void (*setup)(struct vpmu *p);
	/* RESET values of the vendor's global registers */
	void (*reset)(struct vpmu *p);
	/* does the slot count right now, as far as global controls go? */
	bool (*globally_enabled)(const struct vpmu *p, unsigned int slot);
	/* an overflow of `slot` requested a PMI: freeze as the model says */
	void (*pmi_raised)(struct vpmu *p);
};

extern const struct vpmu_ops vpmu_intel_ops;
extern const struct vpmu_ops vpmu_amd_ops;

struct vpmu {
	uint32_t magic;
	struct vpmu_model model;
	const struct vpmu_ops *ops;

	struct vpmu_counter ctr[NR_SLOTS];
	uint64_t fixed_ctrl;		/* Intel IA32_FIXED_CTR_CTRL */
	uint64_t global_ctrl;		/* Intel 0x38F / AMD PerfCntrGlobalCtl */
	uint64_t global_status;
	uint64_t debugctl;		/* Intel DEBUGCTL, PMU bits only */
	uint64_t pmi_latched;

	/* Reserved-bit masks, computed once from the model (§3-§5). */
	uint64_t evtsel_rsvd[VPMU_MAX_GP];
	uint64_t fixed_ctrl_rsvd;
	uint64_t global_ctrl_rsvd;
	uint64_t status_clear_rsvd;
	uint64_t status_set_rsvd;
	uint64_t debugctl_rsvd;
	uint64_t counter_bits;		/* every existing counter's status bit */
	bool overflow_status;		/* overflows show in GLOBAL_STATUS */

	/* Which slots count at CPL 0 / CPL > 0; rebuilt on control writes. */
	uint8_t nactive[2];
	uint8_t active[2][NR_SLOTS];
	uint32_t active_events[2];
	uint8_t nedge;			/* counting slots with EDGE set */

	bool has_filter;
	struct vpmu_filter filter;

	unsigned int nstats;
	struct vpmu_counter_stat stats[VPMU_STATS_MAX];
};

#define VPMU_MAGIC	0x554d5056u	/* "VPMU" */

/* pmu.c */
void vpmu_refresh(struct vpmu *p);
void vpmu_configure_slot(struct vpmu *p, unsigned int slot, uint64_t config,
			 uint8_t event, uint8_t cpl_mask, bool enabled,
			 bool intr);
void vpmu_write_counter(struct vpmu *p, unsigned int slot, uint64_t value);
static inline unsigned int vpmu_nr_gp(const struct vpmu *p)
{
	return p->model.nr_gp;
}

/* filter.c */
bool vpmu_filter_allows(const struct vpmu *p, unsigned int slot,
			uint64_t config);

/* model.c */
bool vpmu_is_intel(const struct vpmu_model *m);
void vpmu_fmt(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
