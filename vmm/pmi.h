/* SPDX-License-Identifier: MIT */
/* PMI delivery through the guest's LVTPC.  See pmi.c. */
#ifndef VMM_PMI_H
#define VMM_PMI_H

struct vcpu;

/*
 * Collect vpmu_take_pmi() and, if a PMI is pending, deliver it as the
 * guest's LVTPC says.  Call after every libvpmu call that can raise one
 * (vpmu_wrmsr, vpmu_count).  Returns 1 if delivered, 0 if none or
 * dropped (LVTPC masked), -1 on an ioctl failure (message printed).
 */
int vcpu_deliver_pmi(struct vcpu *v);

#endif
