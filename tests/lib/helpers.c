/* SPDX-License-Identifier: MIT */
/* Shared helpers for the libvpmu unit tests; see helpers.h. */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

const char *const intel_presets[] = {
	"lean", "skylake", "icelake", "sapphirerapids", "alderlake-p", "alderlake-e",
};
const unsigned int nr_intel_presets = ARRAY_LEN(intel_presets);
const char *const amd_presets[] = { "zen2", "zen3", "zen4" };
const unsigned int nr_amd_presets = ARRAY_LEN(amd_presets);

const struct vpmu_cpu_state cpu_kernel = { .cpl = 0, .cr0_pe = true, .cr4_pce = false };

/* ------------------------------------------------------------------ */
/* soft checks                                                         */
/* ------------------------------------------------------------------ */

static unsigned int nr_soft;

void soft_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (nr_soft < 40)
		print_error("%s:%d: %s\n", file, line, msg);
	else if (nr_soft == 40)
		print_error("... (further mismatches not shown)\n");
	nr_soft++;
}

unsigned int soft_failures(void)
{
	return nr_soft;
}

int soft_teardown(void **state)
{
	unsigned int n = nr_soft;

	(void)state;
	nr_soft = 0;
	if (n) {
		print_error("%u mismatch(es) recorded\n", n);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* models and instances                                               */
/* ------------------------------------------------------------------ */

#define SLOT_BYTES (256u * 1024u)
static _Alignas(64) unsigned char slots[NR_SLOTS][SLOT_BYTES];

const struct vpmu_model *preset(const char *name)
{
	const struct vpmu_model *m = vpmu_model_find(name);

	if (!m) {
		print_error("preset \"%s\" not found\n", name);
		fail();
	}
	return m;
}

struct vpmu *new_pmu_model(unsigned int slot, const struct vpmu_model *m)
{
	char err[256] = "";
	struct vpmu *p;

	assert_true(slot < NR_SLOTS);
	assert_true(vpmu_state_size() > 0);
	assert_true(vpmu_state_size() <= SLOT_BYTES);
	memset(slots[slot], 0xA5, SLOT_BYTES);	/* init must not rely on zeroed memory */
	p = vpmu_init(slots[slot], SLOT_BYTES, m, err, sizeof(err));
	if (!p) {
		print_error("vpmu_init(%s) failed: %s\n", m->name, err);
		fail();
	}
	return p;
}

struct vpmu *new_pmu_slot(unsigned int slot, const char *model)
{
	return new_pmu_model(slot, preset(model));
}

struct vpmu *new_pmu(const char *model)
{
	return new_pmu_slot(0, model);
}

bool intel_fixed_exists(const struct vpmu_model *m, unsigned int i)
{
	if (m->vendor != VPMU_VENDOR_INTEL || m->version < 2 || i >= VPMU_MAX_FIXED)
		return false;
	if (m->version >= 5 && (m->fixed_bitmap >> i) & 1)
		return true;
	return i < m->nr_fixed;
}

unsigned int intel_fixed_mask(const struct vpmu_model *m)
{
	unsigned int i, mask = 0;

	for (i = 0; i < VPMU_MAX_FIXED; i++)
		if (intel_fixed_exists(m, i))
			mask |= 1u << i;
	return mask;
}

/* AnyThread (PERFEVTSEL[21], FIXED field bit 2): v3/v4 without deprecation */
bool intel_anythread_ok(const struct vpmu_model *m)
{
	return (m->version == 3 || m->version == 4) && !m->anythread_deprecated;
}

struct vpmu_model intel_custom(const char *base, uint8_t version)
{
	struct vpmu_model m = *preset(base);
	char err[256] = "";

	m.version = version;
	snprintf(m.name, sizeof(m.name), "test-v%u", version);
	if (version < 5) {
		m.fixed_bitmap = 0;
		m.anythread_deprecated = false;
		if (m.nr_fixed > 3)
			m.nr_fixed = 3;
		if (m.events_len > 7)
			m.events_len = 7;
	}
	if (version < 2) {
		m.nr_fixed = 0;
		m.fixed_width = 0;
		m.freeze_on_pmi = false;
	}
	if (vpmu_model_validate(&m, err, sizeof(err)) != 0) {
		print_error("custom model v%u from %s does not validate: %s\n",
			    version, base, err);
		fail();
	}
	return m;
}

const char *msr_result_name(int r)
{
	switch (r) {
	case VPMU_MSR_OK: return "OK";
	case VPMU_MSR_GP: return "#GP";
	case VPMU_MSR_UNHANDLED: return "UNHANDLED";
	default: return "<bad result>";
	}
}

/* ------------------------------------------------------------------ */
/* MSR helpers                                                         */
/* ------------------------------------------------------------------ */

static const char *pname(struct vpmu *p)
{
	return vpmu_model_of(p)->name;
}

uint64_t rd_(struct vpmu *p, uint32_t msr, const char *file, int line)
{
	uint64_t v = 0xDEADBEEFDEADBEEFull;
	int r = vpmu_rdmsr(p, msr, &v);

	if (r != VPMU_MSR_OK) {
		print_error("%s:%d: [%s] rdmsr %#x: %s, expected OK\n",
			    file, line, pname(p), msr, msr_result_name(r));
		_fail(file, line);
	}
	return v;
}

void wr_(struct vpmu *p, uint32_t msr, uint64_t v, const char *file, int line)
{
	int r = vpmu_wrmsr(p, msr, v);

	if (r != VPMU_MSR_OK) {
		print_error("%s:%d: [%s] wrmsr %#x <- %#llx: %s, expected OK\n",
			    file, line, pname(p), msr, (unsigned long long)v,
			    msr_result_name(r));
		_fail(file, line);
	}
}

void rd_expect_(struct vpmu *p, uint32_t msr, int want, const char *file, int line)
{
	uint64_t v = 0;
	int r = vpmu_rdmsr(p, msr, &v);

	if (r != want) {
		print_error("%s:%d: [%s] rdmsr %#x: %s (value %#llx), expected %s\n",
			    file, line, pname(p), msr, msr_result_name(r),
			    (unsigned long long)v, msr_result_name(want));
		_fail(file, line);
	}
}

void wr_expect_(struct vpmu *p, uint32_t msr, uint64_t v, int want,
		const char *file, int line)
{
	int r = vpmu_wrmsr(p, msr, v);

	if (r != want) {
		print_error("%s:%d: [%s] wrmsr %#x <- %#llx: %s, expected %s\n",
			    file, line, pname(p), msr, (unsigned long long)v,
			    msr_result_name(r), msr_result_name(want));
		_fail(file, line);
	}
}

void check_rd_(struct vpmu *p, uint32_t msr, int want, uint64_t exp,
	       const char *file, int line)
{
	uint64_t v = 0;
	int r = vpmu_rdmsr(p, msr, &v);

	if (r != want)
		soft_fail(file, line, "[%s] rdmsr %#x: %s (value %#llx), expected %s",
			  pname(p), msr, msr_result_name(r), (unsigned long long)v,
			  msr_result_name(want));
	else if (r == VPMU_MSR_OK && v != exp)
		soft_fail(file, line, "[%s] rdmsr %#x = %#llx, expected %#llx",
			  pname(p), msr, (unsigned long long)v, (unsigned long long)exp);
}

void check_wr_(struct vpmu *p, uint32_t msr, uint64_t v, int want,
	       const char *file, int line)
{
	int r = vpmu_wrmsr(p, msr, v);

	if (r != want)
		soft_fail(file, line, "[%s] wrmsr %#x <- %#llx: %s, expected %s",
			  pname(p), msr, (unsigned long long)v, msr_result_name(r),
			  msr_result_name(want));
}

/* ------------------------------------------------------------------ */
/* counting                                                            */
/* ------------------------------------------------------------------ */

struct vpmu_tick mk_tick(uint32_t cycles, uint8_t cpl)
{
	struct vpmu_tick t;

	memset(&t, 0, sizeof(t));
	t.cycles = cycles;
	t.cpl = cpl;
	return t;
}

struct vpmu_tick ev_tick(uint32_t cycles, uint8_t cpl, unsigned int ev, uint8_t n)
{
	struct vpmu_tick t = mk_tick(cycles, cpl);

	assert_true(ev < VPMU_EV_NR);
	t.n[ev] = n;
	return t;
}

uint64_t count1(struct vpmu *p, const struct vpmu_tick *t)
{
	return vpmu_count(p, t, 1);
}

uint64_t count_n(struct vpmu *p, const struct vpmu_tick *t, uint64_t times)
{
	uint64_t pmi = 0, i;

	for (i = 0; i < times; i++)
		pmi |= vpmu_count(p, t, 1);
	return pmi;
}

/* ------------------------------------------------------------------ */
/* presets as decided                                                  */
/* ------------------------------------------------------------------ */

const struct intel_expect intel_expect[] = {
	{ .name = "lean", .version = 2, .nr_gp = 4, .gp_width = 48, .nr_fixed = 3,
	  .fixed_width = 48, .fixed_bitmap = 0,
	  .eax = 0x07300402, .ebx = 0x4, .ecx = 0, .edx = 0x603, .ebx_known = true,
	  .pdcm = 0, .freeze = 0, .anythread_deprecated = false },
	{ .name = "skylake", .version = 4, .nr_gp = 4, .gp_width = 48, .nr_fixed = 3,
	  .fixed_width = 48, .fixed_bitmap = 0,
	  .eax = 0x07300404, .ebx = 0, .ecx = 0, .edx = 0x603, .ebx_known = true,
	  .pdcm = 1, .perf_cap = 0x2000, .freeze = 1, .anythread_deprecated = false,
	  .family = 6, .model = 0x55, .skl_branch_umasks = true },
	{ .name = "icelake", .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	  .fixed_width = 48, .fixed_bitmap = 0xF,
	  .eax = 0x08300805, .ebx = 0, .ecx = 0xF, .edx = 0x8604, .ebx_known = true,
	  .pdcm = 1, .perf_cap = 0x2000, .freeze = -1, .anythread_deprecated = true,
	  .family = 6, .model = 0x7E, .skl_branch_umasks = true },
	{ .name = "sapphirerapids", .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	  .fixed_width = 48, .fixed_bitmap = 0xF,
	  .eax = 0x08300805, .ebx = 0, .ecx = 0xF, .edx = 0x8604, .ebx_known = true,
	  .pdcm = 1, .perf_cap = 0x2000, .freeze = -1, .anythread_deprecated = true,
	  .family = 6, .model = 0x8F, .skl_branch_umasks = true },
	{ .name = "alderlake-p", .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	  .fixed_width = 48, .fixed_bitmap = 0xF,
	  .eax = 0x08300805, .ecx = 0xF, .edx = 0x8604, .ebx_known = false,
	  .pdcm = -1, .freeze = -1, .anythread_deprecated = true,
	  .core_type = VPMU_CORE_CORE, .skl_branch_umasks = true },
	{ .name = "alderlake-e", .version = 5, .nr_gp = 6, .gp_width = 48, .nr_fixed = 3,
	  .fixed_width = 48, .fixed_bitmap = 0x7,
	  .eax = 0x07300605, .ecx = 0x7, .edx = 0x8603, .ebx_known = false,
	  .pdcm = -1, .freeze = -1, .anythread_deprecated = true,
	  .core_type = VPMU_CORE_ATOM, .skl_branch_umasks = true },
};
const unsigned int nr_intel_expect = ARRAY_LEN(intel_expect);

const struct intel_expect *intel_expect_of(const char *name)
{
	unsigned int i;

	for (i = 0; i < nr_intel_expect; i++)
		if (!strcmp(intel_expect[i].name, name))
			return &intel_expect[i];
	return NULL;
}

const struct amd_expect amd_expect[] = {
	{ "zen2", 0x17, 6, true, false },
	{ "zen3", 0x19, 6, true, false },
	{ "zen4", 0x19, 6, true, true },
};
const unsigned int nr_amd_expect = ARRAY_LEN(amd_expect);

unsigned int for_each_preset(enum vpmu_vendor v, void (*fn)(const struct vpmu_model *m))
{
	const struct vpmu_model *m;
	unsigned int n, done = 0;

	for (n = 0; (m = vpmu_model_at(n)) != NULL && n < 1000; n++) {
		if (m->vendor != v)
			continue;
		fn(m);
		done++;
	}
	return done;
}
