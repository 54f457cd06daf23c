/* SPDX-License-Identifier: MIT */
/*
 * Shared helpers for the libvpmu unit tests (tests/lib/test_*.c).
 *
 * The tests are written from the specification (PMU-FACTS and the
 * project decisions), not from the implementation.  Two kinds of checks:
 *
 *   - hard ones (RD/WR/... and the cmocka assert_* macros) stop the test
 *     at the first mismatch;
 *   - soft ones (CHECK, CHECK_EQ, CHECK_RD, ...) record the mismatch with
 *     its context and let a data-driven table carry on, so one run lists
 *     every wrong MSR.  A test using them must be registered with TEST()
 *     so that its teardown turns recorded mismatches into a failure.
 */
#ifndef VPMU_TEST_HELPERS_H
#define VPMU_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "vpmu.h"

/* ---- Intel MSRs (PMU-FACTS §2) ---- */
#define MSR_PMC(i)		(0xC1u + (i))
#define MSR_EVTSEL(i)		(0x186u + (i))
#define MSR_A_PMC(i)		(0x4C1u + (i))
#define MSR_FIXED_CTR(i)	(0x309u + (i))
#define MSR_PERF_CAP		0x345u
#define MSR_FIXED_CTRL		0x38Du
#define MSR_GSTATUS		0x38Eu
#define MSR_GCTRL		0x38Fu
#define MSR_GOVF		0x390u
#define MSR_GSET		0x391u
#define MSR_GINUSE		0x392u
#define MSR_DEBUGCTL		0x1D9u

/* ---- AMD MSRs (PMU-FACTS §14.2) ---- */
#define AMD_K7_CTL(i)		(0xC0010000u + (i))
#define AMD_K7_CTR(i)		(0xC0010004u + (i))
#define AMD_CTL(i)		(0xC0010200u + 2u * (i))
#define AMD_CTR(i)		(0xC0010201u + 2u * (i))
#define AMD_GSTATUS		0xC0000300u
#define AMD_GCTL		0xC0000301u
#define AMD_GCLR		0xC0000302u
#define AMD_GSET		0xC0000303u

/* ---- PERFEVTSEL / PERF_CTL bits (§3, §14.3) ---- */
#define SEL_USR			(1ull << 16)
#define SEL_OS			(1ull << 17)
#define SEL_EDGE		(1ull << 18)
#define SEL_PC			(1ull << 19)
#define SEL_INT			(1ull << 20)
#define SEL_ANY			(1ull << 21)
#define SEL_EN			(1ull << 22)
#define SEL_INV			(1ull << 23)
#define SEL_CMASK(c)		((uint64_t)((c) & 0xff) << 24)
#define SEL_EV(ev, um)		(((uint64_t)(ev) & 0xff) | ((uint64_t)((um) & 0xff) << 8))
/* AMD 12-bit event select: bits 7:0 and 35:32 */
#define AMD_EV(ev, um)		(((uint64_t)(ev) & 0xff) | \
				 ((uint64_t)(((ev) >> 8) & 0xf) << 32) | \
				 ((uint64_t)((um) & 0xff) << 8))
#define AMD_GUESTONLY		(1ull << 40)
#define AMD_HOSTONLY		(1ull << 41)
/* everything else of PERF_CTL that is not reserved (19, 21, 36-39, 42-63) */
#define AMD_CTL_VALID		0x0000030FFFD7FFFFull

/* an enabled counter counting in every ring */
#define SEL_ON			(SEL_EN | SEL_OS | SEL_USR)

/* ---- FIXED_CTR_CTRL fields (§4) ---- */
#define FIX_OS(i)		(1ull << (4 * (i)))
#define FIX_USR(i)		(1ull << (4 * (i) + 1))
#define FIX_ANY(i)		(1ull << (4 * (i) + 2))
#define FIX_PMI(i)		(1ull << (4 * (i) + 3))
#define FIX_ON(i)		(FIX_OS(i) | FIX_USR(i))

/* ---- GLOBAL_STATUS bits (§5.1) ---- */
#define ST_FIXED(i)		(1ull << (32 + (i)))
#define ST_LBR_FRZ		(1ull << 58)
#define ST_CTR_FRZ		(1ull << 59)
#define ST_ASCI			(1ull << 60)
#define ST_UNCORE		(1ull << 61)
#define ST_BUF			(1ull << 62)
#define ST_COND			(1ull << 63)

#define DEBUGCTL_FRZ_LBR	(1ull << 11)
#define DEBUGCTL_FRZ_PMON	(1ull << 12)

#define MASKW(w)		((w) >= 64 ? ~0ull : (1ull << (w)) - 1)
#define ARRAY_LEN(a)		(sizeof(a) / sizeof((a)[0]))

/* The Intel presets the project decisions describe, and the AMD ones. */
extern const char *const intel_presets[];
extern const unsigned int nr_intel_presets;
extern const char *const amd_presets[];
extern const unsigned int nr_amd_presets;

/* ---- models and instances ---- */
#define NR_SLOTS 4
/* A preset by name; fails the test if it does not exist. */
const struct vpmu_model *preset(const char *name);
/* A fresh instance of a preset in buffer slot `slot` (0..NR_SLOTS-1). */
struct vpmu *new_pmu_slot(unsigned int slot, const char *model);
/* new_pmu_slot(0, model) */
struct vpmu *new_pmu(const char *model);
/* A fresh instance of an arbitrary (valid) model in a slot. */
struct vpmu *new_pmu_model(unsigned int slot, const struct vpmu_model *m);
/* Derived Intel facts (spec rules applied to the model's fields). */
bool intel_fixed_exists(const struct vpmu_model *m, unsigned int i);
unsigned int intel_fixed_mask(const struct vpmu_model *m);	/* bit i = fixed i */
bool intel_anythread_ok(const struct vpmu_model *m);
/* Custom models built from a preset (asserts that they validate). */
struct vpmu_model intel_custom(const char *base, uint8_t version);

const char *msr_result_name(int r);

/* ---- MSR access with expected result (hard checks) ---- */
uint64_t rd_(struct vpmu *p, uint32_t msr, const char *file, int line);
void wr_(struct vpmu *p, uint32_t msr, uint64_t v, const char *file, int line);
void rd_expect_(struct vpmu *p, uint32_t msr, int want, const char *file, int line);
void wr_expect_(struct vpmu *p, uint32_t msr, uint64_t v, int want,
		const char *file, int line);
#define RD(p, msr)		rd_((p), (msr), __FILE__, __LINE__)
#define WR(p, msr, v)		wr_((p), (msr), (v), __FILE__, __LINE__)
#define RD_GP(p, msr)		rd_expect_((p), (msr), VPMU_MSR_GP, __FILE__, __LINE__)
#define WR_GP(p, msr, v)	wr_expect_((p), (msr), (v), VPMU_MSR_GP, __FILE__, __LINE__)
#define RD_UNH(p, msr)		rd_expect_((p), (msr), VPMU_MSR_UNHANDLED, __FILE__, __LINE__)
#define WR_UNH(p, msr, v)	wr_expect_((p), (msr), (v), VPMU_MSR_UNHANDLED, __FILE__, __LINE__)

/* ---- soft checks ---- */
void soft_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int soft_teardown(void **state);
unsigned int soft_failures(void);
#define TEST(fn)		cmocka_unit_test_teardown(fn, soft_teardown)
#define CHECK(cond, ...)	do { if (!(cond)) soft_fail(__FILE__, __LINE__, __VA_ARGS__); } while (0)
/* got/exp are evaluated once; the message gets " (got %#llx, expected %#llx)" */
#define CHECK_EQ(got, exp, fmt, ...) do {					\
	unsigned long long g_ = (unsigned long long)(got);			\
	unsigned long long e_ = (unsigned long long)(exp);			\
	if (g_ != e_)								\
		soft_fail(__FILE__, __LINE__, fmt " (got %#llx, expected %#llx)",\
			  ##__VA_ARGS__, g_, e_);				\
} while (0)
/* rdmsr must give `want` (result) and, if OK, the value `exp` */
void check_rd_(struct vpmu *p, uint32_t msr, int want, uint64_t exp,
	       const char *file, int line);
void check_wr_(struct vpmu *p, uint32_t msr, uint64_t v, int want,
	       const char *file, int line);
#define CHECK_RD(p, msr, exp)	check_rd_((p), (msr), VPMU_MSR_OK, (exp), __FILE__, __LINE__)
#define CHECK_RD_GP(p, msr)	check_rd_((p), (msr), VPMU_MSR_GP, 0, __FILE__, __LINE__)
#define CHECK_RD_UNH(p, msr)	check_rd_((p), (msr), VPMU_MSR_UNHANDLED, 0, __FILE__, __LINE__)
#define CHECK_WR(p, msr, v)	check_wr_((p), (msr), (v), VPMU_MSR_OK, __FILE__, __LINE__)
#define CHECK_WR_GP(p, msr, v)	check_wr_((p), (msr), (v), VPMU_MSR_GP, __FILE__, __LINE__)
#define CHECK_WR_UNH(p, msr, v)	check_wr_((p), (msr), (v), VPMU_MSR_UNHANDLED, __FILE__, __LINE__)

/* ---- counting ---- */
/* A tick of `cycles` cycles at `cpl` with no other events. */
struct vpmu_tick mk_tick(uint32_t cycles, uint8_t cpl);
/* A tick with one non-per-cycle event occurring n times in the last cycle. */
struct vpmu_tick ev_tick(uint32_t cycles, uint8_t cpl, unsigned int ev, uint8_t n);
/* vpmu_count(p, t, 1) */
uint64_t count1(struct vpmu *p, const struct vpmu_tick *t);
/* vpmu_count(p, t, 1) `times` times; returns the OR of the results. */
uint64_t count_n(struct vpmu *p, const struct vpmu_tick *t, uint64_t times);

/* rdpmc cpu states */
extern const struct vpmu_cpu_state cpu_kernel;	/* CPL0, PE, !PCE */

#endif

/* ---- the presets as decided by the project (hardcoded expectations) ---- */
struct intel_expect {
	const char *name;
	uint8_t version, nr_gp, gp_width, nr_fixed, fixed_width;
	uint32_t fixed_bitmap;
	uint32_t eax, ebx, ecx, edx;	/* CPUID.0AH */
	bool ebx_known;			/* EBX decided for this preset */
	int pdcm;			/* 1, 0, or -1 = not decided */
	uint64_t perf_cap;		/* when pdcm == 1 */
	int freeze;			/* 1, 0, or -1 = not decided */
	bool anythread_deprecated;
	uint32_t family, model;		/* 0 = not decided */
	uint8_t core_type;
	bool skl_branch_umasks;		/* 0xC4 umask 0x01..0x40 (skylake and later) */
};
extern const struct intel_expect intel_expect[];
extern const unsigned int nr_intel_expect;
const struct intel_expect *intel_expect_of(const char *name);

struct amd_expect {
	const char *name;
	uint32_t family;
	uint8_t nr_gp;
	bool perfctr_core, perfmon_v2;
};
extern const struct amd_expect amd_expect[];
extern const unsigned int nr_amd_expect;

/* Call fn(m) for every preset of a vendor that vpmu_model_at() lists. */
unsigned int for_each_preset(enum vpmu_vendor v, void (*fn)(const struct vpmu_model *m));
