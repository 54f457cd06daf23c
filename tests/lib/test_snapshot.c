/* SPDX-License-Identifier: MIT */
/*
 * Snapshot (vpmu_save / vpmu_restore) per the project decisions: a round
 * trip restores every guest-visible value, including the EDGE state (checked
 * by continuing to count identically); a corrupt byte, a truncated blob or
 * a blob of another model is refused (the last with the differences named),
 * and a refused restore leaves the instance unchanged.
 */
#include "crc32.h"
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

static unsigned char *blob_alloc(void)
{
	size_t n = vpmu_snapshot_size();
	unsigned char *b;

	assert_true(n > 0);
	b = malloc(n + 64);
	assert_non_null(b);
	memset(b, 0xEE, n + 64);
	return b;
}

/* ---- the guest-visible state, read through the guest interfaces ---- */

#define MAX_REGS 96
struct visible {
	unsigned int n;
	uint32_t msr[MAX_REGS];
	int res[MAX_REGS];
	uint64_t val[MAX_REGS];
	uint64_t rdpmc[VPMU_MAX_GP + VPMU_MAX_FIXED];
};

static void add(struct visible *v, struct vpmu *p, uint32_t msr)
{
	assert_true(v->n < MAX_REGS);
	v->msr[v->n] = msr;
	v->val[v->n] = 0;
	v->res[v->n] = vpmu_rdmsr(p, msr, &v->val[v->n]);
	v->n++;
}

static void snap_visible(struct vpmu *p, struct visible *v)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	uint32_t msr;
	unsigned int i;

	memset(v, 0, sizeof(*v));
	if (m->vendor == VPMU_VENDOR_INTEL) {
		for (i = 0; i < VPMU_MAX_GP; i++) {
			add(v, p, MSR_PMC(i));
			add(v, p, MSR_EVTSEL(i));
			add(v, p, MSR_A_PMC(i));
		}
		for (i = 0; i < VPMU_MAX_FIXED; i++)
			add(v, p, MSR_FIXED_CTR(i));
		for (msr = MSR_FIXED_CTRL; msr <= MSR_GINUSE; msr++)
			add(v, p, msr);
		add(v, p, MSR_PERF_CAP);
		add(v, p, MSR_DEBUGCTL);
		for (i = 0; i < VPMU_MAX_FIXED; i++)
			vpmu_rdpmc(p, (1u << 30) | i, &cpu_kernel, &v->rdpmc[VPMU_MAX_GP + i]);
	} else {
		for (msr = AMD_K7_CTL(0); msr <= AMD_K7_CTR(3); msr++)
			add(v, p, msr);
		for (msr = AMD_CTL(0); msr <= AMD_CTR(5); msr++)
			add(v, p, msr);
		for (msr = AMD_GSTATUS; msr <= AMD_GSET; msr++)
			add(v, p, msr);
	}
	for (i = 0; i < VPMU_MAX_GP; i++)
		vpmu_rdpmc(p, i, &cpu_kernel, &v->rdpmc[i]);
}

static void compare_visible(struct vpmu *a, struct vpmu *b, const char *what)
{
	static struct visible va, vb;
	unsigned int i;

	snap_visible(a, &va);
	snap_visible(b, &vb);
	assert_int_equal(va.n, vb.n);
	for (i = 0; i < va.n; i++) {
		CHECK_EQ(vb.res[i], va.res[i], "[%s] %s: rdmsr %#x result",
			 vpmu_model_of(a)->name, what, va.msr[i]);
		CHECK_EQ(vb.val[i], va.val[i], "[%s] %s: rdmsr %#x",
			 vpmu_model_of(a)->name, what, va.msr[i]);
	}
	for (i = 0; i < VPMU_MAX_GP + VPMU_MAX_FIXED; i++)
		CHECK_EQ(vb.rdpmc[i], va.rdpmc[i], "[%s] %s: rdpmc slot %u",
			 vpmu_model_of(a)->name, what, i);
}

/* ---- a rich state ---- */

static const uint64_t intel_sels[4] = {
	SEL_EV(0xC0, 0) | SEL_ON | SEL_INT,
	SEL_EV(0x3C, 0) | SEL_ON | SEL_EDGE | SEL_CMASK(1),	/* edge state matters */
	SEL_EV(0xC0, 0) | SEL_ON | SEL_CMASK(2) | SEL_INV,
	SEL_EV(0xC4, 0) | SEL_EN | SEL_USR,
};

static struct vpmu_tick tick_a(void)
{
	struct vpmu_tick t = ev_tick(3, 0, VPMU_EV_INSTRUCTIONS, 2);

	t.n[VPMU_EV_BRANCHES] = 1;
	return t;
}

static struct vpmu_tick tick_b(void)
{
	struct vpmu_tick t = ev_tick(1, 3, VPMU_EV_INSTRUCTIONS, 1);

	t.n[VPMU_EV_BRANCHES] = 1;
	return t;
}

static void program_intel(struct vpmu *p)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	struct vpmu_tick a = tick_a(), b = tick_b();
	uint64_t fctrl = 0, gctrl = 0;
	unsigned int i;

	for (i = 0; i < m->nr_gp; i++) {
		WR(p, MSR_EVTSEL(i), intel_sels[i % 4] | (i >= 4 ? SEL_EV(0, i) : 0));
		WR(p, MSR_PMC(i), 0x1000ull * (i + 1) + 7);
	}
	if (m->nr_gp > 3)
		WR(p, MSR_PMC(3), (uint64_t)-1);		/* overflows below */
	for (i = 0; i < VPMU_MAX_FIXED; i++) {
		if (!intel_fixed_exists(m, i))
			continue;
		WR(p, MSR_FIXED_CTR(i), 0x500 + i);
		fctrl |= (i & 1 ? FIX_USR(i) : FIX_ON(i)) | (i == 0 ? FIX_PMI(0) : 0);
		gctrl |= 1ull << (32 + i);
	}
	gctrl |= MASKW(m->nr_gp) & ~4ull;			/* GP2 off globally */
	if (m->version >= 2) {
		WR(p, MSR_FIXED_CTRL, fctrl);
		WR(p, MSR_GCTRL, gctrl);
	}
	if (m->version >= 4)
		WR(p, MSR_GSET, ST_BUF | ST_ASCI);
	if (m->version >= 2 && m->freeze_on_pmi)
		WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);	/* no PMI below: no freeze */
	count1(p, &a);
	count1(p, &b);
	count1(p, &a);
}

static void program_amd(struct vpmu *p)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	struct vpmu_tick a = tick_a(), b = tick_b();
	unsigned int i;

	for (i = 0; i < m->nr_gp; i++) {
		uint32_t ctl = m->amd_perfctr_core ? AMD_CTL(i) : AMD_K7_CTL(i);
		uint32_t ctr = m->amd_perfctr_core ? AMD_CTR(i) : AMD_K7_CTR(i);
		static const uint64_t sels[4] = {
			AMD_EV(0xC0, 0) | SEL_ON | SEL_INT,
			AMD_EV(0x76, 0) | SEL_ON | SEL_EDGE | SEL_CMASK(1),
			AMD_EV(0xC0, 0) | SEL_ON | SEL_CMASK(2) | SEL_INV | AMD_HOSTONLY,
			AMD_EV(0xC2, 0) | SEL_EN | SEL_USR,
		};

		WR(p, ctl, sels[i % 4]);
		WR(p, ctr, i == 3 ? MASKW(48) : 0x2000ull * (i + 1) + 3);
	}
	if (m->amd_perfmon_v2) {
		WR(p, AMD_GCTL, MASKW(m->nr_gp) & ~4ull);
		WR(p, AMD_GSET, 1u << 5);
	}
	count1(p, &a);
	count1(p, &b);
	count1(p, &a);
}

static void program(struct vpmu *p)
{
	if (vpmu_model_of(p)->vendor == VPMU_VENDOR_INTEL)
		program_intel(p);
	else
		program_amd(p);
}

/* something else, to see that restore overwrites it */
static void dirty(struct vpmu *p)
{
	const struct vpmu_model *m = vpmu_model_of(p);
	unsigned int i;

	if (m->vendor == VPMU_VENDOR_INTEL) {
		for (i = 0; i < m->nr_gp; i++) {
			WR(p, MSR_EVTSEL(i), SEL_EV(0x2E, 0x41) | SEL_EN | SEL_OS);
			WR(p, MSR_PMC(i), 0x77);
		}
		if (m->version >= 2)
			WR(p, MSR_GCTRL, 0);
	} else {
		for (i = 0; i < 4; i++) {
			WR(p, AMD_K7_CTL(i), AMD_EV(0xC3, 0) | SEL_EN);
			WR(p, AMD_K7_CTR(i), 0x77);
		}
	}
}

/* run the same ticks on both and compare after each */
static void continue_both(struct vpmu *a, struct vpmu *b, const char *what)
{
	struct vpmu_tick ticks[4];
	unsigned int k;
	char label[96];

	ticks[0] = tick_a();
	ticks[1] = tick_b();
	ticks[2] = tick_a();
	ticks[3] = mk_tick(2, 0);
	for (k = 0; k < ARRAY_LEN(ticks); k++) {
		uint64_t ra = vpmu_count(a, &ticks[k], 1), rb = vpmu_count(b, &ticks[k], 1);

		snprintf(label, sizeof(label), "%s, tick %u after restore", what, k);
		CHECK_EQ(rb, ra, "[%s] %s: PMI requests", vpmu_model_of(a)->name, label);
		compare_visible(a, b, label);
	}
}

/* ------------------------------------------------------------------ */

static void test_sizes(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	unsigned char *b = blob_alloc();
	size_t n = vpmu_snapshot_size(), w;

	(void)state;
	assert_int_equal(vpmu_save(p, b, n - 1), 0);
	assert_int_equal(vpmu_save(p, b, 0), 0);
	w = vpmu_save(p, b, n);
	assert_true(w > 0 && w <= n);
	assert_int_equal(vpmu_save(p, b, n + 64), w);
	free(b);
}

static void round_trip_one(const struct vpmu_model *m)
{
	struct vpmu *src = new_pmu_model(0, m), *dst = new_pmu_model(1, m);
	unsigned char *b = blob_alloc();
	char err[512] = "";
	size_t n;
	int r;

	program(src);
	dirty(dst);
	n = vpmu_save(src, b, vpmu_snapshot_size());
	CHECK(n > 0, "[%s] vpmu_save failed", m->name);
	r = vpmu_restore(dst, b, n, err, sizeof(err));
	CHECK(r == 0, "[%s] vpmu_restore of its own blob failed: %s", m->name, err);
	if (r == 0) {
		compare_visible(src, dst, "after restore");
		continue_both(src, dst, "round trip");
	}
	free(b);
}

static void test_round_trip(void **state)
{
	struct vpmu_model v1 = intel_custom("lean", 1);

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, round_trip_one) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, round_trip_one) >= nr_amd_presets);
	round_trip_one(&v1);
}

/* Restoring into the same instance rolls it back */
static void test_restore_rolls_back(void **state)
{
	struct vpmu *p = new_pmu_slot(0, "skylake"), *ref = new_pmu_slot(1, "skylake");
	unsigned char *b = blob_alloc();
	char err[512] = "";
	struct vpmu_tick t = tick_a();
	size_t n;

	(void)state;
	program(p);
	program(ref);
	n = vpmu_save(p, b, vpmu_snapshot_size());
	assert_true(n > 0);
	count1(p, &t);
	WR(p, MSR_EVTSEL(0), 0);
	WR(p, MSR_GOVF, ST_BUF);
	WR(p, MSR_DEBUGCTL, DEBUGCTL_FRZ_PMON);
	assert_int_equal(vpmu_restore(p, b, n, err, sizeof(err)), 0);
	compare_visible(ref, p, "rolled back");
	continue_both(ref, p, "rolled back");
	free(b);
}

/* Saving twice without a change gives the same bytes */
static void test_save_deterministic(void **state)
{
	struct vpmu *p = new_pmu("icelake");
	unsigned char *a = blob_alloc(), *b = blob_alloc();
	size_t na, nb;

	(void)state;
	program(p);
	na = vpmu_save(p, a, vpmu_snapshot_size());
	nb = vpmu_save(p, b, vpmu_snapshot_size());
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
}

/* A removed filter leaves no trace: save -> restore -> save is the identity */
static void test_removed_filter(void **state)
{
	struct vpmu *p = new_pmu_slot(0, "skylake"), *q = new_pmu_slot(1, "skylake");
	static struct vpmu_filter f;
	unsigned char *a = blob_alloc(), *b = blob_alloc(), *c = blob_alloc();
	char err[512] = "";
	size_t na, nb;

	(void)state;
	memset(&f, 0, sizeof(f));
	f.action = VPMU_FILTER_DENY;
	f.nevents = 1;
	f.events[0] = 0xc0;
	assert_int_equal(vpmu_set_filter(p, &f, err, sizeof(err)), 0);
	assert_int_equal(vpmu_set_filter(p, NULL, err, sizeof(err)), 0);
	na = vpmu_save(p, a, vpmu_snapshot_size());
	/* the same bytes as a PMU that never had a filter */
	assert_int_equal(vpmu_save(q, c, vpmu_snapshot_size()), na);
	assert_memory_equal(a, c, na);
	assert_int_equal(vpmu_restore(q, a, na, err, sizeof(err)), 0);
	nb = vpmu_save(q, b, vpmu_snapshot_size());
	assert_int_equal(na, nb);
	assert_memory_equal(a, b, na);
	free(a);
	free(b);
	free(c);
}

/* Put v at byte offset `at` of a blob and fix its CRC (the format is in
 * lib/snapshot.c: CRC-32 of all bytes before the last four). */
static void forge(unsigned char *b, size_t n, size_t at, uint64_t v)
{
	uint32_t crc;

	for (int i = 0; i < 8; i++)
		b[at + i] = (unsigned char)(v >> (8 * i));
	crc = crc32_ieee(b, n - 4);
	for (int i = 0; i < 4; i++)
		b[n - 4 + i] = (unsigned char)(crc >> (8 * i));
}

/* Where GLOBAL_STATUS sits in a blob: save a recognisable status. */
static size_t status_offset(unsigned char *b)
{
	struct vpmu *p = new_pmu_slot(2, "zen4");
	const uint64_t mark = 0x2d;
	size_t n = vpmu_save((WR(p, AMD_GSET, mark), p), b, vpmu_snapshot_size());

	for (size_t at = 0; at + 8 <= n; at++) {
		uint64_t v = 0;

		for (int i = 0; i < 8; i++)
			v |= (uint64_t)b[at + i] << (8 * i);
		if (v == mark)
			return at;
	}
	fail_msg("status not found in a zen4 blob");
	return 0;
}

/* A blob with a valid CRC but a status the guest could never reach is
 * refused: bits beyond the counters, or any bit where there is no
 * status register (Intel v1, AMD before PerfMonV2) */
static void test_forged_status(void **state)
{
	static const struct { const char *model; uint64_t status; bool ok; } cases[] = {
		{ "zen4", 0x3f, true },			/* six counters */
		{ "zen4", 1ull << 40, false },
		{ "zen4", 1ull << 6, false },
		{ "zen2", 1, false },			/* no status register */
		{ "k10", 1, false },
		{ "coreduo", 1, false },		/* v1 */
		{ "lean", 1ull << 33, true },		/* fixed 1 */
		{ "lean", 1ull << 62, false },		/* v2: nothing sets OvfBuf */
		{ "skylake", 1ull << 62, true },	/* v4: STATUS_SET can */
		{ "skylake", 1ull << 63, false },	/* CondChgd: never */
	};
	unsigned char *b = blob_alloc();
	size_t at = status_offset(b);
	char err[512];

	(void)state;
	for (unsigned int k = 0; k < ARRAY_LEN(cases); k++) {
		struct vpmu *p = new_pmu_slot(0, cases[k].model), *q = new_pmu_slot(1, cases[k].model);
		size_t n = vpmu_save(p, b, vpmu_snapshot_size());
		int r;

		forge(b, n, at, cases[k].status);
		r = vpmu_restore(q, b, n, err, sizeof(err));
		CHECK(r == (cases[k].ok ? 0 : -1), "%s status %#llx: restore %d (%s)",
		      cases[k].model, (unsigned long long)cases[k].status, r, r ? err : "");
	}
	free(b);
}

/* Every single corrupted byte is detected; the target stays as it was */
static void corrupt_one(const char *model)
{
	struct vpmu *src = new_pmu_slot(0, model), *dst = new_pmu_slot(1, model);
	struct vpmu *ref = new_pmu_slot(2, model);
	unsigned char *b = blob_alloc(), *c = blob_alloc();
	char err[512];
	size_t n, i;
	unsigned int accepted = 0;

	program(src);
	dirty(dst);
	dirty(ref);
	n = vpmu_save(src, b, vpmu_snapshot_size());
	assert_true(n > 0);
	for (i = 0; i < n; i++) {
		static const unsigned char flips[] = { 0x01, 0x80 };
		unsigned int f;

		for (f = 0; f < ARRAY_LEN(flips); f++) {
			int r;

			memcpy(c, b, n);
			c[i] ^= flips[f];
			memset(err, 0, sizeof(err));
			r = vpmu_restore(dst, c, n, err, sizeof(err));
			if (r != -1) {
				if (accepted++ < 5)
					soft_fail(__FILE__, __LINE__,
						  "[%s] blob with byte %zu ^ %#x accepted (%d)",
						  model, i, flips[f], r);
				dirty(dst);
				continue;
			}
			CHECK(err[0] != '\0', "[%s] byte %zu: refused without a reason", model, i);
		}
	}
	CHECK(accepted == 0, "[%s] %u corrupted blobs of %zu bytes accepted", model,
	      accepted, n);
	compare_visible(ref, dst, "after refused restores");
	free(b);
	free(c);
}

static void test_corrupt_byte(void **state)
{
	(void)state;
	corrupt_one("skylake");
	corrupt_one("zen4");
}

static void test_truncated(void **state)
{
	struct vpmu *src = new_pmu_slot(0, "skylake"), *dst = new_pmu_slot(1, "skylake");
	struct vpmu *ref = new_pmu_slot(2, "skylake");
	unsigned char *b = blob_alloc();
	char err[512];
	size_t n, lens[6];
	unsigned int k;

	(void)state;
	program(src);
	dirty(dst);
	dirty(ref);
	n = vpmu_save(src, b, vpmu_snapshot_size());
	assert_true(n > 8);
	lens[0] = n - 1;
	lens[1] = n - 8;
	lens[2] = n / 2;
	lens[3] = 8;
	lens[4] = 1;
	lens[5] = 0;
	for (k = 0; k < ARRAY_LEN(lens); k++) {
		memset(err, 0, sizeof(err));
		CHECK_EQ(vpmu_restore(dst, b, lens[k], err, sizeof(err)), -1,
			 "restore of %zu of %zu bytes", lens[k], n);
		CHECK(err[0] != '\0', "truncated to %zu: no reason", lens[k]);
	}
	compare_visible(ref, dst, "after truncated restores");
	free(b);
}

/* A blob of another model is refused, naming the differences */
static void other_model(const struct vpmu_model *ms, const struct vpmu_model *md)
{
	struct vpmu *src = new_pmu_model(0, ms), *dst = new_pmu_model(1, md);
	struct vpmu *ref = new_pmu_model(2, md);
	unsigned char *b = blob_alloc();
	char err[1024], report[2048], field[64];
	size_t n;
	int diffs;

	diffs = vpmu_model_compat(ms, md, report, sizeof(report));
	assert_true(diffs > 0);
	program(src);
	dirty(dst);
	dirty(ref);
	n = vpmu_save(src, b, vpmu_snapshot_size());
	assert_true(n > 0);
	memset(err, 0, sizeof(err));
	CHECK_EQ(vpmu_restore(dst, b, n, err, sizeof(err)), -1,
		 "blob of %s restored into %s", ms->name, md->name);
	/* the reason names a difference that vpmu_model_compat reports */
	if (sscanf(report, "%63[^:]", field) == 1)
		CHECK(strstr(err, field) != NULL,
		      "%s -> %s: reason \"%s\" does not name \"%s\"", ms->name, md->name,
		      err, field);
	else
		soft_fail(__FILE__, __LINE__, "compat report unreadable: \"%s\"", report);
	compare_visible(ref, dst, "after refused restore");
	free(b);
}

static void test_other_model(void **state)
{
	struct vpmu_model fewer = *preset("icelake");

	(void)state;
	other_model(preset("skylake"), preset("icelake"));
	other_model(preset("icelake"), preset("skylake"));
	other_model(preset("alderlake-p"), preset("alderlake-e"));
	other_model(preset("zen3"), preset("zen4"));
	other_model(preset("zen4"), preset("skylake"));
	other_model(preset("lean"), preset("zen2"));
	fewer.nr_gp = 6;		/* one field differs */
	other_model(preset("icelake"), &fewer);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_sizes),
		TEST(test_round_trip),
		TEST(test_restore_rolls_back),
		TEST(test_save_deterministic),
		TEST(test_removed_filter),
		TEST(test_forged_status),
		TEST(test_corrupt_byte),
		TEST(test_truncated),
		TEST(test_other_model),
	};
	return cmocka_run_group_tests_name("snapshot", tests, NULL, NULL);
}
