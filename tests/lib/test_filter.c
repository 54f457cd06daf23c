/* SPDX-License-Identifier: MIT */
/*
 * Event filter with KVM_SET_PMU_EVENT_FILTER semantics (KVM-UNIT-TESTS.md
 * §8.2 and the project decisions): plain allow/deny lists of event select
 * (with AMD bits 35:32) + umask, masked entries, the fixed-counter bitmap
 * (which has priority for fixed counters), MATCH_MODIFIERS, validation.
 * A filtered counter counts nothing but reads and writes normally.
 */
#include "helpers.h"

#include <stdio.h>

#define M(sel, mask, match)	vpmu_filter_masked_entry((sel), (mask), (match), false)
#define X(sel, mask, match)	vpmu_filter_masked_entry((sel), (mask), (match), true)

static struct vpmu_filter F;

static struct vpmu_filter *filter(uint32_t action, uint32_t flags, uint32_t fixed,
				  unsigned int n, const uint64_t *ev)
{
	memset(&F, 0, sizeof(F));
	F.action = action;
	F.flags = flags;
	F.fixed_bitmap = fixed;
	F.nevents = n;
	if (n && ev)
		memcpy(F.events, ev, n * sizeof(*ev));
	return &F;
}

static void set_ok(struct vpmu *p, const struct vpmu_filter *f)
{
	char err[256] = "";
	int r = vpmu_set_filter(p, f, err, sizeof(err));

	if (r != 0) {
		print_error("vpmu_set_filter refused a valid filter: %s\n", err);
		fail();
	}
}

static void set_bad(struct vpmu *p, const struct vpmu_filter *f, const char *why)
{
	char err[256];
	int r;

	memset(err, 0, sizeof(err));
	r = vpmu_set_filter(p, f, err, sizeof(err));
	CHECK(r == -1, "filter with %s accepted (returned %d)", why, r);
	CHECK(err[0] != '\0', "filter with %s: no reason given", why);
}

/* ---- the workload: GP0 branches, GP1 instructions, fixed 0 and 1 ---- */

struct counts { uint64_t gp[4], fx[3]; };

static struct vpmu *workload(const char *model)
{
	struct vpmu *p = new_pmu(model);

	WR(p, MSR_EVTSEL(0), SEL_EV(0xC4, 0) | SEL_ON);
	WR(p, MSR_EVTSEL(1), SEL_EV(0xC0, 0) | SEL_ON);
	WR(p, MSR_FIXED_CTRL, FIX_ON(0) | FIX_ON(1) | FIX_ON(2));
	WR(p, MSR_GCTRL, 0xF | (7ull << 32));
	return p;
}

/* one tick: 2 cycles, 3 instructions, 1 of every branch kind */
static struct counts run(struct vpmu *p)
{
	struct vpmu_tick t = ev_tick(2, 0, VPMU_EV_INSTRUCTIONS, 3);
	struct counts c, before;
	unsigned int i;

	t.n[VPMU_EV_BRANCHES] = 1;
	t.n[VPMU_EV_BR_COND] = 1;
	t.n[VPMU_EV_BR_CALL] = 1;
	t.n[VPMU_EV_BR_TAKEN] = 1;
	for (i = 0; i < 4; i++)
		before.gp[i] = RD(p, MSR_PMC(i));
	for (i = 0; i < 3; i++)
		before.fx[i] = RD(p, MSR_FIXED_CTR(i));
	count1(p, &t);
	for (i = 0; i < 4; i++)
		c.gp[i] = RD(p, MSR_PMC(i)) - before.gp[i];
	for (i = 0; i < 3; i++)
		c.fx[i] = RD(p, MSR_FIXED_CTR(i)) - before.fx[i];
	return c;
}

#define EXPECT_GP(c, a, b, what) do {					\
	CHECK_EQ((c).gp[0], (a), "%s: GP0 (branches)", what);		\
	CHECK_EQ((c).gp[1], (b), "%s: GP1 (instructions)", what);	\
} while (0)
#define EXPECT_FX(c, a, b, what) do {					\
	CHECK_EQ((c).fx[0], (a), "%s: fixed 0", what);			\
	CHECK_EQ((c).fx[1], (b), "%s: fixed 1", what);			\
} while (0)

static const uint64_t both[] = { SEL_EV(0xC4, 0), SEL_EV(0xC0, 0) };
static const uint64_t others[] = { SEL_EV(0xC5, 0), SEL_EV(0x3C, 0), SEL_EV(0x2E, 0x4F) };

static void test_no_filter_counts(void **state)
{
	struct vpmu *p = workload("skylake");
	struct counts c = run(p);

	(void)state;
	EXPECT_GP(c, 1, 3, "no filter");
	EXPECT_FX(c, 3, 2, "no filter");
}

static void test_plain_deny(void **state)
{
	struct vpmu *p = workload("skylake");
	struct counts c;

	(void)state;
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 2, both));
	c = run(p);
	EXPECT_GP(c, 0, 0, "deny {C4, C0}");
	EXPECT_FX(c, 3, 2, "deny, empty bitmap");
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, both));
	c = run(p);
	EXPECT_GP(c, 0, 3, "deny {C4}");
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 3, others));
	c = run(p);
	EXPECT_GP(c, 1, 3, "deny without them");
	set_ok(p, NULL);
	c = run(p);
	EXPECT_GP(c, 1, 3, "filter removed");
}

static void test_plain_allow(void **state)
{
	struct vpmu *p = workload("skylake");
	struct counts c;

	(void)state;
	set_ok(p, filter(VPMU_FILTER_ALLOW, 0, 0, 2, both));
	c = run(p);
	EXPECT_GP(c, 1, 3, "allow {C4, C0}");
	EXPECT_FX(c, 0, 0, "allow, empty bitmap");
	set_ok(p, filter(VPMU_FILTER_ALLOW, 0, 0, 3, others));
	c = run(p);
	EXPECT_GP(c, 0, 0, "allow without them");
	set_ok(p, filter(VPMU_FILTER_ALLOW, 0, 0, 0, NULL));
	c = run(p);
	EXPECT_GP(c, 0, 0, "allow nothing");
	set_ok(p, NULL);
	c = run(p);
	EXPECT_GP(c, 1, 3, "filter removed");
	EXPECT_FX(c, 3, 2, "filter removed");
}

/* The filter also applies to selectors programmed after it */
static void test_filter_then_program(void **state)
{
	struct vpmu *p = new_pmu("skylake");
	struct counts c;

	(void)state;
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, both));
	WR(p, MSR_EVTSEL(0), SEL_EV(0xC4, 0) | SEL_ON);
	WR(p, MSR_EVTSEL(1), SEL_EV(0xC0, 0) | SEL_ON);
	c = run(p);
	EXPECT_GP(c, 0, 3, "deny {C4} before programming");
}

/* The umask takes part in plain matching */
static void test_plain_umask(void **state)
{
	static const uint64_t u1[] = { SEL_EV(0xC4, 0x01) };
	struct vpmu *p = workload("skylake");
	struct counts c;

	(void)state;
	WR(p, MSR_EVTSEL(2), SEL_EV(0xC4, 0x01) | SEL_ON);
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, u1));
	c = run(p);
	EXPECT_GP(c, 1, 3, "deny {01C4}");
	CHECK_EQ(c.gp[2], 0, "deny {01C4}: GP2 = 01C4");
}

/* flags = 0: other bits of plain entries are accepted and ignored */
static void test_plain_garbage_ignored(void **state)
{
	static const uint64_t g[] = {
		SEL_EV(0xC4, 0) | SEL_EN | SEL_OS | SEL_USR | SEL_EDGE | SEL_INV | SEL_INT |
		SEL_CMASK(0xFF) | (1ull << 40) | (1ull << 63),
	};
	struct vpmu *p = workload("skylake");
	struct counts c;

	(void)state;
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, g));
	c = run(p);
	EXPECT_GP(c, 0, 3, "deny {C4 + garbage}");
}

/* Entries past nevents are not part of the filter */
static void test_nevents_bounds_list(void **state)
{
	struct vpmu *p = workload("skylake");
	struct counts c;
	unsigned int i;

	(void)state;
	filter(VPMU_FILTER_DENY, 0, 0, 1, both);
	for (i = 1; i < VPMU_FILTER_MAX; i++)
		F.events[i] = SEL_EV(0xC0, 0);
	set_ok(p, &F);
	c = run(p);
	EXPECT_GP(c, 0, 3, "deny {C4}, C0 after nevents");
}

/* VPMU_FILTER_MATCH_MODIFIERS: EDGE, INV and CMASK take part */
static void test_match_modifiers(void **state)
{
	static const uint64_t plain[] = { SEL_EV(0xC4, 0) };
	static const uint64_t cm1[] = { SEL_EV(0xC4, 0) | SEL_CMASK(1) };
	static const uint64_t inv2[] = { SEL_EV(0xC4, 0) | SEL_INV | SEL_CMASK(2) };
	static const uint64_t ctl[] = { SEL_EV(0xC4, 0) | SEL_EN | SEL_OS | SEL_USR | SEL_INT };
	struct vpmu *p = workload("skylake");
	struct counts c;

	(void)state;
	WR(p, MSR_EVTSEL(2), SEL_EV(0xC4, 0) | SEL_ON | SEL_CMASK(1));
	WR(p, MSR_EVTSEL(3), SEL_EV(0xC4, 0) | SEL_ON | SEL_EDGE);

	set_ok(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MATCH_MODIFIERS, 0, 1, plain));
	c = run(p);
	CHECK_EQ(c.gp[0], 0, "MATCH_MODIFIERS deny {C4}: plain C4");
	CHECK_EQ(c.gp[2], 1, "MATCH_MODIFIERS deny {C4}: C4 CMASK=1");
	CHECK_EQ(c.gp[3], 1, "MATCH_MODIFIERS deny {C4}: C4 EDGE");

	set_ok(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MATCH_MODIFIERS, 0, 1, cm1));
	c = run(p);
	CHECK_EQ(c.gp[0], 1, "MATCH_MODIFIERS deny {C4 CMASK=1}: plain C4");
	CHECK_EQ(c.gp[2], 0, "MATCH_MODIFIERS deny {C4 CMASK=1}: C4 CMASK=1");
	CHECK_EQ(c.gp[3], 1, "MATCH_MODIFIERS deny {C4 CMASK=1}: C4 EDGE");

	/* without the flag the modifiers are ignored */
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, cm1));
	WR(p, MSR_EVTSEL(3), SEL_EV(0xC4, 0) | SEL_ON | SEL_INV | SEL_CMASK(2));
	c = run(p);
	CHECK_EQ(c.gp[0], 0, "deny {C4 CMASK=1}, no flag: plain C4");
	CHECK_EQ(c.gp[2], 0, "deny {C4 CMASK=1}, no flag: C4 CMASK=1");
	CHECK_EQ(c.gp[3], 0, "deny {C4 CMASK=1}, no flag: C4 INV CMASK=2");

	/* INV */
	set_ok(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MATCH_MODIFIERS, 0, 1, inv2));
	c = run(p);
	CHECK_EQ(c.gp[0], 1, "MATCH_MODIFIERS deny {C4 INV CMASK=2}: plain C4");
	CHECK_EQ(c.gp[2], 1, "MATCH_MODIFIERS deny {C4 INV CMASK=2}: C4 CMASK=1");
	CHECK_EQ(c.gp[3], 0, "MATCH_MODIFIERS deny {C4 INV CMASK=2}: C4 INV CMASK=2");

	/* EN/OS/USR/INT are not modifiers */
	set_ok(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MATCH_MODIFIERS, 0, 1, ctl));
	c = run(p);
	CHECK_EQ(c.gp[0], 0, "MATCH_MODIFIERS deny {C4 + EN/OS/USR/INT}: plain C4");
}

/* ---- masked entries ---- */

static void test_masked_entry_encoding(void **state)
{
	(void)state;
	assert_int_equal(M(0xD0, 0xFF, 0x81), 0xFF000000000081D0ull);
	assert_int_equal(X(0xD0, 0xFF, 0x81), 0xFF800000000081D0ull);
	assert_int_equal(X(0x120, 0x0F, 0x03), 0x0F80000100000320ull);
	assert_int_equal(X(0xFFF, 0xFF, 0xFF), 0xFF80000F0000FFFFull);
	assert_int_equal(M(0x00, 0x00, 0x00), 0);
	assert_int_equal(VPMU_FILTER_EXCLUDE, 1ull << 55);
}

/* GP0 = C4/01, GP1 = C4/02, GP2 = C4/04 (skylake branch umasks) */
static struct vpmu *umask_workload(void)
{
	struct vpmu *p = new_pmu("skylake");

	WR(p, MSR_EVTSEL(0), SEL_EV(0xC4, 0x01) | SEL_ON);
	WR(p, MSR_EVTSEL(1), SEL_EV(0xC4, 0x02) | SEL_ON);
	WR(p, MSR_EVTSEL(2), SEL_EV(0xC4, 0x04) | SEL_ON);
	WR(p, MSR_EVTSEL(3), SEL_EV(0xC0, 0x00) | SEL_ON);
	return p;
}

static void expect_masked(uint32_t action, const uint64_t *ev, unsigned int n,
			  const bool want[4], const char *what, bool dense)
{
	struct vpmu *p = umask_workload();
	struct counts c;
	unsigned int i;
	static const uint64_t counted[4] = { 1, 1, 1, 3 };

	filter(action, VPMU_FILTER_MASKED, 0, n, ev);
	if (dense) {	/* pad to 300 with entries for events nobody uses */
		for (i = n; i < VPMU_FILTER_MAX; i++)
			F.events[i] = vpmu_filter_masked_entry(0x50 + (i % 0x20), 0xFF,
							       (uint8_t)i, i & 1);
		F.nevents = VPMU_FILTER_MAX;
	}
	set_ok(p, &F);
	c = run(p);
	for (i = 0; i < 4; i++)
		CHECK_EQ(c.gp[i], want[i] ? counted[i] : 0, "%s%s: GP%u", what,
			 dense ? " (dense)" : "", i);
}

static void test_masked_events(void **state)
{
	static const struct {
		const char *what;
		uint32_t action;
		unsigned int n;
		bool want[4];
	} rows[] = {
		{ "allow C4 umask==01", VPMU_FILTER_ALLOW, 1, { 1, 0, 0, 0 } },
		{ "allow C4 any umask", VPMU_FILTER_ALLOW, 1, { 1, 1, 1, 0 } },
		{ "allow C4 any, exclude 02", VPMU_FILTER_ALLOW, 2, { 1, 0, 1, 0 } },
		{ "deny C4 umask&03==0", VPMU_FILTER_DENY, 1, { 1, 1, 0, 1 } },
		{ "allow only an exclude", VPMU_FILTER_ALLOW, 1, { 0, 0, 0, 0 } },
		{ "allow C4 umask&06==02", VPMU_FILTER_ALLOW, 1, { 0, 1, 0, 0 } },
		{ "deny C4 any, exclude 04, + C0", VPMU_FILTER_DENY, 3, { 0, 0, 1, 0 } },
	};
	uint64_t ev[ARRAY_LEN(rows)][3] = {
		{ M(0xC4, 0xFF, 0x01) },
		{ M(0xC4, 0x00, 0x00) },
		{ M(0xC4, 0x00, 0x00), X(0xC4, 0xFF, 0x02) },
		{ M(0xC4, 0x03, 0x00) },
		{ X(0xC4, 0x00, 0x00) },
		{ M(0xC4, 0x06, 0x02) },
		{ M(0xC4, 0x00, 0x00), X(0xC4, 0xFF, 0x04), M(0xC0, 0xFF, 0x00) },
	};
	unsigned int r;

	(void)state;
	for (r = 0; r < ARRAY_LEN(rows); r++) {
		expect_masked(rows[r].action, ev[r], rows[r].n, rows[r].want, rows[r].what, false);
		expect_masked(rows[r].action, ev[r], rows[r].n, rows[r].want, rows[r].what, true);
	}
}

/* ---- fixed counters: the bitmap decides ---- */

static void test_fixed_bitmap(void **state)
{
	static const uint64_t fixed_events[] = {
		SEL_EV(0xC0, 0), SEL_EV(0x3C, 0), SEL_EV(0x3C, 1), SEL_EV(0x00, 3),
		SEL_EV(0x00, 1), SEL_EV(0x00, 2),
	};
	static const uint64_t want[3] = { 3, 2, 2 };
	uint32_t bitmap;
	unsigned int i, with_events;

	(void)state;
	for (with_events = 0; with_events < 2; with_events++)
		for (bitmap = 0; bitmap < 8; bitmap++) {
			unsigned int n = with_events ? ARRAY_LEN(fixed_events) : 0;
			struct vpmu *p = workload("skylake");
			struct counts c;

			set_ok(p, filter(VPMU_FILTER_ALLOW, 0, bitmap, n, fixed_events));
			c = run(p);
			for (i = 0; i < 3; i++)
				CHECK_EQ(c.fx[i], (bitmap >> i) & 1 ? want[i] : 0,
					 "allow bitmap %#x%s: fixed %u", bitmap,
					 with_events ? " + events" : "", i);
			set_ok(p, filter(VPMU_FILTER_DENY, 0, bitmap, n, fixed_events));
			c = run(p);
			for (i = 0; i < 3; i++)
				CHECK_EQ(c.fx[i], (bitmap >> i) & 1 ? 0 : want[i],
					 "deny bitmap %#x%s: fixed %u", bitmap,
					 with_events ? " + events" : "", i);
		}
}

/* A filtered counter reads and writes normally; it only does not count */
static void test_filtered_counter_access(void **state)
{
	struct vpmu *p = workload("skylake");
	uint64_t v;

	(void)state;
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 7, 2, both));
	WR(p, MSR_PMC(0), 0x1234);
	assert_int_equal(RD(p, MSR_PMC(0)), 0x1234);
	WR(p, MSR_EVTSEL(0), SEL_EV(0xC4, 0) | SEL_ON | SEL_INT);
	assert_int_equal(RD(p, MSR_EVTSEL(0)), SEL_EV(0xC4, 0) | SEL_ON | SEL_INT);
	WR(p, MSR_FIXED_CTR(1), 0x99);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 0x99);
	assert_int_equal(vpmu_rdpmc(p, 0, &cpu_kernel, &v), VPMU_MSR_OK);
	assert_int_equal(v, 0x1234);
	run(p);
	assert_int_equal(RD(p, MSR_PMC(0)), 0x1234);
	assert_int_equal(RD(p, MSR_FIXED_CTR(1)), 0x99);
	assert_int_equal(vpmu_active_events(p, 0), 0);
	set_ok(p, NULL);
	assert_int_equal(vpmu_active_events(p, 0),
			 VPMU_EV_BIT(VPMU_EV_BRANCHES) | VPMU_EV_BIT(VPMU_EV_INSTRUCTIONS) |
			 VPMU_EV_BIT(VPMU_EV_CYCLES) | VPMU_EV_BIT(VPMU_EV_REF_CYCLES));
}

/* ---- AMD: the 12-bit event select takes part ---- */

static void test_amd_select_bits(void **state)
{
	static const uint64_t d1c2[] = { AMD_EV(0x1C2, 0) };
	static const uint64_t dc2[] = { AMD_EV(0xC2, 0) };
	static const uint64_t d01c2[] = { AMD_EV(0xC2, 0x01) };
	static const uint64_t d120[] = { AMD_EV(0x120, 0) };
	struct vpmu *p = new_pmu("zen4");
	struct vpmu_tick t = ev_tick(4, 0, VPMU_EV_BRANCHES, 2);
	uint64_t m120;

	(void)state;
	WR(p, AMD_CTL(0), AMD_EV(0xC2, 0) | SEL_ON);
	WR(p, AMD_CTL(1), AMD_EV(0x120, 0) | SEL_ON);
	WR(p, AMD_CTL(2), AMD_EV(0x76, 0) | SEL_ON);
	WR(p, AMD_CTL(3), AMD_EV(0xC2, 0x01) | SEL_ON);	/* umask ignored by the map */
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, d1c2));
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(0)), 2);		/* 0x1C2 is not 0xC2 */
	assert_int_equal(RD(p, AMD_CTR(3)), 2);
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, dc2));
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(0)), 2);
	assert_int_equal(RD(p, AMD_CTR(3)), 4);		/* umask 01 differs */
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, d01c2));
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(0)), 4);
	assert_int_equal(RD(p, AMD_CTR(3)), 4);
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, d120));
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(1)), 12);	/* 3 ticks before the deny */
	assert_int_equal(RD(p, AMD_CTR(2)), 16);
	assert_int_equal(RD(p, AMD_CTR(0)), 6);
	m120 = M(0x120, 0x00, 0x00);
	set_ok(p, filter(VPMU_FILTER_ALLOW, VPMU_FILTER_MASKED, 0, 1, &m120));
	count1(p, &t);
	assert_int_equal(RD(p, AMD_CTR(1)), 16);
	assert_int_equal(RD(p, AMD_CTR(0)), 6);		/* not allowed */
	assert_int_equal(RD(p, AMD_CTR(2)), 16);
}

/* ---- validation ---- */

static void test_validation(void **state)
{
	struct vpmu *p = workload("skylake");
	uint64_t e;
	unsigned int b;

	(void)state;
	filter(VPMU_FILTER_DENY, 0, 0, VPMU_FILTER_MAX, NULL);
	set_ok(p, &F);					/* 300 entries */
	F.nevents = VPMU_FILTER_MAX + 1;
	set_bad(p, &F, "301 entries");
	F.nevents = 0xFFFFFFFF;
	set_bad(p, &F, "nevents 0xFFFFFFFF");
	set_bad(p, filter(2, 0, 0, 0, NULL), "action 2");
	set_bad(p, filter(0xFFFFFFFF, 0, 0, 0, NULL), "action -1");
	set_bad(p, filter(VPMU_FILTER_ALLOW, 1u << 2, 0, 0, NULL), "flag bit 2");
	set_bad(p, filter(VPMU_FILTER_ALLOW, 1u << 31, 0, 0, NULL), "flag bit 31");
	set_ok(p, filter(VPMU_FILTER_ALLOW, 0, 0xFFFFFFFF, 0, NULL));	/* bitmap beyond */
	/* masked: a fully set valid entry is fine, any other bit is not */
	e = 0xFF80000F0000FFFFull;
	set_ok(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MASKED, 0, 1, &e));
	for (b = 0; b < 64; b++) {
		uint64_t bad = 1ull << b;
		char what[64];

		if (bad & 0xFF80000F0000FFFFull)
			continue;
		snprintf(what, sizeof(what), "masked entry bit %u", b);
		set_bad(p, filter(VPMU_FILTER_DENY, VPMU_FILTER_MASKED, 0, 1, &bad), what);
	}
	/* plain: garbage accepted */
	e = ~0ull;
	set_ok(p, filter(VPMU_FILTER_DENY, 0, 0, 1, &e));
	set_ok(p, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEST(test_no_filter_counts),
		TEST(test_plain_deny),
		TEST(test_plain_allow),
		TEST(test_filter_then_program),
		TEST(test_plain_umask),
		TEST(test_plain_garbage_ignored),
		TEST(test_nevents_bounds_list),
		TEST(test_match_modifiers),
		TEST(test_masked_entry_encoding),
		TEST(test_masked_events),
		TEST(test_fixed_bitmap),
		TEST(test_filtered_counter_access),
		TEST(test_amd_select_bits),
		TEST(test_validation),
	};
	return cmocka_run_group_tests_name("filter", tests, NULL, NULL);
}
