// SPDX-License-Identifier: MIT
/*
 * The 8259 PIC ports.  With KVM_CREATE_IRQCHIP the kernel's PIC answers
 * 0x20/0x21/0xa0/0xa1 and no exit reaches us; this entry only keeps a VM
 * without an in-kernel PIC from warning about the mask writes guests do
 * (kvm-unit-tests: OUT 0xff to 0x21 and 0xa1).  Reads: all masked.
 */
#include "io.h"

static void pic_out(struct vcpu *v, uint16_t port, unsigned int size,
		    uint32_t val)
{
	(void)v;
	(void)port;
	(void)size;
	(void)val;
}

static void pic_in(struct vcpu *v, uint16_t port, unsigned int size,
		   uint32_t *val)
{
	(void)v;
	(void)size;
	*val = (port & 1) ? 0xff : 0;	/* IMR all masked, no IRR/ISR */
}

static const struct io_dev pic_dev = {
	.name = "pic", .in = pic_in, .out = pic_out,
};

void dev_pic_init(struct vm *vm)
{
	(void)vm;
	io_register(0x20, 2, &pic_dev);
	io_register(0xa0, 2, &pic_dev);
}
