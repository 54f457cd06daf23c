// SPDX-License-Identifier: MIT
/*
 * HOST-KVM quirk 7, pinned: without an MSR filter KVM answers 0xC1-0xC2,
 * 0x186-0x187 and 0xC0010000-7 itself (reads 0, writes dropped, no #GP),
 * so a VMM that forgets the filter silently loses the guest's PMU.
 *   expect=kvm   run with `vpmu run --no-msr-filter`: KVM's answers
 *   expect=vpmu  run normally: the accesses reach libvpmu (model=NAME)
 */
#include "libguest.h"

static const uint32_t quirk_msrs[] = {
	0xc1, 0xc2, 0x186, 0x187,
	0xc0010000, 0xc0010001, 0xc0010002, 0xc0010003,
	0xc0010004, 0xc0010005, 0xc0010006, 0xc0010007,
};

static bool is_amd_msr(uint32_t msr)
{
	return msr >= 0xc0010000;
}

int main(void)
{
	const char *expect = guest_arg("expect");
	const char *model = guest_arg("model");
	bool kvm = expect && !strcmp(expect, "kvm");
	bool amd_model = model && (model[0] == 'z' || model[0] == 'k');

	for (unsigned int i = 0; i < ARRAY_SIZE(quirk_msrs); i++) {
		uint32_t msr = quirk_msrs[i];
		uint64_t v = ~0ull;
		int w = wrmsr_safe(msr, 0x1234), r = rdmsr_safe(msr, &v);

		if (kvm)
			report(w == NO_EXCEPTION && r == NO_EXCEPTION && v == 0,
			       "without the filter KVM answers MSR 0x%x itself: write dropped, reads 0 (w %d, r %d, 0x%llx)",
			       msr, w, r, (unsigned long long)v);
		else if (is_amd_msr(msr) == amd_model)
			report(w == NO_EXCEPTION && r == NO_EXCEPTION && v == 0x1234,
			       "with the filter MSR 0x%x reaches libvpmu: reads back 0x1234 (w %d, r %d, 0x%llx)",
			       msr, w, r, (unsigned long long)v);
		else
			report(w == GP_VECTOR && r == GP_VECTOR,
			       "with the filter the other vendor's MSR 0x%x #GPs (w %d, r %d)", msr, w, r);
		wrmsr_safe(msr, 0);
	}
	return report_summary();
}
