/* SPDX-License-Identifier: MIT */
/*
 * The guest's interrupt vectors, as the exact engine needs them: where
 * each handler starts, and what its first instruction is.  A single-step
 * that delivers an exception or interrupt also executes the handler's
 * first instruction (HOST-KVM quirk 4), so the engine recognises such a
 * step by where it ends: at a handler entry, or one instruction past it.
 */
#ifndef ENGINE_IDT_H
#define ENGINE_IDT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode.h"

struct vm;
struct kvm_sregs;

#define IDT_VECTORS	256

struct idt_cache {
	bool valid;
	uint64_t base;		/* IDTR base (linear) */
	uint32_t limit;
	uint8_t kind;		/* real-mode IVT, 32-bit or 64-bit gates */
	uint64_t entry[IDT_VECTORS];	/* linear address of each handler */
	struct insn first[IDT_VECTORS];	/* its first instruction */
	uint64_t first_rip[IDT_VECTORS];	/* RIP (CS offset) of the entry */
	bool present[IDT_VECTORS];
};

/* What a step that ended at linear address `lin` delivered, if anything. */
struct idt_hit {
	unsigned int vector;
	bool ran_first;		/* the handler's first instruction executed */
	struct insn first;	/* that instruction */
	uint64_t first_rip;	/* its RIP */
};

/* Forget the cache: the next lookup re-reads the IDT. */
void idt_invalidate(struct idt_cache *c);

/*
 * Did a step that ended at linear address `lin` enter an interrupt or
 * exception handler?  Looks the address up among the handler entries and
 * their first instruction's possible next addresses.  The IDT is re-read
 * when IDTR changed, and, if `reread` (the step's end is unexplained
 * otherwise), once more when nothing matched (a gate may have changed).
 */
bool idt_find_entry(struct idt_cache *c, struct vm *vm,
		    const struct kvm_sregs *s, uint64_t lin, bool reread,
		    struct idt_hit *hit);

/* The handler entry (linear) of `vector`, or 0 if not present; the gate
 * is read afresh (the engine puts breakpoints there). */
uint64_t idt_handler(struct idt_cache *c, struct vm *vm,
		     const struct kvm_sregs *s, unsigned int vector);

#endif
