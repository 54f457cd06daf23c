// SPDX-License-Identifier: MIT
/* vCPU creation and the KVM_RUN loop (one thread per vCPU). */
#include "vcpu.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cpuid.h"
#include "engine_ops.h"
#include "guestmem.h"
#include "io.h"
#include "msr.h"
#include "rdpmc.h"
#include "util.h"
#include "vm.h"

#define RFLAGS_IF	(1ull << 9)
#define EFER_LMA	(1ull << 10)

static void alloc_pmu(struct vm *vm, struct vcpu *v)
{
	size_t size = (vpmu_state_size() + 7) & ~(size_t)7;
	char err[256] = "";

	v->pmu_mem = aligned_alloc(8, size);
	if (!v->pmu_mem)
		die(EXIT_VMM, "out of memory");
	v->pmu = vpmu_init(v->pmu_mem, size, vm->cfg.model, err, sizeof(err));
	if (!v->pmu)
		die(EXIT_USAGE, "model %s: %s", vm->cfg.model->name, err);
	if (vm->cfg.filter && vpmu_set_filter(v->pmu, vm->cfg.filter, err, sizeof(err)))
		die(EXIT_USAGE, "--filter: %s", err);
}

void vcpu_create(struct vm *vm, struct vcpu *v, unsigned int id)
{
	int size;

	v->vm = vm;
	v->id = id;
	v->fd = ioctl(vm->fd, KVM_CREATE_VCPU, (unsigned long)id);
	if (v->fd < 0)
		die(EXIT_VMM, "KVM_CREATE_VCPU %u: %s", id, strerror(errno));
	size = ioctl(vm->kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		die(EXIT_VMM, "KVM_GET_VCPU_MMAP_SIZE: %s", strerror(errno));
	v->run_size = (size_t)size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED)
		die(EXIT_VMM, "mmap kvm_run: %s", strerror(errno));
	/* registers come back in kvm_run on every exit (HOST-KVM quirk 14:
	 * a GET_REGS per exit costs ~5 us) */
	v->run->kvm_valid_regs = KVM_SYNC_X86_REGS | KVM_SYNC_X86_SREGS;
	alloc_pmu(vm, v);
	cpuid_set_vcpu(v);
}

void vcpu_destroy(struct vcpu *v)
{
	if (v->run)
		munmap(v->run, v->run_size);
	if (v->fd >= 0)
		close(v->fd);
	free(v->pmu_mem);
}

bool vcpu_long_mode(struct vcpu *v)
{
	const struct kvm_sregs *s = vcpu_sregs(v);

	return (s->efer & EFER_LMA) && s->cs.l;
}

uint64_t vcpu_linear_rip(struct vcpu *v)
{
	uint64_t rip = vcpu_regs(v)->rip;

	if (vcpu_long_mode(v))
		return rip;
	return (vcpu_sregs(v)->cs.base + (uint32_t)rip) & 0xffffffffull;
}

/* "... at RIP 0x... (CS 0x.., bytes 0f 0b ...)" for a guest that died. */
static void guest_died(struct vcpu *v, const char *what)
{
	const struct kvm_sregs *s = vcpu_sregs(v);
	uint8_t b[8];
	char bytes[40] = "unreadable";

	if (!guest_read_linear(v->vm, s, vcpu_linear_rip(v), b, sizeof(b)))
		snprintf(bytes, sizeof(bytes), "%02x %02x %02x %02x %02x %02x %02x %02x",
			 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]);
	vm_stop(v->vm, EXIT_VMM,
		"guest died: %s on vCPU %u at RIP 0x%llx (CS 0x%x, CR0 0x%llx, bytes %s)",
		what, v->id, (unsigned long long)vcpu_regs(v)->rip, s->cs.selector,
		(unsigned long long)s->cr0, bytes);
}

static void internal_error(struct vcpu *v)
{
	char what[96];
	unsigned int sub = v->run->internal.suberror;

	snprintf(what, sizeof(what), "KVM internal error (KVM_EXIT_INTERNAL_ERROR, suberror %u%s)",
		 sub, sub == KVM_INTERNAL_ERROR_EMULATION ?
		 ": instruction emulation failed" : "");
	guest_died(v, what);
}

static void system_event(struct vcpu *v)
{
	switch (v->run->system_event.type) {
	case KVM_SYSTEM_EVENT_SHUTDOWN:
		guest_died(v, "shutdown request (KVM_EXIT_SYSTEM_EVENT)");
		break;
	case KVM_SYSTEM_EVENT_RESET:
		guest_died(v, "reset request (KVM_EXIT_SYSTEM_EVENT)");
		break;
	default:
		guest_died(v, "system event (KVM_EXIT_SYSTEM_EVENT)");
		break;
	}
}

static void debug_exit(struct vcpu *v)
{
	const struct engine_ops *e = v->vm->cfg.engine;

	v->stats.debug_exits++;
	if (rdpmc_on_debug(v))
		return;
	if (e->on_debug) {
		if (e->on_debug(v))
			vm_stop(v->vm, EXIT_VMM, NULL);
		return;
	}
	guest_died(v, "unexpected debug exit (KVM_EXIT_DEBUG)");
}

/* Without an in-kernel irqchip HLT exits; with it KVM halts the vCPU
 * itself and the watchdog in vm.c notices a dead halt. */
static void hlt_exit(struct vcpu *v)
{
	if (!(vcpu_regs(v)->rflags & RFLAGS_IF) && v->vm->nr_vcpus == 1)
		vm_stop(v->vm, EXIT_VMM, "guest halted with interrupts disabled (RIP 0x%llx)",
			(unsigned long long)vcpu_regs(v)->rip);
}

/* VPMU_TRACE_EXITS=1: one stderr line per exit (debugging aid) */
static bool trace_exits;

static void handle_exit(struct vcpu *v)
{
	unsigned int reason = v->run->exit_reason;
	const struct engine_ops *e = v->vm->cfg.engine;
	char what[64];

	v->stats.exits++;
	if (trace_exits)
		fprintf(stderr, "vpmu: trace: vCPU %u exit %u at RIP 0x%llx%s\n", v->id, reason,
			(unsigned long long)vcpu_regs(v)->rip,
			reason == KVM_EXIT_DEBUG ? " (debug)" : "");
	rdpmc_refresh(v);
	switch (reason) {
	case KVM_EXIT_IO:		io_exit(v); break;
	case KVM_EXIT_MMIO:		mmio_exit(v); break;
	case KVM_EXIT_X86_RDMSR:
	case KVM_EXIT_X86_WRMSR:	msr_exit(v); break;
	case KVM_EXIT_DEBUG:		debug_exit(v); return;
	case KVM_EXIT_HLT:		hlt_exit(v); break;
	case KVM_EXIT_INTR:
	case KVM_EXIT_IRQ_WINDOW_OPEN:	break;
	case KVM_EXIT_SHUTDOWN:
		guest_died(v, "triple fault (KVM_EXIT_SHUTDOWN)");
		return;
	case KVM_EXIT_INTERNAL_ERROR:	internal_error(v); return;
	case KVM_EXIT_SYSTEM_EVENT:	system_event(v); return;
	case KVM_EXIT_FAIL_ENTRY:
		snprintf(what, sizeof(what), "VM entry failed (KVM_EXIT_FAIL_ENTRY, reason 0x%llx)",
			 (unsigned long long)v->run->fail_entry.hardware_entry_failure_reason);
		guest_died(v, what);
		return;
	default:
		snprintf(what, sizeof(what), "unhandled KVM exit reason %u", reason);
		guest_died(v, what);
		return;
	}
	if (e->on_exit)
		e->on_exit(v, reason);
}

/* ---- kicks: the signal that gets a vCPU out of KVM_RUN ------------- */

static __thread struct vcpu *self;

void vcpu_kick_handler(int sig)
{
	(void)sig;
	/* KVM_RUN returns -EINTR at once, even if we are not in it yet */
	if (self)
		__atomic_store_n(&self->run->immediate_exit, 1, __ATOMIC_SEQ_CST);
}

/* Watchdog check (vm.c): can this vCPU ever run again by itself? */
static void on_kick(struct vcpu *v)
{
	struct kvm_mp_state mp;
	uint64_t tick = __atomic_load_n(&v->vm->tick, __ATOMIC_SEQ_CST);

	rdpmc_refresh(v);
	if (!__atomic_exchange_n(&v->kick_check, 0, __ATOMIC_SEQ_CST))
		return;
	if (ioctl(v->fd, KVM_GET_MP_STATE, &mp) < 0)
		return;
	if ((mp.mp_state == KVM_MP_STATE_HALTED && !(vcpu_regs(v)->rflags & RFLAGS_IF)) ||
	    mp.mp_state == KVM_MP_STATE_UNINITIALIZED ||
	    mp.mp_state == KVM_MP_STATE_INIT_RECEIVED)
		__atomic_store_n(&v->dead_tick, tick, __ATOMIC_SEQ_CST);
}

void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct vm *vm = v->vm;
	const struct engine_ops *e = vm->cfg.engine;

	self = v;
	trace_exits = getenv("VPMU_TRACE_EXITS") != NULL;
	if (e->attach && e->attach(v)) {
		vm_stop(vm, EXIT_VMM, NULL);
		return NULL;
	}
	while (!__atomic_load_n(&vm->stopping, __ATOMIC_SEQ_CST)) {
		if (guestdbg_sync(v)) {
			vm_stop(vm, EXIT_VMM, "KVM_SET_GUEST_DEBUG: %s", strerror(errno));
			break;
		}
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno != EINTR && errno != EAGAIN) {
				vm_stop(vm, EXIT_VMM, "KVM_RUN on vCPU %u: %s", v->id,
					strerror(errno));
				break;
			}
			__atomic_store_n(&v->run->immediate_exit, 0, __ATOMIC_SEQ_CST);
			on_kick(v);
			continue;
		}
		handle_exit(v);
	}
	if (e->detach)
		e->detach(v);
	return NULL;
}
