/* SPDX-License-Identifier: MIT */
/*
 * AMD core performance counters: the legacy K7 MSRs, PerfCtrExtCore and
 * PerfMonV2 global control (PMU-FACTS §14).  AMD's rule differs from
 * Intel's: writes to reserved bits and to read-only PMU registers are
 * dropped, not faulted; only MSRs that do not exist raise #GP.
 */
#include "internal.h"

#define MSR_K7_EVNTSEL0		0xc0010000
#define MSR_K7_PERFCTR0		0xc0010004
#define MSR_F15H_PERF_CTL0	0xc0010200	/* CTLi = base + 2i, CTRi = +1 */
#define MSR_GLOBAL_STATUS	0xc0000300
#define MSR_GLOBAL_CTL		0xc0000301
#define MSR_GLOBAL_STATUS_CLR	0xc0000302
#define MSR_GLOBAL_STATUS_SET	0xc0000303

#define AMD_GUEST_ONLY		BIT(40)
#define AMD_HOST_ONLY		BIT(41)
/* §14.3: bits 19, 21, 36-39 and 42-63 are reserved */
#define AMD_CTL_RSVD		(BIT(19) | BIT(21) | GENMASK(39, 36) | GENMASK(63, 42))
#define AMD_CTR_WIDTH		48

static bool perfmon_v2(const struct vpmu *p)
{
	return p->model.amd_perfmon_v2;
}

static void amd_setup(struct vpmu *p)
{
	p->counter_bits = 0;
	p->overflow_status = perfmon_v2(p);	/* pre-v2 parts have none */
	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		struct vpmu_counter *c = &p->ctr[s];

		c->exists = s < p->model.nr_gp;
		c->mask = MASK_BITS(AMD_CTR_WIDTH);
		c->status_bit = s < VPMU_MAX_GP ? BIT(s) : 0;
		if (c->exists)
			p->counter_bits |= BIT(s);
	}
	p->global_ctrl_rsvd = ~p->counter_bits;
}

static void amd_reset(struct vpmu *p)
{
	/* PerfCntrGlobalCtl resets with every counter enabled (§14.2). */
	p->global_ctrl = perfmon_v2(p) ? p->counter_bits : 0;
}

/* 12-bit event select: PERF_CTL[35:32] are bits 11:8 (§14.3). */
static uint16_t amd_select(uint64_t config)
{
	return (uint16_t)((config & SEL_EVENT) | ((config & SEL_AMD_EVENT_HI) >> 24));
}

/* §14.5 (Zen retire events).  These events have no unit mask: ignored. */
static uint8_t amd_event(const struct vpmu_model *m, uint64_t config)
{
	switch (amd_select(config)) {
	case 0x076: return VPMU_EV_CYCLES;
	case 0x0c0: return VPMU_EV_INSTRUCTIONS;
	case 0x0c2: return VPMU_EV_BRANCHES;
	case 0x0c3: return VPMU_EV_BR_MISSES;
	case 0x0c4: return VPMU_EV_BR_TAKEN;
	case 0x0c6: return VPMU_EV_BR_FAR;
	case 0x0c8: return VPMU_EV_BR_RET;
	case 0x0d1: return VPMU_EV_BR_COND;
	case 0x120: return m->amd_perfmon_v2 ? VPMU_EV_REF_CYCLES : VPMU_EV_NONE;
	}
	return VPMU_EV_NONE;
}

static void write_ctl(struct vpmu *p, unsigned int i, uint64_t val)
{
	uint8_t cpl = (uint8_t)(((val & SEL_OS) ? CPL_OS : 0) |
				((val & SEL_USR) ? CPL_USR : 0));
	/* decision (§14.3): without SVM in the guest, GuestOnly alone never
	 * matches; HostOnly, or both, or neither, count everywhere */
	bool guest_only = (val & AMD_GUEST_ONLY) && !(val & AMD_HOST_ONLY);

	val &= ~AMD_CTL_RSVD;
	vpmu_configure_slot(p, i, val, guest_only ? VPMU_EV_NONE : amd_event(&p->model, val),
			    cpl, val & SEL_EN, val & SEL_INT);
}

/* Decode an MSR into a counter index and whether it is the control. */
static int amd_decode(const struct vpmu *p, uint32_t msr, bool *ctl)
{
	uint32_t off;

	if (msr - MSR_K7_EVNTSEL0 < 8) {	/* legacy aliases of 0..3 */
		off = msr - MSR_K7_EVNTSEL0;
		*ctl = off < 4;
		/* a PerfMonV2 model may have fewer than 4 counters (§14.1) */
		return p->ctr[off & 3].exists ? (int)(off & 3) : -1;
	}
	off = msr - MSR_F15H_PERF_CTL0;
	if (off < 2 * VPMU_MAX_GP && p->model.amd_perfctr_core) {
		*ctl = !(off & 1);
		return p->ctr[off / 2].exists ? (int)(off / 2) : -1;
	}
	return -1;
}

static int amd_rdmsr(struct vpmu *p, uint32_t msr, uint64_t *val)
{
	bool ctl;
	int i = amd_decode(p, msr, &ctl);

	if (i >= 0) {
		*val = ctl ? p->ctr[i].config : p->ctr[i].value;
		return VPMU_MSR_OK;
	}
	if (!perfmon_v2(p))
		return VPMU_MSR_GP;
	switch (msr) {
	case MSR_GLOBAL_STATUS:
		*val = p->global_status;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_CTL:
		*val = p->global_ctrl;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_STATUS_CLR:	/* reads 0 (§14.2) */
	case MSR_GLOBAL_STATUS_SET:	/* reads 0: decision, §17.16 */
		*val = 0;
		return VPMU_MSR_OK;
	}
	return VPMU_MSR_GP;
}

static int amd_wrmsr(struct vpmu *p, uint32_t msr, uint64_t val)
{
	bool ctl;
	int i = amd_decode(p, msr, &ctl);

	if (i >= 0) {
		if (ctl)
			write_ctl(p, (unsigned int)i, val);
		else	/* bits 63:48 dropped, no sign extension (§14.4) */
			vpmu_write_counter(p, (unsigned int)i, val);
		return VPMU_MSR_OK;
	}
	if (!perfmon_v2(p))
		return VPMU_MSR_GP;
	switch (msr) {
	case MSR_GLOBAL_STATUS:		/* read-only: write ignored */
		return VPMU_MSR_OK;
	case MSR_GLOBAL_CTL:
		p->global_ctrl = val & p->counter_bits;
		break;
	case MSR_GLOBAL_STATUS_CLR:
		p->global_status &= ~val;
		break;
	case MSR_GLOBAL_STATUS_SET:
		p->global_status |= val & p->counter_bits;
		break;
	default:
		return VPMU_MSR_GP;
	}
	vpmu_refresh(p);
	return VPMU_MSR_OK;
}

static int amd_rdpmc(const struct vpmu *p, uint32_t ecx, uint64_t *val)
{
	/* §9.2: ECX 0..5 select core counters; NB/LLC counters not modelled */
	if (ecx >= VPMU_MAX_GP || !p->ctr[ecx].exists)
		return VPMU_MSR_GP;
	*val = p->ctr[ecx].value;
	return VPMU_MSR_OK;
}

static bool amd_globally_enabled(const struct vpmu *p, unsigned int s)
{
	return !perfmon_v2(p) || (p->global_ctrl & p->ctr[s].status_bit);
}

static void amd_pmi_raised(struct vpmu *p)
{
	(void)p;	/* AMD has no freeze-on-PMI in this model */
}

const struct vpmu_ops vpmu_amd_ops = {
	.rdmsr = amd_rdmsr,
	.wrmsr = amd_wrmsr,
	.rdpmc = amd_rdpmc,
	.setup = amd_setup,
	.reset = amd_reset,
	.globally_enabled = amd_globally_enabled,
	.pmi_raised = amd_pmi_raised,
};
