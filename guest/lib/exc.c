// SPDX-License-Identifier: MIT
/*
 * IDT, TSS, exception dispatch and the "expected exception" helpers.
 * A *_safe helper marks its instruction in .ex_table; when it faults the
 * handler records the vector in last_exception and resumes after it.
 */
#include "exc.h"
#include "asm.h"

struct ex_entry {
	uint64_t insn, fixup;
};

struct idt_gate {
	uint16_t off0, sel;
	uint8_t ist, type;
	uint16_t off1;
	uint32_t off2, zero;
} __attribute__((packed));

struct tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3, iomap;
} __attribute__((packed));

extern const struct ex_entry __ex_table_start[], __ex_table_end[];
extern char isr_stubs[];
extern uint64_t gdt[];
extern char boot_stack_top[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static struct tss64 tss __attribute__((aligned(16)));
static irq_handler_t handlers[256];
static uint8_t kernel_stack[8192] __attribute__((aligned(16)));
volatile int last_exception = NO_EXCEPTION;

static const char *const exc_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "-",
	"#TS", "#NP", "#SS", "#GP", "#PF", "-", "#MF", "#AC", "#MC", "#XM",
	"#VE", "#CP",
};

void setup_idt(void)
{
	struct { uint16_t limit; uint64_t base; } __attribute__((packed)) d;

	for (unsigned int v = 0; v < 256; v++) {
		uint64_t a = (uint64_t)(uintptr_t)(isr_stubs + 16 * v);

		/* SDM Vol. 3A Figure 6-8: 64-bit interrupt gate, DPL 0 */
		idt[v] = (struct idt_gate){
			.off0 = (uint16_t)a, .sel = SEL_KCODE, .ist = 0, .type = 0x8e,
			.off1 = (uint16_t)(a >> 16), .off2 = (uint32_t)(a >> 32),
		};
	}
	d.limit = sizeof(idt) - 1;
	d.base = (uint64_t)(uintptr_t)idt;
	__asm__ volatile("lidt %0" :: "m"(d));
}

void setup_tss(void)
{
	uint64_t base = (uint64_t)(uintptr_t)&tss;
	uint64_t limit = sizeof(tss) - 1;

	tss.rsp[0] = (uint64_t)(uintptr_t)(kernel_stack + sizeof(kernel_stack));
	tss.iomap = sizeof(tss);	/* no I/O bitmap */
	/* SDM Vol. 3A Figure 7-4: 64-bit TSS descriptor, type 9 (available) */
	gdt[SEL_TSS / 8] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
			   (0x89ull << 40) | ((limit >> 16) << 48) |
			   ((base >> 24) & 0xff) << 56;
	gdt[SEL_TSS / 8 + 1] = base >> 32;
	__asm__ volatile("ltr %w0" :: "r"((uint16_t)SEL_TSS));
}

void set_irq_handler(unsigned int vector, irq_handler_t h)
{
	handlers[vector & 0xff] = h;
}

static const struct ex_entry *ex_find(uint64_t rip)
{
	for (const struct ex_entry *e = __ex_table_start; e < __ex_table_end; e++)
		if (e->insn == rip)
			return e;
	return NULL;
}

void irq_dispatch(struct frame *f);
void irq_dispatch(struct frame *f)
{
	unsigned int v = (unsigned int)f->vector;
	const struct ex_entry *e;

	if (handlers[v]) {
		handlers[v](f);
		return;
	}
	if (v >= 32) {
		printf("# unexpected interrupt vector %u\n", v);
		apic_eoi();
		return;
	}
	e = ex_find(f->rip);
	if (e) {
		last_exception = (int)v;
		f->rip = e->fixup;
		return;
	}
	if (user_trap(f))
		return;
	report(false, "unexpected exception %u (%s) at RIP 0x%llx, error code 0x%llx, CS 0x%llx",
	       v, exc_names[v] ? exc_names[v] : "?", (unsigned long long)f->rip,
	       (unsigned long long)f->error, (unsigned long long)f->cs);
	exit(report_summary());
}

int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	last_exception = NO_EXCEPTION;
	__asm__ volatile("1: rdmsr\n2:\n\t" EX_ENTRY("1b", "2b")
			 : "+a"(lo), "+d"(hi) : "c"(msr) : "memory");
	*val = lo | (uint64_t)hi << 32;
	return last_exception;
}

int wrmsr_safe(uint32_t msr, uint64_t val)
{
	last_exception = NO_EXCEPTION;
	__asm__ volatile("1: wrmsr\n2:\n\t" EX_ENTRY("1b", "2b")
			 :: "a"((uint32_t)val), "d"((uint32_t)(val >> 32)), "c"(msr)
			 : "memory");
	return last_exception;
}

int rdpmc_safe(uint32_t ecx, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;

	last_exception = NO_EXCEPTION;
	__asm__ volatile("1: rdpmc\n2:\n\t" EX_ENTRY("1b", "2b")
			 : "+a"(lo), "+d"(hi) : "c"(ecx) : "memory");
	*val = lo | (uint64_t)hi << 32;
	return last_exception;
}

uint64_t rdmsr(uint32_t msr)
{
	uint64_t v;

	if (rdmsr_safe(msr, &v) != NO_EXCEPTION) {
		report(false, "RDMSR 0x%x raised exception %d", msr, last_exception);
		exit(report_summary());
	}
	return v;
}

void wrmsr(uint32_t msr, uint64_t val)
{
	if (wrmsr_safe(msr, val) != NO_EXCEPTION) {
		report(false, "WRMSR 0x%x = 0x%llx raised exception %d", msr,
		       (unsigned long long)val, last_exception);
		exit(report_summary());
	}
}
