/* SPDX-License-Identifier: MIT */
/* Library-internal: exception table and setup hooks. */
#ifndef GUEST_EXC_H
#define GUEST_EXC_H

#include "libguest.h"

/* An .ex_table entry: a faulting instruction and where to resume. */
#define EX_ENTRY(insn, fixup) \
	".pushsection .ex_table, \"a\"\n\t.balign 8\n\t.quad " insn ", " fixup \
	"\n\t.popsection\n\t"

void setup_idt(void);
void setup_tss(void);
/* #UD at a user-exit stub or an unhandled user fault: back to run_user() */
bool user_trap(struct frame *f);

#endif
