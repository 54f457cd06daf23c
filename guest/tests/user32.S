/* SPDX-License-Identifier: MIT */
/*
 * 32-bit compatibility-mode snippets for run_user(USER_COMPAT32, ...):
 * argument in EAX, result in EAX, return with RET.  Instructions that may
 * fault have .ex_table entries like the C *_safe helpers; the vector lands
 * in last_exception.
 */
	.text
	.code32

/* EAX = RDPMC(ECX = arg) low 32 bits; EDX:EAX stored at user_rdpmc_result */
	.globl user_rdpmc32
user_rdpmc32:
	movl %eax, %ecx
	xorl %eax, %eax
	xorl %edx, %edx
1:	rdpmc
2:	movl %eax, user_rdpmc_result
	movl %edx, user_rdpmc_result + 4
	ret
	.pushsection .ex_table, "a"
	.balign 8
	.quad 1b, 2b
	.popsection

/* CPUID leaf arg: EAX..EDX stored at user_cpuid_result */
	.globl user_cpuid32
user_cpuid32:
	pushl %ebx
	xorl %ecx, %ecx
	cpuid
	movl %eax, user_cpuid_result
	movl %ebx, user_cpuid_result + 4
	movl %ecx, user_cpuid_result + 8
	movl %edx, user_cpuid_result + 12
	popl %ebx
	ret

/* arg * 3 + 1 in a short loop: compat-mode code runs and returns */
	.globl user_arith32
user_arith32:
	movl %eax, %ecx
	xorl %edx, %edx
1:	addl $3, %edx
	loop 1b
	leal 1(%edx), %eax
	ret

	.data
	.globl user_rdpmc_result, user_cpuid_result
	.align 8
user_rdpmc_result:
	.quad 0
user_cpuid_result:
	.long 0, 0, 0, 0
