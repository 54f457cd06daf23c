/* SPDX-License-Identifier: MIT */
/* One VM: KVM fds, guest RAM, vCPUs and the run's configuration. */
#ifndef VMM_VM_H
#define VMM_VM_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vpmu.h"

struct engine_ops;
struct vcpu;
struct kvm_cpuid2;

/* Highest RAM we offer: everything stays below the LAPIC/IOAPIC and the
 * TSS pages near 4 GiB (see vm.c). */
#define VM_MAX_MEM_MIB	3072
#define VM_MIN_MEM_MIB	2
#define VM_MAX_CPUS	255

struct vm_config {
	const struct vpmu_model *model;
	const struct engine_ops *engine;
	unsigned int cpus;
	uint64_t mem_bytes;
	const char *image;
	const char *env;	/* --env FILE: the multiboot module */
	const char *json;	/* --json FILE */
	char *cmdline;		/* "<image> <args...>" */
	double timeout;		/* seconds, 0 = none */
	bool quiet;
	bool no_msr_filter;	/* debug: let KVM answer PMU MSRs itself */
	unsigned int cpi;	/* --cpi: virtual cycles per instruction */
	const struct vpmu_filter *filter;	/* --filter, or NULL */
};

struct vm {
	struct vm_config cfg;
	int kvm_fd;
	int fd;
	uint8_t *mem;
	uint64_t mem_size;
	struct vcpu *vcpus;
	unsigned int nr_vcpus;
	struct kvm_cpuid2 *cpuid;	/* the table every vCPU gets (APIC IDs patched) */

	pthread_mutex_t lock;
	pthread_cond_t cond;
	int stopping;			/* atomic; set once by vm_stop() */
	uint64_t tick;			/* atomic; halt-watchdog tick */
	int exit_status;
	char exit_msg[512];
	unsigned int threads_done;
	uint64_t start_ns, end_ns;
};

/* Open KVM, create the VM, RAM, irqchip, MSR filter, vCPUs (not started). */
void vm_create(struct vm *vm);
/* Start the vCPU threads, wait for the end (exit port, error, timeout). */
int vm_run(struct vm *vm);
void vm_destroy(struct vm *vm);

/*
 * End the run with `status` (first caller wins).  msg may be NULL; it is
 * printed as "vpmu: <msg>" at exit.  Safe from any thread.
 */
void vm_stop(struct vm *vm, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Host pointer to guest-physical [gpa, gpa+len), or NULL if not all RAM. */
void *vm_gpa(struct vm *vm, uint64_t gpa, size_t len);

#endif
