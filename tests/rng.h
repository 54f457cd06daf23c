/* SPDX-License-Identifier: MIT */
/*
 * The tests' random numbers: xorshift64, fixed seed, so that every run
 * draws the same cases (a failure always reproduces).
 */
#ifndef VPMU_TEST_RNG_H
#define VPMU_TEST_RNG_H

#include <stdint.h>

/* 0 .. n-1 */
static inline uint32_t test_rnd(uint32_t n)
{
	static uint64_t rng = 0x9e3779b97f4a7c15ull;

	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

#endif
