// SPDX-License-Identifier: MIT
/*
 * Not a test: the exact engine's load for bench/engine.sh.
 *   shape=loop|blk  K=2|8|32  n=ITERATIONS  counted=0|1
 * runs n iterations of a K-instruction loop body (bench_wl.S) with an
 * instructions counter enabled (counted=1) or nothing counting (0), and
 * prints the count so the host can check it.
 */
#include "libguest.h"

typedef void (*shape_fn)(uint64_t n);
extern void bench_loop2(uint64_t), bench_loop8(uint64_t), bench_loop32(uint64_t);
extern void bench_blk2(uint64_t), bench_blk8(uint64_t), bench_blk32(uint64_t);

int main(void)
{
	const char *shape = guest_arg("shape");
	bool loop = shape && !strcmp(shape, "loop");
	uint64_t k = guest_arg_num("K"), n = guest_arg_num("n");
	shape_fn fn = loop ? (k == 2 ? bench_loop2 : k == 8 ? bench_loop8 : bench_loop32) :
			     (k == 2 ? bench_blk2 : k == 8 ? bench_blk8 : bench_blk32);

	wrmsr(0x38f, 0);
	wrmsr(0x186, 0x4300c0);		/* instructions, OS|USR|EN */
	wrmsr(0xc1, 0);
	if (guest_arg_num("counted"))
		wrmsr(0x38f, 1);
	fn(n);
	wrmsr(0x38f, 0);
	printf("counted %llu\n", (unsigned long long)rdmsr(0xc1));
	return 0;
}
