/* SPDX-License-Identifier: MIT */
/*
 * Multiboot v1 entry (Multiboot Specification 0.6.96 §3.2): we arrive in
 * 32-bit flat protected mode, paging off, EAX = 0x2BADB002, EBX = boot
 * info.  Load our GDT, identity-map 0-4 GiB with 2 MiB pages (user
 * accessible, so compat-mode ring-3 tests can run anywhere), enable long
 * mode (SDM Vol. 3A "Initializing IA-32e Mode") and call guest_start().
 */
#include "asm.h"

	.section .multiboot, "a"
	.align 4
	.long 0x1BADB002		/* magic */
	.long 0				/* flags: nothing required */
	.long -0x1BADB002		/* checksum */

	.section .text.entry, "ax"
	.code32
	.globl _start
_start:
	movl %ebx, mb_info
	movl $boot_stack_top, %esp
	lgdt gdt_desc
	ljmp $SEL_KCODE32, $1f
1:	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax			/* CR4.PAE */
	movl %eax, %cr4
	movl $0xc0000080, %ecx		/* IA32_EFER */
	rdmsr
	orl $0x100, %eax		/* LME */
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax		/* PG | PE */
	movl %eax, %cr0
	ljmp $SEL_KCODE, $start64

	.code64
start64:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $boot_stack_top, %rsp
	call guest_start
2:	cli
	hlt
	jmp 2b

/* ---- GDT (SDM Vol. 3A "Segment Descriptors") ---- */
	.data
	.align 16
	.globl gdt
gdt:
	.quad 0				/* 0x00 null */
	.quad 0x00af9a000000ffff	/* 0x08 kernel code, 64-bit */
	.quad 0x00cf92000000ffff	/* 0x10 kernel data */
	.quad 0x00cffa000000ffff	/* 0x18 user code, 32-bit (compat) */
	.quad 0x00cff2000000ffff	/* 0x20 user data */
	.quad 0x00affa000000ffff	/* 0x28 user code, 64-bit */
	.quad 0, 0			/* 0x30 TSS, filled by setup_tss() */
	.quad 0x00cf9a000000ffff	/* 0x40 kernel code, 32-bit */
gdt_end:
	.globl gdt_desc
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt

	.globl mb_info
mb_info:
	.long 0

/* ---- identity page tables: 4 GiB in 2 MiB pages ---- */
	.section .data.pagetables, "aw"
	.align 4096
	.globl pml4
pml4:
	.quad pdpt + 0x7		/* P | RW | US */
	.fill 511, 8, 0
pdpt:
	.quad pd + 0x0000 + 0x7
	.quad pd + 0x1000 + 0x7
	.quad pd + 0x2000 + 0x7
	.quad pd + 0x3000 + 0x7
	.fill 508, 8, 0
pd:
	.set i, 0
	.rept 2048
	.quad (i << 21) + 0x87		/* P | RW | US | PS */
	.set i, i + 1
	.endr

	.bss
	.align 16
	.space 16384
	.globl boot_stack_top
boot_stack_top:

/*
 * AP start-up (SDM Vol. 3A "MP Initialization"): smp_start_aps() copies
 * this real-mode trampoline to AP_TRAMPOLINE (0x8000, SIPI vector 0x08);
 * it loads our GDT, enters protected mode and jumps to ap_start32, which
 * takes the same road to long mode as the BSP and calls ap_main() on a
 * stack of its own.
 */
#define AP_TRAMPOLINE	0x8000
#define AP_STACK_SIZE	8192

	.section .text.entry, "ax"
	.code16
	.globl ap_tramp_start, ap_tramp_end
ap_tramp_start:
	cli
	xorw %ax, %ax
	movw %ax, %ds
	lgdtl AP_TRAMPOLINE + (ap_gdt_desc - ap_tramp_start)
	movl %cr0, %eax
	orl $1, %eax
	movl %eax, %cr0
	ljmpl $SEL_KCODE32, $ap_start32
	.align 4
ap_gdt_desc:
	.word gdt_end - gdt - 1
	.long gdt
ap_tramp_end:

	.code32
ap_start32:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl $pml4, %eax
	movl %eax, %cr3
	movl %cr4, %eax
	orl $0x20, %eax
	movl %eax, %cr4
	movl $0xc0000080, %ecx
	rdmsr
	orl $0x100, %eax
	wrmsr
	movl %cr0, %eax
	orl $0x80000001, %eax
	movl %eax, %cr0
	ljmp $SEL_KCODE, $ap_start64

	.code64
ap_start64:
	movl $SEL_KDATA, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movq $AP_STACK_SIZE, %rax
	lock xaddq %rax, ap_stack_next
	leaq AP_STACK_SIZE(%rax), %rsp
	call ap_main
3:	cli
	hlt
	jmp 3b

	.data
	.align 8
ap_stack_next:
	.quad ap_stacks
	.bss
	.align 16
ap_stacks:
	.space AP_STACK_SIZE * 4	/* up to 4 APs */
