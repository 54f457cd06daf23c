/* SPDX-License-Identifier: MIT */
/*
 * Measured workloads for count.c, in assembly so that every instruction
 * is known.  Each wl_NAME(en_msr, en_val, dis_msr) is framed the same way
 * as kvm-unit-tests' precise loop:
 *
 *     WRMSR en_msr <- en_val      counted (the enabling write, PMU-FACTS §10)
 *     payload                     P instructions
 *     mov; xor; xor               counted (3)
 *     WRMSR dis_msr <- 0          not counted (the disabling write)
 *
 * so a counter sees P + 4 instructions.  The expected events of each
 * payload are written next to it and in count.c's table.
 */
	.text
	.code64

.macro ENABLE
	pushq %rbx
	movl %edx, %r8d			/* dis_msr */
	movl %edi, %ecx
	movq %rsi, %rax
	movq %rsi, %rdx
	shrq $32, %rdx
	wrmsr
.endm

.macro DISABLE
	movl %r8d, %ecx
	xorl %eax, %eax
	xorl %edx, %edx
	wrmsr
	popq %rbx
	ret
.endm

/* 20 instructions, no branch */
	.globl wl_straight
wl_straight:
	ENABLE
	.rept 20
	nop
	.endr
	DISABLE

/* 1 + 100 * 2 = 201 instructions; 100 LOOPs: 99 taken, 1 not taken */
	.globl wl_loop100
wl_loop100:
	ENABLE
	movl $100, %ecx
1:	nop
	loop 1b
	DISABLE

/*
 * 10 instructions, 7 branches: Jcc taken, Jcc not taken, JMP, CALL, RET,
 * JMP, indirect JMP.  Conditional 2, taken 6, not taken 1, calls 1,
 * returns 1.
 */
	.globl wl_branches
wl_branches:
	ENABLE
	xorl %eax, %eax			/* 1: ZF = 1 */
	jz 1f				/* 2: taken */
	nop
1:	jnz 2f				/* 3: not taken */
	jmp 3f				/* 4 */
2:	nop
3:	call 4f				/* 5 */
	jmp 5f				/* 7 */
4:	ret				/* 6 */
5:	leaq 6f(%rip), %rax		/* 8 */
	jmp *%rax			/* 9: indirect */
	nop
6:	nop				/* 10 */
	DISABLE

/*
 * 6 instructions, 3 branches, in a pattern for EDGE: per instruction the
 * branch occurrences are 1 1 0 0 1 0, so "branch retired this cycle" has
 * two rising edges (with CPI 1, one instruction per cycle).
 */
	.globl wl_edges
wl_edges:
	ENABLE
	jmp 1f
1:	jmp 2f
2:	nop
	nop
	jmp 3f
3:	nop
	DISABLE

/*
 * 40 NOPs with a label after the 9th: a counter preset to -10 wraps on the
 * 10th counted instruction (the enabling WRMSR is the 1st), so its PMI
 * must interrupt at wl_pmi_here (zero skid).
 */
	.globl wl_pmi, wl_pmi_here
wl_pmi:
	ENABLE
	.rept 9
	nop
	.endr
wl_pmi_here:
	.rept 31
	nop
	.endr
	DISABLE

/* Compat-mode (CPL3, 32-bit) function: 30 NOPs and RET = 31 instructions,
 * 1 branch (the RET); the user trampoline adds its CALL. */
	.code32
	.globl user_nops32
user_nops32:
	.rept 30
	nop
	.endr
	ret
	.code64
