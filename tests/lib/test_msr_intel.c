/* SPDX-License-Identifier: MIT */
/*
 * Intel PMU MSRs: existence, reset values, read/write/#GP for every bit,
 * for every Intel preset (PMU-FACTS §2-§8 and the project decisions).
 *
 * The generic tests derive the expected behaviour from the model's fields
 * with the rules of the specification and run on every Intel preset that
 * vpmu_model_at() lists; the spot tests at the end hardcode values for the
 * presets the decisions name.
 */
#include "helpers.h"

/* ---- the rules, as functions of the model ---- */

static uint64_t gp_bits(const struct vpmu_model *m)
{
	return MASKW(m->nr_gp);
}

static uint64_t fixed_bits(const struct vpmu_model *m)
{
	return (uint64_t)intel_fixed_mask(m) << 32;
}

/* GLOBAL_CTRL: GP enables | fixed enables */
static uint64_t gctrl_valid(const struct vpmu_model *m)
{
	return gp_bits(m) | fixed_bits(m);
}

/* OVF_CTRL: GP | fixed | 62 | 63, + 61 on v3+, + 58..60 on v4+ */
static uint64_t ovf_valid(const struct vpmu_model *m)
{
	uint64_t v = gctrl_valid(m) | ST_BUF | ST_COND;

	if (m->version >= 3)
		v |= ST_UNCORE;
	if (m->version >= 4)
		v |= ST_LBR_FRZ | ST_CTR_FRZ | ST_ASCI;
	return v;
}

/* STATUS_SET: the OVF_CTRL bits minus CondChgd */
static uint64_t set_valid(const struct vpmu_model *m)
{
	return ovf_valid(m) & ~ST_COND;
}

/* PERFEVTSEL: bits 31:0 except AnyThread unless v3/v4 non-deprecated */
static uint64_t evtsel_valid(const struct vpmu_model *m)
{
	uint64_t v = 0xFFFFFFFFull & ~SEL_ANY;

	if (intel_anythread_ok(m))
		v |= SEL_ANY;
	return v;
}

/* FIXED_CTR_CTRL: OS, USR, PMI (+ AnyThread) of every existing counter */
static uint64_t fixctrl_valid(const struct vpmu_model *m)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < VPMU_MAX_FIXED; i++) {
		if (!intel_fixed_exists(m, i))
			continue;
		v |= FIX_OS(i) | FIX_USR(i) | FIX_PMI(i);
		if (intel_anythread_ok(m))
			v |= FIX_ANY(i);
	}
	return v;
}

static uint64_t debugctl_valid(const struct vpmu_model *m)
{
	uint64_t v = 0;

	if (m->freeze_on_pmi && m->version >= 2)
		v |= DEBUGCTL_FRZ_PMON;
	if (m->freeze_on_pmi && m->version >= 4)
		v |= DEBUGCTL_FRZ_LBR;
	return v;
}

static bool has_fw(const struct vpmu_model *m)
{
	return m->pdcm && (m->perf_capabilities & VPMU_PERF_CAP_FW_WRITE);
}

static uint64_t sext32(uint64_t v, unsigned int w)
{
	return (uint64_t)(int64_t)(int32_t)(uint32_t)v & MASKW(w);
}

/*
 * Single-bit writes to a plain RW register: a valid bit is accepted and
 * reads back alone; an invalid bit raises #GP and leaves the register as
 * it was (`pre`, a valid pattern written first).
 */
static void bits_rw(struct vpmu *p, uint32_t msr, uint64_t valid, const char *what)
{
	uint64_t pre = valid & 0xA5A5A5A5A5A5A5A5ull;
	unsigned int b;

	for (b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		int r;

		if (vpmu_wrmsr(p, msr, pre) != VPMU_MSR_OK) {
			soft_fail(__FILE__, __LINE__, "[%s] %s (%#x): valid pattern %#llx refused",
				  vpmu_model_of(p)->name, what, msr, (unsigned long long)pre);
			return;
		}
		r = vpmu_wrmsr(p, msr, bit);
		if (valid & bit) {
			CHECK(r == VPMU_MSR_OK, "[%s] %s (%#x): bit %u must be writable, got %s",
			      vpmu_model_of(p)->name, what, msr, b, msr_result_name(r));
			CHECK_RD(p, msr, bit);
		} else {
			CHECK(r == VPMU_MSR_GP, "[%s] %s (%#x): bit %u must #GP, got %s",
			      vpmu_model_of(p)->name, what, msr, b, msr_result_name(r));
			CHECK_RD(p, msr, pre);
		}
	}
	CHECK_WR(p, msr, valid);
	CHECK_RD(p, msr, valid);
	CHECK_WR(p, msr, 0);
	CHECK_RD(p, msr, 0);
}

/* ------------------------------------------------------------------ */

static void reset_values_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;

	for (i = 0; i < m->nr_gp; i++) {
		CHECK_RD(p, MSR_PMC(i), 0);
		CHECK_RD(p, MSR_EVTSEL(i), 0);
		if (has_fw(m))
			CHECK_RD(p, MSR_A_PMC(i), 0);
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_RD(p, MSR_FIXED_CTR(i), 0);
	if (m->version >= 2) {
		CHECK_RD(p, MSR_FIXED_CTRL, 0);
		CHECK_RD(p, MSR_GSTATUS, 0);
		CHECK_RD(p, MSR_GCTRL, MASKW(m->nr_gp));	/* §5.2: (1 << n) - 1 */
		CHECK_RD(p, MSR_GOVF, 0);
	}
	if (m->version >= 4) {
		CHECK_RD(p, MSR_GSET, 0);
		CHECK_RD(p, MSR_GINUSE, 0);
	}
	if (m->pdcm)
		CHECK_RD(p, MSR_PERF_CAP, m->perf_capabilities);
	CHECK_RD(p, MSR_DEBUGCTL, 0);
}

static void test_reset_values(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, reset_values_one) >= nr_intel_presets);
}

/* An MSR that does not exist raises #GP on both RDMSR and WRMSR (§2). */
static void exists(struct vpmu *p, uint32_t msr, bool yes, uint64_t wval)
{
	if (yes) {
		uint64_t v;
		int r = vpmu_rdmsr(p, msr, &v);

		CHECK(r == VPMU_MSR_OK, "[%s] rdmsr %#x must exist, got %s",
		      vpmu_model_of(p)->name, msr, msr_result_name(r));
		r = vpmu_wrmsr(p, msr, wval);
		CHECK(r == VPMU_MSR_OK, "[%s] wrmsr %#x <- %#llx must be accepted, got %s",
		      vpmu_model_of(p)->name, msr, (unsigned long long)wval,
		      msr_result_name(r));
	} else {
		CHECK_RD_GP(p, msr);
		CHECK_WR_GP(p, msr, wval);
		CHECK_WR_GP(p, msr, 0);
	}
}

static void existence_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i;
	bool v2 = m->version >= 2, v4 = m->version >= 4;

	for (i = 0; i < VPMU_MAX_GP; i++) {
		exists(p, MSR_PMC(i), i < m->nr_gp, 5);
		exists(p, MSR_EVTSEL(i), i < m->nr_gp, 0x3C);
		exists(p, MSR_A_PMC(i), i < m->nr_gp && has_fw(m), 7);
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		exists(p, MSR_FIXED_CTR(i), intel_fixed_exists(m, i), 9);
	exists(p, MSR_FIXED_CTRL, v2, 0);
	exists(p, MSR_GCTRL, v2, 0);
	exists(p, MSR_GOVF, v2, 0);
	if (v2)
		CHECK_RD(p, MSR_GSTATUS, 0);
	else
		CHECK_RD_GP(p, MSR_GSTATUS);
	CHECK_WR_GP(p, MSR_GSTATUS, 0);		/* RO (v2+) or absent (v1) */
	exists(p, MSR_GSET, v4, 0);
	if (v4)	/* every PERFEVTSEL was given event 0x3C above */
		CHECK_RD(p, MSR_GINUSE, MASKW(m->nr_gp));
	else
		CHECK_RD_GP(p, MSR_GINUSE);
	CHECK_WR_GP(p, MSR_GINUSE, 0);		/* RO (v4+) or absent */
	if (m->pdcm)
		CHECK_RD(p, MSR_PERF_CAP, m->perf_capabilities);
	else
		CHECK_RD_GP(p, MSR_PERF_CAP);
	CHECK_WR_GP(p, MSR_PERF_CAP, 0);	/* RO or absent */
	CHECK_WR_GP(p, MSR_PERF_CAP, m->perf_capabilities);
	exists(p, MSR_DEBUGCTL, true, 0);
}

static void test_msr_existence(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, existence_one) >= nr_intel_presets);
}

static void evtsel_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	uint64_t valid = evtsel_valid(m);
	unsigned int i;

	bits_rw(p, MSR_EVTSEL(0), valid, "PERFEVTSEL0");
	bits_rw(p, MSR_EVTSEL(m->nr_gp - 1), valid, "PERFEVTSEL(n-1)");
	/* each selector is its own register */
	for (i = 0; i < m->nr_gp; i++)
		CHECK_WR(p, MSR_EVTSEL(i), 0x00410000ull | (0x10 + i));
	for (i = 0; i < m->nr_gp; i++)
		CHECK_RD(p, MSR_EVTSEL(i), 0x00410000ull | (0x10 + i));
	/* TSX bits 32/33 are not modelled: #GP on every counter (§3) */
	for (i = 0; i < m->nr_gp; i++) {
		CHECK_WR_GP(p, MSR_EVTSEL(i), SEL_EN | (1ull << 32));
		CHECK_WR_GP(p, MSR_EVTSEL(i), SEL_EN | (1ull << 33));
		CHECK_RD(p, MSR_EVTSEL(i), 0x00410000ull | (0x10 + i));
	}
}

static void test_evtsel_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, evtsel_one) >= nr_intel_presets);
}

/* §8: legacy write = sign-extension of EAX, EDX ignored, never #GP */
static void legacy_pmc_one(const struct vpmu_model *m)
{
	static const uint64_t vals[] = {
		0, 1, 0x12345678, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE,
		0xFFFFFF0123456789ull,	/* KUT: reads back 0x23456789 */
		0xFFFFFFFF00000000ull, 0x0000123400000000ull, 0x8000000080000001ull,
		~0ull,
	};
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i, k;

	for (i = 0; i < m->nr_gp; i++) {
		for (k = 0; k < ARRAY_LEN(vals); k++) {
			CHECK_WR(p, MSR_PMC(i), vals[k]);
			CHECK_RD(p, MSR_PMC(i), sext32(vals[k], m->gp_width));
			if (has_fw(m))
				CHECK_RD(p, MSR_A_PMC(i), sext32(vals[k], m->gp_width));
		}
	}
	/* counters are distinct registers */
	for (i = 0; i < m->nr_gp; i++)
		CHECK_WR(p, MSR_PMC(i), 0x1000 + i);
	for (i = 0; i < m->nr_gp; i++)
		CHECK_RD(p, MSR_PMC(i), 0x1000 + i);
}

static void test_legacy_pmc_write(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, legacy_pmc_one) >= nr_intel_presets);
}

/* §8: 0x4C1+i writes the value; any bit >= W raises #GP; aliases 0xC1+i */
static void full_width_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	unsigned int i, b;
	uint64_t w = m->gp_width;

	if (!has_fw(m))
		return;
	p = new_pmu_model(0, m);
	for (i = 0; i < m->nr_gp; i++) {
		CHECK_WR(p, MSR_A_PMC(i), MASKW(w));
		CHECK_RD(p, MSR_A_PMC(i), MASKW(w));
		CHECK_RD(p, MSR_PMC(i), MASKW(w));
		CHECK_WR(p, MSR_A_PMC(i), 0x80000000ull);	/* no sign extension */
		CHECK_RD(p, MSR_A_PMC(i), 0x80000000ull);
		CHECK_WR(p, MSR_A_PMC(i), 0x123456789ull);
		CHECK_RD(p, MSR_PMC(i), 0x123456789ull);
		for (b = (unsigned int)w; b < 64; b++) {
			CHECK_WR_GP(p, MSR_A_PMC(i), 1ull << b);
			CHECK_RD(p, MSR_A_PMC(i), 0x123456789ull);
		}
		CHECK_WR_GP(p, MSR_A_PMC(i), ~0ull);
		CHECK_RD(p, MSR_A_PMC(i), 0x123456789ull);
		/* a legacy write is visible through the full-width alias */
		CHECK_WR(p, MSR_PMC(i), 0xFFFFFFF0ull);
		CHECK_RD(p, MSR_A_PMC(i), MASKW(w) - 0xF);
	}
}

static void test_full_width_write(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, full_width_one) >= nr_intel_presets);
}

/* Decision: fixed counter write with any bit >= Wf raises #GP */
static void fixed_ctr_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int i, b;
	uint64_t w = m->fixed_width;

	for (i = 0; i < VPMU_MAX_FIXED; i++) {
		if (!intel_fixed_exists(m, i))
			continue;
		CHECK_WR(p, MSR_FIXED_CTR(i), MASKW(w));
		CHECK_RD(p, MSR_FIXED_CTR(i), MASKW(w));
		CHECK_WR(p, MSR_FIXED_CTR(i), 0x80000000ull);	/* no sign extension */
		CHECK_RD(p, MSR_FIXED_CTR(i), 0x80000000ull);
		CHECK_WR(p, MSR_FIXED_CTR(i), 0xABCD00000000ull & MASKW(w));
		for (b = (unsigned int)w; b < 64; b++) {
			CHECK_WR_GP(p, MSR_FIXED_CTR(i), 1ull << b);
			CHECK_RD(p, MSR_FIXED_CTR(i), 0xABCD00000000ull & MASKW(w));
		}
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_WR(p, MSR_FIXED_CTR(i), 0x100 + i);
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_RD(p, MSR_FIXED_CTR(i), 0x100 + i);
}

static void test_fixed_ctr_write(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, fixed_ctr_one) >= nr_intel_presets);
}

static void fixctrl_one(const struct vpmu_model *m)
{
	struct vpmu *p;

	if (m->version < 2)
		return;
	p = new_pmu_model(0, m);
	bits_rw(p, MSR_FIXED_CTRL, fixctrl_valid(m), "FIXED_CTR_CTRL");
}

static void test_fixed_ctrl_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, fixctrl_one) >= nr_intel_presets);
}

static void gctrl_one(const struct vpmu_model *m)
{
	struct vpmu *p;

	if (m->version < 2)
		return;
	p = new_pmu_model(0, m);
	bits_rw(p, MSR_GCTRL, gctrl_valid(m), "GLOBAL_CTRL");
}

static void test_global_ctrl_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, gctrl_one) >= nr_intel_presets);
}

/* §5.1: GLOBAL_STATUS is read-only; any guest write raises #GP */
static void gstatus_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	unsigned int b;

	if (m->version < 2)
		return;
	p = new_pmu_model(0, m);
	CHECK_WR_GP(p, MSR_GSTATUS, 0);
	CHECK_WR_GP(p, MSR_GSTATUS, 1);
	CHECK_WR_GP(p, MSR_GSTATUS, ovf_valid(m));
	for (b = 0; b < 64; b++)
		CHECK_WR_GP(p, MSR_GSTATUS, 1ull << b);
	CHECK_RD(p, MSR_GSTATUS, 0);
	if (m->version >= 4) {
		CHECK_WR(p, MSR_GSET, 1);
		CHECK_WR_GP(p, MSR_GSTATUS, 0);
		CHECK_RD(p, MSR_GSTATUS, 1);
	}
}

static void test_global_status_ro(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, gstatus_one) >= nr_intel_presets);
}

/* §5.3: OVF_CTRL is W1C with its own valid map and reads 0 */
static void ovf_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	uint64_t valid = ovf_valid(m);
	unsigned int b;

	if (m->version < 2)
		return;
	p = new_pmu_model(0, m);
	for (b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		int r = vpmu_wrmsr(p, MSR_GOVF, bit);

		CHECK(r == ((valid & bit) ? VPMU_MSR_OK : VPMU_MSR_GP),
		      "[%s] GLOBAL_OVF_CTRL bit %u: got %s, expected %s", m->name, b,
		      msr_result_name(r), (valid & bit) ? "OK" : "#GP");
		CHECK_RD(p, MSR_GOVF, 0);
	}
	CHECK_WR(p, MSR_GOVF, valid);
	CHECK_RD(p, MSR_GOVF, 0);
	CHECK_RD(p, MSR_GSTATUS, 0);
	CHECK_RD(p, MSR_GCTRL, MASKW(m->nr_gp));	/* untouched */
}

static void test_ovf_ctrl_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, ovf_one) >= nr_intel_presets);
}

/* §5.4: STATUS_SET (v4+) is W1S into GLOBAL_STATUS, reads 0, no bit 63 */
static void gset_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	uint64_t valid = set_valid(m);
	unsigned int b;

	if (m->version < 4)
		return;
	p = new_pmu_model(0, m);
	for (b = 0; b < 64; b++) {
		uint64_t bit = 1ull << b;
		int r = vpmu_wrmsr(p, MSR_GSET, bit);

		if (valid & bit) {
			CHECK(r == VPMU_MSR_OK, "[%s] STATUS_SET bit %u: got %s", m->name, b,
			      msr_result_name(r));
			CHECK_RD(p, MSR_GSTATUS, bit);
			CHECK_RD(p, MSR_GSET, 0);
			CHECK_WR(p, MSR_GOVF, bit);	/* W1C clears exactly it */
			CHECK_RD(p, MSR_GSTATUS, 0);
		} else {
			CHECK(r == VPMU_MSR_GP, "[%s] STATUS_SET bit %u must #GP, got %s",
			      m->name, b, msr_result_name(r));
			CHECK_RD(p, MSR_GSTATUS, 0);
		}
	}
	/* W1S accumulates, W1C clears only the named bits */
	CHECK_WR(p, MSR_GSET, 1);
	CHECK_WR(p, MSR_GSET, ST_BUF);
	CHECK_RD(p, MSR_GSTATUS, 1 | ST_BUF);
	CHECK_WR(p, MSR_GSET, 0);
	CHECK_RD(p, MSR_GSTATUS, 1 | ST_BUF);
	CHECK_WR(p, MSR_GOVF, ST_BUF | ST_COND);
	CHECK_RD(p, MSR_GSTATUS, 1);
	CHECK_WR(p, MSR_GSET, valid);
	CHECK_RD(p, MSR_GSTATUS, valid);
	CHECK_RD(p, MSR_GSET, 0);
	CHECK_WR(p, MSR_GOVF, ovf_valid(m));
	CHECK_RD(p, MSR_GSTATUS, 0);
	CHECK_RD(p, MSR_GCTRL, MASKW(m->nr_gp));
}

static void test_status_set_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, gset_one) >= nr_intel_presets);
}

/* §5.5: GLOBAL_INUSE */
static void inuse_one(const struct vpmu_model *m)
{
	struct vpmu *p;
	unsigned int last = m->nr_gp - 1;
	uint64_t f0 = 1ull << 32, f1 = 1ull << 33, f2 = 1ull << 34;

	if (m->version < 4)
		return;
	p = new_pmu_model(0, m);
	CHECK_RD(p, MSR_GINUSE, 0);
	CHECK_WR(p, MSR_EVTSEL(0), 0x3C);		/* event set, not even enabled */
	CHECK_RD(p, MSR_GINUSE, 1);
	CHECK_WR(p, MSR_EVTSEL(last), SEL_EV(0, 1) | SEL_EN | SEL_OS);	/* [7:0] = 0 */
	CHECK_RD(p, MSR_GINUSE, 1);
	CHECK_WR(p, MSR_EVTSEL(last), SEL_EV(0x01, 0));
	CHECK_RD(p, MSR_GINUSE, 1 | (1ull << last));
	CHECK_WR(p, MSR_EVTSEL(0), 0);
	CHECK_RD(p, MSR_GINUSE, 1ull << last);
	CHECK_WR(p, MSR_EVTSEL(last), 0);
	CHECK_WR(p, MSR_EVTSEL(1), SEL_INT);		/* INT only: bit 63, not bit 1 */
	CHECK_RD(p, MSR_GINUSE, 1ull << 63);
	CHECK_WR(p, MSR_EVTSEL(1), 0);
	CHECK_RD(p, MSR_GINUSE, 0);
	CHECK_WR(p, MSR_FIXED_CTRL, FIX_OS(0));
	CHECK_RD(p, MSR_GINUSE, f0);
	CHECK_WR(p, MSR_FIXED_CTRL, FIX_USR(1));
	CHECK_RD(p, MSR_GINUSE, f1);
	CHECK_WR(p, MSR_FIXED_CTRL, FIX_PMI(2));		/* PMI only: bit 63, not 34 */
	CHECK_RD(p, MSR_GINUSE, 1ull << 63);
	CHECK_WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_OS(2) | FIX_PMI(2));
	CHECK_RD(p, MSR_GINUSE, f0 | f2 | (1ull << 63));
	CHECK_WR(p, MSR_EVTSEL(0), SEL_EV(0xC0, 0) | SEL_EN | SEL_USR | SEL_INT);
	CHECK_RD(p, MSR_GINUSE, 1 | f0 | f2 | (1ull << 63));
	CHECK_WR(p, MSR_FIXED_CTRL, 0);
	CHECK_WR(p, MSR_EVTSEL(0), 0);
	CHECK_RD(p, MSR_GINUSE, 0);
	/* read-only */
	CHECK_WR_GP(p, MSR_GINUSE, 0);
	CHECK_WR_GP(p, MSR_GINUSE, 1);
}

static void test_inuse(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, inuse_one) >= nr_intel_presets);
}

static void debugctl_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);

	bits_rw(p, MSR_DEBUGCTL, debugctl_valid(m), "DEBUGCTL");
}

static void test_debugctl_bits(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, debugctl_one) >= nr_intel_presets);
}

/* AMD PMU MSRs on an Intel model: #GP, never UNHANDLED */
static void amd_on_intel_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	uint32_t msr;

	for (msr = 0xC0010000; msr <= 0xC0010007; msr++) {
		CHECK_RD_GP(p, msr);
		CHECK_WR_GP(p, msr, 0);
	}
	for (msr = 0xC0010200; msr <= 0xC001020B; msr++) {
		CHECK_RD_GP(p, msr);
		CHECK_WR_GP(p, msr, 0);
	}
	for (msr = 0xC0000300; msr <= 0xC0000303; msr++) {
		CHECK_RD_GP(p, msr);
		CHECK_WR_GP(p, msr, 0);
	}
}

static void test_amd_msrs_gp(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, amd_on_intel_one) >= nr_intel_presets);
}

/* MSRs outside every PMU range are the caller's business */
static const uint32_t non_pmu_msrs[] = {
	0x10 /* TSC */, 0x1B /* APIC_BASE */, 0x3A /* FEATURE_CONTROL */,
	0x8B /* BIOS_SIGN */, 0x174 /* SYSENTER_CS */, 0x277 /* PAT */,
	0x2FF /* MTRR_DEF_TYPE */, 0xC0000080 /* EFER */, 0xC0000100 /* FS_BASE */,
	0xC0000102 /* KERNEL_GS_BASE */,
};

static void unhandled_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int k;

	for (k = 0; k < ARRAY_LEN(non_pmu_msrs); k++) {
		CHECK_RD_UNH(p, non_pmu_msrs[k]);
		CHECK_WR_UNH(p, non_pmu_msrs[k], 0);
	}
}

static void test_unhandled(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, unhandled_one) >= nr_intel_presets);
}

/* ---- vpmu_msr_ranges: both vendors' PMU MSRs, never UNHANDLED inside ---- */

static bool in_ranges(const struct vpmu_msr_range *r, unsigned int n, uint32_t msr)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (msr >= r[i].first && (uint64_t)msr < (uint64_t)r[i].first + r[i].count)
			return true;
	return false;
}

static void ranges_one(const struct vpmu_model *m)
{
	static const struct { uint32_t first, count; } must[] = {
		{ 0xC1, 8 }, { 0x186, 8 }, { 0x309, 7 }, { 0x345, 1 }, { 0x38D, 6 },
		{ 0x4C1, 8 }, { 0xC0010000, 8 }, { 0xC0010200, 12 }, { 0xC0000300, 4 },
	};
	struct vpmu_msr_range r[32];
	struct vpmu *p = new_pmu_model(0, m);
	unsigned int n, i, k;
	uint64_t total = 0;

	memset(r, 0, sizeof(r));
	n = vpmu_msr_ranges(m, r, 32);
	CHECK(n >= 1 && n <= 16, "[%s] vpmu_msr_ranges returned %u ranges", m->name, n);
	if (n > 32)
		n = 32;
	CHECK(vpmu_msr_ranges(m, r, 2) <= 2, "[%s] vpmu_msr_ranges ignores max", m->name);
	n = vpmu_msr_ranges(m, r, 32);
	for (k = 0; k < ARRAY_LEN(must); k++)
		for (i = 0; i < must[k].count; i++)
			CHECK(in_ranges(r, n, must[k].first + i),
			      "[%s] PMU MSR %#x not in vpmu_msr_ranges", m->name,
			      must[k].first + i);
	if (m->vendor == VPMU_VENDOR_INTEL)
		CHECK(in_ranges(r, n, MSR_DEBUGCTL), "[%s] DEBUGCTL not trapped", m->name);
	else
		CHECK(!in_ranges(r, n, MSR_DEBUGCTL),
		      "[%s] DEBUGCTL is UNHANDLED on AMD but listed", m->name);
	for (k = 0; k < ARRAY_LEN(non_pmu_msrs); k++)
		CHECK(!in_ranges(r, n, non_pmu_msrs[k]), "[%s] non-PMU MSR %#x listed",
		      m->name, non_pmu_msrs[k]);
	/* every MSR in them is answered: value or #GP, never UNHANDLED */
	for (i = 0; i < n; i++) {
		uint32_t msr;

		total += r[i].count;
		if (total > (1u << 20)) {
			soft_fail(__FILE__, __LINE__, "[%s] ranges cover > 1M MSRs", m->name);
			break;
		}
		for (msr = r[i].first; (uint64_t)msr < (uint64_t)r[i].first + r[i].count; msr++) {
			uint64_t v;
			int rr = vpmu_rdmsr(p, msr, &v), rw = vpmu_wrmsr(p, msr, 0);

			CHECK(rr == VPMU_MSR_OK || rr == VPMU_MSR_GP,
			      "[%s] rdmsr %#x inside a trapped range: %s", m->name, msr,
			      msr_result_name(rr));
			CHECK(rw == VPMU_MSR_OK || rw == VPMU_MSR_GP,
			      "[%s] wrmsr %#x inside a trapped range: %s", m->name, msr,
			      msr_result_name(rw));
		}
	}
}

static void test_msr_ranges(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, ranges_one) >= 1);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, ranges_one) >= 1);
}

/* ---- custom models for the versions the presets may not cover ---- */

static void test_v1_model(void **state)
{
	struct vpmu_model m = intel_custom("lean", 1);
	struct vpmu *p;

	(void)state;
	existence_one(&m);
	evtsel_one(&m);
	legacy_pmc_one(&m);
	p = new_pmu_model(0, &m);
	WR_GP(p, MSR_EVTSEL(0), SEL_ANY);		/* reserved before v3 */
	WR_GP(p, MSR_FIXED_CTRL, 0);
	RD_GP(p, MSR_FIXED_CTR(0));
	RD_GP(p, MSR_GCTRL);
	RD_GP(p, MSR_GSTATUS);
	RD_GP(p, MSR_GOVF);
	RD_GP(p, MSR_GSET);
	RD_GP(p, MSR_GINUSE);
	WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	/* freeze_on_pmi means DEBUGCTL[12] only from v2: a v1 model that sets it
	 * is either refused or still #GPs the bit */
	m.freeze_on_pmi = true;
	if (vpmu_model_validate(&m, NULL, 0) == 0) {
		p = new_pmu_model(0, &m);
		WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
		WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_LBR);
	}
	assert_int_equal(soft_failures(), 0);
}

static void test_v3_model(void **state)
{
	struct vpmu_model m = intel_custom("lean", 3);
	struct vpmu *p;

	(void)state;
	assert_true(intel_anythread_ok(&m));
	existence_one(&m);
	evtsel_one(&m);
	fixctrl_one(&m);
	ovf_one(&m);
	p = new_pmu_model(0, &m);
	WR(p, MSR_EVTSEL(0), SEL_ANY | SEL_EN | SEL_OS | 0x3C);	/* AnyThread on v3 */
	assert_int_equal(RD(p, MSR_EVTSEL(0)), SEL_ANY | SEL_EN | SEL_OS | 0x3C);
	WR(p, MSR_FIXED_CTRL, FIX_ANY(0) | FIX_ANY(1) | FIX_ANY(2));
	WR(p, MSR_GOVF, ST_UNCORE);			/* 61 exists from v3 */
	WR_GP(p, MSR_GOVF, ST_CTR_FRZ);			/* 58-60 only from v4 */
	WR_GP(p, MSR_GOVF, ST_LBR_FRZ);
	WR_GP(p, MSR_GOVF, ST_ASCI);
	RD_GP(p, MSR_GSET);
	RD_GP(p, MSR_GINUSE);
	assert_int_equal(soft_failures(), 0);
}

/* v2 with freeze_on_pmi: DEBUGCTL[12] yes, [11] only from v4 */
static void test_v2_freeze_debugctl(void **state)
{
	struct vpmu_model m = intel_custom("lean", 2);
	struct vpmu *p;

	(void)state;
	m.freeze_on_pmi = true;
	p = new_pmu_model(0, &m);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	assert_int_equal(RD(p, MSR_DEBUGCTL), DEBUGCTL_FRZ_PMON);
	WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_LBR);
	WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON | 1);	/* LBR not modelled */
	assert_int_equal(RD(p, MSR_DEBUGCTL), DEBUGCTL_FRZ_PMON);
	WR_GP(p, MSR_GOVF, ST_UNCORE);			/* 61 only from v3 */
	WR(p, MSR_GOVF, ST_BUF | ST_COND | 0xF | (7ull << 32));
}

/* vpmu_reset: back to the RESET state */
static void reset_fn_one(const struct vpmu_model *m)
{
	struct vpmu *p = new_pmu_model(1, m);
	unsigned int i;

	for (i = 0; i < m->nr_gp; i++) {
		CHECK_WR(p, MSR_EVTSEL(i), SEL_EV(0xC0, 0) | SEL_ON | SEL_INT);
		CHECK_WR(p, MSR_PMC(i), 0x1234 + i);
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_WR(p, MSR_FIXED_CTR(i), 0x55 + i);
	if (m->version >= 2) {
		CHECK_WR(p, MSR_FIXED_CTRL, fixctrl_valid(m));
		CHECK_WR(p, MSR_GCTRL, gctrl_valid(m) & ~1ull);
	}
	if (m->version >= 4)
		CHECK_WR(p, MSR_GSET, 3 | ST_BUF);
	CHECK_WR(p, MSR_DEBUGCTL, debugctl_valid(m));
	vpmu_reset(p);
	for (i = 0; i < m->nr_gp; i++) {
		CHECK_RD(p, MSR_PMC(i), 0);
		CHECK_RD(p, MSR_EVTSEL(i), 0);
	}
	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			CHECK_RD(p, MSR_FIXED_CTR(i), 0);
	if (m->version >= 2) {
		CHECK_RD(p, MSR_FIXED_CTRL, 0);
		CHECK_RD(p, MSR_GCTRL, MASKW(m->nr_gp));
		CHECK_RD(p, MSR_GSTATUS, 0);
	}
	if (m->version >= 4)
		CHECK_RD(p, MSR_GINUSE, 0);
	CHECK_RD(p, MSR_DEBUGCTL, 0);
}

static void test_vpmu_reset(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, reset_fn_one) >= nr_intel_presets);
}

/* ------------------------------------------------------------------ */
/* spot checks with hardcoded values for the named presets             */
/* ------------------------------------------------------------------ */

static void test_spot_lean(void **state)
{
	struct vpmu *p = new_pmu("lean");

	(void)state;
	assert_int_equal(RD(p, MSR_GCTRL), 0xF);
	WR(p, MSR_GCTRL, 0x70000000Full);
	WR_GP(p, MSR_GCTRL, 0x80000000Full);		/* no fixed 3 */
	WR_GP(p, MSR_GCTRL, 0x10);			/* no GP 4 */
	assert_int_equal(RD(p, MSR_GCTRL), 0x70000000Full);
	RD_GP(p, MSR_PMC(4));
	RD_GP(p, MSR_EVTSEL(4));
	RD_GP(p, MSR_A_PMC(0));				/* no PDCM, no FW_WRITE */
	RD_GP(p, MSR_PERF_CAP);
	RD_GP(p, MSR_FIXED_CTR(3));
	RD_GP(p, MSR_GSET);				/* v2 */
	RD_GP(p, MSR_GINUSE);
	WR_GP(p, MSR_EVTSEL(0), SEL_ANY);		/* v2: reserved */
	WR_GP(p, MSR_FIXED_CTRL, FIX_ANY(0));
	WR(p, MSR_FIXED_CTRL, 0xBBB);
	WR_GP(p, MSR_FIXED_CTRL, 0xBBBB);
	WR_GP(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);	/* no freeze_on_pmi */
	WR_GP(p, MSR_GOVF, ST_UNCORE);			/* v3+ */
	WR_GP(p, MSR_GOVF, ST_CTR_FRZ);			/* v4+ */
	WR(p, MSR_GOVF, 0xC00000070000000Full);
	WR(p, MSR_PMC(0), 0xFFFFFF0123456789ull);
	assert_int_equal(RD(p, MSR_PMC(0)), 0x23456789);
	WR(p, MSR_PMC(1), 0x80000000);
	assert_int_equal(RD(p, MSR_PMC(1)), 0xFFFF80000000ull);
	WR(p, MSR_FIXED_CTR(2), 0xFFFFFFFFFFFFull);
	WR_GP(p, MSR_FIXED_CTR(2), 0x1000000000000ull);
	assert_int_equal(RD(p, MSR_FIXED_CTR(2)), 0xFFFFFFFFFFFFull);
}

static void test_spot_skylake(void **state)
{
	struct vpmu *p = new_pmu("skylake");

	(void)state;
	assert_int_equal(RD(p, MSR_PERF_CAP), 0x2000);
	WR_GP(p, MSR_PERF_CAP, 0x2000);
	assert_int_equal(RD(p, MSR_GCTRL), 0xF);
	WR(p, MSR_EVTSEL(0), SEL_ANY | SEL_EN | 0x3C);	/* AnyThread on v4 */
	WR(p, MSR_EVTSEL(3), 0xFFFFFFFFull);
	assert_int_equal(RD(p, MSR_EVTSEL(3)), 0xFFFFFFFFull);
	WR_GP(p, MSR_EVTSEL(2), 1ull << 33);		/* IN_TXCP: no TSX */
	WR_GP(p, MSR_EVTSEL(0), 1ull << 32);		/* IN_TX */
	WR_GP(p, MSR_EVTSEL(0), 1ull << 34);		/* ADAPTIVE: no PEBS baseline */
	WR(p, MSR_FIXED_CTRL, 0xFFF);			/* AnyThread fields on v4 */
	WR_GP(p, MSR_FIXED_CTRL, 0x1000);
	WR(p, MSR_A_PMC(3), 0xFFFFFFFFFFFFull);
	assert_int_equal(RD(p, MSR_PMC(3)), 0xFFFFFFFFFFFFull);
	WR_GP(p, MSR_A_PMC(3), 0x1000000000000ull);
	RD_GP(p, MSR_A_PMC(4));
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON | DEBUGCTL_FRZ_LBR);
	assert_int_equal(RD(p, MSR_DEBUGCTL), 0x1800);
	WR_GP(p, MSR_DEBUGCTL, 1);			/* LBR not modelled */
	WR_GP(p, MSR_DEBUGCTL, 1ull << 14);		/* FREEZE_WHILE_SMM: no SMM */
	assert_int_equal(RD(p, MSR_DEBUGCTL), 0x1800);
	WR(p, MSR_GOVF, 0xFC0000070000000Full);
	WR_GP(p, MSR_GOVF, 1ull << 55);			/* ToPA not modelled */
	WR_GP(p, MSR_GOVF, 1ull << 48);			/* no PERF_METRICS */
	WR(p, MSR_GSET, 0x7C0000070000000Full);
	assert_int_equal(RD(p, MSR_GSTATUS), 0x7C0000070000000Full);
	WR_GP(p, MSR_GSET, ST_COND);
	WR(p, MSR_GOVF, 0xFC0000070000000Full);
	assert_int_equal(RD(p, MSR_GSTATUS), 0);
}

static void test_spot_icelake(void **state)
{
	static const char *const names[] = { "icelake", "sapphirerapids", "alderlake-p" };
	unsigned int k;

	(void)state;
	for (k = 0; k < ARRAY_LEN(names); k++) {
		struct vpmu *p = new_pmu(names[k]);

		assert_int_equal(RD(p, MSR_GCTRL), 0xFF);
		WR(p, MSR_GCTRL, 0xF000000FFull);	/* fixed 0-3 */
		WR_GP(p, MSR_GCTRL, 0x1000000000ull);	/* fixed 4 does not exist */
		WR_GP(p, MSR_GCTRL, 0x100);
		RD(p, MSR_PMC(7));
		RD(p, MSR_EVTSEL(7));
		RD(p, MSR_FIXED_CTR(3));
		RD_GP(p, MSR_FIXED_CTR(4));
		WR_GP(p, MSR_EVTSEL(0), SEL_ANY | SEL_EN);	/* AnyThread deprecated */
		WR(p, MSR_FIXED_CTRL, 0xBBBB);
		WR_GP(p, MSR_FIXED_CTRL, FIX_ANY(0));
		WR_GP(p, MSR_FIXED_CTRL, FIX_OS(4));
		WR(p, MSR_GSET, 0xF000000FFull | ST_CTR_FRZ);
		assert_int_equal(RD(p, MSR_GSTATUS), 0xF000000FFull | ST_CTR_FRZ);
		WR(p, MSR_GOVF, 0xF000000FFull | ST_CTR_FRZ);
		assert_int_equal(RD(p, MSR_GSTATUS), 0);
	}
}

static void test_spot_alderlake_e(void **state)
{
	struct vpmu *p = new_pmu("alderlake-e");

	(void)state;
	assert_int_equal(RD(p, MSR_GCTRL), 0x3F);
	RD(p, MSR_PMC(5));
	RD_GP(p, MSR_PMC(6));
	RD_GP(p, MSR_EVTSEL(6));
	RD_GP(p, MSR_FIXED_CTR(3));
	WR(p, MSR_GCTRL, 0x70000003Full);
	WR_GP(p, MSR_GCTRL, 0x800000000ull);
	WR_GP(p, MSR_GCTRL, 0x40);
	WR(p, MSR_FIXED_CTRL, 0xBBB);
	WR_GP(p, MSR_FIXED_CTRL, FIX_OS(3));
	WR_GP(p, MSR_EVTSEL(0), SEL_ANY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_reset_values),
		TEST(test_msr_existence),
		TEST(test_evtsel_bits),
		TEST(test_legacy_pmc_write),
		TEST(test_full_width_write),
		TEST(test_fixed_ctr_write),
		TEST(test_fixed_ctrl_bits),
		TEST(test_global_ctrl_bits),
		TEST(test_global_status_ro),
		TEST(test_ovf_ctrl_bits),
		TEST(test_status_set_bits),
		TEST(test_inuse),
		TEST(test_debugctl_bits),
		TEST(test_amd_msrs_gp),
		TEST(test_unhandled),
		TEST(test_msr_ranges),
		TEST(test_v1_model),
		TEST(test_v3_model),
		TEST(test_v2_freeze_debugctl),
		TEST(test_vpmu_reset),
		TEST(test_spot_lean),
		TEST(test_spot_skylake),
		TEST(test_spot_icelake),
		TEST(test_spot_alderlake_e),
	};
	return cmocka_run_group_tests_name("msr_intel", tests, NULL, NULL);
}
