/* SPDX-License-Identifier: MIT */
/*
 * The vpmu guest library: a freestanding x86-64 ring-0 environment for
 * PMU tests booted by `vpmu run`.  Console on the 8250 UART, IDT with
 * "expected exception" fixups, xAPIC, MSR/CPUID helpers, a TAP-ish test
 * reporter, and a way to run code at CPL3 (64-bit or compat mode).
 */
#ifndef GUEST_LIBGUEST_H
#define GUEST_LIBGUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ull << (n))

/* ---- entry: the test's main, called after setup ---- */
int main(void);

/* ---- command line: "image key=value ..." ---- */
const char *guest_cmdline(void);
/* value of key=value on the command line, or NULL */
const char *guest_arg(const char *key);
/* key=value as a decimal number (leading digits; 0 if absent) */
uint64_t guest_arg_num(const char *key);

/* ---- console ---- */
void putchar_(char c);
void puts_(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vsnprintf(char *buf, size_t len, const char *fmt, va_list ap);
int snprintf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- string ---- */
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* ---- exit (debug-exit port 0xf4) ---- */
void exit(int code) __attribute__((noreturn));

/* ---- test reporter ---- */
/* "ok N - name" / "not ok N - name"; returns pass */
bool report(bool pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "ok N - name # SKIP reason" */
void report_skip(const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "# text" */
void report_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* prints "SUMMARY: ..." and returns the exit code (0 pass, 1 fail, 38 all skipped) */
int report_summary(void);
/* expect a == b (64-bit) with both values printed on failure */
bool report_eq(uint64_t got, uint64_t want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* ---- port I/O ---- */
static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" :: "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" :: "a"(v), "Nd"(port)); }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }

/* ---- CPU ---- */
struct cpuid { uint32_t a, b, c, d; };
static inline struct cpuid cpuid(uint32_t leaf, uint32_t sub)
{
	struct cpuid r;

	__asm__ volatile("cpuid" : "=a"(r.a), "=b"(r.b), "=c"(r.c), "=d"(r.d)
			 : "a"(leaf), "c"(sub));
	return r;
}
static inline uint64_t read_cr4(void) { uint64_t v; __asm__ volatile("mov %%cr4, %0" : "=r"(v)); return v; }
static inline void write_cr4(uint64_t v) { __asm__ volatile("mov %0, %%cr4" :: "r"(v) : "memory"); }
static inline void sti(void) { __asm__ volatile("sti" ::: "memory"); }
static inline void cli(void) { __asm__ volatile("cli" ::: "memory"); }
#define CR4_PCE	BIT(8)

/* ---- exceptions ---- */
#define NO_EXCEPTION	(-1)
#define GP_VECTOR	13
#define UD_VECTOR	6
#define NMI_VECTOR	2

/*
 * The *_safe helpers return NO_EXCEPTION or the vector the instruction
 * raised (the IDT handler finds the instruction in .ex_table and resumes
 * after it).
 */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);
int rdpmc_safe(uint32_t ecx, uint64_t *val);
uint64_t rdmsr(uint32_t msr);	/* an unexpected exception fails the test run */
void wrmsr(uint32_t msr, uint64_t val);

struct frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss;
};
typedef void (*irq_handler_t)(struct frame *f);
/* Install a handler for vector (interrupts, NMI, or exceptions). */
void set_irq_handler(unsigned int vector, irq_handler_t h);
/* exception vector the last *_safe call or user-mode run took */
extern volatile int last_exception;

/* ---- local APIC (xAPIC MMIO, SDM Vol. 3A ch. 10) ---- */
#define APIC_ID		0x20
#define APIC_EOI	0xb0
#define APIC_SPIV	0xf0
#define APIC_ICR_LO	0x300
#define APIC_ICR_HI	0x310
#define APIC_LVTPC	0x340
#define APIC_LVT_MASKED	BIT(16)
#define APIC_DM_NMI	(4u << 8)
uint32_t apic_read(unsigned int reg);
void apic_write(unsigned int reg, uint32_t v);
void apic_eoi(void);
unsigned int apic_id(void);

/* ---- SMP ---- */
/*
 * Start every AP with INIT + SIPI (broadcast); each runs fn (may be NULL)
 * on its own stack and halts.  Waits for `expected` APs; returns how many
 * came online.
 */
unsigned int smp_start_aps(void (*fn)(void), unsigned int expected);
uint16_t fwcfg_read16(uint16_t key);

/* ---- ring 3 ---- */
enum user_mode {
	USER_COMPAT32,	/* 32-bit compatibility mode: emulated on the dev host, steppable */
	USER_64,	/* 64-bit: runs natively on the dev host, cannot be stepped */
};
/*
 * Run fn at CPL3 and come back.  USER_64: fn is ordinary C.  USER_COMPAT32:
 * fn must be 32-bit code (.code32 assembly); it is called with its
 * argument in EAX and returns with RET.  Returns fn's EAX (zero-extended)
 * or, if fn faulted with no fixup, -1 with last_exception set.
 */
int64_t run_user(enum user_mode mode, void *fn, uint32_t arg);

#endif
