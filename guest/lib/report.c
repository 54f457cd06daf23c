// SPDX-License-Identifier: MIT
/*
 * The test reporter: TAP-ish lines "ok N - name", "not ok N - name",
 * "ok N - name # SKIP reason", then "SUMMARY: T tests, F unexpected
 * failures, S skipped" (the kvm-unit-tests summary line) and the exit
 * code: 0 all passed, 1 failures, 38 everything skipped (vpmu -> 77).
 */
#include "libguest.h"

static unsigned int tests, failures, skips;

static void line(const char *status, const char *fmt, va_list ap,
		 const char *suffix)
{
	char name[256];

	vsnprintf(name, sizeof(name), fmt, ap);
	printf("%s %u - %s%s\n", status, ++tests, name, suffix);
}

bool report(bool pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(pass ? "ok" : "not ok", fmt, ap, "");
	va_end(ap);
	if (!pass)
		failures++;
	return pass;
}

bool report_eq(uint64_t got, uint64_t want, const char *fmt, ...)
{
	va_list ap;
	bool pass = got == want;

	va_start(ap, fmt);
	line(pass ? "ok" : "not ok", fmt, ap, "");
	va_end(ap);
	if (!pass) {
		failures++;
		printf("#   got 0x%llx, want 0x%llx\n", (unsigned long long)got,
		       (unsigned long long)want);
	}
	return pass;
}

void report_skip(const char *reason, const char *fmt, ...)
{
	char suffix[160];
	va_list ap;

	snprintf(suffix, sizeof(suffix), " # SKIP %s", reason);
	va_start(ap, fmt);
	line("ok", fmt, ap, suffix);
	va_end(ap);
	skips++;
}

void report_info(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("# %s\n", buf);
}

int report_summary(void)
{
	printf("SUMMARY: %u tests, %u unexpected failures, %u skipped\n", tests,
	       failures, skips);
	if (failures)
		return 1;
	return tests && skips == tests ? 38 : 0;
}

void exit(int code)
{
	outl(0xf4, (uint32_t)code);	/* debug-exit: ends the run */
	for (;;)
		__asm__ volatile("cli; hlt");
}
