// SPDX-License-Identifier: MIT
/*
 * The guest library's ring-3 runner: compat mode (emulated on the dev
 * host, steppable) and 64-bit mode (native there), return values, and
 * faults in user code coming back as last_exception.
 */
#include "libguest.h"
#include "user_snippets.h"

static volatile int touched;

static int64_t user64_fn(uint32_t arg)
{
	touched = 1;
	return (int64_t)arg * 5 + 2;
}

static int64_t user64_hlt(uint32_t arg)
{
	(void)arg;
	__asm__ volatile("hlt");	/* privileged: #GP at CPL3 */
	return 0;
}

int main(void)
{
	int64_t r;

	r = run_user(USER_COMPAT32, user_arith32, 7);
	report_eq((uint64_t)r, 22, "compat-mode ring 3 snippet returns 7*3+1");
	report_eq((uint64_t)last_exception, (uint64_t)NO_EXCEPTION, "no exception in compat mode");
	r = run_user(USER_64, user64_fn, 4);
	report(r == 22 && touched, "64-bit ring 3 C function returns 4*5+2 (got %lld)", (long long)r);
	r = run_user(USER_64, user64_hlt, 0);
	report(r == -1 && last_exception == GP_VECTOR,
	       "HLT in 64-bit ring 3 comes back as #GP (r=%lld, vector %d)", (long long)r,
	       last_exception);
	r = run_user(USER_COMPAT32, user_arith32, 1);
	report_eq((uint64_t)r, 4, "ring 3 again after a fault");
	return report_summary();
}
