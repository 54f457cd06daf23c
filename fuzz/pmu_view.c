// SPDX-License-Identifier: MIT
/* The guest-visible view of a PMU and the model facts (pmu_view.h). */
#include "pmu_view.h"

#include <string.h>

#include "fuzz.h"

#define SNAP_MAX	8192

bool model_intel(const struct vpmu_model *m)
{
	return m->vendor == VPMU_VENDOR_INTEL;
}

bool model_has_global(const struct vpmu_model *m)
{
	return model_intel(m) ? m->version >= 2 : m->amd_perfmon_v2;
}

bool model_slot_exists(const struct vpmu_model *m, unsigned int slot)
{
	unsigned int i;

	if (slot < VPMU_MAX_GP)
		return slot < m->nr_gp;
	i = slot - VPMU_MAX_GP;
	/* CPUID 0AH (§1.2): EDX[4:0] contiguous counters, v5 ECX bitmap */
	return model_intel(m) && m->version >= 2 &&
	       (i < m->nr_fixed || (m->version >= 5 && (m->fixed_bitmap >> i) & 1));
}

uint64_t model_width_mask(const struct vpmu_model *m, unsigned int slot)
{
	unsigned int w = !model_intel(m) ? 48 :
			 slot < VPMU_MAX_GP ? m->gp_width : m->fixed_width;

	return w >= 64 ? ~0ull : (1ull << w) - 1;
}

uint64_t slot_bit(unsigned int slot)
{
	return slot < VPMU_MAX_GP ? 1ull << slot : 1ull << (32 + slot - VPMU_MAX_GP);
}

uint64_t model_counter_bits(const struct vpmu_model *m)
{
	uint64_t bits = 0;

	for (unsigned int s = 0; s < VIEW_SLOTS; s++)
		if (model_slot_exists(m, s))
			bits |= slot_bit(s);
	return bits;
}

bool model_anythread_ok(const struct vpmu_model *m)
{
	return m->version >= 3 && !m->anythread_deprecated;
}

bool model_fw_write(const struct vpmu_model *m)
{
	return model_intel(m) && m->pdcm && (m->perf_capabilities & (1ull << 13));
}

uint32_t counter_msr(const struct vpmu_model *m, unsigned int slot)
{
	if (model_intel(m))
		return slot < VPMU_MAX_GP ? I_PMC(slot) : I_FIXED_CTR(slot - VPMU_MAX_GP);
	return m->amd_perfctr_core ? A_CTR(slot) : A_K7_CTR(slot);
}

uint32_t select_msr(const struct vpmu_model *m, unsigned int i)
{
	if (model_intel(m))
		return I_EVTSEL(i);
	return m->amd_perfctr_core ? A_CTL(i) : A_K7_CTL(i);
}

bool msr_in_ranges(const struct vpmu_model *m, uint32_t msr)
{
	struct vpmu_msr_range r[16];
	unsigned int n = vpmu_msr_ranges(m, r, 16);

	for (unsigned int i = 0; i < n; i++)
		if (msr >= r[i].first && msr - r[i].first < r[i].count)
			return true;
	return false;
}

static uint64_t must_read(struct vpmu *p, uint32_t msr)
{
	uint64_t v = 0;
	int r = vpmu_rdmsr(p, msr, &v);

	FUZZ_CHECK(r == VPMU_MSR_OK, "RDMSR 0x%x of an existing register: result %d", msr, r);
	return v;
}

void view_read(struct vpmu *p, struct pmu_view *v)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	bool intel = model_intel(m);

	memset(v, 0, sizeof(*v));
	for (unsigned int s = 0; s < VIEW_SLOTS; s++) {
		v->exists[s] = model_slot_exists(m, s);
		if (!v->exists[s])
			continue;
		v->value[s] = must_read(p, counter_msr(m, s));
		FUZZ_CHECK(!(v->value[s] & ~model_width_mask(m, s)),
			   "counter slot %u = %#llx is wider than its width", s,
			   (unsigned long long)v->value[s]);
		if (s < VPMU_MAX_GP)
			v->sel[s] = must_read(p, select_msr(m, s));
	}
	if (intel)
		v->debugctl = must_read(p, I_DEBUGCTL);
	if (!model_has_global(m))
		return;
	v->global_ctrl = must_read(p, intel ? I_GCTRL : A_GCTL);
	v->status = must_read(p, intel ? I_STATUS : A_STATUS);
	if (intel)
		v->fixed_ctrl = must_read(p, I_FIXED_CTRL);
}

bool view_equal(const struct pmu_view *a, const struct pmu_view *b)
{
	for (unsigned int s = 0; s < VIEW_SLOTS; s++)
		if (a->exists[s] != b->exists[s] || a->value[s] != b->value[s])
			return false;
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++)
		if (a->sel[i] != b->sel[i])
			return false;
	return a->fixed_ctrl == b->fixed_ctrl && a->global_ctrl == b->global_ctrl &&
	       a->status == b->status && a->debugctl == b->debugctl;
}

static bool frozen(const struct pmu_view *v, const struct vpmu_model *m)
{
	return model_intel(m) && m->version >= 4 && (v->status & I_STATUS_CTR_FRZ);
}

bool view_may_count(const struct pmu_view *v, const struct vpmu_model *m,
		    unsigned int slot, unsigned int cpl)
{
	uint64_t ring = cpl ? SEL_USR : SEL_OS;
	bool own;

	if (!v->exists[slot])
		return false;
	if (slot < VPMU_MAX_GP)
		own = (v->sel[slot] & SEL_EN) && (v->sel[slot] & ring);
	else	/* FIXED_CTR_CTRL field: bit 0 OS, bit 1 USR (§4) */
		own = (v->fixed_ctrl >> (4 * (slot - VPMU_MAX_GP))) & (cpl ? 2 : 1);
	if (!own || frozen(v, m))
		return false;
	return !model_has_global(m) || (v->global_ctrl & slot_bit(slot));
}

bool view_wants_pmi(const struct pmu_view *v, const struct vpmu_model *m,
		    unsigned int slot)
{
	(void)m;
	if (slot < VPMU_MAX_GP)
		return v->sel[slot] & SEL_INT;
	return (v->fixed_ctrl >> (4 * (slot - VPMU_MAX_GP))) & 8;
}

void state_bytes(const struct vpmu *p, uint8_t *buf)
{
	size_t n = vpmu_snapshot_size();

	FUZZ_CHECK(vpmu_save(p, buf, n) == n, "vpmu_save did not write %zu bytes", n);
}

bool state_is(const struct vpmu *p, const uint8_t *buf)
{
	static uint8_t now[SNAP_MAX];

	FUZZ_CHECK(vpmu_snapshot_size() <= SNAP_MAX, "snapshot larger than %d", SNAP_MAX);
	state_bytes(p, now);
	return !memcmp(now, buf, vpmu_snapshot_size());
}
