// SPDX-License-Identifier: MIT
/*
 * The legacy fw_cfg I/O interface: 0x510 selector (16-bit OUT), 0x511 data
 * (8-bit IN, sequential bytes from offset 0, little-endian).  Only the
 * keys kvm-unit-tests reads (KVM-UNIT-TESTS.md §2.9).  Unknown keys and
 * reads past an item read 0: an unimplemented port would read 0xffff and
 * kvm-unit-tests would wait for 65534 CPUs (HOST-KVM quirk 13).
 */
#include <string.h>

#include "io.h"
#include "vm.h"

#define FWCFG_SEL	0x510
#define FWCFG_DATA	0x511
#define FW_CFG_RAM_SIZE	0x03
#define FW_CFG_NB_CPUS	0x05
#define FW_CFG_MAX_RAM	0x11	/* kvm-unit-tests: "no limit" when 0 */

static struct {
	uint16_t key;
	uint32_t off;
	struct vm *vm;
} fwcfg;

/* The item for a key: its bytes in `buf`, returns its length. */
static unsigned int fwcfg_item(uint16_t key, uint8_t buf[8])
{
	uint64_t v;
	unsigned int len;

	switch (key) {
	case FW_CFG_NB_CPUS:
		v = fwcfg.vm->nr_vcpus;
		len = 2;
		break;
	case FW_CFG_RAM_SIZE:
		v = fwcfg.vm->mem_size;
		len = 8;
		break;
	case FW_CFG_MAX_RAM:
		v = 0;
		len = 8;
		break;
	default:
		return 0;
	}
	memcpy(buf, &v, 8);	/* little-endian host */
	return len;
}

static void fwcfg_out(struct vcpu *v, uint16_t port, unsigned int size,
		      uint32_t val)
{
	(void)v;
	(void)size;
	if (port == FWCFG_SEL) {
		fwcfg.key = (uint16_t)val;
		fwcfg.off = 0;
	}
}

static void fwcfg_in(struct vcpu *v, uint16_t port, unsigned int size,
		     uint32_t *val)
{
	uint8_t buf[8] = { 0 };
	unsigned int len;

	(void)v;
	*val = 0;
	if (port == FWCFG_SEL) {
		*val = fwcfg.key;
		return;
	}
	len = fwcfg_item(fwcfg.key, buf);
	for (unsigned int i = 0; i < size; i++, fwcfg.off++)
		if (fwcfg.off < len)
			*val |= (uint32_t)buf[fwcfg.off] << (8 * i);
}

static const struct io_dev fwcfg_dev = {
	.name = "fw_cfg", .in = fwcfg_in, .out = fwcfg_out,
};

void dev_fwcfg_init(struct vm *vm)
{
	fwcfg.vm = vm;
	io_register(FWCFG_SEL, 2, &fwcfg_dev);
}
