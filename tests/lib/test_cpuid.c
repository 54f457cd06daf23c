/* SPDX-License-Identifier: MIT */
/*
 * CPUID synthesis (PMU-FACTS §1, §14.1, §15 and the project decisions):
 * leaf 0AH per preset, vendor string, leaf 1 family/model and PDCM, hybrid
 * bit and leaf 1AH, leaf 23H, AMD 8000_0001h ECX[23] and 8000_0022h.
 */
#include "helpers.h"

static struct vpmu_cpuid garbage(void)
{
	struct vpmu_cpuid r = { 0xA5A5A5A5, 0x5A5A5A5A, 0xFFFFFFFF, 0x12345678 };

	return r;
}

static struct vpmu_cpuid apply(const struct vpmu_model *m, uint32_t leaf, uint32_t sub,
			       struct vpmu_cpuid r, bool *owned)
{
	*owned = vpmu_cpuid_apply(m, leaf, sub, &r);
	return r;
}

#define CHECK_REGS(r, a, b, c, d, ...) do {				\
	CHECK_EQ((r).eax, (a), __VA_ARGS__);				\
	CHECK_EQ((r).ebx, (b), __VA_ARGS__);				\
	CHECK_EQ((r).ecx, (c), __VA_ARGS__);				\
	CHECK_EQ((r).edx, (d), __VA_ARGS__);				\
} while (0)

/* §15.1 and decisions: raw leaf 0AH of each named Intel preset */
static void test_leaf_0a_presets(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_intel_expect; k++) {
		const struct intel_expect *x = &intel_expect[k];
		bool owned;
		struct vpmu_cpuid r = apply(preset(x->name), 0xA, 0, garbage(), &owned);

		CHECK(owned, "[%s] leaf 0AH must be owned", x->name);
		CHECK_EQ(r.eax, x->eax, "[%s] CPUID.0AH:EAX", x->name);
		if (x->ebx_known)
			CHECK_EQ(r.ebx, x->ebx, "[%s] CPUID.0AH:EBX", x->name);
		CHECK_EQ(r.ecx, x->ecx, "[%s] CPUID.0AH:ECX", x->name);
		CHECK_EQ(r.edx, x->edx, "[%s] CPUID.0AH:EDX", x->name);
	}
}

/* §1.2 field layout, for every Intel preset */
static void leaf_0a_fields(const struct vpmu_model *m)
{
	bool owned;
	struct vpmu_cpuid r = apply(m, 0xA, 0, garbage(), &owned);
	uint32_t eax = m->version | (uint32_t)m->nr_gp << 8 | (uint32_t)m->gp_width << 16 |
		       (uint32_t)m->events_len << 24;
	uint32_t edx = 0;

	if (m->version >= 2)
		edx = m->nr_fixed | (uint32_t)m->fixed_width << 5 |
		      (m->anythread_deprecated ? 1u << 15 : 0);
	CHECK(owned, "[%s] leaf 0AH must be owned", m->name);
	CHECK_REGS(r, eax, m->events_unavailable, m->version >= 5 ? m->fixed_bitmap : 0, edx,
		   "[%s] CPUID.0AH from the model fields", m->name);
	/* sub-leaf does not matter */
	r = apply(m, 0xA, 3, garbage(), &owned);
	CHECK_EQ(r.eax, eax, "[%s] CPUID.(0AH,3):EAX", m->name);
}

static void test_leaf_0a_fields(void **state)
{
	struct vpmu_model v1 = intel_custom("lean", 1);

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, leaf_0a_fields) >= nr_intel_presets);
	leaf_0a_fields(&v1);
}

/* §15.2: AMD has no leaf 0AH: all zero */
static void leaf_0a_amd(const struct vpmu_model *m)
{
	bool owned;
	struct vpmu_cpuid r = apply(m, 0xA, 0, garbage(), &owned);

	CHECK(owned, "[%s] leaf 0AH is a PMU leaf, replaced whole", m->name);
	CHECK_REGS(r, 0, 0, 0, 0, "[%s] CPUID.0AH on AMD", m->name);
}

static void test_leaf_0a_amd(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, leaf_0a_amd) >= nr_amd_presets);
}

/* Leaf 0: vendor string, and a max leaf that reaches the PMU leaves */
static void leaf0_one(const struct vpmu_model *m)
{
	bool owned;
	struct vpmu_cpuid in = { 0x7, 0x11111111, 0x22222222, 0x33333333 };
	struct vpmu_cpuid r = apply(m, 0, 0, in, &owned);

	CHECK(owned, "[%s] leaf 0 (vendor) must be owned", m->name);
	if (m->vendor == VPMU_VENDOR_INTEL) {
		/* "GenuineIntel" = EBX "Genu", EDX "ineI", ECX "ntel" */
		CHECK_EQ(r.ebx, 0x756E6547, "[%s] vendor EBX", m->name);
		CHECK_EQ(r.edx, 0x49656E69, "[%s] vendor EDX", m->name);
		CHECK_EQ(r.ecx, 0x6C65746E, "[%s] vendor ECX", m->name);
		CHECK(r.eax >= 0xA, "[%s] max leaf %#x does not reach 0AH", m->name, r.eax);
		if (m->core_type)
			CHECK(r.eax >= 0x1A, "[%s] max leaf %#x does not reach 1AH",
			      m->name, r.eax);
	} else {
		/* "AuthenticAMD" = EBX "Auth", EDX "enti", ECX "cAMD" */
		CHECK_EQ(r.ebx, 0x68747541, "[%s] vendor EBX", m->name);
		CHECK_EQ(r.edx, 0x69746E65, "[%s] vendor EDX", m->name);
		CHECK_EQ(r.ecx, 0x444D4163, "[%s] vendor ECX", m->name);
		CHECK(r.eax >= 1, "[%s] max leaf %#x", m->name, r.eax);
	}
}

static void test_leaf0_vendor(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, leaf0_one) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, leaf0_one) >= nr_amd_presets);
}

/* CPUID.1:EAX encoding of family/model/stepping */
static uint32_t fms(uint32_t family, uint32_t model, uint32_t stepping)
{
	uint32_t eax = stepping & 0xF;

	eax |= (model & 0xF) << 4;
	eax |= ((model >> 4) & 0xF) << 16;
	if (family <= 0xF) {
		eax |= family << 8;
	} else {
		eax |= 0xFu << 8;
		eax |= ((family - 0xF) & 0xFF) << 20;
	}
	return eax;
}

/* Leaf 1: family/model/stepping and PDCM; EBX and unrelated bits kept */
static void leaf1_one(const struct vpmu_model *m)
{
	const uint32_t kept_ecx = (1u << 0) | (1u << 9) | (1u << 19) | (1u << 31);
	const uint32_t kept_edx = (1u << 0) | (1u << 4) | (1u << 25) | (1u << 26);
	struct vpmu_cpuid in = { 0x000906EA, 0x01020800, kept_ecx | (1u << 15), kept_edx };
	bool owned;
	struct vpmu_cpuid r = apply(m, 1, 0, in, &owned);

	CHECK(owned, "[%s] leaf 1 carries model bits", m->name);
	CHECK_EQ(r.eax & 0x0FFF3FFF, fms(m->family, m->model, m->stepping),
		 "[%s] CPUID.1:EAX family %#x model %#x stepping %u", m->name,
		 m->family, m->model, m->stepping);
	CHECK_EQ(r.ebx, in.ebx, "[%s] CPUID.1:EBX must be left alone", m->name);
	CHECK_EQ((r.ecx >> 15) & 1, m->pdcm, "[%s] CPUID.1:ECX.PDCM", m->name);
	CHECK_EQ(r.ecx & kept_ecx, kept_ecx, "[%s] unrelated CPUID.1:ECX bits", m->name);
	CHECK_EQ(r.edx & kept_edx, kept_edx, "[%s] unrelated CPUID.1:EDX bits", m->name);
	/* with PDCM absent on input, it is set iff the model has it */
	in.ecx = kept_ecx;
	r = apply(m, 1, 0, in, &owned);
	CHECK_EQ((r.ecx >> 15) & 1, m->pdcm, "[%s] CPUID.1:ECX.PDCM (input 0)", m->name);
}

static void test_leaf1(void **state)
{
	static const struct { const char *name; uint32_t eax; } hard[] = {
		{ "skylake", 0x00050650 },
		{ "icelake", 0x000706E0 },
		{ "sapphirerapids", 0x000806F0 },
	};
	unsigned int k;

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, leaf1_one) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, leaf1_one) >= nr_amd_presets);
	for (k = 0; k < ARRAY_LEN(hard); k++) {
		bool owned;
		struct vpmu_cpuid r = apply(preset(hard[k].name), 1, 0, garbage(), &owned);

		CHECK_EQ(r.eax & 0x0FFF3FF0, hard[k].eax, "[%s] CPUID.1:EAX", hard[k].name);
	}
	for (k = 0; k < nr_amd_expect; k++) {
		bool owned;
		struct vpmu_cpuid r = apply(preset(amd_expect[k].name), 1, 0, garbage(), &owned);

		CHECK_EQ(r.eax & 0x0FF00F00,
			 amd_expect[k].family == 0x17 ? 0x00800F00u : 0x00A00F00u,
			 "[%s] CPUID.1:EAX family", amd_expect[k].name);
		CHECK_EQ(r.ecx & (1u << 15), 0, "[%s] AMD has no PDCM", amd_expect[k].name);
	}
	/* PDCM per decided preset */
	for (k = 0; k < nr_intel_expect; k++) {
		bool owned;
		struct vpmu_cpuid r;

		if (intel_expect[k].pdcm < 0)
			continue;
		r = apply(preset(intel_expect[k].name), 1, 0, garbage(), &owned);
		CHECK_EQ((r.ecx >> 15) & 1, intel_expect[k].pdcm, "[%s] PDCM", intel_expect[k].name);
	}
}

/* Hybrid: CPUID.(7,0):EDX[15] and leaf 1AH */
static void hybrid_one(const struct vpmu_model *m)
{
	const uint32_t kept = (1u << 4) | (1u << 10) | (1u << 26) | (1u << 27);
	bool owned, hybrid = m->core_type != VPMU_CORE_NONE;
	struct vpmu_cpuid in = { 0, 0, 0, kept | (1u << 15) }, r;

	r = apply(m, 7, 0, in, &owned);
	CHECK_EQ((r.edx >> 15) & 1, hybrid, "[%s] CPUID.(7,0):EDX.Hybrid", m->name);
	CHECK_EQ(r.edx & kept, kept, "[%s] unrelated CPUID.(7,0):EDX bits", m->name);
	in.edx = kept;
	r = apply(m, 7, 0, in, &owned);
	CHECK_EQ((r.edx >> 15) & 1, hybrid, "[%s] CPUID.(7,0):EDX.Hybrid (input 0)", m->name);

	r = apply(m, 0x1A, 0, garbage(), &owned);
	CHECK(owned, "[%s] leaf 1AH is a PMU leaf", m->name);
	if (hybrid)
		CHECK_REGS(r, (uint32_t)m->core_type << 24 | (m->native_model_id & 0xFFFFFF),
			   0, 0, 0, "[%s] CPUID.1AH", m->name);
	else
		CHECK_REGS(r, 0, 0, 0, 0, "[%s] CPUID.1AH of a non-hybrid part", m->name);
}

static void test_hybrid(void **state)
{
	static const struct { const char *name; uint8_t type; } hard[] = {
		{ "alderlake-p", 0x40 }, { "alderlake-e", 0x20 },
		{ "skylake", 0 }, { "icelake", 0 }, { "sapphirerapids", 0 }, { "lean", 0 },
	};
	unsigned int k;

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, hybrid_one) >= nr_intel_presets);
	for (k = 0; k < ARRAY_LEN(hard); k++) {
		const struct vpmu_model *m = preset(hard[k].name);
		bool owned;
		struct vpmu_cpuid r;

		CHECK_EQ(m->core_type, hard[k].type, "[%s] core_type", hard[k].name);
		r = apply(m, 0x1A, 0, garbage(), &owned);
		CHECK_EQ(r.eax >> 24, hard[k].type, "[%s] CPUID.1AH:EAX[31:24]", hard[k].name);
		r = apply(m, 7, 0, garbage(), &owned);
		CHECK_EQ((r.edx >> 15) & 1, hard[k].type != 0, "[%s] hybrid bit", hard[k].name);
	}
}

/* Leaf 23H: no preset enumerates ArchPerfmonExt: all zero */
static void leaf23_one(const struct vpmu_model *m)
{
	uint32_t sub;

	for (sub = 0; sub < 6; sub++) {
		bool owned;
		struct vpmu_cpuid r = apply(m, 0x23, sub, garbage(), &owned);

		CHECK(owned, "[%s] leaf 23H is a PMU leaf", m->name);
		CHECK_REGS(r, 0, 0, 0, 0, "[%s] CPUID.(23H,%u)", m->name, sub);
	}
}

static void test_leaf23(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_intel_expect; k++)
		leaf23_one(preset(intel_expect[k].name));
}

/* AMD 8000_0001h:ECX[23] PerfCtrExtCore */
static void ext1_one(const struct vpmu_model *m)
{
	const uint32_t kept = (1u << 0) | (1u << 5) | (1u << 6);
	struct vpmu_cpuid in = { 0x00A20F10, 0x20000000, kept | (1u << 23), 0x2FD3FBFF };
	bool owned;
	struct vpmu_cpuid r = apply(m, 0x80000001, 0, in, &owned);

	CHECK(owned, "[%s] 8000_0001h carries PerfCtrExtCore", m->name);
	CHECK_EQ((r.ecx >> 23) & 1, m->amd_perfctr_core, "[%s] 8000_0001h:ECX[23]", m->name);
	CHECK_EQ(r.ecx & kept, kept, "[%s] unrelated 8000_0001h:ECX bits", m->name);
	CHECK_EQ(r.edx, in.edx, "[%s] 8000_0001h:EDX must be left alone", m->name);
	in.ecx = kept;
	r = apply(m, 0x80000001, 0, in, &owned);
	CHECK_EQ((r.ecx >> 23) & 1, m->amd_perfctr_core, "[%s] 8000_0001h:ECX[23] (input 0)",
		 m->name);
}

static void test_amd_ext_leaves(void **state)
{
	unsigned int k;

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_AMD, ext1_one) >= nr_amd_presets);
	for (k = 0; k < nr_amd_expect; k++) {
		const struct amd_expect *x = &amd_expect[k];
		const struct vpmu_model *m = preset(x->name);
		bool owned;
		struct vpmu_cpuid r;

		CHECK_EQ(m->family, x->family, "[%s] family", x->name);
		CHECK_EQ(m->nr_gp, x->nr_gp, "[%s] nr_gp", x->name);
		r = apply(m, 0x80000001, 0, garbage(), &owned);
		CHECK_EQ((r.ecx >> 23) & 1, x->perfctr_core, "[%s] PerfCtrExtCore", x->name);
		r = apply(m, 0x80000022, 0, garbage(), &owned);
		CHECK(owned, "[%s] 8000_0022h is a PMU leaf", x->name);
		CHECK_EQ(r.eax & 1, x->perfmon_v2, "[%s] 8000_0022h:EAX[0] PerfMonV2", x->name);
		CHECK_EQ(r.ebx & 0xF, x->perfmon_v2 ? 6 : 0, "[%s] 8000_0022h:EBX[3:0]", x->name);
		if (!x->perfmon_v2)
			CHECK_REGS(r, 0, 0, 0, 0, "[%s] 8000_0022h without PerfMonV2", x->name);
		if (x->perfmon_v2) {
			r = apply(m, 0x80000000, 0, garbage(), &owned);
			CHECK(r.eax >= 0x80000022,
			      "[%s] max extended leaf %#x does not reach 8000_0022h", x->name, r.eax);
		}
	}
}

/* Intel: 8000_0022h is zero */
static void intel_ext22_one(const struct vpmu_model *m)
{
	bool owned;
	struct vpmu_cpuid r = apply(m, 0x80000022, 0, garbage(), &owned);

	CHECK_EQ(r.eax & 1, 0, "[%s] PerfMonV2 on Intel", m->name);
	CHECK_EQ(r.ebx & 0xF, 0, "[%s] 8000_0022h:EBX on Intel", m->name);
}

static void test_intel_no_amd_leaves(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, intel_ext22_one) >= nr_intel_presets);
}

/* Leaves the model has nothing to do with are left alone */
static void unrelated_one(const struct vpmu_model *m)
{
	static const uint32_t leaves[] = { 0x2, 0xB, 0x16, 0x80000008 };
	unsigned int k;

	for (k = 0; k < ARRAY_LEN(leaves); k++) {
		struct vpmu_cpuid in = garbage();
		bool owned;
		struct vpmu_cpuid r = apply(m, leaves[k], 0, in, &owned);

		CHECK(!owned, "[%s] leaf %#x claimed", m->name, leaves[k]);
		CHECK_REGS(r, in.eax, in.ebx, in.ecx, in.edx, "[%s] leaf %#x changed",
			   m->name, leaves[k]);
	}
}

static void test_unrelated_leaves(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, unrelated_one) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, unrelated_one) >= nr_amd_presets);
}

/* vpmu_cpuid_leaves lists what must exist */
static bool has_leaf(uint32_t (*l)[2], unsigned int n, uint32_t leaf, uint32_t sub)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (l[i][0] == leaf && l[i][1] == sub)
			return true;
	return false;
}

static void leaves_one(const struct vpmu_model *m)
{
	uint32_t l[64][2];
	unsigned int n = vpmu_cpuid_leaves(m, l, 64);

	CHECK(n > 0 && n <= 64, "[%s] vpmu_cpuid_leaves returned %u", m->name, n);
	if (n > 64)
		n = 64;
	CHECK(has_leaf(l, n, 1, 0), "[%s] leaf 1 not listed", m->name);
	if (m->vendor == VPMU_VENDOR_INTEL) {
		CHECK(has_leaf(l, n, 0xA, 0), "[%s] leaf 0AH not listed", m->name);
		if (m->core_type)
			CHECK(has_leaf(l, n, 0x1A, 0), "[%s] leaf 1AH not listed", m->name);
	} else {
		CHECK(has_leaf(l, n, 0x80000001, 0), "[%s] 8000_0001h not listed", m->name);
		if (m->amd_perfmon_v2)
			CHECK(has_leaf(l, n, 0x80000022, 0), "[%s] 8000_0022h not listed", m->name);
	}
	CHECK(vpmu_cpuid_leaves(m, l, 1) <= 1, "[%s] vpmu_cpuid_leaves ignores max", m->name);
}

static void test_cpuid_leaves(void **state)
{
	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, leaves_one) >= nr_intel_presets);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, leaves_one) >= nr_amd_presets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_leaf_0a_presets),
		TEST(test_leaf_0a_fields),
		TEST(test_leaf_0a_amd),
		TEST(test_leaf0_vendor),
		TEST(test_leaf1),
		TEST(test_hybrid),
		TEST(test_leaf23),
		TEST(test_amd_ext_leaves),
		TEST(test_intel_no_amd_leaves),
		TEST(test_unrelated_leaves),
		TEST(test_cpuid_leaves),
	};
	return cmocka_run_group_tests_name("cpuid", tests, NULL, NULL);
}
