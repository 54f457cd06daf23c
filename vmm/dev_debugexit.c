// SPDX-License-Identifier: MIT
/*
 * The debug-exit port 0xf4 (like QEMU's isa-debug-exit, iosize 4): an OUT
 * of code C ends the run.  vpmu exits with C itself, not QEMU's (C<<1)|1,
 * except 38 (kvm-unit-tests' "all skipped", 77>>1) -> 77 and C > 125 ->
 * 125 (docs/vmm.md "Exit status").  Any access size is accepted; the
 * kvm-unit-tests exit() uses a 32-bit OUT.
 */
#include "io.h"
#include "util.h"
#include "vm.h"
#include "vcpu.h"

#define DEBUG_EXIT_PORT	0xf4
#define KUT_ALL_SKIPPED	38	/* 77 >> 1 */

int debugexit_status(uint32_t code)
{
	if (code == KUT_ALL_SKIPPED)
		return EXIT_SKIP;
	if (code > 125)
		return EXIT_VMM;
	return (int)code;
}

static void debugexit_out(struct vcpu *v, uint16_t port, unsigned int size,
			  uint32_t val)
{
	(void)port;
	(void)size;
	vm_stop(v->vm, debugexit_status(val), NULL);
}

static const struct io_dev debugexit_dev = {
	.name = "debug-exit", .out = debugexit_out,
};

void dev_debugexit_init(struct vm *vm)
{
	(void)vm;
	io_register(DEBUG_EXIT_PORT, 4, &debugexit_dev);
}
