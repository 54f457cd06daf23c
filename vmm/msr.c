// SPDX-License-Identifier: MIT
/*
 * Guest PMU MSR accesses are served by libvpmu.  KVM's MSR filter makes
 * every access to a denied MSR exit with KVM_MSR_EXIT_REASON_FILTER; the
 * answer goes back in kvm_run->msr (error = 1 -> the guest gets #GP).
 */
#include "msr.h"

#include <errno.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "pmi.h"
#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define MAX_RANGES	16	/* KVM_MSR_FILTER_MAX_RANGES; vpmu.h: at most 16 */

void msr_filter_install(struct vm *vm)
{
	struct vpmu_msr_range r[MAX_RANGES];
	struct kvm_enable_cap cap = { .cap = KVM_CAP_X86_USER_SPACE_MSR };
	struct kvm_msr_filter *f;
	unsigned int n;

	if (vm->cfg.no_msr_filter)
		return;
	cap.args[0] = KVM_MSR_EXIT_REASON_FILTER;
	if (ioctl(vm->fd, KVM_ENABLE_CAP, &cap) < 0)
		die(EXIT_VMM, "KVM_CAP_X86_USER_SPACE_MSR: %s", strerror(errno));
	f = calloc(1, sizeof(*f));
	if (!f)
		die(EXIT_VMM, "out of memory");
	f->flags = KVM_MSR_FILTER_DEFAULT_ALLOW;
	n = vpmu_msr_ranges(vm->cfg.model, r, MAX_RANGES);
	for (unsigned int i = 0; i < n; i++) {
		/* a clear bitmap bit denies: the access exits to us */
		uint8_t *bitmap = calloc(1, (r[i].count + 7) / 8);

		if (!bitmap)
			die(EXIT_VMM, "out of memory");
		f->ranges[i] = (struct kvm_msr_filter_range){
			.flags = KVM_MSR_FILTER_READ | KVM_MSR_FILTER_WRITE,
			.nmsrs = r[i].count, .base = r[i].first, .bitmap = bitmap,
		};
	}
	if (ioctl(vm->fd, KVM_X86_SET_MSR_FILTER, f) < 0)
		die(EXIT_VMM, "KVM_X86_SET_MSR_FILTER: %s", strerror(errno));
	for (unsigned int i = 0; i < n; i++)
		free(f->ranges[i].bitmap);
	free(f);
}

void msr_exit(struct vcpu *v)
{
	struct kvm_run *run = v->run;
	int r;

	v->stats.msr_exits++;
	if (run->exit_reason == KVM_EXIT_X86_RDMSR) {
		uint64_t val = 0;

		r = vpmu_rdmsr(v->pmu, run->msr.index, &val);
		run->msr.data = val;
	} else {
		r = vpmu_wrmsr(v->pmu, run->msr.index, run->msr.data);
	}
	/* UNHANDLED cannot happen inside vpmu_msr_ranges(); #GP is the
	 * answer for an MSR that does not exist (SDM-MSR) */
	run->msr.error = r != VPMU_MSR_OK;
	if (run->exit_reason == KVM_EXIT_X86_WRMSR && r == VPMU_MSR_OK)
		vcpu_deliver_pmi(v);
}
