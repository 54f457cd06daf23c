/* SPDX-License-Identifier: MIT */
/*
 * Port I/O dispatch.  Devices register port ranges at VM creation; the
 * vCPU loop hands every KVM_EXIT_IO here.  Handlers run under one lock
 * (devices need no locking of their own).
 */
#ifndef VMM_IO_H
#define VMM_IO_H

#include <stdint.h>

struct vm;
struct vcpu;

struct io_dev {
	const char *name;
	/* size is 1, 2 or 4; *val is pre-set to all-ones */
	void (*in)(struct vcpu *v, uint16_t port, unsigned int size,
		   uint32_t *val);
	void (*out)(struct vcpu *v, uint16_t port, unsigned int size,
		    uint32_t val);
};

void io_register(uint16_t first, uint16_t count, const struct io_dev *dev);
/* Handle run->io; never fails (unknown ports warn once, read all-ones). */
void io_exit(struct vcpu *v);
/* An MMIO exit: the in-kernel irqchip handles the APICs; warn once. */
void mmio_exit(struct vcpu *v);

/* Exit status for debug-exit code C (dev_debugexit.c). */
int debugexit_status(uint32_t code);

/* Device registration, one per dev_*.c */
void dev_uart_init(struct vm *vm);
void dev_debugexit_init(struct vm *vm);
void dev_fwcfg_init(struct vm *vm);
void dev_pic_init(struct vm *vm);

#endif
