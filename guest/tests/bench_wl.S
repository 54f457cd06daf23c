/* SPDX-License-Identifier: MIT */
/*
 * Loop shapes for the engine benchmark (bench/engine.sh): each function
 * runs RDI iterations of a K-instruction body.
 *   bench_loopK: K-1 NOPs closed by LOOP (the counted-loop fast path)
 *   bench_blkK:  K-2 NOPs, DEC, JNZ (a basic block the engine steps)
 */
	.text
	.code64

.macro LOOPFN k
	.globl bench_loop\k
bench_loop\k:
	movq %rdi, %rcx
1:	.rept \k - 1
	nop
	.endr
	loop 1b
	ret
.endm

.macro BLKFN k
	.globl bench_blk\k
bench_blk\k:
1:	.rept \k - 2
	nop
	.endr
	decq %rdi
	jnz 1b
	ret
.endm

	LOOPFN 2
	LOOPFN 8
	LOOPFN 32
	BLKFN 2
	BLKFN 8
	BLKFN 32
