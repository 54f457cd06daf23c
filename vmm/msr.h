/* SPDX-License-Identifier: MIT */
/* PMU MSRs: the KVM MSR filter and the userspace MSR exits. */
#ifndef VMM_MSR_H
#define VMM_MSR_H

struct vm;
struct vcpu;

/*
 * Enable KVM_CAP_X86_USER_SPACE_MSR (FILTER) and deny every range of
 * vpmu_msr_ranges(): those accesses exit to userspace.  Without the
 * filter (--no-msr-filter) KVM answers some PMU MSRs itself, reads 0 and
 * drops writes (HOST-KVM quirk 7, pinned by tests/t/cli.sh).
 */
void msr_filter_install(struct vm *vm);
/* KVM_EXIT_X86_RDMSR / KVM_EXIT_X86_WRMSR */
void msr_exit(struct vcpu *v);

#endif
