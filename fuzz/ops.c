// SPDX-License-Identifier: MIT
/*
 * The operations of the PMU fuzz targets (ops.h): each takes its
 * arguments from the input and checks the invariants listed there.
 */
#include <string.h>

#include "fuzz.h"
#include "ops.h"
#include "pmu_view.h"

#define STATE_MAX	8192
#define SNAP_MAX	8192

struct pmu_mem {
	_Alignas(8) unsigned char b[STATE_MAX];
};

static struct pmu_mem clone_a, clone_b, clone_c, before;
static uint8_t snap_before[SNAP_MAX], snap_other[SNAP_MAX];

/* Keep a byte copy of p to check that a call changed nothing at all. */
static void keep(const struct vpmu *p)
{
	memcpy(before.b, p, vpmu_state_size());
}

static bool unchanged(const struct vpmu *p)
{
	return !memcmp(before.b, p, vpmu_state_size());
}

/* MSRs worth hitting: every one in the ranges, a few around each range. */
static uint32_t candidates[512];
static unsigned int ncandidates;

static void build_candidates(const struct vpmu_model *m)
{
	struct vpmu_msr_range r[16];
	unsigned int n = vpmu_msr_ranges(m, r, 16);

	ncandidates = 0;
	for (unsigned int i = 0; i < n; i++)
		for (uint32_t k = r[i].first - 3; k != r[i].first + r[i].count + 3; k++)
			candidates[ncandidates++] = k;
	candidates[ncandidates++] = I_DEBUGCTL;	/* also on AMD: not ours */
}

static uint32_t take_msr(struct input *in)
{
	uint8_t b = take8(in);

	if (b >= 0xf8)
		return (uint32_t)take(in, 4);
	return candidates[b % ncandidates];
}

/* Values shaped so that many writes pass the reserved-bit checks. */
static uint64_t take_value(struct input *in)
{
	uint8_t shape = take8(in);
	uint64_t v;

	switch (shape & 7) {
	case 0: return take(in, 8);
	case 1: return take(in, 4);
	case 2: return 1ull << (take8(in) & 63);
	case 3:	/* a counter just below overflow */
		v = -(uint64_t)(1 + take8(in));
		return shape & 8 ? v & ((1ull << (shape & 16 ? 40 : 48)) - 1) : v;
	case 4: return take(in, 4) & ~SEL_ANY;		/* Intel selector */
	case 5: return take(in, 8) & ~A_CTL_RSVD;	/* AMD PERF_CTL */
	case 6: return take(in, 8) & 0x0c00007f000000ffull;	/* GLOBAL_CTRL/STATUS */
	default: return take(in, 4) & 0xbbbbbbbull;	/* FIXED_CTR_CTRL */
	}
}

/* ---- who may change a register: the MSRs that alias it ---- */

static bool writes_counter(const struct vpmu_model *m, uint32_t msr, unsigned int s)
{
	if (model_intel(m))
		return s < VPMU_MAX_GP ? msr == I_PMC(s) || msr == I_A_PMC(s) :
		       msr == I_FIXED_CTR(s - VPMU_MAX_GP);
	return msr == A_CTR(s) || (s < 4 && msr == A_K7_CTR(s));
}

static bool writes_select(const struct vpmu_model *m, uint32_t msr, unsigned int i)
{
	if (model_intel(m))
		return msr == I_EVTSEL(i);
	return msr == A_CTL(i) || (i < 4 && msr == A_K7_CTL(i));
}

static uint32_t status_set_msr(const struct vpmu_model *m)
{
	return model_intel(m) ? I_STATUS_SET : A_STATUS_SET;
}

static uint32_t status_clear_msr(const struct vpmu_model *m)
{
	return model_intel(m) ? I_OVF_CTRL : A_STATUS_CLR;
}

/* A successful write touched nothing but its own register. */
static void check_side_effects(const struct vpmu_model *m, uint32_t msr, uint64_t val,
			       const struct pmu_view *a, const struct pmu_view *b)
{
	bool intel = model_intel(m);
	uint64_t appeared = b->status & ~a->status, gone = a->status & ~b->status;

	for (unsigned int s = 0; s < VIEW_SLOTS; s++)
		FUZZ_CHECK(a->value[s] == b->value[s] || writes_counter(m, msr, s),
			   "WRMSR 0x%x changed counter slot %u", msr, s);
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++)
		FUZZ_CHECK(a->sel[i] == b->sel[i] || writes_select(m, msr, i),
			   "WRMSR 0x%x changed selector %u", msr, i);
	FUZZ_CHECK(a->fixed_ctrl == b->fixed_ctrl || msr == I_FIXED_CTRL,
		   "WRMSR 0x%x changed FIXED_CTR_CTRL", msr);
	FUZZ_CHECK(a->global_ctrl == b->global_ctrl || msr == (intel ? I_GCTRL : A_GCTL),
		   "WRMSR 0x%x changed GLOBAL_CTRL", msr);
	FUZZ_CHECK(a->debugctl == b->debugctl || msr == I_DEBUGCTL,
		   "WRMSR 0x%x changed DEBUGCTL", msr);
	FUZZ_CHECK(!appeared || (msr == status_set_msr(m) && !(appeared & ~val)),
		   "WRMSR 0x%x = %#llx set GLOBAL_STATUS bits %#llx", msr,
		   (unsigned long long)val, (unsigned long long)appeared);
	FUZZ_CHECK(!gone || (msr == status_clear_msr(m) && !(gone & ~val)),
		   "WRMSR 0x%x = %#llx cleared GLOBAL_STATUS bits %#llx", msr,
		   (unsigned long long)val, (unsigned long long)gone);
}

/* ---- the rules for #GP and read-back, from PMU-FACTS ---- */

static bool intel_evtsel_rsvd(const struct vpmu_model *m, uint64_t val)
{
	/* §3: bits 63:32 (no TSX, PEBS...) and AnyThread unless v3/v4 */
	return (val >> 32) || ((val & SEL_ANY) && !model_anythread_ok(m));
}

/* §4: OS, USR and PMI of each existing fixed counter, AnyThread on v3/v4 */
static uint64_t intel_fixed_ctrl_ok(const struct vpmu_model *m)
{
	uint64_t ok = 0;

	for (unsigned int i = 0; i < VPMU_MAX_FIXED; i++)
		if (model_slot_exists(m, VIEW_FIXED(i)))
			ok |= (0xbull | (model_anythread_ok(m) ? 4 : 0)) << (4 * i);
	return ok;
}

static int64_t sext32(uint64_t v)
{
	return (int64_t)(int32_t)(uint32_t)v;
}

/* Expected result of WRMSR on Intel; *back = what reads back if OK and
 * known (returns -1 when these rules do not decide). */
static int intel_wr_rule(const struct vpmu_model *m, uint32_t msr, uint64_t val,
			 uint64_t *back, bool *known)
{
	*known = false;
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++) {
		bool ex = i < m->nr_gp;

		if (msr == I_EVTSEL(i)) {
			if (!ex || intel_evtsel_rsvd(m, val))
				return VPMU_MSR_GP;
			*back = val, *known = true;
			return VPMU_MSR_OK;
		}
		if (msr == I_PMC(i)) {	/* §8: EAX sign-extended, EDX ignored */
			if (!ex)
				return VPMU_MSR_GP;
			*back = (uint64_t)sext32(val) & model_width_mask(m, i), *known = true;
			return VPMU_MSR_OK;
		}
		if (msr == I_A_PMC(i)) {	/* full width, bits >= W #GP */
			if (!ex || !model_fw_write(m) || (val & ~model_width_mask(m, i)))
				return VPMU_MSR_GP;
			*back = val, *known = true;
			return VPMU_MSR_OK;
		}
	}
	for (unsigned int i = 0; i < VPMU_MAX_FIXED; i++)
		if (msr == I_FIXED_CTR(i)) {	/* decision §17.2: bits >= Wf #GP */
			if (!model_slot_exists(m, VIEW_FIXED(i)) ||
			    (val & ~model_width_mask(m, VIEW_FIXED(i))))
				return VPMU_MSR_GP;
			*back = val, *known = true;
			return VPMU_MSR_OK;
		}
	switch (msr) {
	case I_STATUS: case I_INUSE: case I_PERF_CAP:	/* read-only */
	case 0x329: case 0x3f1: case 0x3f2:	/* PERF_METRICS, PEBS: absent */
		return VPMU_MSR_GP;
	case I_GCTRL:
		if (m->version < 2 || (val & ~model_counter_bits(m)))
			return VPMU_MSR_GP;
		*back = val, *known = true;
		return VPMU_MSR_OK;
	case I_STATUS_SET:
		if (m->version < 4)
			return VPMU_MSR_GP;
		return -1;
	case I_FIXED_CTRL:
		if (m->version < 2 || (val & ~intel_fixed_ctrl_ok(m)))
			return VPMU_MSR_GP;
		*back = val, *known = true;
		return VPMU_MSR_OK;
	case I_OVF_CTRL:
		return m->version < 2 ? VPMU_MSR_GP : -1;
	case I_DEBUGCTL:	/* only the freeze bits are modelled (docs) */
		if (val & ~(m->freeze_on_pmi ? I_DEBUGCTL_FRZ_PMON |
			    (m->version >= 4 ? I_DEBUGCTL_FRZ_LBR : 0) : 0))
			return VPMU_MSR_GP;
		*back = val, *known = true;
		return VPMU_MSR_OK;
	}
	if (msr >= 0xc0000000u)		/* AMD's registers */
		return VPMU_MSR_GP;
	return -1;
}

/* AMD (§14): only missing MSRs #GP; reserved bits are dropped. */
static int amd_wr_rule(const struct vpmu_model *m, uint32_t msr, uint64_t val,
		       uint64_t *back, bool *known)
{
	*known = false;
	if (msr < 0xc0000000u)		/* Intel's registers */
		return VPMU_MSR_GP;
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++) {
		bool ext = m->amd_perfctr_core && i < m->nr_gp;

		bool k7 = i < 4 && i < m->nr_gp;

		if ((k7 && msr == A_K7_CTL(i)) || (msr == A_CTL(i) && ext)) {
			*back = val & ~A_CTL_RSVD, *known = true;
			return VPMU_MSR_OK;
		}
		if ((k7 && msr == A_K7_CTR(i)) || (msr == A_CTR(i) && ext)) {
			*back = val & model_width_mask(m, i), *known = true;
			return VPMU_MSR_OK;
		}
		if (msr == A_CTL(i) || msr == A_CTR(i) ||
		    (i < 4 && (msr == A_K7_CTL(i) || msr == A_K7_CTR(i))))
			return VPMU_MSR_GP;
	}
	if (msr >= A_STATUS && msr <= A_STATUS_SET) {
		if (!m->amd_perfmon_v2)
			return VPMU_MSR_GP;
		if (msr == A_GCTL)
			*back = val & model_counter_bits(m), *known = true;
		return VPMU_MSR_OK;
	}
	return -1;
}

static void op_wrmsr(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	uint32_t msr = take_msr(in);
	uint64_t val = take_value(in), back = 0, got = 0;
	struct pmu_view a, b;
	bool known;
	int r, want;

	view_read(p, &a);
	keep(p);
	r = vpmu_wrmsr(p, msr, val);
	FUZZ_CHECK(r == VPMU_MSR_OK || r == VPMU_MSR_GP || r == VPMU_MSR_UNHANDLED,
		   "WRMSR 0x%x: result %d", msr, r);
	FUZZ_CHECK((r == VPMU_MSR_UNHANDLED) == !msr_in_ranges(m, msr),
		   "WRMSR 0x%x: result %d, in ranges %d", msr, r, msr_in_ranges(m, msr));
	if (r != VPMU_MSR_OK) {
		FUZZ_CHECK(unchanged(p), "refused WRMSR 0x%x = %#llx changed the state", msr,
			   (unsigned long long)val);
	} else {
		view_read(p, &b);
		check_side_effects(m, msr, val, &a, &b);
	}
	if (r == VPMU_MSR_UNHANDLED)
		return;
	want = model_intel(m) ? intel_wr_rule(m, msr, val, &back, &known) :
				amd_wr_rule(m, msr, val, &back, &known);
	FUZZ_CHECK(want < 0 || r == want, "%s WRMSR 0x%x = %#llx: result %d, rules say %d",
		   m->name, msr, (unsigned long long)val, r, want);
	if (r == VPMU_MSR_OK && known) {
		FUZZ_CHECK(vpmu_rdmsr(p, msr, &got) == VPMU_MSR_OK && got == back,
			   "%s WRMSR 0x%x = %#llx reads back %#llx, not %#llx", m->name, msr,
			   (unsigned long long)val, (unsigned long long)got,
			   (unsigned long long)back);
	}
	if (r == VPMU_MSR_OK && !model_intel(m) && msr == A_STATUS)
		FUZZ_CHECK(unchanged(p), "AMD GLOBAL_STATUS write changed the state");
}

static void op_rdmsr(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	uint32_t msr = take_msr(in);
	uint64_t v = 0xdead, back;
	bool known;
	int r, want;

	keep(p);
	r = vpmu_rdmsr(p, msr, &v);
	FUZZ_CHECK(unchanged(p), "RDMSR 0x%x changed the state", msr);
	FUZZ_CHECK((r == VPMU_MSR_UNHANDLED) == !msr_in_ranges(m, msr),
		   "RDMSR 0x%x: result %d, in ranges %d", msr, r, msr_in_ranges(m, msr));
	if (r == VPMU_MSR_UNHANDLED)
		return;
	/* a register that does not exist #GPs on read as on write */
	want = model_intel(m) ? intel_wr_rule(m, msr, 0, &back, &known) :
				amd_wr_rule(m, msr, 0, &back, &known);
	if (msr == I_PERF_CAP && model_intel(m))
		want = m->pdcm ? VPMU_MSR_OK : VPMU_MSR_GP;
	else if ((msr == I_STATUS || msr == I_INUSE) && model_intel(m))
		want = m->version >= (msr == I_STATUS ? 2 : 4) ? VPMU_MSR_OK : VPMU_MSR_GP;
	FUZZ_CHECK(want < 0 || r == want, "%s RDMSR 0x%x: result %d, rules say %d",
		   m->name, msr, r, want);
	if (r != VPMU_MSR_OK)
		return;
	if (msr == (model_intel(m) ? I_OVF_CTRL : A_STATUS_CLR) || msr == status_set_msr(m))
		FUZZ_CHECK(v == 0, "RDMSR 0x%x (write-only) reads %#llx", msr, (unsigned long long)v);
	if (msr == I_PERF_CAP && model_intel(m))
		FUZZ_CHECK(v == m->perf_capabilities, "PERF_CAPABILITIES reads %#llx",
			   (unsigned long long)v);
}

static void op_rdpmc(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	uint8_t how = take8(in);
	uint32_t ecx = how & 0x80 ? (uint32_t)take(in, 4) :
		       (take8(in) & 15) | ((uint32_t)(how & 3) << 30);
	struct vpmu_cpu_state cpu = {
		.cpl = (how >> 2) & 3, .cr0_pe = !(how & 0x10), .cr4_pce = how & 0x20,
	};
	struct pmu_view v;
	uint64_t val = 0;
	int r, want = VPMU_MSR_GP;
	unsigned int slot = 0;

	view_read(p, &v);
	keep(p);
	r = vpmu_rdpmc(p, ecx, &cpu, &val);
	FUZZ_CHECK(unchanged(p), "RDPMC changed the state");
	/* §9: CPL > 0 in protected mode needs CR4.PCE */
	if (!(cpu.cpl && cpu.cr0_pe && !cpu.cr4_pce)) {
		if (model_intel(m) && !(ecx >> 31)) {	/* fast reads #GP on presets */
			uint32_t type = (ecx >> 16) & 0x7fff, idx = ecx & 0xffff;

			if (type == 0 && idx < VPMU_MAX_GP)
				slot = idx, want = v.exists[slot] ? VPMU_MSR_OK : VPMU_MSR_GP;
			else if (type == 0x4000 && idx < VPMU_MAX_FIXED)
				slot = VIEW_FIXED(idx), want = v.exists[slot] ? VPMU_MSR_OK : VPMU_MSR_GP;
		} else if (!model_intel(m) && ecx < VPMU_MAX_GP) {
			slot = ecx, want = v.exists[slot] ? VPMU_MSR_OK : VPMU_MSR_GP;
		}
	}
	if (model_intel(m) && m->rdpmc_fast_low32 && (ecx >> 31))
		return;	/* not a preset's behaviour: not decided here */
	FUZZ_CHECK(r == want, "%s RDPMC %#x at CPL %u: result %d, want %d", m->name, ecx,
		   cpu.cpl, r, want);
	if (r == VPMU_MSR_OK)
		FUZZ_CHECK(val == v.value[slot], "RDPMC %#x = %#llx, the MSR reads %#llx", ecx,
			   (unsigned long long)val, (unsigned long long)v.value[slot]);
}

/* ---- counting ---- */

static void take_tick(struct input *in, struct vpmu_tick *t)
{
	uint8_t how = take8(in);

	memset(t, 0, sizeof(*t));
	t->cycles = how & 0x80 ? (uint32_t)take(in, 4) : 1 + (take8(in) & 7);
	if (!t->cycles)
		t->cycles = 1;
	t->cpl = how & 3;
	t->n[VPMU_EV_INSTRUCTIONS] = 1;
	if (!(how & 4))
		return;
	/* any mix of events, each 0..255 times or once */
	for (unsigned int e = 0; e < VPMU_EV_NR; e++)
		t->n[e] = how & 0x40 ? take8(in) : take8(in) & 1;
}

static uint64_t take_repeat(struct input *in)
{
	uint8_t how = take8(in);

	if (how & 0x80)
		return take(in, 8);
	return 1 + (how & 15);
}

static struct vpmu *clone_into(struct pmu_mem *dst, const struct vpmu *p)
{
	FUZZ_CHECK(vpmu_state_size() <= sizeof(dst->b), "state larger than %zu", sizeof(dst->b));
	memcpy(dst->b, p, vpmu_state_size());
	return (struct vpmu *)dst->b;
}

/* Checks after a vpmu_count-like call at CPL class `cpl` returned `pmi`. */
static void check_count(const struct vpmu_model *m, unsigned int cpl, uint64_t pmi,
			uint32_t active, const struct pmu_view *a, const struct pmu_view *b)
{
	uint64_t may = 0, appeared = b->status & ~a->status, allowed;
	bool intel = model_intel(m);

	for (unsigned int s = 0; s < VIEW_SLOTS; s++) {
		if (view_may_count(a, m, s, cpl)) {
			may |= slot_bit(s);
			continue;
		}
		FUZZ_CHECK(a->value[s] == b->value[s], "%s: disabled counter slot %u counted (%#llx -> %#llx)",
			   m->name, s, (unsigned long long)a->value[s], (unsigned long long)b->value[s]);
	}
	if (!active)
		for (unsigned int s = 0; s < VIEW_SLOTS; s++)
			FUZZ_CHECK(a->value[s] == b->value[s],
				   "%s: no active events at CPL %u, yet slot %u changed", m->name, cpl, s);
	for (unsigned int i = 0; i < VPMU_MAX_GP; i++)
		FUZZ_CHECK(a->sel[i] == b->sel[i], "counting changed selector %u", i);
	FUZZ_CHECK(a->fixed_ctrl == b->fixed_ctrl && a->debugctl == b->debugctl,
		   "counting changed FIXED_CTR_CTRL or DEBUGCTL");
	/* PMIs: only from counters that may count and ask for one */
	for (unsigned int s = 0; s < VIEW_SLOTS; s++)
		if (pmi & slot_bit(s))
			FUZZ_CHECK((may & slot_bit(s)) && view_wants_pmi(a, m, s),
				   "%s: PMI for slot %u, which cannot count or has no INT", m->name, s);
	FUZZ_CHECK(!(pmi & ~model_counter_bits(m)), "PMI bits %#llx", (unsigned long long)pmi);
	/* §11: status on overflow; v4+ freeze sets CTR_Frz / LBR_Frz */
	allowed = may;
	if (intel && m->version >= 4 && (a->debugctl & I_DEBUGCTL_FRZ_PMON))
		allowed |= I_STATUS_CTR_FRZ;
	if (intel && m->version >= 4 && (a->debugctl & I_DEBUGCTL_FRZ_LBR))
		allowed |= I_STATUS_LBR_FRZ;
	FUZZ_CHECK(!(appeared & ~allowed), "%s: counting set GLOBAL_STATUS bits %#llx",
		   m->name, (unsigned long long)(appeared & ~allowed));
	FUZZ_CHECK(!(a->status & ~b->status), "counting cleared GLOBAL_STATUS bits");
	if (model_has_global(m))
		FUZZ_CHECK(!(pmi & ~b->status), "PMI %#llx without its status bit",
			   (unsigned long long)pmi);
	if (intel && pmi && (a->debugctl & I_DEBUGCTL_FRZ_PMON)) {
		if (m->version >= 4)
			FUZZ_CHECK(b->status & I_STATUS_CTR_FRZ, "freeze on PMI: no CTR_Frz");
		else
			FUZZ_CHECK(b->global_ctrl == 0, "freeze on PMI: GLOBAL_CTRL not cleared");
	}
	if (!(intel && m->version < 4 && pmi))
		FUZZ_CHECK(a->global_ctrl == b->global_ctrl, "counting changed GLOBAL_CTRL");
	else
		FUZZ_CHECK(b->global_ctrl == a->global_ctrl || b->global_ctrl == 0,
			   "freeze left GLOBAL_CTRL %#llx", (unsigned long long)b->global_ctrl);
}

static uint64_t counted(struct vpmu *p, const struct vpmu_tick *t, uint64_t repeat)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	uint32_t active = vpmu_active_events(p, t->cpl);
	struct pmu_view a, b;
	uint64_t pmi;

	view_read(p, &a);
	pmi = vpmu_count(p, t, repeat);
	view_read(p, &b);
	check_count(m, t->cpl, pmi, active, &a, &b);
	return pmi;
}

static void op_count(struct vpmu *p, struct input *in)
{
	struct vpmu_tick t;
	uint64_t repeat;

	take_tick(in, &t);
	repeat = take_repeat(in);
	if (repeat)
		counted(p, &t, repeat);
}

/* Did some counter wrap between views a and b (one tick apart)?  A single
 * tick adds less than 2^32 and every preset counter is >= 40 bits wide,
 * so a wrap shows as a smaller value. */
static bool wrapped(const struct pmu_view *a, const struct pmu_view *b)
{
	for (unsigned int s = 0; s < VIEW_SLOTS; s++)
		if (b->value[s] < a->value[s])
			return true;
	return false;
}

/* vpmu_headroom(): h repeats wrap nothing, h + 1 wrap something, and the
 * bulk call equals h repeats followed by one. */
static void op_headroom(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	struct vpmu_tick t;
	struct vpmu *a, *b, *c;
	struct pmu_view v0, va, vb;
	uint64_t h, pa = 0, pb, pc;

	take_tick(in, &t);
	h = vpmu_headroom(p, &t);
	view_read(p, &v0);
	a = clone_into(&clone_a, p);
	if (h == UINT64_MAX) {
		h = take_repeat(in);
		pa = counted(a, &t, h);
		view_read(a, &va);
		FUZZ_CHECK(!pa && va.status == v0.status, "%s: headroom unlimited, yet %llu repeats overflowed",
			   m->name, (unsigned long long)h);
		return;
	}
	if (h)
		pa = counted(a, &t, h);
	view_read(a, &va);
	FUZZ_CHECK(!pa && va.status == v0.status && !wrapped(&v0, &va),
		   "%s: %llu repeats (the headroom) overflowed", m->name, (unsigned long long)h);
	b = clone_into(&clone_b, a);
	pb = counted(b, &t, 1);
	view_read(b, &vb);
	FUZZ_CHECK(wrapped(&va, &vb), "%s: headroom %llu + 1 repeats did not wrap",
		   m->name, (unsigned long long)h);
	c = clone_into(&clone_c, p);
	pc = counted(c, &t, h + 1);
	state_bytes(b, snap_other);
	FUZZ_CHECK(state_is(c, snap_other) && pc == (pa | pb),
		   "%s: %llu + 1 repeats in bulk differ from one by one", m->name,
		   (unsigned long long)h);
	memcpy(p, a, vpmu_state_size());	/* carry on from just before the wrap */
}

/* vpmu_count(p, t, r) equals r calls of vpmu_count(p, t, 1). */
static void op_count_split(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	struct vpmu_tick t;
	struct vpmu *a;
	uint64_t r, pa = 0, pb;

	take_tick(in, &t);
	r = 1 + (take8(in) & 31);
	a = clone_into(&clone_a, p);
	for (uint64_t i = 0; i < r; i++)
		pa |= counted(a, &t, 1);
	pb = counted(p, &t, r);
	state_bytes(a, snap_other);
	FUZZ_CHECK(state_is(p, snap_other) && pa == pb, "%s: %llu repeats in bulk differ from one by one",
		   m->name, (unsigned long long)r);
}

/* vpmu_count_pattern() equals the nested loop of vpmu_count() calls. */
static void op_pattern(struct vpmu *p, struct input *in)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	struct vpmu_span span[4];
	unsigned int n = 1 + (take8(in) & 3);
	uint64_t periods = 1 + (take8(in) & 15), hp, pa, pb = 0, dbg = 0;
	bool may_freeze;
	struct vpmu *b;

	for (unsigned int i = 0; i < n; i++) {
		take_tick(in, &span[i].tick);
		span[i].times = take_repeat(in) - (take8(in) & 1);	/* 0 sometimes */
	}
	hp = vpmu_headroom_pattern(p, span, n);
	/* freeze-on-PMI changes who counts in mid-pattern: exact only
	 * within the headroom then */
	may_freeze = model_intel(m) && vpmu_rdmsr(p, I_DEBUGCTL, &dbg) == VPMU_MSR_OK &&
		     (dbg & I_DEBUGCTL_FRZ_PMON);
	if (periods > hp && may_freeze)
		periods = hp;
	if (!periods)
		return;
	b = clone_into(&clone_b, p);
	for (uint64_t r = 0; r < periods; r++)
		for (unsigned int i = 0; i < n; i++)
			if (span[i].times)
				pb |= counted(b, &span[i].tick, span[i].times);
	pa = vpmu_count_pattern(p, span, n, periods);
	state_bytes(b, snap_other);
	FUZZ_CHECK(state_is(p, snap_other) && pa == pb,
		   "%s: vpmu_count_pattern(%u spans, %llu periods; headroom %llu) differs from the nested calls",
		   m->name, n, (unsigned long long)periods, (unsigned long long)hp);
}

/* ---- filter, reset, PMI latch, snapshot ---- */

static void op_filter(struct vpmu *p, struct input *in)
{
	static struct vpmu_filter f;
	uint8_t how = take8(in);
	struct pmu_view a, b;
	char err[128];
	int r;

	memset(&f, 0, sizeof(f));
	f.action = how & 0x80 ? (uint32_t)take(in, 4) : how & 1;
	f.flags = how & 0x40 ? (uint32_t)take(in, 4) : (how >> 1) & 3;
	f.fixed_bitmap = take8(in);
	f.nevents = how & 0x20 ? (uint32_t)take(in, 2) : take8(in) & 7;
	for (unsigned int i = 0; i < f.nevents && i < VPMU_FILTER_MAX; i++)
		f.events[i] = take8(in) & 1 ? take(in, 8) : take(in, 2) | (take(in, 1) & 0xf) << 32;
	view_read(p, &a);
	keep(p);
	r = vpmu_set_filter(p, how & 0x18 ? &f : NULL, err, sizeof(err));
	if (r) {
		FUZZ_CHECK(r == -1 && err[0], "vpmu_set_filter: %d without a reason", r);
		FUZZ_CHECK(unchanged(p), "refused filter changed the state");
	}
	view_read(p, &b);
	FUZZ_CHECK(view_equal(&a, &b), "a filter changed guest-visible registers");
}

static void op_reset(struct vpmu *p)
{
	static struct pmu_mem fresh_mem;
	struct pmu_view a, b;
	struct vpmu *q = vpmu_init(fresh_mem.b, sizeof(fresh_mem.b), vpmu_model_of(p), NULL, 0);

	FUZZ_CHECK(q, "vpmu_init of a preset failed");
	vpmu_reset(p);
	view_read(p, &a);
	view_read(q, &b);
	FUZZ_CHECK(view_equal(&a, &b), "vpmu_reset differs from a fresh PMU");
	FUZZ_CHECK(vpmu_take_pmi(p) == 0, "PMI latched after reset");
}

static void op_take_pmi(struct vpmu *p)
{
	uint64_t pmi = vpmu_take_pmi(p);

	FUZZ_CHECK(!(pmi & ~model_counter_bits(vpmu_model_of(p))), "latched PMI %#llx",
		   (unsigned long long)pmi);
	FUZZ_CHECK(vpmu_take_pmi(p) == 0, "vpmu_take_pmi did not clear");
}

/* save -> restore into a fresh PMU and into p itself -> save: same bytes */
void op_snapshot(struct vpmu *p)
{
	static struct pmu_mem fresh_mem;
	struct vpmu *q = vpmu_init(fresh_mem.b, sizeof(fresh_mem.b), vpmu_model_of(p), NULL, 0);
	char err[512];

	state_bytes(p, snap_before);
	FUZZ_CHECK(vpmu_restore(q, snap_before, vpmu_snapshot_size(), err, sizeof(err)) == 0,
		   "restore of a saved state refused: %s", err);
	FUZZ_CHECK(state_is(q, snap_before), "restored state saves differently");
	FUZZ_CHECK(vpmu_restore(p, snap_before, vpmu_snapshot_size(), err, sizeof(err)) == 0,
		   "restore onto itself refused: %s", err);
	FUZZ_CHECK(state_is(p, snap_before), "restored onto itself saves differently");
}

static void step(struct vpmu *p, struct input *in)
{
	switch (take8(in) % 16) {
	case 0: case 1: case 2: case 3: op_wrmsr(p, in); break;
	case 4: op_rdmsr(p, in); break;
	case 5: op_rdpmc(p, in); break;
	case 6: case 7: op_count(p, in); break;
	case 8: op_headroom(p, in); break;
	case 9: op_count_split(p, in); break;
	case 10: op_pattern(p, in); break;
	case 11: op_filter(p, in); break;
	case 12: op_take_pmi(p); break;
	case 13: op_snapshot(p); break;
	case 14: if (take8(in) == 0x5a) op_reset(p); break;
	default: op_wrmsr(p, in); break;
	}
}

void pmu_ops_run(struct vpmu *p, struct input *in, unsigned int max_steps)
{
	build_candidates(vpmu_model_of(p));
	for (unsigned int n = 0; n < max_steps && input_left(in); n++) {
		struct pmu_view v;

		step(p, in);
		view_read(p, &v);	/* every counter within its width */
	}
	op_snapshot(p);
}
