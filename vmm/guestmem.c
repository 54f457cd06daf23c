// SPDX-License-Identifier: MIT
/*
 * Linear -> physical translation by walking the guest's page tables, as
 * the MMU would (SDM Vol. 3A ch. 4 "Paging": 32-bit, PAE, 4-level and
 * 5-level paging).  Used by the RDPMC hook to read the IDT, the exception
 * frame and the faulting instruction: an identity map is not guaranteed.
 */
#include "guestmem.h"

#include <linux/kvm.h>
#include <string.h>

#include "vm.h"

#define CR0_PE		(1ull << 0)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_LA57	(1ull << 12)
#define EFER_LMA	(1ull << 10)
#define PTE_P		(1ull << 0)
#define PTE_PS		(1ull << 7)
#define ADDR_MASK	0x000ffffffffff000ull	/* bits 51:12 */

static int read_pte(struct vm *vm, uint64_t gpa, unsigned int size,
		    uint64_t *pte)
{
	void *p = vm_gpa(vm, gpa, size);

	if (!p)
		return -1;
	*pte = 0;
	memcpy(pte, p, size);	/* x86 host: little-endian like the guest */
	return 0;
}

/* 32-bit paging: 2 levels, 4-byte entries, 4 MiB pages with CR4.PSE. */
static int walk32(struct vm *vm, const struct kvm_sregs *s, uint64_t la,
		  uint64_t *pa)
{
	uint64_t pde, pte;

	la &= 0xffffffffull;
	if (read_pte(vm, (s->cr3 & 0xfffff000ull) + (la >> 22) * 4, 4, &pde) ||
	    !(pde & PTE_P))
		return -1;
	if ((pde & PTE_PS) && (s->cr4 & CR4_PSE)) {
		/* PSE-36: PDE bits 20:13 are physical address bits 39:32 */
		*pa = (pde & 0xffc00000ull) | (((pde >> 13) & 0xff) << 32) |
		      (la & 0x3fffff);
		return 0;
	}
	if (read_pte(vm, (pde & 0xfffff000ull) + ((la >> 12) & 0x3ff) * 4, 4,
		     &pte) || !(pte & PTE_P))
		return -1;
	*pa = (pte & 0xfffff000ull) | (la & 0xfff);
	return 0;
}

/*
 * Walk `levels` levels of 8-byte entries starting at table `table`; the
 * first level indexes with bits [top, top-8] of la.  PS is honoured at the
 * 1 GiB and 2 MiB levels.
 */
static int walk64(struct vm *vm, uint64_t table, unsigned int levels,
		  uint64_t la, uint64_t *pa)
{
	uint64_t e = 0;

	for (unsigned int lvl = levels; lvl >= 1; lvl--) {
		unsigned int shift = 12 + 9 * (lvl - 1);
		uint64_t idx = (la >> shift) & 0x1ff;

		if (read_pte(vm, table + idx * 8, 8, &e) || !(e & PTE_P))
			return -1;
		if (lvl == 1)
			break;
		if ((lvl == 2 || lvl == 3) && (e & PTE_PS)) {
			uint64_t size = 1ull << shift;

			*pa = (e & ADDR_MASK & ~(size - 1)) | (la & (size - 1));
			return 0;
		}
		table = e & ADDR_MASK;
	}
	*pa = (e & ADDR_MASK) | (la & 0xfff);
	return 0;
}

/* PAE: a 4-entry PDPT indexed by bits 31:30, then two 8-byte levels. */
static int walk_pae(struct vm *vm, const struct kvm_sregs *s, uint64_t la,
		    uint64_t *pa)
{
	uint64_t pdpte;

	la &= 0xffffffffull;
	if (read_pte(vm, (s->cr3 & 0xffffffe0ull) + (la >> 30) * 8, 8, &pdpte) ||
	    !(pdpte & PTE_P))
		return -1;
	return walk64(vm, pdpte & ADDR_MASK, 2, la, pa);
}

int guest_linear_to_phys(struct vm *vm, const struct kvm_sregs *s,
			 uint64_t la, uint64_t *pa)
{
	int r;

	if (!(s->cr0 & CR0_PG)) {
		*pa = la & 0xffffffffull;
		r = 0;
	} else if (s->efer & EFER_LMA) {
		r = walk64(vm, s->cr3 & ADDR_MASK, (s->cr4 & CR4_LA57) ? 5 : 4,
			   la, pa);
	} else if (s->cr4 & CR4_PAE) {
		r = walk_pae(vm, s, la, pa);
	} else {
		r = walk32(vm, s, la, pa);
	}
	if (r == 0 && !vm_gpa(vm, *pa, 1))
		return -1;
	return r;
}

int guest_read_linear(struct vm *vm, const struct kvm_sregs *s, uint64_t la,
		      void *buf, size_t len)
{
	uint8_t *out = buf;

	while (len) {
		uint64_t pa;
		size_t chunk = 4096 - (la & 0xfff);
		void *src;

		if (chunk > len)
			chunk = len;
		if (guest_linear_to_phys(vm, s, la, &pa))
			return -1;
		src = vm_gpa(vm, pa, chunk);
		if (!src)
			return -1;
		memcpy(out, src, chunk);
		out += chunk;
		la += chunk;
		len -= chunk;
	}
	return 0;
}

size_t guest_read_code(struct vm *vm, const struct kvm_sregs *s, uint64_t la,
		       uint8_t buf[15])
{
	size_t to_page_end = 4096 - (la & 0xfff);

	if (!guest_read_linear(vm, s, la, buf, 15))
		return 15;
	return to_page_end < 15 && !guest_read_linear(vm, s, la, buf, to_page_end) ?
	       to_page_end : 0;
}

int guest_read_gdt_desc(struct vm *vm, const struct kvm_sregs *s, uint16_t sel,
			struct seg_desc *d)
{
	uint32_t w[2];
	uint32_t limit;

	if ((sel & ~3u) == 0 || (sel & 4) ||
	    (uint32_t)(sel & ~7u) + 7 > s->gdt.limit)
		return -1;
	if (guest_read_linear(vm, s, s->gdt.base + (sel & ~7u), w, sizeof(w)))
		return -1;
	/* SDM Vol. 3A Figure 3-8 "Segment Descriptor" */
	d->base = (w[0] >> 16) | ((w[1] & 0xff) << 16) | (w[1] & 0xff000000u);
	limit = (w[0] & 0xffff) | (w[1] & 0x000f0000u);
	d->type = (w[1] >> 8) & 0xf;
	d->s = (w[1] >> 12) & 1;
	d->dpl = (w[1] >> 13) & 3;
	d->present = (w[1] >> 15) & 1;
	d->avl = (w[1] >> 20) & 1;
	d->l = (w[1] >> 21) & 1;
	d->db = (w[1] >> 22) & 1;
	d->g = (w[1] >> 23) & 1;
	d->limit = d->g ? (limit << 12) | 0xfff : limit;
	return 0;
}
