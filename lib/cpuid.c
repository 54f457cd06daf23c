/* SPDX-License-Identifier: MIT */
/*
 * CPUID synthesis for the PMU: Intel leaves 0AH, 1AH and 23H, AMD
 * 8000_0001h:ECX[23] and 8000_0022h, and the identity bits a guest PMU
 * driver reads first (vendor, family/model/stepping, PDCM).  PMU-FACTS §1,
 * §13, §14.1.
 */
#include <string.h>

#include "internal.h"

#define CPUID1_ECX_DTES64	BIT(2)
#define CPUID1_ECX_PDCM		BIT(15)
#define CPUID1_EDX_DS		BIT(21)
#define CPUID7_EBX_HLE		BIT(4)
#define CPUID7_EBX_RTM		BIT(11)
#define CPUID7_EDX_HYBRID	BIT(15)
#define CPUID7_1_EAX_PERFMON_EXT BIT(8)
#define EXT1_ECX_PERFCTR_CORE	BIT(23)
#define EXT1_ECX_PERFCTR_NB	BIT(24)
#define EXT1_ECX_PERFCTR_LLC	BIT(28)

static void set_bit32(uint32_t *r, uint64_t bit, bool on)
{
	if (on)
		*r |= (uint32_t)bit;
	else
		*r &= ~(uint32_t)bit;
}

static void vendor_string(const struct vpmu_model *m, struct vpmu_cpuid *r)
{
	const char *v = vpmu_is_intel(m) ? "GenuineIntel" : "AuthenticAMD";

	memcpy(&r->ebx, v, 4);
	memcpy(&r->edx, v + 4, 4);
	memcpy(&r->ecx, v + 8, 4);
}

/* CPUID.1:EAX: stepping, model, family with their extended fields. */
static uint32_t signature(const struct vpmu_model *m)
{
	uint32_t fam = m->family < 0xf ? m->family : 0xf;
	uint32_t ext_fam = m->family < 0xf ? 0 : m->family - 0xf;

	return (m->stepping & 0xf) | (m->model & 0xf) << 4 | fam << 8 |
	       (m->model >> 4) << 16 | ext_fam << 20;
}

/* CPUID 0AH, §1.2: version, counters, widths, event vector, fixed. */
static void leaf_0a(const struct vpmu_model *m, struct vpmu_cpuid *r)
{
	*r = (struct vpmu_cpuid){ 0 };
	if (!vpmu_is_intel(m) || !m->version)
		return;
	r->eax = m->version | m->nr_gp << 8 | m->gp_width << 16 |
		 (uint32_t)m->events_len << 24;
	r->ebx = m->events_len >= 32 ? m->events_unavailable :
		 m->events_unavailable & (uint32_t)(BIT(m->events_len) - 1);
	if (m->version >= 5)
		r->ecx = m->fixed_bitmap;
	if (m->version >= 2)
		r->edx = m->nr_fixed | m->fixed_width << 5 |
			 (m->anythread_deprecated ? (uint32_t)BIT(15) : 0);
}

static uint32_t max_basic_leaf(const struct vpmu_model *m)
{
	if (!vpmu_is_intel(m))
		return 0;
	return m->core_type ? 0x1a : 0x0a;
}

bool vpmu_cpuid_apply(const struct vpmu_model *m, uint32_t leaf, uint32_t sub,
		      struct vpmu_cpuid *r)
{
	bool intel = vpmu_is_intel(m);

	switch (leaf) {
	case 0x0:
		if (r->eax < max_basic_leaf(m))
			r->eax = max_basic_leaf(m);
		vendor_string(m, r);
		return true;
	case 0x1:
		r->eax = signature(m);
		set_bit32(&r->ecx, CPUID1_ECX_PDCM, intel && m->pdcm);
		/* no Debug Store: BTS and PEBS are not modelled */
		set_bit32(&r->ecx, CPUID1_ECX_DTES64, false);
		set_bit32(&r->edx, CPUID1_EDX_DS, false);
		return true;
	case 0x7:
		if (sub == 0) {
			set_bit32(&r->edx, CPUID7_EDX_HYBRID, intel && m->core_type);
			/* no TSX: PERFEVTSEL IN_TX/IN_TXCP stay reserved */
			set_bit32(&r->ebx, CPUID7_EBX_HLE | CPUID7_EBX_RTM, false);
		} else if (sub == 1) {
			set_bit32(&r->eax, CPUID7_1_EAX_PERFMON_EXT, false);
		}
		return true;
	case 0xa:
		leaf_0a(m, r);
		return true;
	case 0x1a:
		*r = (struct vpmu_cpuid){ 0 };
		if (intel && m->core_type)
			r->eax = (uint32_t)m->core_type << 24 | m->native_model_id;
		return true;
	case 0x23:	/* not modelled: no sub-leaf is valid */
		*r = (struct vpmu_cpuid){ 0 };
		return true;
	case 0x80000000:
		if (!intel && m->amd_perfmon_v2 && r->eax < 0x80000022)
			r->eax = 0x80000022;
		if (intel)
			r->ebx = r->ecx = r->edx = 0;
		else
			vendor_string(m, r);
		return true;
	case 0x80000001:
		set_bit32(&r->ecx, EXT1_ECX_PERFCTR_CORE, !intel && m->amd_perfctr_core);
		set_bit32(&r->ecx, EXT1_ECX_PERFCTR_NB | EXT1_ECX_PERFCTR_LLC, false);
		return true;
	case 0x80000022:
		*r = (struct vpmu_cpuid){ 0 };
		if (!intel && m->amd_perfmon_v2) {
			r->eax = 1;		/* PerfMonV2 */
			r->ebx = m->nr_gp;	/* NumPerfCtrCore */
		}
		return true;
	}
	return false;
}

unsigned int vpmu_cpuid_leaves(const struct vpmu_model *m, uint32_t (*out)[2],
			       unsigned int max)
{
	static const uint32_t intel[][2] = {
		{ 0, 0 }, { 1, 0 }, { 7, 0 }, { 0xa, 0 }, { 0x1a, 0 },
	};
	static const uint32_t amd[][2] = {
		{ 0, 0 }, { 1, 0 }, { 0x80000000, 0 }, { 0x80000001, 0 },
		{ 0x80000022, 0 },
	};
	const uint32_t (*list)[2] = vpmu_is_intel(m) ? intel : amd;
	unsigned int n = 5, k = 0;

	if (vpmu_is_intel(m) && !m->core_type)
		n--;	/* 1AH only on hybrid parts */
	if (!vpmu_is_intel(m) && !m->amd_perfmon_v2)
		n--;
	for (unsigned int i = 0; i < n && k < max; i++, k++) {
		out[k][0] = list[i][0];
		out[k][1] = list[i][1];
	}
	return k;
}
