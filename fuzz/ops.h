/* SPDX-License-Identifier: MIT */
/*
 * Random PMU operations with their invariant checks, shared by the fuzz
 * targets that drive a PMU (fuzz_msr.c, and fuzz_snapshot.c on a restored
 * state).  Each step reads an opcode and its arguments from the input:
 * WRMSR, RDMSR, RDPMC, vpmu_count, headroom exactness, bulk = one by one,
 * vpmu_count_pattern = nested calls, filter, PMI latch, snapshot round
 * trip, RESET.  Any broken invariant aborts (fuzz.h).
 */
#ifndef VPMU_FUZZ_OPS_H
#define VPMU_FUZZ_OPS_H

#include "fuzz.h"
#include "vpmu.h"

/* Up to max_steps operations on p, then a snapshot round trip. */
void pmu_ops_run(struct vpmu *p, struct input *in, unsigned int max_steps);
/* save -> restore into a fresh PMU and into p -> save gives the same bytes */
void op_snapshot(struct vpmu *p);

#endif
