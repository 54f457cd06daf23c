// SPDX-License-Identifier: MIT
/*
 * Running code at CPL3: 64-bit mode (runs natively on the dev host and
 * cannot be single-stepped there) or 32-bit compatibility mode (emulated,
 * steppable; what the exact engine's USR tests need).  HOST-KVM quirk 8:
 * IOPL is forced to 0 in ring 3, so user code cannot do port I/O.
 */
#include "asm.h"
#include "exc.h"

extern char user_tramp32[], user_exit32[], user_tramp64[], user_exit64[];
extern char user_return[];
extern uint64_t user_kernel_rsp;
int64_t run_user_asm(uint64_t rip, uint64_t cs, uint64_t ss, uint64_t rsp,
		     uint32_t arg, void *fn);

static uint8_t user_stack[8192] __attribute__((aligned(16)));
static bool in_user;

bool user_trap(struct frame *f)
{
	bool at_exit = f->rip == (uint64_t)(uintptr_t)user_exit32 ||
		       f->rip == (uint64_t)(uintptr_t)user_exit64;

	if (!in_user || (f->cs & 3) != 3)
		return false;
	if (at_exit && f->vector == UD_VECTOR) {
		f->rax = f->cs == SEL_UCODE32 ? (uint32_t)f->rax : f->rax;
	} else {
		last_exception = (int)f->vector;
		f->rax = (uint64_t)-1;
	}
	/* resume in run_user_asm at CPL0 */
	f->rip = (uint64_t)(uintptr_t)user_return;
	f->cs = SEL_KCODE;
	f->ss = SEL_KDATA;
	f->rsp = user_kernel_rsp;
	f->rflags = 0x2;
	return true;
}

int64_t run_user(enum user_mode mode, void *fn, uint32_t arg)
{
	uint64_t rsp = (uint64_t)(uintptr_t)(user_stack + sizeof(user_stack)) - 16;
	int64_t r;

	last_exception = NO_EXCEPTION;
	in_user = true;
	if (mode == USER_COMPAT32)
		r = run_user_asm((uint64_t)(uintptr_t)user_tramp32, SEL_UCODE32,
				 SEL_UDATA, rsp, arg, fn);
	else
		r = run_user_asm((uint64_t)(uintptr_t)user_tramp64, SEL_UCODE64,
				 SEL_UDATA, rsp, arg, fn);
	in_user = false;
	return r;
}
