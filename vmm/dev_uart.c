// SPDX-License-Identifier: MIT
/*
 * A minimal 8250/16550 UART at 0x3f8-0x3ff: transmit only.  THR writes go
 * to stdout; LSR always reads THRE|TEMT (0x60), which the kvm-unit-tests
 * console polls for (KVM-UNIT-TESTS.md §2.5).  LCR.DLAB (bit 7) switches
 * offsets 0/1 to the divisor latch, so the divisor write is not printed.
 */
#include <stdio.h>

#include "io.h"
#include "vm.h"

#define UART_BASE	0x3f8
#define UART_THR	0	/* DLL when DLAB */
#define UART_IER	1	/* DLM when DLAB */
#define UART_IIR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_MSR	6
#define UART_SCR	7
#define LCR_DLAB	0x80
#define LSR_THRE_TEMT	0x60	/* transmitter empty and idle */
#define IIR_NO_INT	0x01

static struct {
	uint8_t lcr, ier, mcr, scr, dll, dlm;
} uart;

static void uart_out(struct vcpu *v, uint16_t port, unsigned int size,
		     uint32_t val)
{
	uint8_t b = (uint8_t)val;
	bool dlab = uart.lcr & LCR_DLAB;

	(void)v;
	(void)size;
	switch (port - UART_BASE) {
	case UART_THR:
		if (dlab) {
			uart.dll = b;
		} else {
			putchar(b);
			if (b == '\n')
				fflush(stdout);
		}
		break;
	case UART_IER:
		if (dlab)
			uart.dlm = b;
		else
			uart.ier = b & 0x0f;
		break;
	case UART_LCR:
		uart.lcr = b;
		break;
	case UART_MCR:
		uart.mcr = b & 0x1f;
		break;
	case UART_SCR:
		uart.scr = b;
		break;
	default:	/* FCR, LSR, MSR: accepted and ignored */
		break;
	}
}

static void uart_in(struct vcpu *v, uint16_t port, unsigned int size,
		    uint32_t *val)
{
	bool dlab = uart.lcr & LCR_DLAB;
	uint8_t r = 0;

	(void)v;
	(void)size;
	switch (port - UART_BASE) {
	case UART_THR:	r = dlab ? uart.dll : 0; break;	/* no input: RBR 0 */
	case UART_IER:	r = dlab ? uart.dlm : uart.ier; break;
	case UART_IIR:	r = IIR_NO_INT; break;
	case UART_LCR:	r = uart.lcr; break;
	case UART_MCR:	r = uart.mcr; break;
	case UART_LSR:	r = LSR_THRE_TEMT; break;
	case UART_MSR:	r = 0xb0; break;	/* DCD, DSR, CTS */
	case UART_SCR:	r = uart.scr; break;
	}
	*val = r;
}

static const struct io_dev uart_dev = {
	.name = "uart", .in = uart_in, .out = uart_out,
};

void dev_uart_init(struct vm *vm)
{
	(void)vm;
	io_register(UART_BASE, 8, &uart_dev);
}
