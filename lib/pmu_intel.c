/* SPDX-License-Identifier: MIT */
/*
 * Intel architectural performance monitoring, versions 1 to 5
 * (PMU-FACTS §1-§8, §11, §12).  Reserved-bit masks are computed once in
 * intel_setup() so that every #GP check below is a single AND.
 */
#include "internal.h"

#define MSR_PMC0		0xc1
#define MSR_PERFEVTSEL0		0x186
#define MSR_FIXED_CTR0		0x309
#define MSR_PERF_CAPABILITIES	0x345
#define MSR_FIXED_CTR_CTRL	0x38d
#define MSR_GLOBAL_STATUS	0x38e
#define MSR_GLOBAL_CTRL		0x38f
#define MSR_GLOBAL_OVF_CTRL	0x390	/* STATUS_RESET from v4 */
#define MSR_GLOBAL_STATUS_SET	0x391
#define MSR_GLOBAL_INUSE	0x392
#define MSR_A_PMC0		0x4c1
#define MSR_DEBUGCTL		0x1d9

/* GLOBAL_STATUS bits beyond the counters (§5.1) */
#define STATUS_LBR_FRZ		BIT(58)
#define STATUS_CTR_FRZ		BIT(59)
#define STATUS_ASCI		BIT(60)
#define STATUS_UNCORE		BIT(61)
#define STATUS_OVF_BUF		BIT(62)
#define STATUS_COND_CHGD	BIT(63)

/* DEBUGCTL PMU bits (§7) */
#define DEBUGCTL_FREEZE_LBRS_ON_PMI	BIT(11)
#define DEBUGCTL_FREEZE_PERFMON_ON_PMI	BIT(12)

/* IA32_FIXED_CTR_CTRL field bits (§4) */
#define FIXED_OS	0x1
#define FIXED_USR	0x2
#define FIXED_ANY	0x4
#define FIXED_PMI	0x8

#define INUSE_PMI	BIT(63)

static bool anythread_allowed(const struct vpmu_model *m)
{
	/* AnyThread arrived in v3; v5 parts may deprecate it (EDX[15]). */
	return m->version >= 3 && !m->anythread_deprecated;
}

static bool has_global_regs(const struct vpmu *p)
{
	return p->model.version >= 2;
}

static bool has_fw_write(const struct vpmu *p)
{
	return p->model.pdcm &&
	       (p->model.perf_capabilities & VPMU_PERF_CAP_FW_WRITE);
}

static void intel_setup(struct vpmu *p)
{
	const struct vpmu_model *m = &p->model;
	uint64_t evtsel_rsvd = GENMASK(63, 32) | BIT(21);
	uint64_t fixed_ok = 0, status_ok;

	if (anythread_allowed(m))
		evtsel_rsvd &= ~BIT(21);
	p->counter_bits = 0;
	p->overflow_status = m->version >= 2;	/* v1 has no status (§11) */
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++) {
		struct vpmu_counter *c = &p->ctr[i];

		c->exists = i < m->nr_gp;
		c->mask = MASK_BITS(m->gp_width);
		c->status_bit = BIT(i);
		p->evtsel_rsvd[i] = evtsel_rsvd;
		if (c->exists)
			p->counter_bits |= BIT(i);
	}
	for (unsigned int i = 0; i < VPMU_MAX_FIXED; i++) {
		struct vpmu_counter *c = &p->ctr[FIXED_SLOT(i)];

		c->exists = vpmu_model_has_fixed(m, i);
		c->mask = MASK_BITS(m->fixed_width);
		c->status_bit = BIT(32 + i);
		if (!c->exists)
			continue;
		p->counter_bits |= BIT(32 + i);
		fixed_ok |= (uint64_t)(FIXED_OS | FIXED_USR | FIXED_PMI |
				       (anythread_allowed(m) ? FIXED_ANY : 0)) << (4 * i);
	}
	p->fixed_ctrl_rsvd = ~fixed_ok;
	p->global_ctrl_rsvd = ~p->counter_bits;

	/* §5.3: what OVF_CTRL / STATUS_RESET may clear, per version. */
	status_ok = p->counter_bits | STATUS_OVF_BUF | STATUS_COND_CHGD;
	if (m->version >= 3)
		status_ok |= STATUS_UNCORE;
	if (m->version >= 4)
		status_ok |= STATUS_LBR_FRZ | STATUS_CTR_FRZ | STATUS_ASCI;
	p->status_clear_rsvd = ~status_ok;
	/* §5.4: STATUS_SET cannot set CondChgd. */
	p->status_set_rsvd = ~(status_ok & ~STATUS_COND_CHGD);

	p->debugctl_rsvd = ~0ull;
	if (m->freeze_on_pmi)
		p->debugctl_rsvd &= ~DEBUGCTL_FREEZE_PERFMON_ON_PMI;
	if (m->freeze_on_pmi && m->version >= 4)
		p->debugctl_rsvd &= ~DEBUGCTL_FREEZE_LBRS_ON_PMI;
}

static void intel_reset(struct vpmu *p)
{
	/* §5.2: RESET sets every GP enable bit so v1-style code counts. */
	p->global_ctrl = has_global_regs(p) ? BIT(p->model.nr_gp) - 1 : 0;
}

/* Selector → engine event (§1.3, plus Skylake-era BR_INST_RETIRED umasks). */
static uint8_t intel_event(const struct vpmu_model *m, uint64_t config)
{
	uint8_t ev = config & SEL_EVENT, umask = (config & SEL_UMASK) >> 8;

	switch (ev) {
	case 0x3c:
		return umask == 0 ? VPMU_EV_CYCLES :
		       umask == 1 ? VPMU_EV_REF_CYCLES : VPMU_EV_NONE;
	case 0xc0:
		return umask == 0 ? VPMU_EV_INSTRUCTIONS : VPMU_EV_NONE;
	case 0xc5:
		return umask == 0 ? VPMU_EV_BR_MISSES : VPMU_EV_NONE;
	case 0x2e:
		return umask == 0x4f ? VPMU_EV_LLC_REFS :
		       umask == 0x41 ? VPMU_EV_LLC_MISSES : VPMU_EV_NONE;
	case 0xc4:
		if (umask == 0)
			return VPMU_EV_BRANCHES;
		if (m->version < 4)
			return VPMU_EV_NONE;
		switch (umask) {
		case 0x01: return VPMU_EV_BR_COND;
		case 0x02: return VPMU_EV_BR_CALL;
		case 0x04: return VPMU_EV_BRANCHES;
		case 0x08: return VPMU_EV_BR_RET;
		case 0x10: return VPMU_EV_BR_NOT_TAKEN;
		case 0x20: return VPMU_EV_BR_NEAR_TAKEN;	/* far excluded */
		case 0x40: return VPMU_EV_BR_FAR;
		}
	}
	return VPMU_EV_NONE;
}

/* The fixed counters' events (§1.4); topdown slots: one per cycle. */
static const uint8_t fixed_event[VPMU_MAX_FIXED] = {
	VPMU_EV_INSTRUCTIONS, VPMU_EV_CYCLES, VPMU_EV_REF_CYCLES, VPMU_EV_CYCLES,
	VPMU_EV_NONE, VPMU_EV_NONE, VPMU_EV_NONE,
};

static uint8_t sel_cpl_mask(uint64_t config)
{
	return (uint8_t)(((config & SEL_OS) ? CPL_OS : 0) |
			 ((config & SEL_USR) ? CPL_USR : 0));
}

static void write_evtsel(struct vpmu *p, unsigned int i, uint64_t val)
{
	vpmu_configure_slot(p, i, val, intel_event(&p->model, val),
			    sel_cpl_mask(val), val & SEL_EN, val & SEL_INT);
}

static void write_fixed_ctrl(struct vpmu *p, uint64_t val)
{
	uint64_t old = p->fixed_ctrl;

	p->fixed_ctrl = val;
	for (unsigned int i = 0; i < VPMU_MAX_FIXED; i++) {
		uint8_t f = (val >> (4 * i)) & 0xf;

		if (!p->ctr[FIXED_SLOT(i)].exists || f == ((old >> (4 * i)) & 0xf))
			continue;
		/* field bit 0 = CPL 0, bit 1 = CPL > 0: same as CPL_OS/USR */
		vpmu_configure_slot(p, FIXED_SLOT(i), f, fixed_event[i],
				    f & (FIXED_OS | FIXED_USR),
				    f & (FIXED_OS | FIXED_USR), f & FIXED_PMI);
	}
}

static bool frozen(const struct vpmu *p)
{
	return p->global_status & STATUS_CTR_FRZ;
}

static bool intel_globally_enabled(const struct vpmu *p, unsigned int s)
{
	if (!has_global_regs(p))
		return true;
	return (p->global_ctrl & p->ctr[s].status_bit) && !frozen(p);
}

/* §11 freeze on PMI: legacy (v2/v3) clears GLOBAL_CTRL, v4+ sets CTR_Frz. */
static void intel_pmi_raised(struct vpmu *p)
{
	if (p->debugctl & DEBUGCTL_FREEZE_PERFMON_ON_PMI) {
		if (p->model.version >= 4)
			p->global_status |= STATUS_CTR_FRZ;
		else
			p->global_ctrl = 0;
	}
	if ((p->debugctl & DEBUGCTL_FREEZE_LBRS_ON_PMI) && p->model.version >= 4)
		p->global_status |= STATUS_LBR_FRZ;
}

static uint64_t inuse(const struct vpmu *p)
{
	uint64_t v = 0;

	for (unsigned int s = 0; s < NR_SLOTS; s++) {
		const struct vpmu_counter *c = &p->ctr[s];

		if (!c->exists)
			continue;
		if (s < VPMU_MAX_GP ? (c->config & SEL_EVENT) : (c->config & 3))
			v |= c->status_bit;
		if (s < VPMU_MAX_GP ? (c->config & SEL_INT) : (c->config & FIXED_PMI))
			v |= INUSE_PMI;
	}
	return v;
}

/* Map an MSR to a GP slot if it is PMCi / A_PMCi / PERFEVTSELi. */
static int gp_index(uint32_t msr, uint32_t base)
{
	return msr - base < VPMU_MAX_GP ? (int)(msr - base) : -1;
}

static int intel_rdmsr(struct vpmu *p, uint32_t msr, uint64_t *val)
{
	const struct vpmu_model *m = &p->model;
	int i;

	if ((i = gp_index(msr, MSR_PMC0)) >= 0 ||
	    ((i = gp_index(msr, MSR_A_PMC0)) >= 0 && has_fw_write(p))) {
		if (!p->ctr[i].exists)
			return VPMU_MSR_GP;
		*val = p->ctr[i].value;
		return VPMU_MSR_OK;
	}
	if ((i = gp_index(msr, MSR_PERFEVTSEL0)) >= 0) {
		if (!p->ctr[i].exists)
			return VPMU_MSR_GP;
		*val = p->ctr[i].config;
		return VPMU_MSR_OK;
	}
	if (msr - MSR_FIXED_CTR0 < VPMU_MAX_FIXED) {
		const struct vpmu_counter *c = &p->ctr[FIXED_SLOT(msr - MSR_FIXED_CTR0)];

		if (!c->exists)
			return VPMU_MSR_GP;
		*val = c->value;
		return VPMU_MSR_OK;
	}
	switch (msr) {
	case MSR_PERF_CAPABILITIES:
		if (!m->pdcm)
			return VPMU_MSR_GP;
		*val = m->perf_capabilities;
		return VPMU_MSR_OK;
	case MSR_DEBUGCTL:
		*val = p->debugctl;
		return VPMU_MSR_OK;
	}
	if (!has_global_regs(p))
		return VPMU_MSR_GP;
	switch (msr) {
	case MSR_FIXED_CTR_CTRL:
		*val = p->fixed_ctrl;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_STATUS:
		*val = p->global_status;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_CTRL:
		*val = p->global_ctrl;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_OVF_CTRL:	/* write-only: reads 0 (§5.3) */
		*val = 0;
		return VPMU_MSR_OK;
	}
	if (m->version < 4)
		return VPMU_MSR_GP;
	switch (msr) {
	case MSR_GLOBAL_STATUS_SET:	/* reads 0: decision, §17.13 */
		*val = 0;
		return VPMU_MSR_OK;
	case MSR_GLOBAL_INUSE:
		*val = inuse(p);
		return VPMU_MSR_OK;
	}
	return VPMU_MSR_GP;
}

static int write_global(struct vpmu *p, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_FIXED_CTR_CTRL:
		if (val & p->fixed_ctrl_rsvd)
			return VPMU_MSR_GP;
		write_fixed_ctrl(p, val);
		return VPMU_MSR_OK;
	case MSR_GLOBAL_CTRL:
		if (val & p->global_ctrl_rsvd)
			return VPMU_MSR_GP;
		p->global_ctrl = val;
		break;
	case MSR_GLOBAL_OVF_CTRL:
		if (val & p->status_clear_rsvd)
			return VPMU_MSR_GP;
		p->global_status &= ~val;
		break;
	case MSR_GLOBAL_STATUS_SET:
		if (p->model.version < 4 || (val & p->status_set_rsvd))
			return VPMU_MSR_GP;
		p->global_status |= val;
		break;
	default:	/* GLOBAL_STATUS and INUSE are read-only */
		return VPMU_MSR_GP;
	}
	vpmu_refresh(p);
	return VPMU_MSR_OK;
}

static int intel_wrmsr(struct vpmu *p, uint32_t msr, uint64_t val)
{
	int i;

	if ((i = gp_index(msr, MSR_PMC0)) >= 0) {
		if (!p->ctr[i].exists)
			return VPMU_MSR_GP;
		/* §8: legacy writes sign-extend EAX; EDX is ignored. */
		vpmu_write_counter(p, i, (uint64_t)(int64_t)(int32_t)(uint32_t)val);
		return VPMU_MSR_OK;
	}
	if ((i = gp_index(msr, MSR_A_PMC0)) >= 0 && has_fw_write(p)) {
		if (!p->ctr[i].exists || (val & ~p->ctr[i].mask))
			return VPMU_MSR_GP;
		vpmu_write_counter(p, i, val);
		return VPMU_MSR_OK;
	}
	if ((i = gp_index(msr, MSR_PERFEVTSEL0)) >= 0) {
		if (!p->ctr[i].exists || (val & p->evtsel_rsvd[i]))
			return VPMU_MSR_GP;
		write_evtsel(p, i, val);
		return VPMU_MSR_OK;
	}
	if (msr - MSR_FIXED_CTR0 < VPMU_MAX_FIXED) {
		unsigned int s = FIXED_SLOT(msr - MSR_FIXED_CTR0);

		/* decision (§17.2): bits beyond the fixed width #GP */
		if (!p->ctr[s].exists || (val & ~p->ctr[s].mask))
			return VPMU_MSR_GP;
		vpmu_write_counter(p, s, val);
		return VPMU_MSR_OK;
	}
	if (msr == MSR_DEBUGCTL) {
		if (val & p->debugctl_rsvd)
			return VPMU_MSR_GP;
		p->debugctl = val;
		return VPMU_MSR_OK;
	}
	if (!has_global_regs(p))
		return VPMU_MSR_GP;
	return write_global(p, msr, val);
}

static int intel_rdpmc(const struct vpmu *p, uint32_t ecx, uint64_t *val)
{
	const struct vpmu_counter *c;
	bool fast = ecx & BIT(31);
	uint32_t type = (ecx >> 16) & 0x7fff, idx = ecx & 0xffff;

	/* §9.1: ECX[31:16] type (0 = GP, 0x4000 = fixed), ECX[15:0] index */
	if (p->model.version == 0 || (fast && !p->model.rdpmc_fast_low32))
		return VPMU_MSR_GP;
	if (type == 0 && idx < VPMU_MAX_GP)
		c = &p->ctr[idx];
	else if (type == 0x4000 && idx < VPMU_MAX_FIXED)
		c = &p->ctr[FIXED_SLOT(idx)];
	else
		return VPMU_MSR_GP;
	if (!c->exists)
		return VPMU_MSR_GP;
	*val = fast ? (uint32_t)c->value : c->value;
	return VPMU_MSR_OK;
}

const struct vpmu_ops vpmu_intel_ops = {
	.rdmsr = intel_rdmsr,
	.wrmsr = intel_wrmsr,
	.rdpmc = intel_rdpmc,
	.setup = intel_setup,
	.reset = intel_reset,
	.globally_enabled = intel_globally_enabled,
	.pmi_raised = intel_pmi_raised,
};
