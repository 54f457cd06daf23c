// SPDX-License-Identifier: MIT
/*
 * Fuzz target: random sequences of RDMSR, WRMSR, RDPMC, vpmu_count,
 * vpmu_count_pattern, headroom, filter and reset calls on a preset
 * (the first input byte picks it), with invariants checked after each
 * step through the guest-visible registers (pmu_view.h):
 *
 *  - every counter reads within its width;
 *  - GLOBAL_STATUS bits appear only through an overflow or STATUS_SET;
 *  - a counter that is not enabled never changes under vpmu_count;
 *  - #GP where PMU-FACTS says (reserved selector bits, missing counters,
 *    the other vendor's MSRs, read-only registers), never an UNHANDLED
 *    MSR inside vpmu_msr_ranges(), never a #GP for an AMD PERF_CTL;
 *    a refused access and every read leave the whole state unchanged;
 *    a write changes no register but its own (and its aliases);
 *  - vpmu_headroom() is exact: that many repeats never wrap, one more
 *    does; repeats in bulk equal repeats one by one;
 *  - vpmu_count_pattern() equals the nested vpmu_count() calls;
 *  - save -> restore -> save gives the same bytes.
 */
#include "fuzz.h"
#include "ops.h"

#define MAX_STEPS	128

static _Alignas(8) unsigned char pmu_mem[8192];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size, 0 };
	unsigned int nmodels = 0;
	const struct vpmu_model *m;
	struct vpmu *p;
	char err[256];

	while (vpmu_model_at(nmodels))
		nmodels++;
	m = vpmu_model_at(take8(&in) % nmodels);
	p = vpmu_init(pmu_mem, sizeof(pmu_mem), m, err, sizeof(err));
	FUZZ_CHECK(p, "vpmu_init(%s): %s", m->name, err);
	pmu_ops_run(p, &in, MAX_STEPS);
	return 0;
}
