/* SPDX-License-Identifier: MIT */
/*
 * `vpmu run --filter SPEC` (vmm/filter_spec.c): what each accepted spec
 * becomes (event select bits 7:0, unit mask 15:8, AMD select bits 11:8 at
 * 35:32; the fixed-counter bitmap), and a one-line reason for everything
 * else, hex digits only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "filter_spec.h"

static void test_accepted(void **state)
{
	static struct vpmu_filter f;
	char err[160] = "";

	(void)state;
	assert_int_equal(filter_spec_parse("deny:c4", &f, err, sizeof(err)), 0);
	assert_int_equal(f.action, VPMU_FILTER_DENY);
	assert_int_equal(f.nevents, 1);
	assert_int_equal(f.events[0], 0xc4);
	assert_int_equal(filter_spec_parse("allow:c0,3c/1,fixed=0x3", &f, err, sizeof(err)), 0);
	assert_int_equal(f.action, VPMU_FILTER_ALLOW);
	assert_int_equal(f.nevents, 2);
	assert_int_equal(f.events[0], 0xc0);
	assert_int_equal(f.events[1], 0x13c);
	assert_int_equal(f.fixed_bitmap, 3);
	assert_int_equal(filter_spec_parse("deny:1C2/Ff", &f, err, sizeof(err)), 0);
	assert_int_equal(f.events[0], 0x10000ffc2ull);	/* AMD 0x1C2, umask 0xFF */
	assert_int_equal(filter_spec_parse("allow:fixed=0", &f, err, sizeof(err)), 0);
	assert_int_equal(f.nevents, 0);
}

static void test_refused(void **state)
{
	static const char *const bad[] = {
		"c4", "block:c4", "deny", "deny:", "allow:", "deny:c4,", "deny:,c4",
		"deny: c4", "deny:-0", "deny:+c4", "deny:0xc4", "deny:1000",
		"deny:c4/100", "deny:c4/", "deny:/1", "deny:fixed=", "deny:fixed=0x",
		"deny:fixed=100000000", "deny:g4", "deny:c4 ",
	};
	static struct vpmu_filter f;

	(void)state;
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[160] = "";

		if (filter_spec_parse(bad[i], &f, err, sizeof(err)) != -1)
			fail_msg("'%s' accepted", bad[i]);
		if (!err[0] || strchr(err, '\n'))
			fail_msg("'%s': no one-line reason", bad[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests_name("vmm_filter_spec", tests, NULL, NULL);
}
