// SPDX-License-Identifier: MIT
/*
 * VM setup and the run's life cycle: KVM, RAM, in-kernel irqchip, MSR
 * filter, CPUID, vCPUs, devices, image; then the vCPU threads and a main
 * thread that waits for the end (exit port, guest death, --timeout) and
 * runs the halt watchdog.
 */
#include "vm.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "cpuid.h"
#include "io.h"
#include "loader.h"
#include "msr.h"
#include "util.h"
#include "vcpu.h"

/* Above RAM (at most 3 GiB), below the LAPIC at 0xfee00000: three pages
 * for the real-mode TSS and one for the identity map that VMX-based KVM
 * needs (QEMU uses the same addresses). */
#define TSS_ADDR		0xfffbd000ull
#define IDENTITY_MAP_ADDR	0xfffbc000ull
#define TICK_MS			250	/* halt-watchdog period */

static void check_cap(struct vm *vm, long cap, const char *name)
{
	if (ioctl(vm->kvm_fd, KVM_CHECK_EXTENSION, cap) <= 0)
		die(EXIT_VMM, "KVM lacks %s", name);
}

static void open_kvm(struct vm *vm)
{
	const char *dev = getenv("VPMU_KVM_DEVICE");
	int api;

	if (!dev || !*dev)
		dev = "/dev/kvm";
	vm->kvm_fd = open(dev, O_RDWR | O_CLOEXEC);
	if (vm->kvm_fd < 0)
		die(EXIT_VMM, "%s: %s (KVM not available)", dev, strerror(errno));
	api = ioctl(vm->kvm_fd, KVM_GET_API_VERSION, 0);
	if (api < 0)
		die(EXIT_VMM, "%s: not a KVM device (%s)", dev, strerror(errno));
	if (api != KVM_API_VERSION)
		die(EXIT_VMM, "%s: KVM API version %d, vpmu needs %d", dev, api,
		    KVM_API_VERSION);
	check_cap(vm, KVM_CAP_IRQCHIP, "KVM_CAP_IRQCHIP");
	check_cap(vm, KVM_CAP_SYNC_REGS, "KVM_CAP_SYNC_REGS");
	check_cap(vm, KVM_CAP_SET_GUEST_DEBUG, "KVM_CAP_SET_GUEST_DEBUG");
	check_cap(vm, KVM_CAP_IMMEDIATE_EXIT, "KVM_CAP_IMMEDIATE_EXIT");
	check_cap(vm, KVM_CAP_SIGNAL_MSI, "KVM_CAP_SIGNAL_MSI");
	if (!vm->cfg.no_msr_filter) {
		check_cap(vm, KVM_CAP_X86_USER_SPACE_MSR, "KVM_CAP_X86_USER_SPACE_MSR");
		check_cap(vm, KVM_CAP_X86_MSR_FILTER, "KVM_CAP_X86_MSR_FILTER");
	}
}

static void create_memory(struct vm *vm)
{
	struct kvm_userspace_memory_region r = { 0 };

	vm->mem_size = vm->cfg.mem_bytes;
	vm->mem = mmap(NULL, vm->mem_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vm->mem == MAP_FAILED)
		die(EXIT_VMM, "guest RAM (%llu MiB): %s",
		    (unsigned long long)(vm->mem_size >> 20), strerror(errno));
	r.slot = 0;
	r.guest_phys_addr = 0;
	r.memory_size = vm->mem_size;
	r.userspace_addr = (uintptr_t)vm->mem;
	if (ioctl(vm->fd, KVM_SET_USER_MEMORY_REGION, &r) < 0)
		die(EXIT_VMM, "KVM_SET_USER_MEMORY_REGION: %s", strerror(errno));
}

void *vm_gpa(struct vm *vm, uint64_t gpa, size_t len)
{
	if (gpa > vm->mem_size || len > vm->mem_size - gpa)
		return NULL;
	return vm->mem + gpa;
}

void vm_create(struct vm *vm)
{
	pthread_condattr_t ca;

	pthread_mutex_init(&vm->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&vm->cond, &ca);
	open_kvm(vm);
	vm->fd = ioctl(vm->kvm_fd, KVM_CREATE_VM, 0);
	if (vm->fd < 0)
		die(EXIT_VMM, "KVM_CREATE_VM: %s", strerror(errno));
	if (ioctl(vm->fd, KVM_SET_TSS_ADDR, (unsigned long)TSS_ADDR) < 0)
		die(EXIT_VMM, "KVM_SET_TSS_ADDR: %s", strerror(errno));
	{
		uint64_t idmap = IDENTITY_MAP_ADDR;

		if (ioctl(vm->fd, KVM_SET_IDENTITY_MAP_ADDR, &idmap) < 0)
			die(EXIT_VMM, "KVM_SET_IDENTITY_MAP_ADDR: %s", strerror(errno));
	}
	create_memory(vm);
	/* in-kernel PIC, IOAPIC and LAPICs (INIT/SIPI, LVTPC, x2APIC) */
	if (ioctl(vm->fd, KVM_CREATE_IRQCHIP, 0) < 0)
		die(EXIT_VMM, "KVM_CREATE_IRQCHIP: %s", strerror(errno));
	msr_filter_install(vm);
	cpuid_build(vm);
	vm->nr_vcpus = vm->cfg.cpus;
	vm->vcpus = calloc(vm->nr_vcpus, sizeof(*vm->vcpus));
	if (!vm->vcpus)
		die(EXIT_VMM, "out of memory");
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vcpu_create(vm, &vm->vcpus[i], i);
	dev_uart_init(vm);
	dev_debugexit_init(vm);
	dev_fwcfg_init(vm);
	dev_pic_init(vm);
	multiboot_load(vm);
}

static void kick_all(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_started)
			pthread_kill(vm->vcpus[i].thread, SIGUSR1);
}

void vm_stop(struct vm *vm, int status, const char *fmt, ...)
{
	va_list ap;

	pthread_mutex_lock(&vm->lock);
	if (!__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST)) {
		vm->exit_status = status;
		vm->end_ns = now_ns();
		if (fmt) {
			va_start(ap, fmt);
			vsnprintf(vm->exit_msg, sizeof(vm->exit_msg), fmt, ap);
			va_end(ap);
		}
		__atomic_store_n(&vm->stopping, 1, __ATOMIC_SEQ_CST);
		pthread_cond_broadcast(&vm->cond);
	}
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm);
}

/* Every vCPU reported "halted with IF=0" (or never started) last tick. */
static bool all_dead(struct vm *vm, uint64_t tick)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (__atomic_load_n(&vm->vcpus[i].dead_tick, __ATOMIC_SEQ_CST) != tick)
			return false;
	return true;
}

static void watchdog_tick(struct vm *vm)
{
	uint64_t tick = __atomic_load_n(&vm->tick, __ATOMIC_SEQ_CST);

	if (tick && all_dead(vm, tick)) {
		vm_stop(vm, EXIT_VMM, "guest halted with interrupts disabled (all %u vCPU%s)",
			vm->nr_vcpus, vm->nr_vcpus == 1 ? "" : "s");
		return;
	}
	__atomic_store_n(&vm->tick, tick + 1, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		__atomic_store_n(&vm->vcpus[i].kick_check, 1, __ATOMIC_SEQ_CST);
	kick_all(vm);
}

static void start_threads(struct vm *vm)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vcpu_kick_handler;	/* no SA_RESTART: KVM_RUN -> EINTR */
	sigaction(SIGUSR1, &sa, NULL);
	vm->start_ns = now_ns();
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpus[i];

		if (pthread_create(&v->thread, NULL, vcpu_thread, v))
			die(EXIT_VMM, "pthread_create: %s", strerror(errno));
		v->thread_started = true;
	}
}

static struct timespec deadline_in_ms(unsigned int ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	return ts;
}

int vm_run(struct vm *vm)
{
	uint64_t timeout_ns = (uint64_t)(vm->cfg.timeout * 1e9);

	start_threads(vm);
	pthread_mutex_lock(&vm->lock);
	while (!__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST)) {
		struct timespec ts = deadline_in_ms(TICK_MS);

		pthread_cond_timedwait(&vm->cond, &vm->lock, &ts);
		if (__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST))
			break;
		pthread_mutex_unlock(&vm->lock);
		if (timeout_ns && now_ns() - vm->start_ns >= timeout_ns)
			vm_stop(vm, EXIT_TIMEOUT, "timeout: guest still running after %g s",
				vm->cfg.timeout);
		else
			watchdog_tick(vm);
		pthread_mutex_lock(&vm->lock);
	}
	pthread_mutex_unlock(&vm->lock);
	kick_all(vm);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_started)
			pthread_join(vm->vcpus[i].thread, NULL);
	fflush(stdout);
	return vm->exit_status;
}

void vm_destroy(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vcpu_destroy(&vm->vcpus[i]);
	free(vm->vcpus);
	free(vm->cpuid);
	if (vm->mem && vm->mem != MAP_FAILED)
		munmap(vm->mem, vm->mem_size);
	close(vm->fd);
	close(vm->kvm_fd);
}
