/* SPDX-License-Identifier: MIT */
/*
 * Event names in the host-side summary (vmm/summary.c), from libpfm4's
 * tables for the preset's PMU (Debian 12's libpfm4 4.13): the name perf
 * users know, with the unit mask (INST_RETIRED:ANY_P rather than the
 * architectural alias), fixed counters by their SDM names, AMD's 12-bit
 * event select, and a raw encoding for what no table names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "summary.h"

#define SEL(ev, um)	(0x430000ull | (ev) | ((uint64_t)(um) << 8))
#define AMD_SEL(ev, um)	(SEL((ev) & 0xff, um) | ((uint64_t)((ev) >> 8) << 32))

static const struct {
	const char *model;
	int fixed;
	unsigned int index;
	uint64_t config;
	const char *name;
} cases[] = {
	{ "skylake", 0, 0, SEL(0xc0, 0x00), "INST_RETIRED:ANY_P" },
	{ "lean", 0, 0, SEL(0xc0, 0x00), "INST_RETIRED:ANY_P" },
	{ "skylake", 0, 1, SEL(0xc4, 0x01), "BR_INST_RETIRED:CONDITIONAL" },
	{ "nehalem", 0, 0, SEL(0xc4, 0x00), "BR_INST_RETIRED:ALL_BRANCHES" },
	{ "icelake", 0, 2, SEL(0xc4, 0x20), "BR_INST_RETIRED:NEAR_TAKEN" },
	/* CMASK/INV in the selector do not change the name */
	{ "skylake", 0, 0, SEL(0xc0, 0x00) | (2ull << 24) | (1ull << 23), "INST_RETIRED:ANY_P" },
	{ "skylake", 1, 0, 0, "INST_RETIRED.ANY" },
	{ "skylake", 1, 1, 0, "CPU_CLK_UNHALTED.THREAD" },
	{ "icelake", 1, 3, 0, "TOPDOWN.SLOTS" },
	{ "zen4", 0, 0, AMD_SEL(0xc0, 0), "RETIRED_INSTRUCTIONS" },
	{ "zen2", 0, 0, AMD_SEL(0xc2, 0), "RETIRED_BRANCH_INSTRUCTIONS" },
	{ "skylake", 0, 0, SEL(0xff, 0x00), "raw 0x0ff" },
	{ "zen4", 0, 0, AMD_SEL(0xf77, 0), "raw 0x077 (event 0xf77)" },
};

static void test_names(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char buf[128];

		summary_event_name(vpmu_model_find(cases[i].model), cases[i].fixed,
				   cases[i].index, cases[i].config, buf, sizeof(buf));
		if (strcmp(buf, cases[i].name))
			fail_msg("%s %s%u %#llx: \"%s\", expected \"%s\"", cases[i].model,
				 cases[i].fixed ? "fixed " : "GP ", cases[i].index,
				 (unsigned long long)cases[i].config, buf, cases[i].name);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
	};

	return cmocka_run_group_tests_name("vmm_summary_names", tests, NULL, NULL);
}
