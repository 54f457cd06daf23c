/* SPDX-License-Identifier: MIT */
/* Selectors of the guest GDT (entry.S). */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#define SEL_KCODE	0x08
#define SEL_KDATA	0x10
#define SEL_UCODE32	0x1b	/* 0x18 | RPL 3 */
#define SEL_UDATA	0x23	/* 0x20 | RPL 3 */
#define SEL_UCODE64	0x2b	/* 0x28 | RPL 3 */
#define SEL_TSS		0x30
#define SEL_KCODE32	0x40

#endif
