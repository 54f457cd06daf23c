/* SPDX-License-Identifier: MIT */
/* Guest memory access by linear address: a software page walk from CR3. */
#ifndef VMM_GUESTMEM_H
#define VMM_GUESTMEM_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct kvm_sregs;

/*
 * Translate a linear address with the paging mode in `sregs` (no paging,
 * 32-bit, PAE, 4-level or 5-level).  Returns 0 and the physical address,
 * or -1 if not present / outside RAM.  Access rights are not checked: the
 * VMM reads what the guest itself just used.
 */
int guest_linear_to_phys(struct vm *vm, const struct kvm_sregs *sregs,
			 uint64_t la, uint64_t *pa);
/* Copy len bytes at linear address la (may cross pages); 0 or -1. */
int guest_read_linear(struct vm *vm, const struct kvm_sregs *sregs,
		      uint64_t la, void *buf, size_t len);

/*
 * Up to 15 instruction bytes at la (the longest x86 instruction): fewer
 * when the next page cannot be read, so that an instruction just before
 * an unmapped page still decodes.  Returns how many were read, 0 if none.
 */
size_t guest_read_code(struct vm *vm, const struct kvm_sregs *sregs,
		       uint64_t la, uint8_t buf[15]);

/* A decoded segment descriptor (SDM Vol. 3A "Segment Descriptors"). */
struct seg_desc {
	uint64_t base;
	uint32_t limit;		/* in bytes, granularity applied */
	uint8_t type, s, dpl, present, avl, l, db, g;
};

/*
 * Read the GDT descriptor for `sel` (LDT selectors are not supported).
 * Returns 0, or -1 if the selector is null, in the LDT, past the GDT
 * limit, or unreadable.
 */
int guest_read_gdt_desc(struct vm *vm, const struct kvm_sregs *sregs,
			uint16_t sel, struct seg_desc *d);

#endif
