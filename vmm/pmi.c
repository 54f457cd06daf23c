// SPDX-License-Identifier: MIT
/*
 * PMI delivery through the guest's local APIC LVTPC (PMU-FACTS §11,
 * SDM Vol. 3A "Local Vector Table").  libvpmu only latches the request;
 * here it becomes an interrupt the way the LVTPC entry says:
 *
 *   mask (bit 16) set   -> dropped.  KVM drops it too (the interrupt is not
 *                          pended); overflow status stays set.
 *   mode NMI (100b)     -> KVM_NMI on this vCPU; the vector is ignored.
 *   mode Fixed (000b)   -> KVM_SIGNAL_MSI, physical destination = this
 *                          vCPU's APIC ID, edge, the LVTPC vector.
 *   other modes         -> dropped with a warning (SMI is not modelled;
 *                          ExtINT/INIT are not allowed for LVTPC).
 *
 * Intel sets LVTPC.mask when it delivers a PMI, AMD does not
 * (vpmu_lvtpc_automask()).  The mask is written with KVM_SET_LAPIC
 * *before* the interrupt is sent, since SET_LAPIC also rewrites IRR.
 * KVM_GET_LAPIC returns the register page in xAPIC layout even when the
 * guest switched to x2APIC, so offset 0x340 works in both modes.
 * Known race: an IPI from another vCPU that lands between GET_LAPIC and
 * SET_LAPIC on Intel models is lost (window ~15 us, SMP only).
 */
#include "pmi.h"

#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>

#include "util.h"
#include "vcpu.h"
#include "vm.h"

#define APIC_ID		0x20
#define APIC_LVTPC	0x340
#define LVT_MASKED	(1u << 16)
#define LVT_MODE(x)	(((x) >> 8) & 7)
#define LVT_VECTOR(x)	((x) & 0xff)
#define MODE_FIXED	0
#define MODE_NMI	4
#define MSI_ADDR_BASE	0xfee00000u

static uint32_t lapic_reg(const struct kvm_lapic_state *l, unsigned int off)
{
	uint32_t v;

	memcpy(&v, &l->regs[off], 4);
	return v;
}

static void lapic_set_reg(struct kvm_lapic_state *l, unsigned int off,
			  uint32_t v)
{
	memcpy(&l->regs[off], &v, 4);
}

static int send_fixed(struct vcpu *v, const struct kvm_lapic_state *l,
		      uint32_t lvt)
{
	uint32_t apic_id = lapic_reg(l, APIC_ID) >> 24;
	struct kvm_msi msi = {
		/* SDM Vol. 3A "Message Address Register Format": physical
		 * destination mode, destination ID in bits 19:12 */
		.address_lo = MSI_ADDR_BASE | (apic_id << 12),
		/* "Message Data Register Format": edge, fixed, vector */
		.data = LVT_VECTOR(lvt),
	};

	if (ioctl(v->vm->fd, KVM_SIGNAL_MSI, &msi) < 0) {
		warnmsg("vCPU %u: KVM_SIGNAL_MSI: %s", v->id, strerror(errno));
		return -1;
	}
	return 1;
}

static int deliver(struct vcpu *v);

int vcpu_deliver_pmi(struct vcpu *v)
{
	uint64_t t0;
	int r;

	if (!vpmu_take_pmi(v->pmu))
		return 0;
	t0 = now_ns();
	r = deliver(v);
	v->stats.pmi_ns += now_ns() - t0;
	return r;
}

static int deliver(struct vcpu *v)
{
	struct kvm_lapic_state l;
	uint32_t lvt;
	static int warned_mode;

	if (ioctl(v->fd, KVM_GET_LAPIC, &l) < 0) {
		warnmsg("vCPU %u: KVM_GET_LAPIC: %s", v->id, strerror(errno));
		return -1;
	}
	lvt = lapic_reg(&l, APIC_LVTPC);
	if (lvt & LVT_MASKED) {
		v->stats.pmis_dropped++;
		return 0;
	}
	if (LVT_MODE(lvt) != MODE_FIXED && LVT_MODE(lvt) != MODE_NMI) {
		if (!warned_mode++)
			warnmsg("vCPU %u: LVTPC delivery mode %u not supported; PMI dropped",
				v->id, LVT_MODE(lvt));
		v->stats.pmis_dropped++;
		return 0;
	}
	if (vpmu_lvtpc_automask(vpmu_model_of(v->pmu))) {
		lapic_set_reg(&l, APIC_LVTPC, lvt | LVT_MASKED);
		if (ioctl(v->fd, KVM_SET_LAPIC, &l) < 0) {
			warnmsg("vCPU %u: KVM_SET_LAPIC: %s", v->id, strerror(errno));
			return -1;
		}
	}
	v->stats.pmis_delivered++;
	if (LVT_MODE(lvt) == MODE_NMI) {
		if (ioctl(v->fd, KVM_NMI) < 0) {
			warnmsg("vCPU %u: KVM_NMI: %s", v->id, strerror(errno));
			return -1;
		}
		return 1;
	}
	return send_fixed(v, &l, lvt);
}
