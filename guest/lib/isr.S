/* SPDX-License-Identifier: MIT */
/*
 * Interrupt and exception stubs for all 256 vectors.  Each pushes a dummy
 * error code where the CPU does not push one (SDM Vol. 3A Table 6-1:
 * vectors 8, 10-14, 17, 21, 29, 30 have one), then its vector, saves the
 * general registers as a struct frame and calls irq_dispatch(frame).
 * No INT n anywhere: KVM's emulator cannot execute it at CPL0 here.
 */
	.text
	.code64

	.globl isr_stubs
	.align 16
isr_stubs:				/* stub for vector v at isr_stubs + 16 * v */
	.set v, 0
	.rept 256
	.align 16
	.if (v == 8) || ((v >= 10) && (v <= 14)) || (v == 17) || (v == 21) || (v == 29) || (v == 30)
	.else
	pushq $0
	.endif
	pushq $v
	jmp isr_common
	.set v, v + 1
	.endr

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	movq %rsp, %rbx
	andq $-16, %rsp
	call irq_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp			/* vector, error code */
	iretq
