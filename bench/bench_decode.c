/* SPDX-License-Identifier: MIT */
/*
 * Micro-benchmark of the exact engine's per-instruction work: ns per
 * insn_decode() (Zydis minimal mode + class table) over a mix of real
 * instructions, and ns per insn_retire_tick().  Built and run by
 * `make bench-decode` (engine/engine.mk).  Median of 5 runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "decode.h"
#include "retire.h"

struct sample {
	uint8_t bytes[15];
	uint8_t len;
	enum cpu_mode mode;
};

/* The kvm-unit-tests loop body and tail, plus a spread of classes. */
static const struct sample mix[] = {
	{ { 0x48, 0x8b, 0x10 }, 3, CPU_MODE_LONG64 },
	{ { 0x48, 0x83, 0xc0, 0x40 }, 4, CPU_MODE_LONG64 },
	{ { 0x90 }, 1, CPU_MODE_LONG64 },
	{ { 0x90 }, 1, CPU_MODE_LONG64 },
	{ { 0xe2, 0xf0 }, 2, CPU_MODE_LONG64 },
	{ { 0x0f, 0x85, 0x10, 0, 0, 0 }, 6, CPU_MODE_LONG64 },
	{ { 0xe8, 0, 0, 0, 0 }, 5, CPU_MODE_LONG64 },
	{ { 0xff, 0xe0 }, 2, CPU_MODE_LONG64 },
	{ { 0xc3 }, 1, CPU_MODE_LONG64 },
	{ { 0x0f, 0x30 }, 2, CPU_MODE_LONG64 },
	{ { 0x0f, 0xae, 0xf0 }, 3, CPU_MODE_LONG64 },
	{ { 0xf3, 0xa4 }, 2, CPU_MODE_LONG64 },
	{ { 0x48, 0x89, 0x44, 0x24, 0x08 }, 5, CPU_MODE_LONG64 },
	{ { 0x8b, 0x10 }, 2, CPU_MODE_PROT32 },
	{ { 0xea, 0, 0x10, 0, 0, 0x08, 0 }, 7, CPU_MODE_PROT32 },
	{ { 0xe2, 0xfe }, 2, CPU_MODE_REAL16 },
};
#define NMIX	(sizeof(mix) / sizeof(mix[0]))

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static volatile uint32_t sink;

static double ns_per_decode(unsigned long iters)
{
	struct insn i;
	double t0 = now_ns();

	for (unsigned long k = 0; k < iters; k++) {
		const struct sample *s = &mix[k % NMIX];

		if (insn_decode(&i, s->bytes, s->len, s->mode) != INSN_OK)
			abort();
		sink += i.cls;
	}
	return (now_ns() - t0) / iters;
}

static double ns_per_tick(unsigned long iters)
{
	struct insn in[NMIX];
	struct vpmu_tick t;
	double t0;

	for (unsigned int k = 0; k < NMIX; k++)
		if (insn_decode(&in[k], mix[k].bytes, mix[k].len, mix[k].mode))
			abort();
	t0 = now_ns();
	for (unsigned long k = 0; k < iters; k++) {
		insn_retire_tick(&in[k % NMIX], 0x1000, 0x1000 + (k & 7), 0, 1,
				 &t);
		sink += t.n[VPMU_EV_BRANCHES];
	}
	return (now_ns() - t0) / iters;
}

static double median(double (*f)(unsigned long), unsigned long iters)
{
	double r[5];

	for (int k = 0; k < 5; k++)
		r[k] = f(iters);
	qsort(r, 5, sizeof(r[0]), cmp_double);
	return r[2];
}

int main(void)
{
	if (insn_decoder_init() != 0) {
		fprintf(stderr, "bench_decode: Zydis decoder init failed\n");
		return 1;
	}
	printf("insn_decode:      %6.1f ns per instruction (%zu-instruction mix)\n",
	       median(ns_per_decode, 2000000), NMIX);
	printf("insn_retire_tick: %6.1f ns per instruction\n",
	       median(ns_per_tick, 20000000));
	return 0;
}
