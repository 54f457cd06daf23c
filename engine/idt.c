// SPDX-License-Identifier: MIT
/*
 * Reading the guest's IDT (real-mode IVT, 32-bit or 64-bit gate formats,
 * SDM Vol. 3A "Interrupt Descriptor Table") and recognising a step that
 * entered a handler.
 */
#include "idt.h"

#include <linux/kvm.h>
#include <string.h>

#include "../vmm/guestmem.h"

enum { IDT_REAL = 1, IDT_32, IDT_64 };

#define EFER_LMA	(1ull << 10)

static uint8_t idt_kind(const struct kvm_sregs *s)
{
	if (!(s->cr0 & 1))
		return IDT_REAL;
	return (s->efer & EFER_LMA) ? IDT_64 : IDT_32;
}

void idt_invalidate(struct idt_cache *c)
{
	c->valid = false;
}

/* Read one gate: the handler's CS selector and offset; false if absent. */
static bool read_gate(struct vm *vm, const struct kvm_sregs *s, uint8_t kind,
		      unsigned int vec, uint16_t *sel, uint64_t *off)
{
	uint8_t g[16];
	unsigned int size = kind == IDT_64 ? 16 : kind == IDT_32 ? 8 : 4;

	if ((uint64_t)vec * size + size - 1 > s->idt.limit ||
	    guest_read_linear(vm, s, s->idt.base + (uint64_t)vec * size, g, size))
		return false;
	if (kind == IDT_REAL) {		/* IVT: offset16, segment16 */
		*off = g[0] | g[1] << 8;
		*sel = (uint16_t)(g[2] | g[3] << 8);
		return true;
	}
	if (!(g[5] & 0x80))		/* P bit */
		return false;
	*sel = (uint16_t)(g[2] | g[3] << 8);
	*off = (uint64_t)(g[0] | g[1] << 8) | (uint64_t)(g[6] | g[7] << 8) << 16;
	if (kind == IDT_64)
		*off |= (uint64_t)(g[8] | g[9] << 8 | g[10] << 16 | (uint32_t)g[11] << 24) << 32;
	return true;
}

static uint64_t segment_base(struct vm *vm, const struct kvm_sregs *s,
			     uint8_t kind, uint16_t sel)
{
	struct seg_desc d;

	if (kind == IDT_REAL)
		return (uint64_t)sel << 4;
	if (kind == IDT_64 || guest_read_gdt_desc(vm, s, sel, &d))
		return 0;
	return d.base;
}

static enum cpu_mode handler_mode(struct vm *vm, const struct kvm_sregs *s,
				  uint8_t kind, uint16_t sel)
{
	struct seg_desc d;

	if (kind == IDT_REAL)
		return CPU_MODE_REAL16;
	if (guest_read_gdt_desc(vm, s, sel, &d))
		return kind == IDT_64 ? CPU_MODE_LONG64 : CPU_MODE_PROT32;
	if (kind == IDT_64 && d.l)
		return CPU_MODE_LONG64;
	return d.db ? CPU_MODE_PROT32 : CPU_MODE_PROT16;
}

/* (Re)read gate `v` of the current IDT into the cache. */
static void load_gate(struct idt_cache *c, struct vm *vm, const struct kvm_sregs *s,
		      unsigned int v)
{
	uint8_t bytes[15];
	uint16_t sel;
	uint64_t off, lin;
	size_t n;

	c->present[v] = false;
	if (!read_gate(vm, s, c->kind, v, &sel, &off))
		return;
	lin = segment_base(vm, s, c->kind, sel) + off;
	n = guest_read_code(vm, s, lin, bytes);
	if (!n || insn_decode(&c->first[v], bytes, n,
			      handler_mode(vm, s, c->kind, sel)) != INSN_OK)
		return;
	c->entry[v] = lin;
	c->first_rip[v] = off;
	c->present[v] = true;
}

static void load(struct idt_cache *c, struct vm *vm, const struct kvm_sregs *s)
{
	memset(c, 0, sizeof(*c));
	c->valid = true;
	c->base = s->idt.base;
	c->limit = s->idt.limit;
	c->kind = idt_kind(s);
	for (unsigned int v = 0; v < IDT_VECTORS; v++)
		load_gate(c, vm, s, v);
}

static bool stale(const struct idt_cache *c, const struct kvm_sregs *s)
{
	return !c->valid || c->base != s->idt.base || c->limit != s->idt.limit ||
	       c->kind != idt_kind(s);
}

static bool lookup(const struct idt_cache *c, uint64_t lin, struct idt_hit *hit)
{
	for (unsigned int v = 0; v < IDT_VECTORS; v++) {
		const struct insn *f = &c->first[v];
		uint64_t e = c->entry[v], rip = c->first_rip[v];
		bool ran;

		if (!c->present[v])
			continue;
		if (lin == e)
			ran = false;
		else if (lin - e == insn_fallthrough(f, rip) - rip ||
			 ((f->flags & INSN_F_REL) && lin - e == insn_target(f, rip) - rip))
			ran = true;
		else
			continue;
		*hit = (struct idt_hit){ .vector = v, .ran_first = ran,
					 .first = *f, .first_rip = rip };
		return true;
	}
	return false;
}

bool idt_find_entry(struct idt_cache *c, struct vm *vm,
		    const struct kvm_sregs *s, uint64_t lin, bool reread,
		    struct idt_hit *hit)
{
	if (stale(c, s))
		load(c, vm, s);
	if (lookup(c, lin, hit))
		return true;
	if (!reread)
		return false;
	load(c, vm, s);		/* the guest may have rewritten a gate */
	return lookup(c, lin, hit);
}

uint64_t idt_handler(struct idt_cache *c, struct vm *vm,
		     const struct kvm_sregs *s, unsigned int vector)
{
	if (vector >= IDT_VECTORS)
		return 0;
	if (stale(c, s))
		load(c, vm, s);
	else		/* the guest may have rewritten this gate: one read */
		load_gate(c, vm, s, vector);
	return c->present[vector] ? c->entry[vector] : 0;
}
