/* SPDX-License-Identifier: MIT */
/*
 * Models: preset lookup and iteration, the decided preset values,
 * vpmu_model_has_fixed, vpmu_model_validate, vpmu_init errors,
 * vpmu_model_compat, summaries and event names.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

/* ---- lookup ---- */

static void test_find(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_intel_presets; k++) {
		const struct vpmu_model *m = vpmu_model_find(intel_presets[k]);

		assert_non_null(m);
		assert_string_equal(m->name, intel_presets[k]);
		assert_int_equal(m->vendor, VPMU_VENDOR_INTEL);
	}
	for (k = 0; k < nr_amd_presets; k++) {
		const struct vpmu_model *m = vpmu_model_find(amd_presets[k]);

		assert_non_null(m);
		assert_string_equal(m->name, amd_presets[k]);
		assert_int_equal(m->vendor, VPMU_VENDOR_AMD);
	}
	assert_null(vpmu_model_find("nope"));
	assert_null(vpmu_model_find(""));
	assert_null(vpmu_model_find("Skylake"));	/* case-sensitive */
	assert_null(vpmu_model_find("skylake "));
	assert_null(vpmu_model_find("skylak"));
}

static void test_iteration(void **state)
{
	const struct vpmu_model *m;
	const char *names[256];
	unsigned int n, i, intel = 0, amd = 0;

	(void)state;
	for (n = 0; (m = vpmu_model_at(n)) != NULL; n++) {
		char err[256] = "";
		const char *s;

		assert_true(n < ARRAY_LEN(names));
		assert_true(memchr(m->name, '\0', VPMU_NAME_LEN) != NULL);
		assert_true(m->name[0] != '\0');
		for (i = 0; i < n; i++)
			CHECK(strcmp(names[i], m->name) != 0, "preset name \"%s\" twice", m->name);
		names[n] = m->name;
		CHECK(vpmu_model_find(m->name) != NULL &&
		      !memcmp(vpmu_model_find(m->name), m, sizeof(*m)),
		      "vpmu_model_find(\"%s\") is not vpmu_model_at(%u)", m->name, n);
		CHECK(vpmu_model_validate(m, err, sizeof(err)) == 0,
		      "preset %s does not validate: %s", m->name, err);
		CHECK(m->vendor == VPMU_VENDOR_INTEL || m->vendor == VPMU_VENDOR_AMD,
		      "preset %s: vendor %d", m->name, m->vendor);
		s = vpmu_model_summary(m);
		CHECK(s && s[0], "preset %s: empty summary", m->name);
		if (s) {
			const char *nl = strchr(s, '\n');

			CHECK(!nl || nl[1] == '\0', "preset %s: summary is not one line", m->name);
		}
		new_pmu_model(0, m);
		intel += m->vendor == VPMU_VENDOR_INTEL;
		amd += m->vendor == VPMU_VENDOR_AMD;
	}
	assert_true(intel >= nr_intel_presets);
	assert_true(amd >= nr_amd_presets);
	assert_null(vpmu_model_at(n + 1));
	assert_null(vpmu_model_at(100000));
}

/* ---- the values the project decided ---- */

static void test_intel_preset_values(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_intel_expect; k++) {
		const struct intel_expect *x = &intel_expect[k];
		const struct vpmu_model *m = preset(x->name);

		CHECK_EQ(m->vendor, VPMU_VENDOR_INTEL, "[%s] vendor", x->name);
		CHECK_EQ(m->version, x->version, "[%s] version", x->name);
		CHECK_EQ(m->nr_gp, x->nr_gp, "[%s] nr_gp", x->name);
		CHECK_EQ(m->gp_width, x->gp_width, "[%s] gp_width", x->name);
		CHECK_EQ(m->nr_fixed, x->nr_fixed, "[%s] nr_fixed", x->name);
		CHECK_EQ(m->fixed_width, x->fixed_width, "[%s] fixed_width", x->name);
		CHECK_EQ(m->fixed_bitmap, x->fixed_bitmap, "[%s] fixed_bitmap", x->name);
		CHECK_EQ(m->events_len, x->eax >> 24, "[%s] events_len", x->name);
		if (x->ebx_known)
			CHECK_EQ(m->events_unavailable, x->ebx, "[%s] events_unavailable", x->name);
		CHECK_EQ(m->anythread_deprecated, x->anythread_deprecated,
			 "[%s] anythread_deprecated", x->name);
		if (x->pdcm >= 0)
			CHECK_EQ(m->pdcm, x->pdcm, "[%s] pdcm", x->name);
		if (x->pdcm == 1)
			CHECK_EQ(m->perf_capabilities, x->perf_cap, "[%s] perf_capabilities",
				 x->name);
		if (x->freeze >= 0)
			CHECK_EQ(m->freeze_on_pmi, x->freeze, "[%s] freeze_on_pmi", x->name);
		if (x->family) {
			CHECK_EQ(m->family, x->family, "[%s] family", x->name);
			CHECK_EQ(m->model, x->model, "[%s] model", x->name);
		}
		CHECK_EQ(m->core_type, x->core_type, "[%s] core_type", x->name);
		CHECK_EQ(m->rdpmc_fast_low32, 0, "[%s] rdpmc_fast_low32", x->name);
		CHECK_EQ(m->amd_perfctr_core, 0, "[%s] amd_perfctr_core", x->name);
		CHECK_EQ(m->amd_perfmon_v2, 0, "[%s] amd_perfmon_v2", x->name);
	}
}

static void test_amd_preset_values(void **state)
{
	unsigned int k;

	(void)state;
	for (k = 0; k < nr_amd_expect; k++) {
		const struct amd_expect *x = &amd_expect[k];
		const struct vpmu_model *m = preset(x->name);

		CHECK_EQ(m->vendor, VPMU_VENDOR_AMD, "[%s] vendor", x->name);
		CHECK_EQ(m->family, x->family, "[%s] family", x->name);
		CHECK_EQ(m->nr_gp, x->nr_gp, "[%s] nr_gp", x->name);
		CHECK_EQ(m->gp_width, 48, "[%s] gp_width", x->name);
		CHECK_EQ(m->amd_perfctr_core, x->perfctr_core, "[%s] amd_perfctr_core", x->name);
		CHECK_EQ(m->amd_perfmon_v2, x->perfmon_v2, "[%s] amd_perfmon_v2", x->name);
		CHECK_EQ(m->pdcm, 0, "[%s] pdcm", x->name);
		CHECK_EQ(m->nr_fixed, 0, "[%s] nr_fixed", x->name);
		CHECK_EQ(m->core_type, 0, "[%s] core_type", x->name);
	}
}

/* ---- vpmu_model_has_fixed: ECX[i] || EDX[4:0] > i ---- */

static void test_has_fixed(void **state)
{
	static const struct { const char *name; unsigned int mask; } rows[] = {
		{ "lean", 0x7 }, { "skylake", 0x7 }, { "icelake", 0xF },
		{ "sapphirerapids", 0xF }, { "alderlake-p", 0xF }, { "alderlake-e", 0x7 },
		{ "zen2", 0 }, { "zen3", 0 }, { "zen4", 0 },
	};
	struct vpmu_model m;
	char err[256] = "";
	unsigned int k, i;

	(void)state;
	for (k = 0; k < ARRAY_LEN(rows); k++)
		for (i = 0; i < 10; i++)
			CHECK_EQ(vpmu_model_has_fixed(preset(rows[k].name), i),
				 (rows[k].mask >> i) & 1, "[%s] has_fixed(%u)", rows[k].name, i);
	m = intel_custom("lean", 1);
	for (i = 0; i < 10; i++)
		CHECK_EQ(vpmu_model_has_fixed(&m, i), 0, "[v1] has_fixed(%u)", i);
	/* v5: the bitmap adds non-contiguous counters */
	m = *preset("icelake");
	m.nr_fixed = 1;
	m.fixed_bitmap = 0x5;
	for (i = 0; i < 10; i++)
		CHECK_EQ(vpmu_model_has_fixed(&m, i), i == 0 || i == 2, "[bitmap 0x5] has_fixed(%u)", i);
	assert_int_equal(vpmu_model_validate(&m, err, sizeof(err)), 0);
	{
		struct vpmu *p = new_pmu_model(0, &m);

		RD(p, MSR_FIXED_CTR(0));
		RD_GP(p, MSR_FIXED_CTR(1));
		RD(p, MSR_FIXED_CTR(2));
		RD_GP(p, MSR_FIXED_CTR(3));
		WR(p, MSR_FIXED_CTRL, 0xB0B);
		WR_GP(p, MSR_FIXED_CTRL, 0xB0);
		WR(p, MSR_GCTRL, 0x5ull << 32);
		WR_GP(p, MSR_GCTRL, 0x2ull << 32);
	}
}

/* ---- validation ---- */

static void expect_invalid(const struct vpmu_model *m, const char *what)
{
	char err[256];
	char mem_err[256];
	static _Alignas(64) unsigned char mem[256 * 1024];

	memset(err, 0, sizeof(err));
	CHECK(vpmu_model_validate(m, err, sizeof(err)) == -1, "%s: validates", what);
	CHECK(err[0] != '\0', "%s: no reason given", what);
	memset(mem_err, 0, sizeof(mem_err));
	if (vpmu_state_size() <= sizeof(mem)) {
		CHECK(vpmu_init(mem, sizeof(mem), m, mem_err, sizeof(mem_err)) == NULL,
		      "%s: vpmu_init accepted it", what);
		CHECK(mem_err[0] != '\0', "%s: vpmu_init gave no reason", what);
	}
}

static void test_validate(void **state)
{
	struct vpmu_model base1 = intel_custom("lean", 1), m;
	const struct vpmu_model *sky = preset("skylake"), *zen = preset("zen4");
	char err[256];

	(void)state;
	m = base1;
	m.nr_gp = 8;
	assert_int_equal(vpmu_model_validate(&m, err, sizeof(err)), 0);
	m.nr_gp = 9;
	expect_invalid(&m, "v1 with 9 GP counters");

	m = base1;
	m.nr_fixed = 3;
	m.fixed_width = 48;
	expect_invalid(&m, "v1 with fixed counters");

	m = *sky;
	m.nr_gp = 9;
	expect_invalid(&m, "v4 with 9 GP counters");
	m = *preset("icelake");
	m.nr_gp = 9;
	expect_invalid(&m, "v5 with 9 GP counters");

	m = *sky;
	m.gp_width = 0;
	expect_invalid(&m, "GP width 0");
	m = *sky;
	m.gp_width = 65;
	expect_invalid(&m, "GP width 65");
	m = *sky;
	m.fixed_width = 65;
	expect_invalid(&m, "fixed width 65");
	m = *sky;
	m.fixed_width = 0;
	expect_invalid(&m, "3 fixed counters of width 0");
	m = *sky;
	m.nr_fixed = 8;
	expect_invalid(&m, "8 contiguous fixed counters");
	m = *sky;
	m.version = 6;
	expect_invalid(&m, "perfmon version 6");
	m = *sky;
	m.vendor = (enum vpmu_vendor)0;
	expect_invalid(&m, "vendor 0");
	m = *sky;
	m.vendor = (enum vpmu_vendor)3;
	expect_invalid(&m, "vendor 3");

	m = *zen;
	m.gp_width = 40;
	expect_invalid(&m, "AMD with 40-bit counters");
	m = *zen;
	m.nr_gp = 9;
	expect_invalid(&m, "AMD with 9 counters");

	/* CPUID.0AH.EDX[15] exists from v5 on (§1.2) */
	m = *sky;
	m.anythread_deprecated = true;
	expect_invalid(&m, "AnyThread deprecation on v4");
	/* EBX bits beyond the event vector length mean nothing (§1.2) */
	m = *sky;
	m.events_unavailable = 1u << 7;
	expect_invalid(&m, "unavailable-event bit 7 with a vector of 7");
	m.events_len = 8;
	assert_int_equal(vpmu_model_validate(&m, err, sizeof(err)), 0);
	/* hybrid core types are v5 parts (§13) */
	m = *sky;
	m.core_type = VPMU_CORE_ATOM;
	expect_invalid(&m, "hybrid core type on v4");
	m = *preset("icelake");
	m.native_model_id = 1;
	expect_invalid(&m, "native model ID without a core type");
	/* Intel-only knobs on AMD */
	m = *zen;
	m.rdpmc_fast_low32 = true;
	expect_invalid(&m, "fast RDPMC on AMD");
	m = *zen;
	m.native_model_id = 1;
	expect_invalid(&m, "native model ID on AMD");

	/* a short buffer gets a NUL-terminated prefix */
	m = base1;
	m.nr_gp = 9;
	memset(err, 'x', sizeof(err));
	assert_int_equal(vpmu_model_validate(&m, err, 8), -1);
	assert_true(memchr(err, '\0', 8) != NULL);
	assert_int_equal(err[8], 'x');
}

/* ---- instances ---- */

static void test_init(void **state)
{
	static _Alignas(64) unsigned char mem[256 * 1024];
	size_t n = vpmu_state_size();
	char err[256];
	struct vpmu_model m = *preset("icelake");
	struct vpmu *p;

	(void)state;
	assert_true(n > 0 && n <= sizeof(mem));
	memset(err, 0, sizeof(err));
	assert_null(vpmu_init(mem, n - 1, &m, err, sizeof(err)));
	assert_true(err[0] != '\0');
	p = vpmu_init(mem, n, &m, err, sizeof(err));
	assert_non_null(p);
	assert_memory_equal(vpmu_model_of(p), &m, sizeof(m));
	/* the instance keeps its own copy of the model */
	m.nr_gp = 2;
	strcpy(m.name, "changed");
	assert_int_equal(vpmu_model_of(p)->nr_gp, 8);
	assert_string_equal(vpmu_model_of(p)->name, "icelake");
	RD(p, MSR_PMC(7));
	assert_true(vpmu_snapshot_size() > 0);
}

/* ---- compatibility ---- */

static unsigned int count_lines(const char *s)
{
	unsigned int n = 0;

	while (*s) {
		const char *nl = strchr(s, '\n');

		n++;
		if (!nl)
			break;
		s = nl + 1;
	}
	return n;
}

static void check_report_lines(const char *report, const char *what)
{
	const char *s = report;

	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char line[256];

		if (len >= sizeof(line))
			len = sizeof(line) - 1;
		memcpy(line, s, len);
		line[len] = '\0';
		CHECK(strstr(line, ": src ") && strstr(line, ", dst "),
		      "%s: report line \"%s\" is not \"field: src X, dst Y\"", what, line);
		if (!nl)
			break;
		s = nl + 1;
	}
}

static void self_compat(const struct vpmu_model *m)
{
	char report[1024] = "";

	CHECK_EQ(vpmu_model_compat(m, m, report, sizeof(report)), 0, "[%s] compat with itself",
		 m->name);
	CHECK_EQ(vpmu_model_compat(m, m, NULL, 0), 0, "[%s] compat with itself, no report",
		 m->name);
}

static void test_compat(void **state)
{
	static const char *const pairs[][2] = {
		{ "skylake", "icelake" }, { "icelake", "sapphirerapids" },
		{ "alderlake-p", "alderlake-e" }, { "zen3", "zen4" }, { "zen2", "skylake" },
		{ "lean", "skylake" },
	};
	char report[4096], small[12];
	struct vpmu_model m;
	unsigned int k;
	int n;

	(void)state;
	assert_true(for_each_preset(VPMU_VENDOR_INTEL, self_compat) > 0);
	assert_true(for_each_preset(VPMU_VENDOR_AMD, self_compat) > 0);
	for (k = 0; k < ARRAY_LEN(pairs); k++) {
		const struct vpmu_model *a = preset(pairs[k][0]), *b = preset(pairs[k][1]);

		memset(report, 0, sizeof(report));
		n = vpmu_model_compat(a, b, report, sizeof(report));
		CHECK(n > 0, "%s -> %s: no differences", a->name, b->name);
		CHECK_EQ(count_lines(report), n, "%s -> %s: lines in the report", a->name, b->name);
		check_report_lines(report, pairs[k][0]);
		CHECK_EQ(vpmu_model_compat(a, b, NULL, 0), n, "%s -> %s without a report",
			 a->name, b->name);
		/* a short buffer: NUL-terminated prefix, same count */
		memset(small, 'x', sizeof(small));
		CHECK_EQ(vpmu_model_compat(a, b, small, 8), n, "%s -> %s with 8 bytes",
			 a->name, b->name);
		CHECK(memchr(small, '\0', 8) != NULL, "%s -> %s: short report not terminated",
		      a->name, b->name);
		CHECK(small[8] == 'x', "%s -> %s: report overran its buffer", a->name, b->name);
	}
	/* exactly one guest-visible difference */
	m = *preset("skylake");
	m.nr_gp = 8;
	memset(report, 0, sizeof(report));
	n = vpmu_model_compat(preset("skylake"), &m, report, sizeof(report));
	assert_int_equal(n, 1);
	assert_int_equal(count_lines(report), 1);
	check_report_lines(report, "nr_gp 4 -> 8");
	assert_non_null(strstr(report, "4"));
	assert_non_null(strstr(report, "8"));

	m = *preset("skylake");
	m.perf_capabilities = 0;
	assert_true(vpmu_model_compat(preset("skylake"), &m, NULL, 0) >= 1);
	m = *preset("skylake");
	m.freeze_on_pmi = false;
	assert_true(vpmu_model_compat(preset("skylake"), &m, NULL, 0) >= 1);
	m = *preset("skylake");
	m.model = 0x4E;
	assert_true(vpmu_model_compat(preset("skylake"), &m, NULL, 0) >= 1);
}

/* ---- names ---- */

static void test_event_names(void **state)
{
	unsigned int e, f;

	(void)state;
	for (e = 0; e < VPMU_EV_NR; e++) {
		const char *n = vpmu_event_name(e);

		assert_non_null(n);
		assert_true(n[0] != '\0');
		for (f = 0; f < e; f++)
			CHECK(strcmp(vpmu_event_name(f), n) != 0, "event %u and %u both \"%s\"",
			      f, e, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_find),
		TEST(test_iteration),
		TEST(test_intel_preset_values),
		TEST(test_amd_preset_values),
		TEST(test_has_fixed),
		TEST(test_validate),
		TEST(test_init),
		TEST(test_compat),
		TEST(test_event_names),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
