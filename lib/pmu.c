/* SPDX-License-Identifier: MIT */
/*
 * The vendor-neutral core of one vCPU's PMU: creation and RESET, MSR
 * dispatch, counter configuration and the list of counting slots that
 * the hot path (count.c) walks.
 */
#include <string.h>

#include "internal.h"

size_t vpmu_state_size(void)
{
	return sizeof(struct vpmu);
}

const struct vpmu_model *vpmu_model_of(const struct vpmu *p)
{
	return &p->model;
}

bool vpmu_lvtpc_automask(const struct vpmu_model *m)
{
	/* SDM-APIC: Intel sets LVTPC.mask on delivery; AMD does not (§11). */
	return vpmu_is_intel(m);
}

struct vpmu *vpmu_init(void *mem, size_t size, const struct vpmu_model *m,
		       char *err, size_t errlen)
{
	struct vpmu *p = mem;

	if (!mem || size < sizeof(*p) || ((uintptr_t)mem & 7))
		return vpmu_fmt(err, errlen, "state buffer must be %zu bytes, 8-byte aligned",
				sizeof(*p)), NULL;
	if (vpmu_model_validate(m, err, errlen))
		return NULL;
	memset(p, 0, sizeof(*p));
	p->magic = VPMU_MAGIC;
	p->model = *m;
	p->ops = vpmu_is_intel(m) ? &vpmu_intel_ops : &vpmu_amd_ops;
	p->ops->setup(p);
	vpmu_reset(p);
	return p;
}

void vpmu_reset(struct vpmu *p)
{
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		struct vpmu_counter *c = &p->ctr[s];

		c->value = 0;
		c->config = 0;
		c->event = VPMU_EV_NONE;
		c->cpl_mask = 0;
		c->cmask = 0;
		c->flags = CF_PLAIN;
		c->prev = 0;
		c->stat = NO_STAT;
		c->enabled = false;
	}
	p->fixed_ctrl = 0;
	p->global_status = 0;
	p->debugctl = 0;
	p->pmi_latched = 0;
	p->ops->reset(p);
	vpmu_refresh(p);
}

static bool slot_counts(const struct vpmu *p, unsigned int s)
{
	const struct vpmu_counter *c = &p->ctr[s];

	return c->exists && c->enabled && c->event != VPMU_EV_NONE &&
	       c->cpl_mask && p->ops->globally_enabled(p, s) &&
	       vpmu_filter_allows(p, s, c->config);
}

/*
 * Rebuild the per-CPL lists of counting slots.  Called after every write
 * that can change who counts, so that the per-tick path is a plain walk.
 */
void vpmu_refresh(struct vpmu *p)
{
	p->nactive[0] = p->nactive[1] = 0;
	p->active_events[0] = p->active_events[1] = 0;
	p->nedge = 0;
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		struct vpmu_counter *c = &p->ctr[s];

		if (!slot_counts(p, s)) {
			/* a condition gated off is false: no edge pending */
			c->prev = 0;
			continue;
		}
		for (unsigned int k = 0; k < 2; k++) {
			if (!(c->cpl_mask & (1u << k)))
				continue;
			p->active[k][p->nactive[k]++] = (uint8_t)s;
			p->active_events[k] |= VPMU_EV_BIT(c->event);
		}
		if (c->flags & CF_EDGE)
			p->nedge++;
	}
}

static uint8_t stat_slot(struct vpmu *p, unsigned int s, uint64_t config)
{
	bool fixed = s >= VPMU_MAX_GP;
	uint8_t idx = (uint8_t)(fixed ? s - VPMU_MAX_GP : s);

	for (unsigned int i = 0; i < p->nstats; i++) {
		struct vpmu_counter_stat *st = &p->stats[i];

		if (st->fixed == fixed && st->index == idx && st->config == config)
			return (uint8_t)i;
	}
	if (p->nstats == VPMU_STATS_MAX)
		return NO_STAT;
	p->stats[p->nstats] = (struct vpmu_counter_stat){
		.fixed = fixed, .index = idx, .config = config,
	};
	return (uint8_t)p->nstats++;
}

/* A selector (or fixed field) was written: derive how the slot counts. */
void vpmu_configure_slot(struct vpmu *p, unsigned int s, uint64_t config,
			 uint8_t event, uint8_t cpl_mask, bool enabled, bool intr)
{
	struct vpmu_counter *c = &p->ctr[s];
	bool fixed = s >= VPMU_MAX_GP;
	uint8_t cmask = fixed ? 0 : (uint8_t)((config & SEL_CMASK) >> 24);
	bool edge = !fixed && (config & SEL_EDGE);

	c->config = config;
	c->event = event;
	c->cpl_mask = cpl_mask;
	c->enabled = enabled;
	c->cmask = cmask;
	c->prev = 0;
	c->flags = 0;
	if (intr)
		c->flags |= CF_INT;
	if (edge)
		c->flags |= CF_EDGE;
	/* §10 decision: INV has no effect when CMASK is 0 (SDM-P6 wording) */
	if (!fixed && (config & SEL_INV) && cmask)
		c->flags |= CF_INV;
	if (!cmask && !edge)
		c->flags |= CF_PLAIN;
	c->stat = enabled && event != VPMU_EV_NONE ? stat_slot(p, s, config) : NO_STAT;
	vpmu_refresh(p);
}

void vpmu_write_counter(struct vpmu *p, unsigned int s, uint64_t value)
{
	p->ctr[s].value = value & p->ctr[s].mask;
}

/* PMU MSR ranges of both vendors: each is answered by the model. */
static const struct vpmu_msr_range pmu_ranges[] = {
	{ 0x000000c1, 8 },	/* IA32_PMC0..7 */
	{ 0x00000186, 8 },	/* IA32_PERFEVTSEL0..7 */
	{ 0x00000309, 7 },	/* IA32_FIXED_CTR0..6 */
	{ 0x00000329, 1 },	/* MSR_PERF_METRICS */
	{ 0x00000345, 1 },	/* IA32_PERF_CAPABILITIES */
	{ 0x0000038d, 6 },	/* FIXED_CTR_CTRL .. GLOBAL_INUSE */
	{ 0x000003f1, 2 },	/* PEBS_ENABLE, PEBS_DATA_CFG */
	{ 0x000004c1, 8 },	/* IA32_A_PMC0..7 */
	{ 0xc0000300, 4 },	/* AMD PerfMonV2 global registers */
	{ 0xc0010000, 8 },	/* AMD legacy PERF_CTL0..3, PERF_CTR0..3 */
	{ 0xc0010200, 16 },	/* AMD PerfCtrExtCore CTL/CTR pairs (6 + 2 absent) */
};
#define NR_PMU_RANGES (sizeof(pmu_ranges) / sizeof(pmu_ranges[0]))
#define MSR_DEBUGCTL 0x1d9

unsigned int vpmu_msr_ranges(const struct vpmu_model *m,
			     struct vpmu_msr_range *out, unsigned int max)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < NR_PMU_RANGES && n < max; i++)
		out[n++] = pmu_ranges[i];
	if (vpmu_is_intel(m) && n < max)
		out[n++] = (struct vpmu_msr_range){ MSR_DEBUGCTL, 1 };
	return n;
}

static bool claimed(const struct vpmu *p, uint32_t msr)
{
	for (unsigned int i = 0; i < NR_PMU_RANGES; i++)
		if (msr - pmu_ranges[i].first < pmu_ranges[i].count)
			return true;
	return msr == MSR_DEBUGCTL && vpmu_is_intel(&p->model);
}

int vpmu_rdmsr(struct vpmu *p, uint32_t msr, uint64_t *val)
{
	if (!claimed(p, msr))
		return VPMU_MSR_UNHANDLED;
	*val = 0;
	return p->ops->rdmsr(p, msr, val);
}

int vpmu_wrmsr(struct vpmu *p, uint32_t msr, uint64_t val)
{
	if (!claimed(p, msr))
		return VPMU_MSR_UNHANDLED;
	return p->ops->wrmsr(p, msr, val);
}

int vpmu_rdpmc(const struct vpmu *p, uint32_t ecx,
	       const struct vpmu_cpu_state *cpu, uint64_t *val)
{
	/* SDM-RDPMC: allowed at CPL 0, in real mode, or with CR4.PCE (§9). */
	if (cpu->cpl != 0 && cpu->cr0_pe && !cpu->cr4_pce)
		return VPMU_MSR_GP;
	return p->ops->rdpmc(p, ecx, val);
}

uint64_t vpmu_take_pmi(struct vpmu *p)
{
	uint64_t pmi = p->pmi_latched;

	p->pmi_latched = 0;
	return pmi;
}

unsigned int vpmu_stats(const struct vpmu *p, struct vpmu_counter_stat *out,
			unsigned int max)
{
	for (unsigned int i = 0; i < p->nstats && i < max; i++)
		out[i] = p->stats[i];
	return p->nstats;
}
