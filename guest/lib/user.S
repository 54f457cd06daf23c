/* SPDX-License-Identifier: MIT */
/*
 * Ring 3 and back without INT n (KVM's emulator cannot execute it at CPL0
 * on the dev host): IRETQ to the user trampoline; the trampoline calls
 * the function and then executes UD2 at a known address, whose #UD the
 * kernel recognises (user_trap) and turns into a return to run_user_asm.
 */
#include "asm.h"

	.text
	.code64
/* int64_t run_user_asm(rip, cs, ss, rsp, arg, fn)
 *                      rdi  rsi rdx rcx  r8   r9 */
	.globl run_user_asm
run_user_asm:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, user_kernel_rsp
	pushq %rdx			/* SS */
	pushq %rcx			/* RSP */
	pushfq				/* RFLAGS (IOPL 0) */
	pushq %rsi			/* CS */
	pushq %rdi			/* RIP */
	movl %edx, %eax
	movl %eax, %ds			/* compat mode uses DS/ES: DPL 3 data */
	movl %eax, %es
	movl %r8d, %eax			/* argument */
	movq %r9, %rbx			/* function */
	iretq

	.globl user_return
user_return:				/* from user_trap(), RAX = result */
	movl $SEL_KDATA, %ecx
	movl %ecx, %ds
	movl %ecx, %es
	movq user_kernel_rsp, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	.code32
	.globl user_tramp32, user_exit32
user_tramp32:
	call *%ebx
user_exit32:
	ud2

	.code64
	.globl user_tramp64, user_exit64
user_tramp64:
	movl %eax, %edi
	call *%rbx
user_exit64:
	ud2

	.data
	.globl user_kernel_rsp
user_kernel_rsp:
	.quad 0
