/* SPDX-License-Identifier: MIT */
/*
 * CPU models: the named presets, validation of a hand-built model, and
 * the compatibility check a migration destination must pass.
 *
 * Preset values come from PMU-FACTS §15 (CPUID 0AH dumps of real parts).
 * PERF_CAPABILITIES deliberately advertises only FW_WRITE: vpmu does not
 * model LBR, PEBS or SMM, so it does not claim them (PMU-FACTS §6).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "internal.h"

struct preset {
	struct vpmu_model m;
	const char *summary;
};

#define INTEL_FM(fam, mod, step) \
	.vendor = VPMU_VENDOR_INTEL, .family = (fam), .model = (mod), \
	.stepping = (step)
#define AMD_FM(fam, mod, step) \
	.vendor = VPMU_VENDOR_AMD, .family = (fam), .model = (mod), \
	.stepping = (step), .nr_gp = 6, .gp_width = 48, \
	.amd_perfctr_core = true

/*
 * Values PMU-FACTS marks unconfirmed (❓) and what was decided:
 *  - sapphirerapids, alderlake-p: CPUID.0AH as PMU-FACTS §15.1 suggests
 *    (0x08300805 / 0 / 0xF / 0x8604), not dumped from a real part (§17.9);
 *  - alderlake-e: 0x07300605 / 0 / 0x7 / 0x8603, event vector length 7
 *    (7 or 8 unconfirmed, §17.9);
 *  - alderlake-*: native model ID 1 in leaf 1AH (§17.9);
 *  - AMD family/model/stepping of zen2/zen3/zen4 are one member of each
 *    generation's range, which PMU-FACTS does not confirm (§17.20);
 *  - zen4 CPUID 8000_0022h: EAX bit 0 (PerfMonV2) and EBX[3:0] = 6 only;
 *    LbrExtV2 and the LBR stack size are left 0, as vpmu has no LBR
 *    (§17.16);
 *  - PERF_CAPABILITIES: FW_WRITE only on every preset (§6, §17.8).
 */
static const struct preset presets[] = {
	{ { .name = "lean", INTEL_FM(6, 0x55, 4),
	    .version = 2, .nr_gp = 4, .gp_width = 48, .nr_fixed = 3,
	    .fixed_width = 48, .events_len = 7,
	    /* GP ref cycles are calibrated against RDTSC by kvm-unit-tests,
	     * which no stepping engine can keep consistent: hidden. */
	    .events_unavailable = BIT(2) },
	  "Intel perfmon v2, 4 GP + 3 fixed, 48-bit; no PDCM, no freeze, GP ref-cycles hidden (CI model)" },
	{ { .name = "coreduo", INTEL_FM(6, 0x0e, 8),
	    .version = 1, .nr_gp = 2, .gp_width = 40, .events_len = 7 },
	  "Intel Core Duo (Yonah): perfmon v1, 2 GP 40-bit, no fixed counters" },
	{ { .name = "core2", INTEL_FM(6, 0x17, 10),
	    .version = 2, .nr_gp = 2, .gp_width = 40, .nr_fixed = 3,
	    .fixed_width = 40, .events_len = 7, .pdcm = true,
	    .freeze_on_pmi = true },
	  "Intel Core 2 (Penryn): perfmon v2, 2 GP + 3 fixed, 40-bit" },
	{ { .name = "nehalem", INTEL_FM(6, 0x1e, 5),
	    .version = 3, .nr_gp = 4, .gp_width = 48, .nr_fixed = 3,
	    .fixed_width = 48, .events_len = 7,
	    .events_unavailable = BIT(2) | BIT(6), .pdcm = true,
	    .freeze_on_pmi = true },
	  "Intel Nehalem: perfmon v3, 4 GP + 3 fixed, AnyThread" },
	{ { .name = "skylake", INTEL_FM(6, 0x55, 4),
	    .version = 4, .nr_gp = 4, .gp_width = 48, .nr_fixed = 3,
	    .fixed_width = 48, .events_len = 7, .pdcm = true,
	    .perf_capabilities = VPMU_PERF_CAP_FW_WRITE,
	    .freeze_on_pmi = true },
	  "Intel Skylake-SP: perfmon v4, 4 GP + 3 fixed, full-width writes, streamlined freeze" },
	{ { .name = "icelake", INTEL_FM(6, 0x7e, 5),
	    .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	    .fixed_width = 48, .fixed_bitmap = 0xf, .events_len = 8,
	    .anythread_deprecated = true, .pdcm = true,
	    .perf_capabilities = VPMU_PERF_CAP_FW_WRITE,
	    .freeze_on_pmi = true },
	  "Intel Ice Lake client: perfmon v5, 8 GP + 4 fixed (topdown slots)" },
	{ { .name = "sapphirerapids", INTEL_FM(6, 0x8f, 8),
	    .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	    .fixed_width = 48, .fixed_bitmap = 0xf, .events_len = 8,
	    .anythread_deprecated = true, .pdcm = true,
	    .perf_capabilities = VPMU_PERF_CAP_FW_WRITE,
	    .freeze_on_pmi = true },
	  "Intel Sapphire Rapids (Golden Cove): perfmon v5, 8 GP + 4 fixed" },
	{ { .name = "alderlake-p", INTEL_FM(6, 0x97, 2),
	    .version = 5, .nr_gp = 8, .gp_width = 48, .nr_fixed = 4,
	    .fixed_width = 48, .fixed_bitmap = 0xf, .events_len = 8,
	    .anythread_deprecated = true, .pdcm = true,
	    .perf_capabilities = VPMU_PERF_CAP_FW_WRITE,
	    .freeze_on_pmi = true, .core_type = VPMU_CORE_CORE,
	    /* native model ID of the core: unconfirmed (PMU-FACTS §17.9) */
	    .native_model_id = 1 },
	  "Intel Alder Lake P-core (Golden Cove): hybrid, 8 GP + 4 fixed" },
	{ { .name = "alderlake-e", INTEL_FM(6, 0x97, 2),
	    .version = 5, .nr_gp = 6, .gp_width = 48, .nr_fixed = 3,
	    .fixed_width = 48, .fixed_bitmap = 0x7, .events_len = 7,
	    .anythread_deprecated = true, .pdcm = true,
	    .perf_capabilities = VPMU_PERF_CAP_FW_WRITE,
	    .freeze_on_pmi = true, .core_type = VPMU_CORE_ATOM,
	    .native_model_id = 1 },
	  "Intel Alder Lake E-core (Gracemont): hybrid, 6 GP + 3 fixed" },
	{ { .name = "k10", .vendor = VPMU_VENDOR_AMD, .family = 0x10,
	    .model = 0x02, .stepping = 3, .nr_gp = 4, .gp_width = 48 },
	  "AMD family 10h: 4 legacy K7 counters only" },
	{ { .name = "zen2", AMD_FM(0x17, 0x31, 0) },
	  "AMD Zen 2: PerfCtrExtCore, 6 counters" },
	{ { .name = "zen3", AMD_FM(0x19, 0x21, 0) },
	  "AMD Zen 3: PerfCtrExtCore, 6 counters" },
	{ { .name = "zen4", AMD_FM(0x19, 0x61, 2), .amd_perfmon_v2 = true },
	  "AMD Zen 4: PerfCtrExtCore + PerfMonV2 global control, 6 counters" },
};

#define NR_PRESETS (sizeof(presets) / sizeof(presets[0]))

void vpmu_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;

	if (!buf || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, len, fmt, ap);
	va_end(ap);
}

bool vpmu_is_intel(const struct vpmu_model *m)
{
	return m->vendor == VPMU_VENDOR_INTEL;
}

const struct vpmu_model *vpmu_model_at(unsigned int n)
{
	return n < NR_PRESETS ? &presets[n].m : NULL;
}

const struct vpmu_model *vpmu_model_find(const char *name)
{
	for (unsigned int i = 0; name && i < NR_PRESETS; i++)
		if (!strcmp(presets[i].m.name, name))
			return &presets[i].m;
	return NULL;
}

const char *vpmu_model_summary(const struct vpmu_model *m)
{
	for (unsigned int i = 0; i < NR_PRESETS; i++)
		if (m == &presets[i].m || !memcmp(m, &presets[i].m, sizeof(*m)))
			return presets[i].summary;
	return "custom model";
}

/* CPUID 0AH: fixed counter i exists iff ECX[i] or EDX[4:0] > i (§1.2). */
bool vpmu_model_has_fixed(const struct vpmu_model *m, unsigned int i)
{
	if (!vpmu_is_intel(m) || m->version < 2 || i >= VPMU_MAX_FIXED)
		return false;
	return i < m->nr_fixed || (m->version >= 5 && (m->fixed_bitmap & BIT(i)));
}

static int validate_intel(const struct vpmu_model *m, char *err, size_t len)
{
	if (m->version > 5)
		return vpmu_fmt(err, len, "perfmon v%u is not modelled (1..5)", m->version), -1;
	if (m->nr_gp > VPMU_MAX_GP)
		return vpmu_fmt(err, len, "perfmon v%u has at most %u GP counters, not %u",
				m->version, VPMU_MAX_GP, m->nr_gp), -1;
	if (m->version == 0 && (m->nr_gp || m->nr_fixed))
		return vpmu_fmt(err, len, "perfmon v0 (no PMU) has no counters"), -1;
	if (m->nr_gp && (m->gp_width < 32 || m->gp_width > 48))
		return vpmu_fmt(err, len, "GP counter width %u outside 32..48", m->gp_width), -1;
	if (m->version < 2 && (m->nr_fixed || m->fixed_bitmap))
		return vpmu_fmt(err, len, "perfmon v%u has no fixed counters", m->version), -1;
	if (m->version < 5 && m->fixed_bitmap)
		return vpmu_fmt(err, len, "a fixed-counter bitmap needs perfmon v5"), -1;
	if (m->nr_fixed > VPMU_MAX_FIXED || m->fixed_bitmap >= BIT(VPMU_MAX_FIXED))
		return vpmu_fmt(err, len, "at most %u fixed counters", VPMU_MAX_FIXED), -1;
	if ((m->nr_fixed || m->fixed_bitmap) &&
	    (m->fixed_width < 32 || m->fixed_width > 48))
		return vpmu_fmt(err, len, "fixed counter width %u outside 32..48", m->fixed_width), -1;
	if (m->events_len > 32)
		return vpmu_fmt(err, len, "event vector length %u > 32", m->events_len), -1;
	if (m->perf_capabilities && !m->pdcm)
		return vpmu_fmt(err, len, "PERF_CAPABILITIES needs PDCM"), -1;
	if (m->perf_capabilities & ~VPMU_PERF_CAP_FW_WRITE)
		return vpmu_fmt(err, len, "PERF_CAPABILITIES bits %#llx are not modelled (only FW_WRITE, bit 13)",
				(unsigned long long)(m->perf_capabilities & ~VPMU_PERF_CAP_FW_WRITE)), -1;
	if (m->freeze_on_pmi && m->version < 2)
		return vpmu_fmt(err, len, "freeze-on-PMI needs perfmon v2"), -1;
	if (m->core_type != VPMU_CORE_NONE && m->core_type != VPMU_CORE_ATOM &&
	    m->core_type != VPMU_CORE_CORE)
		return vpmu_fmt(err, len, "core type %#x is not 0, 0x20 or 0x40", m->core_type), -1;
	if (m->native_model_id >> 24)
		return vpmu_fmt(err, len, "native model ID %#x exceeds 24 bits", m->native_model_id), -1;
	if (m->amd_perfctr_core || m->amd_perfmon_v2)
		return vpmu_fmt(err, len, "AMD PMU features on an Intel model"), -1;
	/* CPUID.0AH.EDX[15] is defined from v5 on, reserved before (§1.2) */
	if (m->anythread_deprecated && m->version < 5)
		return vpmu_fmt(err, len, "AnyThread deprecation (CPUID.0AH EDX[15]) needs perfmon v5"), -1;
	/* EBX bit i means something only for i < EAX[31:24] (§1.2) */
	if (m->events_len < 32 && (m->events_unavailable >> m->events_len))
		return vpmu_fmt(err, len, "unavailable-event bits %#x lie beyond the event vector length %u",
				m->events_unavailable & ~(uint32_t)(BIT(m->events_len) - 1),
				m->events_len), -1;
	/* hybrid parts (leaf 1AH, §1.5, §13) are perfmon v5 parts */
	if ((m->core_type || m->native_model_id) && m->version < 5)
		return vpmu_fmt(err, len, "a hybrid core type needs perfmon v5"), -1;
	if (m->native_model_id && !m->core_type)
		return vpmu_fmt(err, len, "a native model ID needs a hybrid core type"), -1;
	return 0;
}

static int validate_amd(const struct vpmu_model *m, char *err, size_t len)
{
	unsigned int want = m->amd_perfctr_core ? 6 : 4;

	if (m->version || m->nr_fixed || m->fixed_bitmap || m->pdcm ||
	    m->perf_capabilities || m->freeze_on_pmi || m->core_type ||
	    m->anythread_deprecated || m->events_len || m->events_unavailable ||
	    m->rdpmc_fast_low32 || m->native_model_id)
		return vpmu_fmt(err, len, "Intel architectural PMU fields on an AMD model"), -1;
	if (m->gp_width != 48)
		return vpmu_fmt(err, len, "AMD core counters are 48 bits wide, not %u", m->gp_width), -1;
	if (m->amd_perfmon_v2 && !m->amd_perfctr_core)
		return vpmu_fmt(err, len, "PerfMonV2 needs PerfCtrExtCore"), -1;
	if (m->amd_perfmon_v2 ? (m->nr_gp < 1 || m->nr_gp > 6) : m->nr_gp != want)
		return vpmu_fmt(err, len, "%s has %s counters, not %u",
				m->amd_perfmon_v2 ? "PerfMonV2" :
				m->amd_perfctr_core ? "PerfCtrExtCore" : "the legacy K7 PMU",
				m->amd_perfmon_v2 ? "1..6" : want == 6 ? "6" : "4", m->nr_gp), -1;
	return 0;
}

int vpmu_model_validate(const struct vpmu_model *m, char *err, size_t len)
{
	if (!m)
		return vpmu_fmt(err, len, "no model"), -1;
	if (!memchr(m->name, 0, sizeof(m->name)))
		return vpmu_fmt(err, len, "model name is not terminated"), -1;
	if (m->family > 0xff + 0xf || m->model > 0xff || m->stepping > 0xf)
		return vpmu_fmt(err, len, "family/model/stepping %#x/%#x/%#x out of range",
				m->family, m->model, m->stepping), -1;
	switch (m->vendor) {
	case VPMU_VENDOR_INTEL:
		return validate_intel(m, err, len);
	case VPMU_VENDOR_AMD:
		return validate_amd(m, err, len);
	}
	return vpmu_fmt(err, len, "unknown vendor %d", (int)m->vendor), -1;
}

/* Every field a guest can observe must match for a guest to move. */
#define COMPAT_FIELDS(X) \
	X(vendor) X(family) X(model) X(stepping) X(version) X(nr_gp) \
	X(gp_width) X(nr_fixed) X(fixed_width) X(fixed_bitmap) \
	X(events_len) X(events_unavailable) X(anythread_deprecated) \
	X(pdcm) X(perf_capabilities) X(freeze_on_pmi) X(rdpmc_fast_low32) \
	X(core_type) X(native_model_id) X(amd_perfctr_core) X(amd_perfmon_v2)

int vpmu_model_compat(const struct vpmu_model *src,
		      const struct vpmu_model *dst, char *report, size_t len)
{
	int diffs = 0;
	size_t used = 0;

	if (report && len)
		report[0] = 0;
#define X(f)								\
	if ((unsigned long long)src->f != (unsigned long long)dst->f) {	\
		diffs++;						\
		if (report && used < len)				\
			used += snprintf(report + used, len - used,	\
					 "%s: src %#llx, dst %#llx\n", #f, \
					 (unsigned long long)src->f,	\
					 (unsigned long long)dst->f);	\
	}
	COMPAT_FIELDS(X)
#undef X
	return diffs;
}
